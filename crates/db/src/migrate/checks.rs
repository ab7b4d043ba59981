//! CHECK constraints added to existing tables, named alike on both engines
//! (`ck_<table>_<column>`) and holding the codes a column allows.
//!
//! PostgreSQL adds them with `ALTER TABLE … ADD CONSTRAINT`. SQLite cannot,
//! so each table is rebuilt by its documented procedure (the migration runs
//! with foreign keys off, see [`crate::Db::write_without_foreign_keys`]):
//! a new table made from the stored `CREATE TABLE` with the constraints
//! added, the rows copied, the old table dropped, the new one renamed, its
//! indexes and triggers created again, and its AUTOINCREMENT counter kept.
//! Rows a constraint would refuse stop the migration with a message naming
//! them, before anything changes.

use crate::{Backend, DbErr};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// A constraint: `column` holds one of `codes` (or NULL).
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub table: &'static str,
    pub column: &'static str,
    pub codes: &'static [&'static str],
}

impl Check {
    pub fn name(&self) -> String {
        format!("ck_{}_{}", self.table, self.column)
    }

    fn codes_sql(&self) -> String {
        self.codes
            .iter()
            .map(|c| format!("'{}'", c.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn definition(&self) -> String {
        format!(
            "CONSTRAINT \"{}\" CHECK (\"{}\" IN ({}))",
            self.name(),
            self.column,
            self.codes_sql()
        )
    }
}

fn backend(c: &impl ConnectionTrait) -> Backend {
    match c.get_database_backend() {
        DbBackend::Postgres => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

async fn run(c: &impl ConnectionTrait, sql: &str) -> Result<(), DbErr> {
    c.execute_unprepared(sql).await.map(|_| ())
}

/// Adds `checks` to their tables.
pub async fn add(c: &impl ConnectionTrait, checks: &[Check]) -> Result<(), DbErr> {
    for check in checks {
        refuse_unknown(c, check).await?;
    }
    match backend(c) {
        Backend::Postgres => {
            for check in checks {
                run(
                    c,
                    &format!("ALTER TABLE \"{}\" ADD {}", check.table, check.definition()),
                )
                .await?;
            }
        }
        Backend::Sqlite => {
            let mut tables: Vec<&str> = Vec::new();
            for check in checks {
                if !tables.contains(&check.table) {
                    tables.push(check.table);
                }
            }
            for table in tables {
                let of_table: Vec<Check> = checks
                    .iter()
                    .filter(|c| c.table == table)
                    .copied()
                    .collect();
                rebuild_sqlite(c, table, &of_table).await?;
            }
        }
    }
    Ok(())
}

/// Fails, naming them, when rows hold values the check would refuse.
async fn refuse_unknown(c: &impl ConnectionTrait, check: &Check) -> Result<(), DbErr> {
    let sql = format!(
        "SELECT DISTINCT \"{col}\" AS v FROM \"{table}\" WHERE \"{col}\" NOT IN ({codes}) ORDER BY v",
        col = check.column,
        table = check.table,
        codes = check.codes_sql()
    );
    let rows = c
        .query_all_raw(Statement::from_string(c.get_database_backend(), sql))
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let values: Result<Vec<String>, DbErr> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "v").map(|v| format!("'{v}'")))
        .collect();
    Err(DbErr::Custom(format!(
        "cannot add {}: {}.{} holds {}, which it does not allow; correct those rows, then migrate again",
        check.name(),
        check.table,
        check.column,
        values?.join(", ")
    )))
}

async fn strings(c: &impl ConnectionTrait, sql: &str, table: &str) -> Result<Vec<String>, DbErr> {
    let rows = c
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [table.into()],
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "s")).collect()
}

/// The `CREATE TABLE` of `table` renamed `new_name`, with `checks` added
/// after its last column or constraint.
fn with_checks(
    create: &str,
    table: &str,
    new_name: &str,
    checks: &[Check],
) -> Result<String, DbErr> {
    let shape = || DbErr::Custom(format!("unexpected definition of table {table}: {create}"));
    if !create
        .get(..12)
        .is_some_and(|p| p.eq_ignore_ascii_case("CREATE TABLE"))
    {
        return Err(shape());
    }
    let open = create.find('(').ok_or_else(shape)?;
    let close = create.rfind(')').ok_or_else(shape)?;
    let added: String = checks
        .iter()
        .map(|c| format!(", {}", c.definition()))
        .collect();
    Ok(format!(
        "CREATE TABLE \"{new_name}\" {}{added}{}",
        &create[open..close],
        &create[close..]
    ))
}

async fn rebuild_sqlite(
    c: &impl ConnectionTrait,
    table: &str,
    checks: &[Check],
) -> Result<(), DbErr> {
    let create = strings(
        c,
        "SELECT sql AS s FROM sqlite_master WHERE type = 'table' AND name = ?",
        table,
    )
    .await?
    .pop()
    .ok_or_else(|| DbErr::Custom(format!("no table {table} to add {}", checks[0].name())))?;
    // Indexes made by CREATE INDEX and triggers (those of UNIQUE and
    // PRIMARY KEY constraints, with no SQL, come back with the table).
    let dependents = strings(
        c,
        "SELECT sql AS s FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
        table,
    )
    .await?;
    let counter: Option<i64> = c
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT seq FROM sqlite_sequence WHERE name = ?",
            [table.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "seq"))
        .transpose()?;
    let new_name = format!("{table}__new");
    run(c, &with_checks(&create, table, &new_name, checks)?).await?;
    run(
        c,
        &format!("INSERT INTO \"{new_name}\" SELECT * FROM \"{table}\""),
    )
    .await?;
    run(c, &format!("DROP TABLE \"{table}\"")).await?;
    run(
        c,
        &format!("ALTER TABLE \"{new_name}\" RENAME TO \"{table}\""),
    )
    .await?;
    for sql in &dependents {
        run(c, sql).await?;
    }
    if let Some(seq) = counter {
        // The copy counted only the ids still there: the counter goes back
        // to what it was, so that no id is ever given twice.
        c.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "DELETE FROM sqlite_sequence WHERE name = ?",
            [table.into()],
        ))
        .await?;
        c.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
            [table.into(), seq.into()],
        ))
        .await?;
    }
    Ok(())
}

/// On SQLite, the rows whose foreign keys point nowhere (none, after a
/// correct rebuild), as an error naming the first tables.
pub async fn foreign_key_check(c: &impl ConnectionTrait) -> Result<(), DbErr> {
    if backend(c) != Backend::Sqlite {
        return Ok(());
    }
    let rows = c
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT \"table\" AS t, parent AS p FROM pragma_foreign_key_check LIMIT 10",
        ))
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let found: Result<Vec<String>, DbErr> = rows
        .iter()
        .map(|r| {
            Ok(format!(
                "{} → {}",
                r.try_get::<String>("", "t")?,
                r.try_get::<String>("", "p")?
            ))
        })
        .collect();
    Err(DbErr::Custom(format!(
        "foreign keys broken by the migration: {}",
        found?.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKS: &[Check] = &[
        Check {
            table: "t",
            column: "kind",
            codes: &["a", "b'c"],
        },
        Check {
            table: "t",
            column: "level",
            codes: &["x"],
        },
    ];

    #[test]
    fn checks_are_added_at_the_end_of_the_definition() {
        let create = "CREATE TABLE \"t\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"kind\" text NOT NULL, FOREIGN KEY (\"id\") REFERENCES \"u\" (\"id\") )";
        assert_eq!(
            with_checks(create, "t", "t__new", CHECKS).unwrap(),
            "CREATE TABLE \"t__new\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"kind\" text NOT NULL, FOREIGN KEY (\"id\") REFERENCES \"u\" (\"id\") , CONSTRAINT \"ck_t_kind\" CHECK (\"kind\" IN ('a', 'b''c')), CONSTRAINT \"ck_t_level\" CHECK (\"level\" IN ('x')))"
        );
        assert!(with_checks("CREATE VIEW v AS SELECT 1", "t", "t__new", CHECKS).is_err());
    }
}
