//! The partner space's part of the directory: a partner organisation's
//! contacts see and edit their own organisation's profile and people, and
//! nothing of other organisations.

use super::organisations::FormValues as OrgValues;
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{FormErrors, Pairs};
use crate::shared::{html, html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::organisations::{self, Organisation};
use maillage_db::people::{self, PersonData};
use maillage_domain::directory::PersonRole;

/// The organisation of the signed-in partner (admins have none here).
async fn own_organisation(st: &AppState, ctx: &Ctx) -> Result<Organisation, AppError> {
    let user = ctx.user()?;
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::Forbidden)
}

#[derive(Template)]
#[template(path = "directory/organisations/form.html")]
struct OrgForm {
    l: Layout,
    action: String,
    cancel: String,
    f: OrgValues,
    kinds: Vec<crate::forms::Choice>,
    themes: Vec<crate::forms::Choice>,
    errors: FormErrors,
    duplicates: Vec<super::organisations::Candidate>,
}

pub async fn organisation_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    html(OrgForm {
        l: ctx.layout(o.data.name.clone()),
        action: "/partner/organisation".into(),
        cancel: "/partner".into(),
        f: OrgValues::from_data(&o.data),
        kinds: super::common::kind_choices(ctx.locale, Some(o.kind)),
        themes: super::common::theme_choices(ctx.locale, &o.data.themes),
        errors: FormErrors::new(),
        duplicates: Vec::new(),
    })
}

pub async fn save_organisation(
    State(st): State<AppState>,
    ctx: Ctx,
    p: Pairs,
) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    match super::organisations::parse(&p) {
        Ok(data) => {
            super::organisations::save(&st, &ctx, &o, &data).await?;
            Ok(redirect_flash(&st, "/partner", Flash::Saved))
        }
        Err(e) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            OrgForm {
                l: ctx.layout(o.data.name.clone()),
                action: "/partner/organisation".into(),
                cancel: "/partner".into(),
                f: OrgValues::from_pairs(&p),
                kinds: super::common::kind_choices(
                    ctx.locale,
                    maillage_domain::directory::OrgKind::parse(p.get("kind")).ok(),
                ),
                themes: super::common::theme_choices(
                    ctx.locale,
                    &p.all("themes")
                        .into_iter()
                        .filter_map(|t| maillage_domain::directory::Theme::parse(t).ok())
                        .collect::<Vec<_>>(),
                ),
                errors: FormErrors::from_fields(ctx.m, &e),
                duplicates: Vec::new(),
            },
        ),
    }
}

/// A person the partner may edit: a member of their organisation.
async fn own_person(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(Organisation, people::Person), AppError> {
    let o = own_organisation(st, ctx).await?;
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.erased_at.is_some() || !p.memberships.iter().any(|m| m.organisation_id == o.id) {
        // Someone else's contact: not found, so as not to reveal it exists.
        return Err(AppError::NotFound);
    }
    Ok((o, p))
}

pub async fn new_person_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    own_organisation(&st, &ctx).await?;
    let s = super::people::FormState::from_pairs(
        "/partner/people".into(),
        "/partner".into(),
        &Pairs::default(),
        false,
    );
    super::people::form_page(
        &ctx,
        ctx.m.person_new,
        s,
        FormErrors::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

fn partner_data(
    p: &Pairs,
    roles: Vec<PersonRole>,
) -> Result<PersonData, maillage_domain::FieldErrors> {
    // Partners do not choose roles: the team does; a new contact is a partner contact.
    let mut data = super::people::parse(&Pairs(
        p.0.iter().filter(|(k, _)| k != "roles").cloned().collect(),
    ))?;
    data.roles = roles;
    Ok(data)
}

pub async fn create_person(
    State(st): State<AppState>,
    ctx: Ctx,
    p: Pairs,
) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    let data = match partner_data(&p, vec![PersonRole::PartnerContact]) {
        Ok(d) => d,
        Err(e) => {
            let s = super::people::FormState::from_pairs(
                "/partner/people".into(),
                "/partner".into(),
                &p,
                false,
            );
            return super::people::form_page(
                &ctx,
                ctx.m.person_new,
                s,
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let person = people::insert(&tx, &data, now).await?;
    people::add_membership(&tx, person.id, o.id, None, now).await?;
    super::people::record(
        &tx,
        &ctx,
        "create",
        &person,
        super::people::snapshot(&data),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/partner", Flash::Saved))
}

pub async fn person_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, p) = own_person(&st, &ctx, id).await?;
    let s = super::people::FormState::from_data(
        format!("/partner/people/{id}"),
        "/partner".into(),
        &p.data,
        false,
    );
    super::people::form_page(
        &ctx,
        &p.name(),
        s,
        FormErrors::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn save_person(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let (_, before) = own_person(&st, &ctx, id).await?;
    let data = match partner_data(&p, before.data.roles.clone()) {
        Ok(d) => d,
        Err(e) => {
            let s = super::people::FormState::from_pairs(
                format!("/partner/people/{id}"),
                "/partner".into(),
                &p,
                false,
            );
            return super::people::form_page(
                &ctx,
                &before.name(),
                s,
                FormErrors::from_fields(ctx.m, &e),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    super::people::save(&st, &ctx, &before, &data).await?;
    Ok(redirect_flash(&st, "/partner", Flash::Saved))
}
