//! How long a call keeps the applications it did not retain: months after
//! the decision (12 unless the call says otherwise), then housekeeping
//! deletes them with their files.

use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![Box::new(
        Table::alter()
            .table("calls")
            .add_column(
                ColumnDef::new("retention_months")
                    .integer()
                    .not_null()
                    .default(12)
                    .take(),
            )
            .take(),
    )]
}
