//! Administration: user accounts and invitations, the audit log, the
//! e-mail outbox.

mod audit;
mod outbox;
mod users;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/team/admin/users", ManageUsers, users::list)
        .post("/team/admin/users", ManageUsers, users::invite)
        .get("/team/admin/users/new", ManageUsers, users::new_form)
        .get("/team/admin/users/{id}", ManageUsers, users::edit_form)
        .post("/team/admin/users/{id}", ManageUsers, users::save)
        .post(
            "/team/admin/users/{id}/invite",
            ManageUsers,
            users::resend_invitation,
        )
        .get("/team/admin/audit", ReadAudit, audit::list)
        .get("/team/admin/outbox", ManageOutbox, outbox::list)
        .get("/team/admin/outbox/{id}", ManageOutbox, outbox::show)
        .post("/team/admin/outbox/{id}/retry", ManageOutbox, outbox::retry)
}
