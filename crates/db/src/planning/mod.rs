//! Planning: rétroplanning templates and the tasks of projects and of the
//! team. A template's tasks count from a project's first or last day
//! ("J-120"); applied to a project, each gives one dated task (applying
//! again adds only what is new), and moving the project's dates moves its
//! open template tasks ([`tasks::reschedule`], called by
//! [`crate::programme::projects::update`] in the same transaction). Tasks
//! are listed across projects by [`queries`] (the API, the team's week) and
//! sent each morning to their assignees by [`digest`].

pub mod details;
pub mod digest;
pub mod meetings;
pub mod queries;
pub mod tasks;
pub mod templates;
