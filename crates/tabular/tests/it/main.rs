//! Integration tests, one binary: CSV, XLSX, and mangled input.

mod csv;
mod fuzz;
mod xlsx;
