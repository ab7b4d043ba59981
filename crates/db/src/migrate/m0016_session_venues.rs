//! A session may take place elsewhere than its activity (a touring
//! exhibition in five médiathèques, a stand in two villages des sciences):
//! its own venue, the activity's when null.

use super::dsl::{Both, index};
use sea_orm::StatementBuilder;

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        // The same words on both engines: SQLite adds a column with a
        // reference only this way (null by default).
        Box::new(Both(
            "ALTER TABLE activity_sessions ADD COLUMN venue_id BIGINT \
             REFERENCES venues (id) ON DELETE SET NULL",
        )),
        Box::new(index(
            "ix_activity_sessions_venue",
            "activity_sessions",
            &["venue_id"],
        )),
    ]
}
