//! Projects and their programme: activities and their sessions.

pub mod activities;
pub mod projects;
pub mod public_venues;
pub mod sessions;
