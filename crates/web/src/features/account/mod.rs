//! The signed-in user's own account (profile, password, sessions) and API
//! tokens.

mod calendar;
mod notifications;
mod profile;
mod tokens;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/account", OwnAccount, profile::show)
        .post("/account", OwnAccount, profile::save_profile)
        .post("/account/password", OwnAccount, profile::change_password)
        .post("/account/sessions", OwnAccount, profile::end_other_sessions)
        .get("/account/calendar", OwnAccount, calendar::show)
        .post("/account/calendar", OwnAccount, calendar::renew)
        .post("/account/calendar/revoke", OwnAccount, calendar::revoke)
        .get("/account/notifications", TeamSpace, notifications::show)
        .post("/account/notifications", TeamSpace, notifications::save)
        .get("/team/tokens", ApiTokens, tokens::list)
        .post("/team/tokens", ApiTokens, tokens::create)
        .post("/team/tokens/{id}/revoke", ApiTokens, tokens::revoke)
}
