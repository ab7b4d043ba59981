//! Organisations in the team space: list with search and filters, detail
//! with members and venues, create and edit with duplicate detection,
//! delete, merge, membership management, export.

use super::common as dir;
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::shared::places::{commune_label, epci_label};
use crate::shared::{Pager, html, html_status, page_number, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit::{self, AuditFilter, Change};
use maillage_db::organisations::{self, Filter, Organisation, OrganisationData, Sort};
use maillage_db::{PageRequest, people, venues};
use maillage_directory::validate::{self, OrganisationInput};
use maillage_domain::Action;
use maillage_domain::directory::{OrgKind, Theme};
use serde::Deserialize;
use serde_json::{Value, json};

/// The record as the audit log and the JSON API see it.
pub fn snapshot(d: &OrganisationData) -> Value {
    json!({
        "name": d.name, "kind": d.kind.map(OrgKind::code), "siret": d.siret, "uai": d.uai,
        "address": d.address, "postcode": d.postcode, "commune_insee": d.commune_insee,
        "website": d.website, "email": d.email, "phone": d.phone, "description": d.description,
        "public_listing": d.public_listing,
        "themes": d.themes.iter().map(|t| t.code()).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub kind: String,
    pub commune: String,
    pub epci: String,
    pub theme: String,
    pub sort: String,
    pub page: Option<String>,
}

impl ListQuery {
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("commune", self.commune.clone()),
            ("epci", self.epci.clone()),
            ("theme", self.theme.clone()),
            ("sort", self.sort.clone()),
        ]
    }

    pub fn query_string(&self) -> String {
        crate::shared::query_string(&self.params())
    }

    /// The storage filter, or the message for a commune that cannot be found.
    pub fn filter(&self, ctx: &Ctx) -> Result<Filter, String> {
        Ok(Filter {
            query: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            kind: OrgKind::parse(&self.kind).ok(),
            communes: crate::shared::places::commune_filter(ctx.m, &self.commune, &self.epci)?,
            theme: Theme::parse(&self.theme).ok(),
            public_only: false,
            sort: match self.sort.as_str() {
                "commune" => Sort::Commune,
                "recent" => Sort::Recent,
                _ => Sort::Name,
            },
        })
    }
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub commune: String,
    pub epci: String,
    pub themes: String,
}

pub fn row(ctx: &Ctx, o: &Organisation) -> Row {
    Row {
        id: o.id,
        name: o.data.name.clone(),
        kind: o.kind.label(ctx.locale),
        commune: commune_label(o.data.commune_insee.as_deref()),
        epci: epci_label(o.data.commune_insee.as_deref()),
        themes: o
            .data
            .themes
            .iter()
            .map(|t| t.label(ctx.locale))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[derive(Template)]
#[template(path = "directory/organisations/list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    epcis: Vec<Choice>,
    sorts: Vec<Choice>,
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
    let m = ctx.m;
    let (filter, commune_error) = match q.filter(&ctx) {
        Ok(f) => (f, None),
        Err(e) => (
            Filter {
                communes: Some(Vec::new()),
                ..Filter::default()
            },
            Some(e),
        ),
    };
    let page = organisations::list(
        st.db.conn(),
        &filter,
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let pager = Pager::new(&page, "/team/organisations", &q.params());
    let rows = page.items.iter().map(|o| row(&ctx, o)).collect();
    let insees: Vec<String> = Vec::new();
    html(ListPage {
        l: ctx.layout(m.org_title),
        kinds: dir::kind_choices(ctx.locale, OrgKind::parse(&q.kind).ok()),
        themes: dir::theme_choices(
            ctx.locale,
            &Theme::parse(&q.theme).ok().into_iter().collect::<Vec<_>>(),
        ),
        epcis: crate::shared::places::epci_choices(&insees, &q.epci),
        sorts: vec![
            Choice::new("name", m.sort_name, q.sort.is_empty() || q.sort == "name"),
            Choice::new("commune", m.sort_commune, q.sort == "commune"),
            Choice::new("recent", m.sort_recent, q.sort == "recent"),
        ],
        commune_error,
        rows,
        pager,
        export_query: q.query_string(),
        can_edit: ctx.can(Action::EditDirectory),
        can_manage: ctx.can(Action::ManageDirectory),
        q,
    })
}

pub struct MemberRow {
    pub membership_id: i64,
    pub person_id: i64,
    pub name: String,
    pub function: String,
    pub roles: String,
}

pub struct VenueRow {
    pub id: i64,
    pub name: String,
    pub commune: String,
    pub spaces: usize,
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub changes: Vec<String>,
}

pub async fn history(
    st: &AppState,
    ctx: &Ctx,
    entity: &str,
    id: i64,
) -> Result<Vec<HistoryRow>, AppError> {
    Ok(audit::list(
        st.db.conn(),
        &AuditFilter {
            entity_type: Some(entity.into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        },
        PageRequest::new(1, 30),
    )
    .await?
    .items
    .into_iter()
    .map(|e| HistoryRow {
        when: time::datetime(ctx.locale, e.at),
        who: e.actor_label,
        action: e.action,
        changes: crate::shared::audit::describe_changes(&e.changes),
    })
    .collect())
}

pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "directory/organisations/show.html")]
struct ShowPage {
    l: Layout,
    o: Organisation,
    kind: &'static str,
    commune: String,
    epci: String,
    themes: Vec<&'static str>,
    members: Vec<MemberRow>,
    venues: Vec<VenueRow>,
    history: Vec<HistoryRow>,
    member_q: String,
    candidates: Vec<Candidate>,
    can_edit: bool,
    can_manage: bool,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    member_q: String,
}

async fn show_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    member_q: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = people::members_of(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|(p, function)| MemberRow {
            membership_id: p
                .memberships
                .iter()
                .find(|m| m.organisation_id == id)
                .map_or(0, |m| m.id),
            person_id: p.id,
            name: p.name(),
            function: function.unwrap_or_default(),
            roles: p
                .data
                .roles
                .iter()
                .map(|r| r.label(ctx.locale))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let venues = venues::of_organisation(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|v| VenueRow {
            id: v.id,
            name: v.data.name.clone(),
            commune: commune_label(v.data.commune_insee.as_deref()),
            spaces: v.spaces.len(),
        })
        .collect();
    let candidates = if member_q.trim().is_empty() {
        Vec::new()
    } else {
        people::list(
            st.db.conn(),
            &people::Filter {
                query: Some(member_q.clone()),
                ..Default::default()
            },
            PageRequest::new(1, 10),
        )
        .await?
        .items
        .into_iter()
        .map(|p| Candidate {
            id: p.id,
            detail: p
                .memberships
                .iter()
                .map(|m| m.organisation_name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            name: p.name(),
        })
        .collect()
    };
    html_status(
        status,
        ShowPage {
            l: ctx.layout(o.data.name.clone()),
            kind: o.kind.label(ctx.locale),
            commune: commune_label(o.data.commune_insee.as_deref()),
            epci: epci_label(o.data.commune_insee.as_deref()),
            themes: o.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
            members,
            venues,
            history: history(st, ctx, "organisation", id).await?,
            member_q,
            candidates,
            can_edit: ctx.can(Action::EditDirectory),
            can_manage: ctx.can(Action::ManageDirectory),
            error,
            o,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    show_page(&st, &ctx, id, q.member_q, None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "directory/organisations/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: FormValues,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
}

/// The values shown in the form (as typed, or from the record).
#[derive(Default)]
pub struct FormValues {
    pub name: String,
    pub siret: String,
    pub uai: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub description: String,
    pub public_listing: bool,
}

impl FormValues {
    pub fn from_pairs(p: &Pairs) -> FormValues {
        FormValues {
            name: p.get("name").into(),
            siret: p.get("siret").into(),
            uai: p.get("uai").into(),
            address: p.get("address").into(),
            postcode: p.get("postcode").into(),
            commune: p.get("commune").into(),
            website: p.get("website").into(),
            email: p.get("email").into(),
            phone: p.get("phone").into(),
            description: p.get("description").into(),
            public_listing: p.checked("public_listing"),
        }
    }

    pub fn from_data(d: &OrganisationData) -> FormValues {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        FormValues {
            name: d.name.clone(),
            siret: s(&d.siret),
            uai: s(&d.uai),
            address: s(&d.address),
            postcode: s(&d.postcode),
            commune: d
                .commune_insee
                .as_deref()
                .and_then(maillage_geo::commune)
                .map(|c| c.name.to_owned())
                .unwrap_or_default(),
            website: s(&d.website),
            email: s(&d.email),
            phone: s(&d.phone),
            description: s(&d.description),
            public_listing: d.public_listing,
        }
    }
}

/// Parses the organisation form.
pub fn parse(p: &Pairs) -> Result<OrganisationData, maillage_domain::FieldErrors> {
    validate::organisation(&OrganisationInput {
        name: p.get("name"),
        kind: p.get("kind"),
        siret: p.get("siret"),
        uai: p.get("uai"),
        address: p.get("address"),
        postcode: p.get("postcode"),
        commune: p.get("commune"),
        website: p.get("website"),
        email: p.get("email"),
        phone: p.get("phone"),
        description: p.get("description"),
        themes: p.all("themes"),
        public_listing: p.checked("public_listing"),
    })
}

fn form_page(
    ctx: &Ctx,
    title: &str,
    (action, cancel): (String, String),
    f: FormValues,
    (kind, themes): (Option<OrgKind>, &[Theme]),
    (errors, duplicates): (FormErrors, Vec<Candidate>),
    status: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        status,
        FormPage {
            l: ctx.layout(title.to_owned()),
            action,
            cancel,
            f,
            kinds: dir::kind_choices(ctx.locale, kind),
            themes: dir::theme_choices(ctx.locale, themes),
            errors,
            duplicates,
        },
    )
}

fn typed_kind_and_themes(p: &Pairs) -> (Option<OrgKind>, Vec<Theme>) {
    (
        OrgKind::parse(p.get("kind")).ok(),
        p.all("themes")
            .into_iter()
            .filter_map(|t| Theme::parse(t).ok())
            .collect(),
    )
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    form_page(
        &ctx,
        ctx.m.org_new_title,
        ("/team/organisations".into(), "/team/organisations".into()),
        FormValues::default(),
        (Some(OrgKind::Association), &[]),
        (FormErrors::new(), Vec::new()),
        StatusCode::OK,
    )
}

pub fn candidates(ctx: &Ctx, list: &[Organisation]) -> Vec<Candidate> {
    list.iter()
        .map(|o| Candidate {
            id: o.id,
            name: o.data.name.clone(),
            detail: [
                o.kind.label(ctx.locale).to_owned(),
                commune_label(o.data.commune_insee.as_deref()),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        })
        .collect()
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, p: Pairs) -> Result<Response, AppError> {
    let (kind, themes) = typed_kind_and_themes(&p);
    let data = match parse(&p) {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &ctx,
                ctx.m.org_new_title,
                ("/team/organisations".into(), "/team/organisations".into()),
                FormValues::from_pairs(&p),
                (kind, &themes),
                (FormErrors::from_fields(ctx.m, &e), Vec::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    if !p.checked("confirm_duplicates") {
        let dups = organisations::duplicates(st.db.conn(), &data, None).await?;
        if !dups.is_empty() {
            return form_page(
                &ctx,
                ctx.m.org_new_title,
                ("/team/organisations".into(), "/team/organisations".into()),
                FormValues::from_pairs(&p),
                (kind, &themes),
                (FormErrors::new(), candidates(&ctx, &dups)),
                StatusCode::CONFLICT,
            );
        }
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let o = organisations::insert(&tx, &data, now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "create",
            entity_type: "organisation",
            entity_id: o.id.to_string(),
            summary: o.data.name.clone(),
            changes: snapshot(&o.data),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/organisations/{}", o.id),
        Flash::Saved,
    ))
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    form_page(
        &ctx,
        &o.data.name,
        (
            format!("/team/organisations/{id}"),
            format!("/team/organisations/{id}"),
        ),
        FormValues::from_data(&o.data),
        (Some(o.kind), &o.data.themes),
        (FormErrors::new(), Vec::new()),
        StatusCode::OK,
    )
}

pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let before = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match parse(&p) {
        Ok(d) => d,
        Err(e) => {
            let (kind, themes) = typed_kind_and_themes(&p);
            return form_page(
                &ctx,
                &before.data.name,
                (
                    format!("/team/organisations/{id}"),
                    format!("/team/organisations/{id}"),
                ),
                FormValues::from_pairs(&p),
                (kind, &themes),
                (FormErrors::from_fields(ctx.m, &e), Vec::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    save(&st, &ctx, &before, &data).await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/organisations/{id}"),
        Flash::Saved,
    ))
}

/// Saves changes to an organisation with their audit entry.
pub async fn save(
    st: &AppState,
    ctx: &Ctx,
    before: &Organisation,
    data: &OrganisationData,
) -> Result<Organisation, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = organisations::update(&tx, before.id, data, now).await?;
    let changes = audit::diff(&snapshot(&before.data), &snapshot(&after.data));
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        audit::record(
            &tx,
            &ctx.actor(),
            Change {
                action: "update",
                entity_type: "organisation",
                entity_id: before.id.to_string(),
                summary: after.data.name.clone(),
                changes,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    match organisations::delete(&tx, id).await {
        Ok(_) => {}
        Err(e) if maillage_db::foreign_key_violation(&e) => {
            drop(tx);
            return show_page(
                &st,
                &ctx,
                id,
                String::new(),
                Some(ctx.m.org_delete_blocked.into()),
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "delete",
            entity_type: "organisation",
            entity_id: id.to_string(),
            summary: o.data.name.clone(),
            changes: snapshot(&o.data),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/organisations", Flash::Deleted))
}

#[derive(Template)]
#[template(path = "directory/organisations/merge.html")]
struct MergePage {
    l: Layout,
    o: Organisation,
    commune: String,
    q: String,
    candidates: Vec<Candidate>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeQuery {
    q: String,
}

pub async fn merge_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<MergeQuery>,
) -> Result<Response, AppError> {
    merge_page(&st, &ctx, id, q.q, None, StatusCode::OK).await
}

async fn merge_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    q: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Without a search, propose the likely duplicates.
    let list = if q.trim().is_empty() {
        organisations::duplicates(st.db.conn(), &o.data, Some(id)).await?
    } else {
        organisations::list(
            st.db.conn(),
            &Filter {
                query: Some(q.clone()),
                ..Default::default()
            },
            PageRequest::new(1, 20),
        )
        .await?
        .items
        .into_iter()
        .filter(|x| x.id != id)
        .collect()
    };
    html_status(
        status,
        MergePage {
            l: ctx.layout(ctx.m.merge_title),
            commune: commune_label(o.data.commune_insee.as_deref()),
            candidates: candidates(ctx, &list),
            o,
            q,
            error,
        },
    )
}

/// `POST /team/organisations/{id}/merge` with `other`: `other` is merged
/// into `id` (the record kept).
pub async fn merge(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let Ok(other) = p.get("other").parse::<i64>() else {
        return merge_page(
            &st,
            &ctx,
            id,
            String::new(),
            Some(ctx.m.merge_choose.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let kept = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let removed = organisations::find(st.db.conn(), other)
        .await?
        .ok_or(AppError::NotFound)?;
    if other == id {
        return merge_page(
            &st,
            &ctx,
            id,
            String::new(),
            Some(ctx.m.merge_choose.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let merged = organisations::merge(&tx, id, other, now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "merge",
            entity_type: "organisation",
            entity_id: id.to_string(),
            summary: format!("{} ← {}", kept.data.name, removed.data.name),
            changes: json!({"merged": {"id": other, "record": snapshot(&removed.data)}, "result": snapshot(&merged.data)}),
        },
        now,
    )
    .await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "merged_into",
            entity_type: "organisation",
            entity_id: other.to_string(),
            summary: format!("→ #{id} {}", kept.data.name),
            changes: json!({"kept": id}),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/organisations/{id}"),
        Flash::Merged,
    ))
}

/// `POST /team/organisations/{id}/members` with `person` and `function`.
pub async fn add_member(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let person_id: i64 = p
        .get("person")
        .parse()
        .map_err(|_| AppError::BadRequest(None))?;
    people::find(st.db.conn(), person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let function = match p.get("function").trim() {
        "" => None,
        f => Some(
            maillage_domain::field::single_line(f, 1, 120)
                .map_err(|_| AppError::BadRequest(Some(ctx.m.member_function_invalid.into())))?,
        ),
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    people::add_membership(&tx, person_id, id, function.as_deref(), now).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "add_member",
            entity_type: "organisation",
            entity_id: id.to_string(),
            summary: o.data.name.clone(),
            changes: json!({"person_id": person_id, "function": function}),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let back = p.get("back");
    let to = crate::ctx::safe_next(back).unwrap_or("/team/organisations");
    Ok(redirect_flash(&st, to, Flash::Saved))
}

/// `POST /team/memberships/{id}/delete`.
pub async fn remove_member(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let m = people::find_membership(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    people::remove_membership(&tx, id).await?;
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "remove_member",
            entity_type: "organisation",
            entity_id: m.organisation_id.to_string(),
            summary: format!("person #{}", m.person_id),
            changes: json!({"person_id": m.person_id, "function": m.function}),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let to = crate::ctx::safe_next(p.get("back")).unwrap_or("/team/organisations");
    Ok(redirect_flash(&st, to, Flash::Saved))
}

/// `GET /team/organisations/export/csv` and `/xlsx`, with the list's filters.
pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = q.filter(&ctx).map_err(|e| AppError::BadRequest(Some(e)))?;
    let list = organisations::list_all_matching(st.db.conn(), &filter).await?;
    let (headers, rows) = maillage_directory::export::organisations(&list, ctx.locale);
    crate::shared::download::export_table(&format, "organisations", &headers, &rows)
}
