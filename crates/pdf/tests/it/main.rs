//! Integration tests, one binary: rendering reports and reading them back.

mod render;
mod sample;
