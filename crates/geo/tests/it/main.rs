//! Integration tests, one binary: the embedded reference data.

mod geo;
mod maps;
