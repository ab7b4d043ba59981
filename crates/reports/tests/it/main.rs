//! Integration tests, one binary: bilans and coverage on the test database
//! (SQLite, or PostgreSQL with MAILLAGE_TEST_DATABASE_URL).

mod bilan;
mod coverage;
mod pdf;
