//! Integration tests, one binary: imports on the test database.

mod import;
