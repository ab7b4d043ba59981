//! The partner space's part of the directory: a partner organisation's
//! contacts see and edit their own organisation's profile and people, and
//! nothing of other organisations. Same forms and same audited writes as
//! the team's.

use super::organisations::form::{FormPage as OrgPage, OrganisationForm};
use super::people::form::{FormPage as PersonPage, PersonForm};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::shared::records::{self, Audited, Record, Typed, created, saved, write};
use crate::shared::{html, html_status};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::organisations::{self, Organisation};
use maillage_db::people::{self, Person, PersonData};
use maillage_domain::directory::PersonRole;

/// The organisation of the signed-in partner (admins have none here).
async fn own_organisation(st: &AppState, ctx: &Ctx) -> Result<Organisation, AppError> {
    let user = ctx.user()?;
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    organisations::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::Forbidden)
}

fn organisation_page(
    ctx: &Ctx,
    o: &Organisation,
    f: OrganisationForm,
    errors: FormErrors,
) -> OrgPage {
    let hrefs = ("/partner/organisation".into(), "/partner".into());
    OrgPage::new(ctx, o.data.name.clone(), hrefs, f, (errors, Vec::new()))
}

pub async fn organisation_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    let f = OrganisationForm::from_data(&o.data);
    html(organisation_page(&ctx, &o, f, FormErrors::new()))
}

pub async fn save_organisation(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<OrganisationForm>,
) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    match f.parse(ctx.m) {
        Ok(data) => {
            records::save(&st, &ctx, &o, &data).await?;
            Ok(saved(&st, "/partner"))
        }
        Err(e) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            organisation_page(&ctx, &o, f, e),
        ),
    }
}

/// A contact of the partner's organisation, and whether it is theirs alone
/// to edit: a contact shared with another organisation (a researcher of
/// two laboratories) is read-only to each, the team edits it.
async fn own_person(st: &AppState, ctx: &Ctx, id: i64) -> Result<(Person, bool), AppError> {
    let o = own_organisation(st, ctx).await?;
    let p = people::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.erased_at.is_some() || !p.memberships.iter().any(|m| m.organisation_id == o.id) {
        // Someone else's contact: not found, so as not to reveal it exists.
        return Err(AppError::NotFound);
    }
    let alone = p.memberships.iter().all(|m| m.organisation_id == o.id);
    Ok((p, alone))
}

fn person_page(
    ctx: &Ctx,
    title: String,
    action: String,
    f: PersonForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = PersonPage::new(
        ctx,
        title,
        (action, "/partner".into()),
        (f, false),
        (errors, Vec::new()),
    );
    html_status(status, page)
}

/// The person typed by a partner: what the partner's form does not show
/// (roles, gender, internal notes) is not theirs to set, and stays as
/// `kept` has it, whatever the request sends.
fn partner_data(
    ctx: &Ctx,
    f: &mut PersonForm,
    kept: &PersonData,
) -> Result<PersonData, FormErrors> {
    f.roles.clear();
    f.gender.clear();
    f.notes.clear();
    let mut data = f.parse(ctx.m)?;
    data.roles.clone_from(&kept.roles);
    data.gender = kept.gender;
    data.notes.clone_from(&kept.notes);
    Ok(data)
}

pub async fn new_person_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    own_organisation(&st, &ctx).await?;
    let title = ctx.m.person_new.to_owned();
    let action = "/partner/people".to_owned();
    person_page(
        &ctx,
        title,
        action,
        PersonForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
}

/// `POST /partner/people`: a new contact, a member of the partner's
/// organisation.
pub async fn create_person(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(mut f): Typed<PersonForm>,
) -> Result<Response, AppError> {
    let o = own_organisation(&st, &ctx).await?;
    let kept = PersonData {
        roles: vec![PersonRole::PartnerContact],
        ..PersonData::default()
    };
    let data = match partner_data(&ctx, &mut f, &kept) {
        Ok(d) => d,
        Err(e) => {
            let title = ctx.m.person_new.to_owned();
            let action = "/partner/people".to_owned();
            return person_page(&ctx, title, action, f, e, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    write(&st, &ctx, async |tx, now| {
        let person = people::insert(tx, &data, now).await?;
        people::add_membership(tx, person.id, o.id, None, now).await?;
        let entry = created(&person);
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(&st, "/partner"))
}

/// A contact shared with another organisation, as its partners see it.
#[derive(askama::Template)]
#[template(path = "directory/partner/shared_person.html")]
struct SharedPersonPage {
    l: crate::ctx::Layout,
    email: String,
    phone: String,
}

pub async fn person_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (p, alone) = own_person(&st, &ctx, id).await?;
    if !alone {
        return html(SharedPersonPage {
            l: ctx.layout(p.summary()),
            email: p.data.email.clone().unwrap_or_default(),
            phone: p.data.phone.clone().unwrap_or_default(),
        });
    }
    let mut f = PersonForm::from_data(&p.data);
    // Internal to the team: not sent to the partner's page at all.
    f.gender.clear();
    f.notes.clear();
    let action = format!("/partner/people/{id}");
    person_page(
        &ctx,
        p.summary(),
        action,
        f,
        FormErrors::new(),
        StatusCode::OK,
    )
}

pub async fn save_person(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(mut f): Typed<PersonForm>,
) -> Result<Response, AppError> {
    let (before, alone) = own_person(&st, &ctx, id).await?;
    if !alone {
        return Err(AppError::Forbidden);
    }
    match partner_data(&ctx, &mut f, &before.data) {
        Ok(data) => {
            records::save(&st, &ctx, &before, &data).await?;
            Ok(saved(&st, "/partner"))
        }
        Err(e) => {
            let action = format!("/partner/people/{id}");
            person_page(
                &ctx,
                before.summary(),
                action,
                f,
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
