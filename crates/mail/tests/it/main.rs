//! Integration tests, one binary: e-mail delivery.

mod delivery;
