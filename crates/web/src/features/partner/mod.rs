//! The partner space: its home (organisation, people, calls, bookings).
//! The pages where partners edit their own organisation are in the
//! directory feature; their bookings in the bookings feature.

mod calls;
mod home;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/partner", PartnerSpace, home::home)
}
