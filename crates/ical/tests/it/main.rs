//! Integration tests, one binary: the feeds read back by independent parsers.

mod common;
mod parse;
mod python;
