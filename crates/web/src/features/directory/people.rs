//! People in the team space: list, detail with memberships, create and edit
//! with duplicate detection, merge, data export (JSON) and erasure.

use super::common as dir;
use super::organisations::{Candidate, HistoryRow, history};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::shared::{Pager, html, html_status, page_number, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit::{self, Change};
use maillage_db::people::{self, Filter, Person, PersonData};
use maillage_db::{PageRequest, organisations};
use maillage_directory::validate::{self, PersonInput};
use maillage_domain::Action;
use maillage_domain::directory::{Gender, PersonRole};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn snapshot(d: &PersonData) -> Value {
    json!({
        "first_name": d.first_name, "last_name": d.last_name, "email": d.email, "phone": d.phone,
        "gender": d.gender.map(Gender::code), "notes": d.notes,
        "roles": d.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    role: String,
    organisation: String,
    page: Option<String>,
}

impl ListQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("role", self.role.clone()),
            ("organisation", self.organisation.clone()),
        ]
    }

    fn filter(&self) -> Filter {
        Filter {
            query: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            role: PersonRole::parse(&self.role).ok(),
            organisation_id: self.organisation.parse().ok(),
            include_erased: false,
        }
    }
}

struct Row {
    id: i64,
    name: String,
    email: String,
    organisations: String,
    roles: String,
}

#[derive(Template)]
#[template(path = "directory/people/list.html")]
struct ListPage {
    l: Layout,
    q: String,
    roles: Vec<Choice>,
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
    let page = people::list(
        st.db.conn(),
        &q.filter(),
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let pager = Pager::new(&page, "/team/people", &q.params());
    let rows = page
        .items
        .iter()
        .map(|p| Row {
            id: p.id,
            name: p.name(),
            email: p.data.email.clone().unwrap_or_default(),
            organisations: p
                .memberships
                .iter()
                .map(|m| m.organisation_name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            roles: p
                .data
                .roles
                .iter()
                .map(|r| r.label(ctx.locale))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let export_query = crate::shared::query_string(&q.params());
    html(ListPage {
        l: ctx.layout(ctx.m.person_title),
        roles: dir::role_choices(
            ctx.locale,
            &PersonRole::parse(&q.role)
                .ok()
                .into_iter()
                .collect::<Vec<_>>(),
        ),
        q: q.q,
        rows,
        pager,
        export_query,
        can_edit: ctx.can(Action::EditDirectory),
        can_manage: ctx.can(Action::ManageDirectory),
    })
}

#[derive(Template)]
#[template(path = "directory/people/show.html")]
struct ShowPage {
    l: Layout,
    p: Person,
    gender: &'static str,
    roles: Vec<&'static str>,
    history: Vec<HistoryRow>,
    org_q: String,
    candidates: Vec<Candidate>,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    org_q: String,
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let candidates = if q.org_q.trim().is_empty() {
        Vec::new()
    } else {
        let list = organisations::list(
            st.db.conn(),
            &organisations::Filter {
                query: Some(q.org_q.clone()),
                ..Default::default()
            },
            PageRequest::new(1, 10),
        )
        .await?
        .items;
        super::organisations::candidates(&ctx, &list)
    };
    html(ShowPage {
        l: ctx.layout(p.name()),
        gender: p.data.gender.map_or("", |g| g.label(ctx.locale)),
        roles: p.data.roles.iter().map(|r| r.label(ctx.locale)).collect(),
        history: history(&st, &ctx, "person", id).await?,
        org_q: q.org_q,
        candidates,
        can_edit: ctx.can(Action::EditDirectory),
        can_manage: ctx.can(Action::ManageDirectory),
        p,
    })
}

#[derive(Default)]
pub struct FormValues {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "directory/people/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: FormValues,
    genders: Vec<Choice>,
    no_gender: bool,
    roles: Vec<Choice>,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
    /// Set when a partner edits: roles are not theirs to choose.
    show_roles: bool,
}

pub fn parse(p: &Pairs) -> Result<PersonData, maillage_domain::FieldErrors> {
    validate::person(&PersonInput {
        first_name: p.get("first_name"),
        last_name: p.get("last_name"),
        email: p.get("email"),
        phone: p.get("phone"),
        gender: p.get("gender"),
        notes: p.get("notes"),
        roles: p.all("roles"),
    })
}

pub struct FormState {
    pub action: String,
    pub cancel: String,
    pub values: FormValues,
    pub gender: Option<Gender>,
    pub roles: Vec<PersonRole>,
    pub show_roles: bool,
}

impl FormState {
    pub fn from_pairs(action: String, cancel: String, p: &Pairs, show_roles: bool) -> FormState {
        FormState {
            action,
            cancel,
            values: FormValues {
                first_name: p.get("first_name").into(),
                last_name: p.get("last_name").into(),
                email: p.get("email").into(),
                phone: p.get("phone").into(),
                notes: p.get("notes").into(),
            },
            gender: Gender::parse(p.get("gender")).ok(),
            roles: p
                .all("roles")
                .into_iter()
                .filter_map(|r| PersonRole::parse(r).ok())
                .collect(),
            show_roles,
        }
    }

    pub fn from_data(
        action: String,
        cancel: String,
        d: &PersonData,
        show_roles: bool,
    ) -> FormState {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        FormState {
            action,
            cancel,
            values: FormValues {
                first_name: s(&d.first_name),
                last_name: d.last_name.clone(),
                email: s(&d.email),
                phone: s(&d.phone),
                notes: s(&d.notes),
            },
            gender: d.gender,
            roles: d.roles.clone(),
            show_roles,
        }
    }
}

pub fn form_page(
    ctx: &Ctx,
    title: &str,
    s: FormState,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
    status: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        status,
        FormPage {
            l: ctx.layout(title.to_owned()),
            action: s.action,
            cancel: s.cancel,
            f: s.values,
            genders: dir::gender_choices(ctx.locale, s.gender),
            no_gender: s.gender.is_none(),
            roles: dir::role_choices(ctx.locale, &s.roles),
            errors,
            duplicates,
            show_roles: s.show_roles,
        },
    )
}

pub fn candidates(list: &[Person]) -> Vec<Candidate> {
    list.iter()
        .map(|p| Candidate {
            id: p.id,
            name: p.name(),
            detail: [p.data.email.clone().unwrap_or_default()]
                .into_iter()
                .chain(p.memberships.iter().map(|m| m.organisation_name.clone()))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    let s = FormState::from_pairs(
        "/team/people".into(),
        "/team/people".into(),
        &Pairs::default(),
        true,
    );
    form_page(
        &ctx,
        ctx.m.person_new,
        s,
        FormErrors::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, p: Pairs) -> Result<Response, AppError> {
    let state = || FormState::from_pairs("/team/people".into(), "/team/people".into(), &p, true);
    let data = match parse(&p) {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &ctx,
                ctx.m.person_new,
                state(),
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    if !p.checked("confirm_duplicates") {
        let dups = people::duplicates(st.db.conn(), &data, None).await?;
        if !dups.is_empty() {
            return form_page(
                &ctx,
                ctx.m.person_new,
                state(),
                FormErrors::new(),
                candidates(&dups),
                StatusCode::CONFLICT,
            );
        }
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let person = people::insert(&tx, &data, now).await?;
    record(&tx, &ctx, "create", &person, snapshot(&person.data), now).await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/people/{}", person.id),
        Flash::Saved,
    ))
}

pub async fn record(
    c: &impl maillage_db::ConnectionTrait,
    ctx: &Ctx,
    action: &str,
    p: &Person,
    changes: Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    audit::record(
        c,
        &ctx.actor(),
        Change {
            action,
            entity_type: "person",
            entity_id: p.id.to_string(),
            summary: p.name(),
            changes,
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.erased_at.is_some() {
        return Err(AppError::NotFound);
    }
    let s = FormState::from_data(
        format!("/team/people/{id}"),
        format!("/team/people/{id}"),
        &p.data,
        true,
    );
    form_page(
        &ctx,
        &p.name(),
        s,
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
    let before = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.erased_at.is_some() {
        return Err(AppError::NotFound);
    }
    let data = match parse(&p) {
        Ok(d) => d,
        Err(e) => {
            let s = FormState::from_pairs(
                format!("/team/people/{id}"),
                format!("/team/people/{id}"),
                &p,
                true,
            );
            return form_page(
                &ctx,
                &before.name(),
                s,
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    save(&st, &ctx, &before, &data).await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/people/{id}"),
        Flash::Saved,
    ))
}

pub async fn save(
    st: &AppState,
    ctx: &Ctx,
    before: &Person,
    data: &PersonData,
) -> Result<Person, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = people::update(&tx, before.id, data, now).await?;
    let changes = audit::diff(&snapshot(&before.data), &snapshot(&after.data));
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        record(&tx, ctx, "update", &after, changes, now).await?;
    }
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    people::delete(&tx, id).await?;
    record(&tx, &ctx, "delete", &p, snapshot(&p.data), now).await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/people", Flash::Deleted))
}

/// `GET /team/people/{id}/export.json`: everything held about the person.
pub async fn export_person(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let data = people::export(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let tx = st.db.write().await?;
    record(&tx, &ctx, "export_data", &p, json!({}), now).await?;
    tx.commit().await?;
    let body = serde_json::to_vec_pretty(&data).map_err(AppError::internal)?;
    Ok(crate::shared::download::download(
        body,
        "application/json",
        &format!("person-{id}.json"),
    ))
}

/// `POST /team/people/{id}/erase`: anonymises, keeping statistics.
pub async fn erase(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if people::erase(&tx, id, now).await? {
        audit::redact(&tx, "person", &id.to_string()).await?;
        audit::record(
            &tx,
            &ctx.actor(),
            Change {
                action: "erase",
                entity_type: "person",
                entity_id: id.to_string(),
                summary: format!("#{id}"),
                changes: json!({"erased": true}),
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/people/{id}"),
        Flash::Erased,
    ))
}

/// `POST /team/people/{id}/memberships` with `organisation` and `function`.
pub async fn add_membership(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mut p: Pairs,
) -> Result<Response, AppError> {
    let organisation: i64 = p
        .get("organisation")
        .parse()
        .map_err(|_| AppError::BadRequest(None))?;
    p.0.push(("person".into(), id.to_string()));
    p.0.push(("back".into(), format!("/team/people/{id}")));
    super::organisations::add_member(State(st), ctx, Path(organisation), p).await
}

#[derive(Template)]
#[template(path = "directory/people/merge.html")]
struct MergePage {
    l: Layout,
    p: Person,
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
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = if q.trim().is_empty() {
        people::duplicates(st.db.conn(), &p.data, Some(id)).await?
    } else {
        people::list(
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
            candidates: candidates(&list),
            p,
            q,
            error,
        },
    )
}

pub async fn merge(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let other = match p.get("other").parse::<i64>() {
        Ok(o) if o != id => o,
        _ => {
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
    };
    people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let removed = people::find(st.db.conn(), other)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let merged = people::merge(&tx, id, other, now).await?;
    record(
        &tx,
        &ctx,
        "merge",
        &merged,
        json!({"merged": {"id": other, "record": snapshot(&removed.data)}, "result": snapshot(&merged.data)}),
        now,
    )
    .await?;
    record(&tx, &ctx, "merged_into", &removed, json!({"kept": id}), now).await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/people/{id}"),
        Flash::Merged,
    ))
}

pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let list = people::list_all_matching(st.db.conn(), &q.filter()).await?;
    let (headers, rows) = maillage_directory::export::people(&list, ctx.locale);
    crate::shared::download::export_table(&format, "people", &headers, &rows)
}
