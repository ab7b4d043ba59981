//! The binary as a user runs it: `serve --demo`, two instances on one
//! database, the administration commands. Runs on the test backend
//! (SQLite, or PostgreSQL with MAILLAGE_TEST_DATABASE_URL).

mod admin;
mod exchange;
mod language;
mod report;
mod serve;
mod support;
