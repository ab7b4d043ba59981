//! No code: see `Cargo.toml`. This crate only asks for features of shared
//! dependencies, so that every build of the workspace resolves the same ones.
