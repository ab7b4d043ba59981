//! Integration tests, one binary: rendering reports and reading them back.

mod layout;
mod render;
mod sample;
