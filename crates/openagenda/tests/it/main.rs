//! Integration tests, one binary: real files, hand-made shapes, mangled input.

mod common;
mod fuzz;
mod real_files;
mod shapes;
