//! Reads the schema back from the database, in a form that is the same on
//! SQLite and PostgreSQL when both were migrated alike: tables, columns with
//! a coarse type and nullability, primary keys and unique constraints.
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
    }
    s
}
