//! Integration tests, one binary: the command line.

mod cli;
