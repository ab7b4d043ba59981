//! A venue's page: facts, accessibility, its spaces with their forms,
//! history.

use super::spaces::SpaceForm;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::directory::common as dir;
use crate::forms::{Choice, FormErrors};
use crate::shared::html_status;
use crate::shared::places::{commune_label, epci_label};
use crate::shared::records::{HistoryRow, NoQuery, Shown, found, history};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::organisations;
use maillage_db::venues::{Access, Venue};
use maillage_domain::Action;
use maillage_domain::directory::SpaceKind;

/// The labels of a venue's accessibility.
pub fn access_labels(ctx: &Ctx, a: &Access) -> Vec<&'static str> {
    let m = ctx.m;
    [
        (a.wheelchair, m.access_wheelchair),
        (a.hearing_loop, m.access_hearing_loop),
        (a.visual, m.access_visual),
        (a.cognitive, m.access_cognitive),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, l)| l)
    .collect()
}

struct SpaceRow {
    id: i64,
    name: String,
    kind: &'static str,
    capacity: String,
    notes: String,
    kinds: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "directory/venues/show.html")]
struct ShowPage {
    l: Layout,
    v: Venue,
    commune: String,
    epci: String,
    organisation: Option<(i64, String)>,
    access: Vec<&'static str>,
    spaces: Vec<SpaceRow>,
    new_space: SpaceForm,
    new_space_kinds: Vec<Choice>,
    errors: FormErrors,
    history: Vec<HistoryRow>,
    can_edit: bool,
    can_manage: bool,
}

/// The page of venue `id`; `new_space` is the space form as typed.
pub async fn page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    new_space: Option<SpaceForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v: Venue = found(st, id).await?;
    let organisation = match v.data.organisation_id {
        Some(o) => organisations::find(st.db.conn(), o)
            .await?
            .map(|o| (o.id, o.data.name)),
        None => None,
    };
    let spaces = v
        .spaces
        .iter()
        .map(|s| SpaceRow {
            id: s.id,
            name: s.data.name.clone(),
            kind: s.data.kind.label(ctx.locale),
            capacity: s.data.capacity.map(|c| c.to_string()).unwrap_or_default(),
            notes: s.data.notes.clone().unwrap_or_default(),
            kinds: dir::space_kind_choices(ctx.locale, Some(s.data.kind)),
        })
        .collect();
    let kind = new_space
        .as_ref()
        .and_then(|s| SpaceKind::parse(&s.kind).ok());
    html_status(
        status,
        ShowPage {
            l: ctx.layout(v.data.name.clone()),
            commune: commune_label(v.data.commune_insee.as_deref()),
            epci: epci_label(v.data.commune_insee.as_deref()),
            access: access_labels(ctx, &v.data.access),
            organisation,
            spaces,
            new_space: new_space.unwrap_or_default(),
            new_space_kinds: dir::space_kind_choices(ctx.locale, kind),
            errors,
            history: history::<Venue>(st, ctx, id).await?,
            can_edit: ctx.can(Action::EditDirectory),
            can_manage: ctx.can(Action::ManageDirectory),
            v,
        },
    )
}

impl Shown for Venue {
    type Query = NoQuery;

    async fn page(st: &AppState, ctx: &Ctx, id: i64, _: NoQuery) -> Result<Response, AppError> {
        page(st, ctx, id, None, FormErrors::new(), StatusCode::OK).await
    }
}
