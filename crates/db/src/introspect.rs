//! Reads the schema back from the database, in a form that is the same on
//! SQLite and PostgreSQL when both were migrated alike: tables, columns with
//! a coarse type and nullability, primary keys, unique constraints and
//! named CHECK constraints (of the one shape the migrations write, a column
//! and the codes it allows).
//! The catalogue queries differ by engine by nature; nothing else does.

use crate::{Backend, Db, DbErr};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    /// integer, text, timestamp, json, boolean, real or blob.
    pub kind: &'static str,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableSchema {
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    /// Column lists of unique constraints and unique indexes (primary key excluded).
    pub uniques: BTreeSet<Vec<String>>,
    /// Named CHECK constraints, by name.
    pub checks: BTreeMap<String, Check>,
}

/// A CHECK constraint `column IN (values…)`, read back as its column and
/// the string literals of its expression, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub column: String,
    pub values: Vec<String>,
}

/// The single-quoted literals of an SQL expression, in order.
fn literals(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    lit.push('\'');
                } else {
                    break;
                }
            } else {
                lit.push(c);
            }
        }
        out.push(lit);
    }
    out
}

/// An identifier at the start of `s` (after spaces and parentheses),
/// quoted or not, and what follows it.
fn identifier(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    if let Some(rest) = s.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some((rest[..end].to_owned(), &rest[end + 1..]));
    }
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| (s[..end].to_owned(), &s[end..]))
}

/// The named CHECK constraints of a SQLite `CREATE TABLE` statement.
fn sqlite_checks(create: &str) -> BTreeMap<String, Check> {
    let mut out = BTreeMap::new();
    let upper = create.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CONSTRAINT ") {
        let start = from + at + "CONSTRAINT ".len();
        from = start;
        let Some((name, rest)) = identifier(&create[start..]) else {
            continue;
        };
        let rest_upper = rest.trim_start().to_ascii_uppercase();
        if !rest_upper.starts_with("CHECK") {
            continue;
        }
        let body = &rest.trim_start()["CHECK".len()..];
        // The expression: up to the parenthesis closing the first one.
        let mut depth = 0;
        let mut quoted = false;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let expr = &body[..end];
        let column = identifier(expr).map(|(c, _)| c).unwrap_or_default();
        out.insert(
            name,
            Check {
                column,
                values: literals(expr),
            },
        );
    }
    out
}

pub type Schema = BTreeMap<String, TableSchema>;

/// Names of the tables of the current database (or PostgreSQL schema).
pub async fn tables(db: &Db) -> Result<Vec<String>, DbErr> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows = db
        .conn()
        .query_all_raw(Statement::from_string(
            db.conn().get_database_backend(),
            sql,
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "t")).collect()
}

fn kind_of(declared: &str) -> &'static str {
    let d = declared.to_ascii_lowercase();
    if d.contains("int") || d == "serial" || d == "bigserial" {
        "integer"
    } else if d.contains("timestamp") || d.contains("date") || d.contains("time") {
        "timestamp"
    } else if d.contains("json") {
        "json"
    } else if d.contains("bool") {
        "boolean"
    } else if d.contains("real")
        || d.contains("double")
        || d.contains("float")
        || d.contains("numeric")
        || d.contains("decimal")
    {
        "real"
    } else if d.contains("blob") || d.contains("bytea") || d.contains("binary") {
        "blob"
    } else {
        "text"
    }
}

/// The whole schema, normalised.
pub async fn schema(db: &Db) -> Result<Schema, DbErr> {
    let mut out = Schema::new();
    for table in tables(db).await? {
        let t = match db.backend() {
            Backend::Sqlite => sqlite_table(db, &table).await?,
            Backend::Postgres => pg_table(db, &table).await?,
        };
        out.insert(table, t);
    }
    Ok(out)
}

async fn sqlite_table(db: &Db, table: &str) -> Result<TableSchema, DbErr> {
    let c = db.conn();
    let b = c.get_database_backend();
    let cols = c
        .query_all_raw(Statement::from_sql_and_values(
            b,
            "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?) ORDER BY cid",
            [table.into()],
        ))
        .await?;
    let mut t = TableSchema::default();
    let mut pk: Vec<(i64, String)> = Vec::new();
    for r in &cols {
        let name: String = r.try_get("", "name")?;
        let declared: String = r.try_get("", "type")?;
        let notnull: i64 = r.try_get("", "nn")?;
        let pk_pos: i64 = r.try_get("", "pk")?;
        if pk_pos > 0 {
            pk.push((pk_pos, name.clone()));
        }
        t.columns.push(Column {
            name,
            kind: kind_of(&declared),
            nullable: notnull == 0 && pk_pos == 0,
        });
    }
    pk.sort();
    t.primary_key = pk.into_iter().map(|(_, n)| n).collect();
    let create = c
        .query_one_raw(Statement::from_sql_and_values(
            b,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
            [table.into()],
        ))
        .await?;
    if let Some(r) = create {
        t.checks = sqlite_checks(&r.try_get::<String>("", "sql")?);
    }
    let indexes = c
        .query_all_raw(Statement::from_sql_and_values(
            b,
            "SELECT name, origin FROM pragma_index_list(?) WHERE \"unique\" = 1",
            [table.into()],
        ))
        .await?;
    for r in &indexes {
        let name: String = r.try_get("", "name")?;
        let origin: String = r.try_get("", "origin")?;
        if origin == "pk" {
            continue;
        }
        let cols = c
            .query_all_raw(Statement::from_sql_and_values(
                b,
                "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                [name.into()],
            ))
            .await?;
        let cols: Result<Vec<String>, DbErr> = cols
            .iter()
            .map(|r| r.try_get::<String>("", "name"))
            .collect();
        t.uniques.insert(cols?);
    }
    Ok(t)
}

async fn pg_table(db: &Db, table: &str) -> Result<TableSchema, DbErr> {
    let c = db.conn();
    let b = c.get_database_backend();
    let cols = c
        .query_all_raw(Statement::from_sql_and_values(
            b,
            "SELECT column_name::text AS name, data_type::text AS type, is_nullable::text AS nullable \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position",
            [table.into()],
        ))
        .await?;
    let mut t = TableSchema::default();
    for r in &cols {
        let name: String = r.try_get("", "name")?;
        let declared: String = r.try_get("", "type")?;
        let nullable: String = r.try_get("", "nullable")?;
        t.columns.push(Column {
            name,
            kind: kind_of(&declared),
            nullable: nullable == "YES",
        });
    }
    let idx = c
        .query_all_raw(Statement::from_sql_and_values(
            b,
            "SELECT i.relname::text AS index_name, ix.indisprimary AS is_primary, a.attname::text AS col \
             FROM pg_index ix \
             JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
             WHERE n.nspname = current_schema() AND t.relname = $1 AND ix.indisunique \
             ORDER BY i.relname, k.ord",
            [table.into()],
        ))
        .await?;
    let mut groups: BTreeMap<String, (bool, Vec<String>)> = BTreeMap::new();
    for r in &idx {
        let name: String = r.try_get("", "index_name")?;
        let primary: bool = r.try_get("", "is_primary")?;
        let col: String = r.try_get("", "col")?;
        groups
            .entry(name)
            .or_insert((primary, Vec::new()))
            .1
            .push(col);
    }
    for (_, (primary, cols)) in groups {
        if primary {
            t.primary_key = cols;
        } else {
            t.uniques.insert(cols);
        }
    }
    let checks = c
        .query_all_raw(Statement::from_sql_and_values(
            b,
            "SELECT k.conname::text AS name, pg_get_constraintdef(k.oid) AS def, \
             COALESCE(a.attname::text, '') AS col \
             FROM pg_constraint k \
             JOIN pg_class t ON t.oid = k.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1] \
             WHERE n.nspname = current_schema() AND t.relname = $1 AND k.contype = 'c'",
            [table.into()],
        ))
        .await?;
    for r in &checks {
        let def: String = r.try_get("", "def")?;
        t.checks.insert(
            r.try_get("", "name")?,
            Check {
                column: r.try_get("", "col")?,
                values: literals(&def),
            },
        );
    }
    Ok(t)
}

/// A readable, stable text form of a schema (for snapshots and diffs).
pub fn render(schema: &Schema) -> String {
    let mut s = String::new();
    for (name, t) in schema {
        s.push_str(&format!(
            "table {name} (pk: {})\n",
            t.primary_key.join(", ")
        ));
        for c in &t.columns {
            s.push_str(&format!(
                "  {} {}{}\n",
                c.name,
                c.kind,
                if c.nullable { " null" } else { "" }
            ));
        }
        for u in &t.uniques {
            s.push_str(&format!("  unique ({})\n", u.join(", ")));
        }
        for (name, c) in &t.checks {
            s.push_str(&format!(
                "  check {name}: {} in ({})\n",
                c.column,
                c.values.join(", ")
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_constraints_are_read_from_either_engine() {
        let create = "CREATE TABLE \"t\" ( \"id\" integer, \"kind\" text, \"level\" text NULL , CONSTRAINT \"ck_t_kind\" CHECK (\"kind\" IN ('a', 'b''c')), CONSTRAINT ck_t_level CHECK (level IN ('x (y)')))";
        let checks = sqlite_checks(create);
        assert_eq!(
            checks.get("ck_t_kind"),
            Some(&Check {
                column: "kind".into(),
                values: vec!["a".into(), "b'c".into()],
            })
        );
        assert_eq!(
            checks.get("ck_t_level"),
            Some(&Check {
                column: "level".into(),
                values: vec!["x (y)".into()],
            })
        );
        assert_eq!(checks.len(), 2);
        // What pg_get_constraintdef gives for the same constraint.
        assert_eq!(
            literals("CHECK ((kind = ANY (ARRAY['a'::text, 'b''c'::text])))"),
            ["a", "b'c"]
        );
    }
}
