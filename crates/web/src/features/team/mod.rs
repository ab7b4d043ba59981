//! The home of the team space.

mod dashboard;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/team", TeamSpace, dashboard::dashboard)
}
