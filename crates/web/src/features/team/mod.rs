//! The home of the team space: the dashboard and its inbox.

mod dashboard;
mod digest;
mod inbox;

pub use digest::send_digests;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/team", TeamSpace, dashboard::dashboard)
}
