//! The partner space: its home (organisation, people, calls, bookings)
//! and the activities it runs, which it completes after a call.
//! The pages where partners edit their own organisation are in the
//! directory feature; their bookings in the bookings feature.

mod activities;
mod calls;
mod home;
mod planning;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/partner", PartnerSpace, home::home)
        .get("/partner/meetings/{id}", PartnerSpace, planning::show)
        .get("/partner/activities/{id}", PartnerSpace, activities::show)
        .post("/partner/activities/{id}", PartnerSpace, activities::save)
        .post(
            "/partner/activities/{id}/sessions",
            PartnerSpace,
            activities::add_session,
        )
        .post(
            "/partner/activities/{id}/sessions/{session}/delete",
            PartnerSpace,
            activities::delete_session,
        )
        .post(
            "/partner/activities/{id}/submit",
            PartnerSpace,
            activities::submit,
        )
}
