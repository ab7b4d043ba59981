//! Integration tests, one binary: OpenAgenda exchange on the test database.

mod import;
