//! Storage tests. They run on SQLite by default and on PostgreSQL when
//! `MAILLAGE_TEST_DATABASE_URL=postgres://…` is set; each test gets a fresh
//! database (a temporary file, or a schema of its own).

mod audit;
mod batched;
mod booking_links;
mod bookings;
mod concurrency;
mod demo;
mod directory;
mod forms;
mod housekeeping;
mod inbox;
mod media;
mod meetings;
mod notifications;
mod outbox;
mod planning;
mod programme;
mod ratelimit;
mod records;
mod report_notes;
mod schema;
mod session_venues;
mod sessions;
mod task_lists;
mod throttle;
mod tokens;
mod users;
mod vocab;

use maillage_db::testing::TestDb;

pub async fn db() -> TestDb {
    TestDb::new().await
}
