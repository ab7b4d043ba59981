//! Venues and their spaces in the team space.

use super::common as dir;
use super::organisations::{Candidate, HistoryRow, history};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::shared::places::{commune_label, epci_label};
use crate::shared::{Pager, html, html_status, page_number, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit::{self, Change};
use maillage_db::venues::{self, Access, Filter, SpaceData, Venue, VenueData};
use maillage_db::{PageRequest, organisations};
use maillage_directory::validate::{self, SpaceInput, VenueInput};
use maillage_domain::directory::SpaceKind;
use maillage_domain::{Action, FieldError, FieldErrors};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn snapshot(d: &VenueData) -> Value {
    json!({
        "name": d.name, "organisation_id": d.organisation_id, "address": d.address, "postcode": d.postcode,
        "commune_insee": d.commune_insee, "lat": d.lat, "lon": d.lon,
        "public_transport": d.public_transport, "parking": d.parking,
        "wheelchair": d.access.wheelchair, "hearing_loop": d.access.hearing_loop,
        "visual": d.access.visual, "cognitive": d.access.cognitive,
        "accessibility_notes": d.accessibility_notes, "description": d.description,
    })
}

fn space_snapshot(d: &SpaceData) -> Value {
    json!({"name": d.name, "kind": d.kind.code(), "capacity": d.capacity, "notes": d.notes})
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    commune: String,
    epci: String,
    wheelchair: String,
    page: Option<String>,
}

impl ListQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("commune", self.commune.clone()),
            ("epci", self.epci.clone()),
            ("wheelchair", self.wheelchair.clone()),
        ]
    }

    fn filter(&self, ctx: &Ctx) -> Result<Filter, String> {
        Ok(Filter {
            query: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            communes: crate::shared::places::commune_filter(ctx.m, &self.commune, &self.epci)?,
            organisation_id: None,
            wheelchair: !self.wheelchair.is_empty(),
        })
    }
}

struct Row {
    id: i64,
    name: String,
    commune: String,
    spaces: String,
    access: String,
}

fn access_labels(ctx: &Ctx, a: &Access) -> Vec<&'static str> {
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

#[derive(Template)]
#[template(path = "directory/venues/list.html")]
struct ListPage {
    l: Layout,
    q: String,
    commune: String,
    wheelchair: bool,
    epcis: Vec<Choice>,
    commune_error: Option<String>,
    rows: Vec<Row>,
    pager: Pager,
    export_query: String,
    can_edit: bool,
    can_manage: bool,
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, commune_error) = match q.filter(&ctx) {
        Ok(f) => (f, None),
        Err(e) => (
            Filter {
                communes: Some(Vec::new()),
                ..Default::default()
            },
            Some(e),
        ),
    };
    let page = venues::list(
        st.db.conn(),
        &filter,
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let pager = Pager::new(&page, "/team/venues", &q.params());
    let export_query = crate::shared::query_string(&q.params());
    let rows = page
        .items
        .iter()
        .map(|v| Row {
            id: v.id,
            name: v.data.name.clone(),
            commune: commune_label(v.data.commune_insee.as_deref()),
            spaces: v
                .spaces
                .iter()
                .map(|s| s.data.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            access: access_labels(&ctx, &v.data.access).join(", "),
        })
        .collect();
    html(ListPage {
        l: ctx.layout(ctx.m.venue_title),
        epcis: crate::shared::places::epci_choices(&[], &q.epci),
        wheelchair: !q.wheelchair.is_empty(),
        q: q.q,
        commune: q.commune,
        commune_error,
        rows,
        pager,
        export_query,
        can_edit: ctx.can(Action::EditDirectory),
        can_manage: ctx.can(Action::ManageDirectory),
    })
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
    new_space: SpaceValues,
    new_space_kinds: Vec<Choice>,
    errors: FormErrors,
    history: Vec<HistoryRow>,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Default)]
struct SpaceValues {
    name: String,
    capacity: String,
    notes: String,
}

async fn show_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    new_space: Option<&Pairs>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
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
    html_status(
        status,
        ShowPage {
            l: ctx.layout(v.data.name.clone()),
            commune: commune_label(v.data.commune_insee.as_deref()),
            epci: epci_label(v.data.commune_insee.as_deref()),
            access: access_labels(ctx, &v.data.access),
            organisation,
            spaces,
            new_space: new_space.map_or_else(SpaceValues::default, |p| SpaceValues {
                name: p.get("name").into(),
                capacity: p.get("capacity").into(),
                notes: p.get("notes").into(),
            }),
            new_space_kinds: dir::space_kind_choices(
                ctx.locale,
                new_space.and_then(|p| SpaceKind::parse(p.get("kind")).ok()),
            ),
            errors,
            history: history(st, ctx, "venue", id).await?,
            can_edit: ctx.can(Action::EditDirectory),
            can_manage: ctx.can(Action::ManageDirectory),
            v,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    show_page(&st, &ctx, id, None, FormErrors::new(), StatusCode::OK).await
}

#[derive(Default)]
struct FormValues {
    name: String,
    organisation: String,
    address: String,
    postcode: String,
    commune: String,
    lat: String,
    lon: String,
    public_transport: String,
    parking: String,
    access: Access,
    accessibility_notes: String,
    description: String,
}

#[derive(Template)]
#[template(path = "directory/venues/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: FormValues,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
}

fn values_from_pairs(p: &Pairs) -> FormValues {
    FormValues {
        name: p.get("name").into(),
        organisation: p.get("organisation").into(),
        address: p.get("address").into(),
        postcode: p.get("postcode").into(),
        commune: p.get("commune").into(),
        lat: p.get("lat").into(),
        lon: p.get("lon").into(),
        public_transport: p.get("public_transport").into(),
        parking: p.get("parking").into(),
        access: access_from(p),
        accessibility_notes: p.get("accessibility_notes").into(),
        description: p.get("description").into(),
    }
}

fn access_from(p: &Pairs) -> Access {
    Access {
        wheelchair: p.checked("wheelchair"),
        hearing_loop: p.checked("hearing_loop"),
        visual: p.checked("visual"),
        cognitive: p.checked("cognitive"),
    }
}

/// Resolves the organisation typed by name (exact, accent-insensitive).
async fn organisation_field(
    st: &AppState,
    input: &str,
    errors: &mut FieldErrors,
) -> Result<Option<i64>, AppError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let found = organisations::find_by_folded_name(st.db.conn(), input).await?;
    match found.len() {
        1 => Ok(Some(found[0].0)),
        0 => {
            errors.add("organisation", FieldError::NotFound);
            Ok(None)
        }
        _ => {
            errors.add("organisation", FieldError::InvalidChoice);
            Ok(None)
        }
    }
}

async fn parse(st: &AppState, p: &Pairs) -> Result<Result<VenueData, FieldErrors>, AppError> {
    let mut org_errors = FieldErrors::new();
    let organisation_id = organisation_field(st, p.get("organisation"), &mut org_errors).await?;
    let parsed = validate::venue(
        &VenueInput {
            name: p.get("name"),
            address: p.get("address"),
            postcode: p.get("postcode"),
            commune: p.get("commune"),
            lat: p.get("lat"),
            lon: p.get("lon"),
            public_transport: p.get("public_transport"),
            parking: p.get("parking"),
            access: access_from(p),
            accessibility_notes: p.get("accessibility_notes"),
            description: p.get("description"),
        },
        organisation_id,
    );
    Ok(match parsed {
        Ok(d) if org_errors.is_empty() => Ok(d),
        Ok(_) => Err(org_errors),
        Err(mut e) => {
            for (f, err) in org_errors.iter() {
                e.add(f, err.clone());
            }
            Err(e)
        }
    })
}

fn form_page(
    ctx: &Ctx,
    title: &str,
    (action, cancel): (String, String),
    f: FormValues,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
    status: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        status,
        FormPage {
            l: ctx.layout(title.to_owned()),
            action,
            cancel,
            f,
            errors,
            duplicates,
        },
    )
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    form_page(
        &ctx,
        ctx.m.venue_new,
        ("/team/venues".into(), "/team/venues".into()),
        FormValues::default(),
        FormErrors::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, p: Pairs) -> Result<Response, AppError> {
    let data = match parse(&st, &p).await? {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &ctx,
                ctx.m.venue_new,
                ("/team/venues".into(), "/team/venues".into()),
                values_from_pairs(&p),
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    if !p.checked("confirm_duplicates") {
        let dups = venues::duplicates(st.db.conn(), &data, None).await?;
        if !dups.is_empty() {
            let c = dups
                .iter()
                .map(|v| Candidate {
                    id: v.id,
                    name: v.data.name.clone(),
                    detail: commune_label(v.data.commune_insee.as_deref()),
                })
                .collect();
            return form_page(
                &ctx,
                ctx.m.venue_new,
                ("/team/venues".into(), "/team/venues".into()),
                values_from_pairs(&p),
                FormErrors::new(),
                c,
                StatusCode::CONFLICT,
            );
        }
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let v = venues::insert(&tx, &data, now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "create",
            entity_type: "venue",
            entity_id: v.id.to_string(),
            summary: v.data.name.clone(),
            changes: snapshot(&v.data),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/venues/{}", v.id),
        Flash::Saved,
    ))
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = &v.data;
    let s = |x: &Option<String>| x.clone().unwrap_or_default();
    let organisation = match d.organisation_id {
        Some(o) => organisations::find(st.db.conn(), o)
            .await?
            .map(|o| o.data.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let f = FormValues {
        name: d.name.clone(),
        organisation,
        address: s(&d.address),
        postcode: s(&d.postcode),
        commune: d
            .commune_insee
            .as_deref()
            .and_then(maillage_geo::commune)
            .map(|c| c.name.to_owned())
            .unwrap_or_default(),
        lat: d.lat.map(|x| x.to_string()).unwrap_or_default(),
        lon: d.lon.map(|x| x.to_string()).unwrap_or_default(),
        public_transport: s(&d.public_transport),
        parking: s(&d.parking),
        access: d.access,
        accessibility_notes: s(&d.accessibility_notes),
        description: s(&d.description),
    };
    form_page(
        &ctx,
        &d.name,
        (format!("/team/venues/{id}"), format!("/team/venues/{id}")),
        f,
        FormErrors::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let before = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match parse(&st, &p).await? {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &ctx,
                &before.data.name,
                (format!("/team/venues/{id}"), format!("/team/venues/{id}")),
                values_from_pairs(&p),
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = venues::update(&tx, id, &data, now).await?;
    let changes = audit::diff(&snapshot(&before.data), &snapshot(&after.data));
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        audit::record(
            &tx,
            &ctx.actor(),
            Change {
                action: "update",
                entity_type: "venue",
                entity_id: id.to_string(),
                summary: after.data.name.clone(),
                changes,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/venues/{id}"),
        Flash::Saved,
    ))
}

pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    venues::delete(&tx, id).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "delete",
            entity_type: "venue",
            entity_id: id.to_string(),
            summary: v.data.name.clone(),
            changes: snapshot(&v.data),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/venues", Flash::Deleted))
}

fn parse_space(p: &Pairs) -> Result<SpaceData, FieldErrors> {
    validate::space(&SpaceInput {
        name: p.get("name"),
        kind: p.get("kind"),
        capacity: p.get("capacity"),
        notes: p.get("notes"),
    })
}

/// `POST /team/venues/{id}/spaces`: adds a space.
pub async fn add_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let v = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match parse_space(&p) {
        Ok(d) => d,
        Err(e) => {
            return show_page(
                &st,
                &ctx,
                id,
                Some(&p),
                FormErrors::from_fields(ctx.m, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let sid = venues::add_space(&tx, id, &data, now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "add_space",
            entity_type: "venue",
            entity_id: id.to_string(),
            summary: format!("{} — {}", v.data.name, data.name),
            changes: json!({"space_id": sid, "space": space_snapshot(&data)}),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/venues/{id}"),
        Flash::Saved,
    ))
}

/// `POST /team/spaces/{id}`: edits a space.
pub async fn update_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let s = venues::find_space(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match parse_space(&p) {
        Ok(d) => d,
        Err(e) => {
            return show_page(
                &st,
                &ctx,
                s.venue_id,
                None,
                FormErrors::from_fields(ctx.m, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    venues::update_space(&tx, id, &data, now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "update_space",
            entity_type: "venue",
            entity_id: s.venue_id.to_string(),
            summary: data.name.clone(),
            changes: audit::diff(&space_snapshot(&s.data), &space_snapshot(&data)),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/venues/{}", s.venue_id),
        Flash::Saved,
    ))
}

/// `POST /team/spaces/{id}/delete`.
pub async fn delete_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = venues::find_space(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    venues::delete_space(&tx, id).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "delete_space",
            entity_type: "venue",
            entity_id: s.venue_id.to_string(),
            summary: s.data.name.clone(),
            changes: space_snapshot(&s.data),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/venues/{}", s.venue_id),
        Flash::Deleted,
    ))
}

pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = q.filter(&ctx).map_err(|e| AppError::BadRequest(Some(e)))?;
    let list = venues::list_all_matching(st.db.conn(), &filter).await?;
    let (headers, rows) = maillage_directory::export::venues(&list, ctx.locale);
    crate::shared::download::export_table(&format, "venues", &headers, &rows)
}
