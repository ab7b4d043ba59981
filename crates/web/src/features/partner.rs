//! The partner space: a partner organisation's contacts see their own things.

use super::html;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::i18n::fill;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::organisations;

#[derive(Template)]
#[template(path = "partner/home.html")]
struct PartnerHome {
    l: Layout,
    greeting: String,
    organisation: Option<String>,
}

pub async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let organisation = match user.organisation_id {
        Some(id) => organisations::find(st.db.conn(), id)
            .await?
            .map(|o| o.data.name),
        None => None,
    };
    html(PartnerHome {
        l: ctx.layout(ctx.m.partner_title),
        greeting: fill(ctx.m.team_greeting, &[("name", &user.name)]),
        organisation,
    })
}
