//! Planning: a project's rétroplanning (its tasks as a timeline and as a
//! table, late ones standing out), applying a template to it, and changing
//! a task's status.

pub(crate) mod api;
pub(crate) mod digest;
mod mine;
mod plan;
mod timeline;
mod week;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/team/projects/{id}/plan", ReadPlanning, plan::show)
        .post(
            "/team/projects/{id}/plan/apply",
            ManagePlanning,
            plan::apply,
        )
        .post("/team/tasks/{id}/status", EditTasks, plan::set_status)
        .post("/team/tasks/{id}/take", EditTasks, mine::take)
        .get("/team/tasks", ReadPlanning, mine::show)
        .get("/team/tasks/week", ReadPlanning, week::show)
        .get("/api/v1/tasks", ReadPlanning, api::tasks_list)
        .get(
            "/api/v1/projects/{slug}/tasks",
            ReadPlanning,
            api::project_tasks,
        )
}
