//! User accounts.

use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use maillage_domain::{Email, Locale, PasswordHash, Role};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ActiveValue::Set, Condition, PaginatorTrait, QueryOrder, Select};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub email: String,
        pub name: String,
        pub role: String,
        pub organisation_id: Option<i64>,
        pub password_hash: Option<String>,
        pub locale: String,
        pub disabled_at: Option<DateTimeUtc>,
        pub last_login_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A user as the rest of Maillage sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub locale: Locale,
    pub disabled_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub has_password: bool,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }
}

impl TryFrom<entity::Model> for User {
    type Error = DbErr;

    fn try_from(m: entity::Model) -> Result<User, DbErr> {
        Ok(User {
            id: m.id,
            email: m.email,
            name: m.name,
            role: crate::vocab::USERS_ROLE.decode(&m.role)?,
            organisation_id: m.organisation_id,
            locale: crate::vocab::USERS_LOCALE.decode(&m.locale)?,
            disabled_at: m.disabled_at,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            has_password: m.password_hash.is_some(),
        })
    }
}

/// A record found with its user (`find_also_related`), kept only while
/// the user is active.
pub(crate) fn with_active_user<T>(
    found: Option<(T, Option<entity::Model>)>,
) -> Result<Option<(T, User)>, DbErr> {
    match found {
        Some((record, Some(user))) => {
            let user = User::try_from(user)?;
            Ok(user.is_active().then_some((record, user)))
        }
        _ => Ok(None),
    }
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password: Option<PasswordHash>,
    pub locale: Locale,
}

/// Creates a user. A taken e-mail address fails with a unique violation
/// (see [`crate::unique_violation`]).
pub async fn create(
    c: &impl ConnectionTrait,
    new: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<User, DbErr> {
    ActiveModel {
        email: Set(new.email.as_str().to_owned()),
        name: Set(new.name.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(new.password.map(|h| h.as_str().to_owned())),
        locale: Set(new.locale.as_str().to_owned()),
        disabled_at: Set(None),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?
    .try_into()
}

/// Creates a user as [`create`] does and records it in the audit log
/// (`create`, with its e-mail, name and role), in the same transaction:
/// accounts made outside the team space (the command line, the demo).
pub async fn create_recorded(
    c: &impl ConnectionTrait,
    actor: &crate::audit::Actor,
    new: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<User, DbErr> {
    let user = create(c, new, now).await?;
    let change = crate::audit::Change {
        action: "create",
        entity_type: "user",
        entity_id: user.id.to_string(),
        summary: user.email.clone(),
        changes: serde_json::json!({
            "email": user.email, "name": user.name, "role": user.role.as_str(),
        }),
    };
    crate::audit::record(c, actor, change, now).await?;
    Ok(user)
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<User>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(User::try_from)
        .transpose()
}

pub async fn find_by_email(c: &impl ConnectionTrait, email: &Email) -> Result<Option<User>, DbErr> {
    Entity::find()
        .filter(Column::Email.eq(email.as_str()))
        .one(c)
        .await?
        .map(User::try_from)
        .transpose()
}

/// The user and their password hash, for logging in.
pub async fn credentials(
    c: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<(User, Option<PasswordHash>)>, DbErr> {
    let Some(m) = Entity::find()
        .filter(Column::Email.eq(email.as_str()))
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let hash = m.password_hash.clone().map(PasswordHash::from_stored);
    Ok(Some((User::try_from(m)?, hash)))
}

pub async fn count(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(c).await
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Part of the name or e-mail, case-insensitive.
    pub query: Option<String>,
    pub role: Option<Role>,
    pub include_disabled: bool,
}

pub async fn list(
    c: &impl ConnectionTrait,
    filter: &UserFilter,
    page: PageRequest,
) -> Result<Page<User>, DbErr> {
    let mut cond = Condition::all();
    if let Some(q) = filter
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        cond = cond.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(Column::Name)))
                        .like(LikeExpr::new(pattern.as_str()).escape('\\')),
                )
                .add(Expr::col(Column::Email).like(LikeExpr::new(pattern.as_str()).escape('\\'))),
        );
    }
    if let Some(role) = filter.role {
        cond = cond.add(Column::Role.eq(role.as_str()));
    }
    if !filter.include_disabled {
        cond = cond.add(Column::DisabledAt.is_null());
    }
    let by_name = |q: Select<Entity>| q.order_by_asc(Column::Name).order_by_asc(Column::Id);
    crate::query::page(
        c,
        Entity::find().filter(cond),
        page,
        by_name,
        User::try_from,
    )
    .await
}

/// Escapes `%`, `_` and `\` so that a LIKE pattern matches them literally.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub struct Changes<'a> {
    pub name: Option<&'a str>,
    pub role: Option<Role>,
    pub organisation_id: Option<Option<i64>>,
    pub locale: Option<Locale>,
    pub disabled: Option<bool>,
}

impl Changes<'_> {
    pub const NONE: Changes<'static> = Changes {
        name: None,
        role: None,
        organisation_id: None,
        locale: None,
        disabled: None,
    };
}

/// Applies `changes` to user `id` and returns the user after the change.
pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    changes: Changes<'_>,
    now: DateTime<Utc>,
) -> Result<User, DbErr> {
    let mut am = ActiveModel {
        id: Set(id),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(name) = changes.name {
        am.name = Set(name.to_owned());
    }
    if let Some(role) = changes.role {
        am.role = Set(role.as_str().to_owned());
    }
    if let Some(org) = changes.organisation_id {
        am.organisation_id = Set(org);
    }
    if let Some(locale) = changes.locale {
        am.locale = Set(locale.as_str().to_owned());
    }
    if let Some(disabled) = changes.disabled {
        am.disabled_at = Set(disabled.then_some(now));
    }
    am.update(c).await?.try_into()
}

pub async fn set_password(
    c: &impl ConnectionTrait,
    id: i64,
    hash: &PasswordHash,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        password_hash: Set(Some(hash.as_str().to_owned())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await
    .map(|_| ())
}

pub async fn record_login(
    c: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::LastLoginAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Number of active administrators (to refuse removing the last one).
pub async fn count_active_admins(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::Role.eq(Role::Admin.as_str()))
        .filter(Column::DisabledAt.is_null())
        .count(c)
        .await
}
