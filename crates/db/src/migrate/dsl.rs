//! Short names for the column shapes the migrations use, so that one
//! definition gives correct DDL on SQLite and PostgreSQL.

use sea_orm::sea_query::{
    ColumnDef, ForeignKey, ForeignKeyAction, ForeignKeyCreateStatement, Index,
    IndexCreateStatement, TableCreateStatement, TableName, TableRef,
};
use sea_orm::{DbBackend, Statement, StatementBuilder};

/// A statement for PostgreSQL only (a no-op on SQLite), for what has no
/// equivalent there, such as a column collation.
pub struct PostgresOnly(pub &'static str);

impl StatementBuilder for PostgresOnly {
    fn build(&self, db_backend: &DbBackend) -> Statement {
        match db_backend {
            DbBackend::Postgres => Statement::from_string(*db_backend, self.0),
            _ => Statement::from_string(*db_backend, "SELECT 1"),
        }
    }
}

/// A statement written the same for both engines.
pub struct Both(pub &'static str);

impl StatementBuilder for Both {
    fn build(&self, db_backend: &DbBackend) -> Statement {
        Statement::from_string(*db_backend, self.0)
    }
}

pub fn pk() -> ColumnDef {
    ColumnDef::new("id")
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().take()
}

pub fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

pub fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().take()
}

pub fn int_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().null().take()
}

pub fn bigint(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

pub fn bigint_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

pub fn ts(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

pub fn ts_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .take()
}

pub fn boolean(name: &'static str, default: bool) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(default)
        .take()
}

pub fn json(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).json_binary().not_null().take()
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(
    table: &str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table.to_owned(), column)
        .to(target, "id")
        .on_delete(on_delete)
        .take()
}

/// The index `name` of `table` on `columns`, in order.
pub fn index(
    name: &'static str,
    table: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(*column);
    }
    index
}

/// The unique index `name` of `table` on `columns`, in order.
pub fn unique_index(
    name: &'static str,
    table: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    index(name, table, columns).unique().take()
}

/// What a table being created says in a few words.
pub trait TableDsl {
    /// `created_at` and `updated_at`, both required.
    fn timestamps(&mut self) -> &mut Self;

    /// A foreign key from `column` of this table (named before) to
    /// `target.id`, as [`fk`] names it.
    fn references(
        &mut self,
        column: &'static str,
        target: &'static str,
        on_delete: ForeignKeyAction,
    ) -> &mut Self;
}

impl TableDsl for TableCreateStatement {
    fn timestamps(&mut self) -> &mut Self {
        self.col(ts("created_at")).col(ts("updated_at"))
    }

    fn references(
        &mut self,
        column: &'static str,
        target: &'static str,
        on_delete: ForeignKeyAction,
    ) -> &mut Self {
        let Some(TableRef::Table(TableName(_, table), _)) = self.get_table_name() else {
            panic!("a table is named before its foreign keys");
        };
        let table = table.to_string();
        self.foreign_key(&mut fk(&table, column, target, on_delete))
    }
}
