//! Planning: a project's rétroplanning (its tasks as a timeline and as a
//! table, late ones standing out), applying a template to it, changing a
//! task's status, one's own tasks; meetings with their attendees, agenda,
//! minutes whose actions become tasks, invitations and minutes by e-mail;
//! each person's private calendar feed. Interns and volunteers see what
//! `scope` lets them.

pub(crate) mod api;
pub(crate) mod digest;
mod feed;
mod meetings;
mod mine;
mod plan;
mod scope;
mod task;
mod templates;
mod timeline;
mod week;

use crate::authz::Routes;
use crate::shared::records;
use maillage_db::planning::meetings::Meeting;
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
        .merge(task_routes())
        .get("/team/tasks/week", ReadTeamPlanning, week::show)
        .get("/api/v1/tasks", ReadTeamPlanning, api::tasks_list)
        .get(
            "/api/v1/projects/{slug}/tasks",
            ReadTeamPlanning,
            api::project_tasks,
        )
        .open_get("/calendar/{token}", feed::feed)
        .merge(meeting_routes())
        .merge(templates::routes())
}

fn task_routes() -> Routes {
    Routes::new()
        .get("/team/tasks/new", ManagePlanning, task::new_form)
        .post("/team/tasks", ManagePlanning, task::create)
        .get("/team/tasks/{id}", ReadPlanning, task::show)
        .post("/team/tasks/{id}", ManagePlanning, task::edit)
        .post("/team/tasks/{id}/assign", ManagePlanning, task::assign)
        .post(
            "/team/tasks/{id}/unassign/{user}",
            ManagePlanning,
            task::unassign,
        )
        .post("/team/tasks/{id}/checklist", EditTasks, task::add_line)
        .post("/team/tasks/{id}/checklist/{line}", EditTasks, task::tick)
        .post("/team/tasks/{id}/comments", EditTasks, task::comment)
        .post("/team/tasks/{id}/depends", ManagePlanning, task::depend)
        .post(
            "/team/tasks/{id}/depends/{on}/delete",
            ManagePlanning,
            task::undepend,
        )
}

fn meeting_routes() -> Routes {
    use meetings::{list, minutes};
    type M = Meeting;
    Routes::new()
        .get("/team/meetings", ReadPlanning, list::list)
        .get("/team/meetings/new", ManageMeetings, records::new_form::<M>)
        .post("/team/meetings", ManageMeetings, records::create::<M>)
        .get("/team/meetings/{id}", ReadPlanning, records::show::<M>)
        .get(
            "/team/meetings/{id}/edit",
            ManagePlanning,
            records::edit_form::<M>,
        )
        .post("/team/meetings/{id}", ManagePlanning, records::update::<M>)
        .post(
            "/team/meetings/{id}/delete",
            ManagePlanning,
            records::delete::<M>,
        )
        .get("/team/meetings/{id}/invite.ics", ReadPlanning, minutes::ics)
        .post(
            "/team/meetings/{id}/invite",
            ManageMeetings,
            minutes::invite,
        )
        .post("/team/meetings/{id}/send", ManageMeetings, minutes::send)
        .post(
            "/team/meetings/{id}/attendees",
            ManageMeetings,
            minutes::add_attendee,
        )
        .post(
            "/team/meetings/{id}/attendees/{attendee}/delete",
            ManageMeetings,
            minutes::remove_attendee,
        )
        .post(
            "/team/meetings/{id}/items",
            ManageMeetings,
            minutes::add_item,
        )
        .post(
            "/team/meetings/{id}/items/{item}",
            ManageMeetings,
            minutes::record,
        )
}
