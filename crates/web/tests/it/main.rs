//! Router tests: the whole application in process (`oneshot`), a fresh
//! database per test (SQLite, or PostgreSQL with MAILLAGE_TEST_DATABASE_URL).

mod account;
mod admin;
mod auth;
mod authz;
mod bookings;
mod calls;
mod directory;
mod escaping;
mod form_builder;
mod forms_api;
mod images;
mod inbox;
mod limits;
mod meetings;
mod password;
mod planning;
mod planning_api;
mod planning_digest;
mod planning_scope;
mod planning_week;
mod programme;
mod programme_api;
mod programme_team;
mod questionnaire;
mod questionnaire_links;
mod questionnaire_results;
mod records;
mod report_notes;
mod reports;
mod reports_api;
mod review;
mod shell;
mod team_notifications;
mod tokens;
mod util;
