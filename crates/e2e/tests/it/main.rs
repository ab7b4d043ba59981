//! Browser tests, one binary: each test starts its own site and Chromium,
//! and the harness runs as many at once as the machine has cores.

mod bookings;
mod browser;
mod calls;
mod directory;
mod forms_team;
mod partner;
mod phone;
mod planning;
mod programme;
mod reports;
mod season;
