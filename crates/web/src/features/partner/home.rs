//! The home of the partner space: the organisation and its people, the
//! calls open to partners and the organisation's answers, bookings.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::i18n::fill;
use crate::shared::html;
use crate::shared::places::commune_label;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::organisations::{self, Organisation};
use maillage_db::people;

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    function: String,
}

#[derive(Template)]
#[template(path = "partner/home.html")]
struct PartnerHome {
    l: Layout,
    greeting: String,
    organisation: Option<Organisation>,
    commune: String,
    people: Vec<PersonRow>,
    calls: super::calls::PartnerCalls,
    activities: Vec<super::activities::ActivityRow>,
    meetings: Vec<super::planning::MeetingRow>,
    tasks: Vec<super::planning::TaskRow>,
}

pub async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let organisation = match user.organisation_id {
        Some(id) => organisations::find(st.db.conn(), id).await?,
        None => None,
    };
    let people = match &organisation {
        Some(o) => people::members_of(st.db.conn(), o.id)
            .await?
            .into_iter()
            .map(|(p, function)| PersonRow {
                id: p.id,
                name: p.name(),
                email: p.data.email.clone().unwrap_or_default(),
                function: function.unwrap_or_default(),
            })
            .collect(),
        None => Vec::new(),
    };
    let calls = super::calls::partner_calls(&st, &ctx, user.organisation_id).await?;
    let activities = super::activities::rows(&st, &ctx, user.organisation_id).await?;
    let (meetings, tasks) = super::planning::rows(&st, &ctx, user.organisation_id).await?;
    html(PartnerHome {
        activities,
        meetings,
        tasks,
        l: ctx.layout(ctx.m.partner_title),
        calls,
        greeting: fill(ctx.m.team_greeting, &[("name", &user.name)]),
        commune: commune_label(
            organisation
                .as_ref()
                .and_then(|o| o.data.commune_insee.as_deref()),
        ),
        organisation,
        people,
    })
}
