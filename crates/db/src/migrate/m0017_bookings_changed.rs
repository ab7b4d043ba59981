//! The last change of any booking, read by the page cache to know whether
//! the places a cached page shows may have changed (an index: one read).

use super::dsl::index;
use sea_orm::StatementBuilder;

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![Box::new(index(
        "ix_bookings_updated_at",
        "bookings",
        &["updated_at"],
    ))]
}
