//! Administration of users: list, invite, change role or organisation,
//! disable and enable, resend an invitation.

use crate::ctx::{Ctx, Flash, Layout, role_label};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors};
use crate::mail;
use crate::shared::audit::record;
use crate::shared::{Pager, html, html_status, page_number, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit::{self, AuditFilter, Change};
use maillage_db::password_tokens::{self, Purpose};
use maillage_db::users::{self, Changes, NewUser, User, UserFilter};
use maillage_db::{PageRequest, organisations, outbox, sessions, unique_violation};
use maillage_domain::{Email, FieldError, FieldErrors, Locale, PersonName, Role};
use serde::Deserialize;
use serde_json::json;

fn role_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: role_label(ctx.m, *r).to_owned(),
            selected: r.as_str() == selected,
        })
        .collect()
}

async fn organisation_choices(st: &AppState, selected: &str) -> Result<Vec<Choice>, AppError> {
    Ok(organisations::list_all(st.db.conn())
        .await?
        .into_iter()
        .map(|(id, name)| Choice {
            selected: id.to_string() == selected,
            value: id.to_string(),
            label: name,
        })
        .collect())
}

fn locale_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str().to_owned(),
            label: match l {
                Locale::Fr => ctx.m.language_fr.to_owned(),
                Locale::En => ctx.m.language_en.to_owned(),
            },
            selected: l.as_str() == selected,
        })
        .collect()
}

struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    status: &'static str,
    last_login: String,
}

#[derive(Template)]
#[template(path = "admin/users/list.html")]
struct UsersPage {
    l: Layout,
    q: String,
    roles: Vec<Choice>,
    include_disabled: bool,
    rows: Vec<UserRow>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    role: String,
    disabled: String,
    page: Option<String>,
}

fn status_label(ctx: &Ctx, u: &User) -> &'static str {
    if !u.is_active() {
        ctx.m.users_status_disabled
    } else if !u.has_password {
        ctx.m.users_status_invited
    } else {
        ctx.m.users_status_active
    }
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let role = Role::parse(&q.role).ok();
    let include_disabled = q.disabled == "1";
    let filter = UserFilter {
        query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        role,
        include_disabled,
    };
    let page = users::list(
        st.db.conn(),
        &filter,
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let params = [
        ("q", q.q.clone()),
        (
            "role",
            role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "disabled",
            if include_disabled {
                "1".into()
            } else {
                String::new()
            },
        ),
    ];
    let pager = Pager::new(&page, "/team/admin/users", &params);
    let rows = page
        .items
        .iter()
        .map(|u| UserRow {
            id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            role: role_label(ctx.m, u.role),
            status: status_label(&ctx, u),
            last_login: u
                .last_login_at
                .map_or_else(String::new, |t| time::datetime(ctx.locale, t)),
        })
        .collect();
    html(UsersPage {
        l: ctx.layout(ctx.m.users_title),
        q: q.q,
        roles: role_choices(&ctx, role.map_or("", Role::as_str)),
        include_disabled,
        rows,
        pager,
    })
}

#[derive(Template)]
#[template(path = "admin/users/new.html")]
struct NewUserPage {
    l: Layout,
    email: String,
    name: String,
    roles: Vec<Choice>,
    organisations: Vec<Choice>,
    locales: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    name: String,
    role: String,
    organisation: String,
    locale: String,
}

async fn new_page(
    st: &AppState,
    ctx: &Ctx,
    f: &InviteForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        status,
        NewUserPage {
            l: ctx.layout(ctx.m.users_new_title),
            email: f.email.clone(),
            name: f.name.clone(),
            roles: role_choices(ctx, if f.role.is_empty() { "staff" } else { &f.role }),
            organisations: organisation_choices(st, &f.organisation).await?,
            locales: locale_choices(ctx, if f.locale.is_empty() { "fr" } else { &f.locale }),
            errors,
        },
    )
}

pub async fn new_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    new_page(
        &st,
        &ctx,
        &InviteForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// Checks the organisation field: required for partners, must exist.
async fn parse_organisation(
    st: &AppState,
    fe: &mut FieldErrors,
    role: Option<Role>,
    input: &str,
) -> Result<Option<i64>, AppError> {
    let input = input.trim();
    if input.is_empty() {
        if role.is_some_and(Role::needs_organisation) {
            fe.add("organisation", FieldError::Required);
        }
        return Ok(None);
    }
    let Ok(id) = input.parse::<i64>() else {
        fe.add("organisation", FieldError::InvalidChoice);
        return Ok(None);
    };
    if organisations::find(st.db.conn(), id).await?.is_none() {
        fe.add("organisation", FieldError::InvalidChoice);
        return Ok(None);
    }
    Ok(Some(id))
}

pub async fn invite(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<InviteForm>,
) -> Result<Response, AppError> {
    let mut fe = FieldErrors::new();
    let email = fe.check("email", Email::parse(&f.email));
    let name = fe.check("name", PersonName::parse(&f.name));
    let role = fe.check("role", Role::parse(&f.role));
    let locale = fe.check(
        "locale",
        Locale::parse(&f.locale).ok_or(FieldError::InvalidChoice),
    );
    let organisation_id = parse_organisation(&st, &mut fe, role, &f.organisation).await?;
    let (Some(email), Some(name), Some(role), Some(locale), true) =
        (email, name, role, locale, fe.is_empty())
    else {
        let errors = FormErrors::from_fields(ctx.m, &fe);
        return new_page(&st, &ctx, &f, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let organisation_id = organisation_id.filter(|_| role.needs_organisation());
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let created = users::create(
        &tx,
        NewUser {
            email: &email,
            name: name.as_str(),
            role,
            organisation_id,
            password: None,
            locale,
        },
        now,
    )
    .await;
    let user = match created {
        Ok(u) => u,
        Err(e) if unique_violation(&e).is_some() => {
            drop(tx);
            let errors = FormErrors::from_fields(
                ctx.m,
                &FieldErrors::from(("email", FieldError::AlreadyTaken)),
            );
            return new_page(&st, &ctx, &f, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action: "invite",
            entity_type: "user",
            entity_id: user.id.to_string(),
            summary: user.email.clone(),
            changes: json!({
                "email": user.email, "name": user.name, "role": role.as_str(),
                "organisation_id": organisation_id, "locale": locale.as_str(),
            }),
        },
        now,
    )
    .await?;
    let inviter = ctx.user()?.name.clone();
    let token = password_tokens::issue(&tx, user.id, Purpose::Invite, now).await?;
    outbox::enqueue(
        &tx,
        mail::invitation(&st.config.base_url, &user, &inviter, &token),
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect_flash(
        &st,
        &format!("/team/admin/users/{}", user.id),
        Flash::UserInvited,
    ))
}

struct HistoryRow {
    when: String,
    who: String,
    action: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/users/edit.html")]
struct EditUserPage {
    l: Layout,
    id: i64,
    email: String,
    name: String,
    roles: Vec<Choice>,
    organisations: Vec<Choice>,
    disabled: bool,
    invited: bool,
    created: String,
    last_login: String,
    history: Vec<HistoryRow>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    name: String,
    role: String,
    organisation: String,
    disabled: String,
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    user: &User,
    form: Option<&EditForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let history = audit::list(
        st.db.conn(),
        &AuditFilter {
            entity_type: Some("user".into()),
            entity_id: Some(user.id.to_string()),
            ..Default::default()
        },
        PageRequest::new(1, 20),
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
    .collect();
    let org = user
        .organisation_id
        .map(|i| i.to_string())
        .unwrap_or_default();
    html_status(
        status,
        EditUserPage {
            l: ctx.layout(ctx.m.users_edit_title),
            id: user.id,
            email: user.email.clone(),
            name: form.map_or_else(|| user.name.clone(), |f| f.name.clone()),
            roles: role_choices(ctx, form.map_or(user.role.as_str(), |f| f.role.as_str())),
            organisations: organisation_choices(
                st,
                form.map_or(org.as_str(), |f| f.organisation.as_str()),
            )
            .await?,
            disabled: form.map_or(!user.is_active(), |f| f.disabled == "1"),
            invited: !user.has_password,
            created: time::datetime(ctx.locale, user.created_at),
            last_login: user.last_login_at.map_or_else(
                || ctx.m.users_never.to_owned(),
                |t| time::datetime(ctx.locale, t),
            ),
            history,
            errors,
        },
    )
}

async fn load(st: &AppState, id: i64) -> Result<User, AppError> {
    users::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = load(&st, id).await?;
    edit_page(&st, &ctx, &user, None, FormErrors::new(), StatusCode::OK).await
}

pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Result<Response, AppError> {
    let before = load(&st, id).await?;
    let me = ctx.user()?.clone();
    let mut fe = FieldErrors::new();
    let name = fe.check("name", PersonName::parse(&f.name));
    let role = fe.check("role", Role::parse(&f.role));
    let organisation_id = parse_organisation(&st, &mut fe, role, &f.organisation).await?;
    let disabled = f.disabled == "1";
    let mut errors = FormErrors::from_fields(ctx.m, &fe);
    if let Some(role) = role {
        let loses_admin =
            before.role == Role::Admin && before.is_active() && (role != Role::Admin || disabled);
        if loses_admin && before.id == me.id {
            errors.general = Some(ctx.m.users_cannot_demote_self.to_owned());
        } else if loses_admin && users::count_active_admins(st.db.conn()).await? <= 1 {
            errors.general = Some(ctx.m.users_last_admin.to_owned());
        }
    }
    let (Some(name), Some(role), true) = (name, role, errors.is_empty()) else {
        return edit_page(
            &st,
            &ctx,
            &before,
            Some(&f),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let organisation_id = organisation_id.filter(|_| role.needs_organisation());
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = users::update(
        &tx,
        id,
        Changes {
            name: Some(name.as_str()),
            role: Some(role),
            organisation_id: Some(organisation_id),
            locale: None,
            disabled: (disabled == before.is_active()).then_some(disabled),
        },
        now,
    )
    .await?;
    let snapshot = |u: &User| {
        json!({
            "name": u.name, "role": u.role.as_str(), "organisation_id": u.organisation_id,
            "disabled": !u.is_active(),
        })
    };
    let changes = audit::diff(&snapshot(&before), &snapshot(&after));
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        audit::record(
            &tx,
            &ctx.actor(),
            Change {
                action: if disabled && before.is_active() {
                    "disable"
                } else {
                    "update"
                },
                entity_type: "user",
                entity_id: id.to_string(),
                summary: after.email.clone(),
                changes,
            },
            now,
        )
        .await?;
    }
    if !after.is_active() || after.role != before.role {
        // A disabled user is signed out everywhere; a new role starts afresh.
        sessions::delete_for_user(&tx, id, None).await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/admin/users/{id}"),
        Flash::UserSaved,
    ))
}

pub async fn resend_invitation(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = load(&st, id).await?;
    if user.has_password || !user.is_active() {
        return Err(AppError::BadRequest(Some(
            ctx.m.users_no_invitation.to_owned(),
        )));
    }
    let inviter = ctx.user()?.name.clone();
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let token = password_tokens::issue(&tx, user.id, Purpose::Invite, now).await?;
    outbox::enqueue(
        &tx,
        mail::invitation(&st.config.base_url, &user, &inviter, &token),
        now,
    )
    .await?;
    record(
        &tx,
        &ctx,
        ("resend_invitation", "user", id),
        user.email.clone(),
        json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect_flash(
        &st,
        &format!("/team/admin/users/{id}"),
        Flash::InvitationSent,
    ))
}
