//! Forms and their versions. A form's schema (see
//! [`maillage_domain::forms::Schema`]) is stored as JSON, one row per
//! version. Editing a form whose current version has no answer yet
//! replaces that version; once it has answers (a submission or a
//! questionnaire response), an edit makes a new version and the answers
//! keep pointing at the one they answered.
//!
//! Calls ([`calls`]), submissions and their review ([`submissions`]),
//! uploaded files ([`uploads`]) and questionnaire responses and results
//! ([`questionnaires`]) have their modules.

pub mod calls;
pub mod links;
pub mod questionnaires;
pub mod submissions;
pub mod uploads;

use chrono::{DateTime, Utc};
use maillage_domain::forms::{FormAudience, Purpose, Schema};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forms")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub title: String,
        pub purpose: String,
        pub project_id: Option<i64>,
        pub activity_id: Option<i64>,
        pub session_id: Option<i64>,
        pub audience: Option<String>,
        pub anonymous: bool,
        pub one_per_link: bool,
        pub current_version_id: Option<i64>,
        pub opens_at: Option<DateTimeUtc>,
        pub closes_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Random, in the public address (`/q/{key}`): ids are not guessed.
        pub public_key: Option<String>,
    }

    crate::query::no_relations!();
}

pub mod versions_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "form_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub form_id: i64,
        pub number: i32,
        pub schema: String,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};
use versions_entity as ver;

/// What a form is, apart from its questions.
#[derive(Debug, Clone, PartialEq)]
pub struct FormData {
    pub title: String,
    pub purpose: Purpose,
    pub project_id: Option<i64>,
    /// A questionnaire about one activity or one session.
    pub activity_id: Option<i64>,
    pub session_id: Option<i64>,
    pub audience: Option<FormAudience>,
    /// No link between a response and a person (questionnaires).
    pub anonymous: bool,
    /// One response per personal link.
    pub one_per_link: bool,
    /// A questionnaire takes responses from then (none: from the start)…
    pub opens_at: Option<DateTime<Utc>>,
    /// …until then, excluded (none: while it exists).
    pub closes_at: Option<DateTime<Utc>>,
}

impl FormData {
    /// Whether the form takes responses at `now`: its window, if it has one.
    pub fn answering(&self, now: DateTime<Utc>) -> Result<(), calls::Window> {
        match (self.opens_at, self.closes_at) {
            (Some(o), _) if now < o => Err(calls::Window::NotYetOpen(o)),
            (_, Some(c)) if now >= c => Err(calls::Window::Closed(c)),
            _ => Ok(()),
        }
    }
}

/// One version of a form's questions.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: i64,
    pub form_id: i64,
    pub number: i32,
    pub schema: Schema,
    pub created_at: DateTime<Utc>,
}

/// A form with its current version.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub id: i64,
    /// The random key of its public address (`/q/{key}`).
    pub public_key: String,
    pub data: FormData,
    pub version: Version,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn version_from(m: ver::Model) -> Result<Version, DbErr> {
    Ok(Version {
        id: m.id,
        form_id: m.form_id,
        number: m.number,
        schema: Schema::from_json(&m.schema)
            .map_err(|e| DbErr::Custom(format!("form version {}: {e}", m.id)))?,
        created_at: m.created_at,
    })
}

fn data_from(m: &entity::Model) -> Result<FormData, DbErr> {
    Ok(FormData {
        title: m.title.clone(),
        purpose: crate::vocab::FORMS_PURPOSE.decode(&m.purpose)?,
        project_id: m.project_id,
        activity_id: m.activity_id,
        session_id: m.session_id,
        audience: crate::vocab::FORMS_AUDIENCE.decode_opt(m.audience.as_deref())?,
        anonymous: m.anonymous,
        one_per_link: m.one_per_link,
        opens_at: m.opens_at,
        closes_at: m.closes_at,
    })
}

fn active(d: &FormData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        title: Set(d.title.clone()),
        purpose: Set(d.purpose.code().to_owned()),
        project_id: Set(d.project_id),
        activity_id: Set(d.activity_id),
        session_id: Set(d.session_id),
        audience: Set(d.audience.map(|a| a.code().to_owned())),
        anonymous: Set(d.anonymous),
        one_per_link: Set(d.one_per_link),
        opens_at: Set(d.opens_at),
        closes_at: Set(d.closes_at),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Creates a form with its first version. The caller validated the
/// schema ([`Schema::validate`]).
pub async fn create(
    c: &impl ConnectionTrait,
    d: &FormData,
    schema: &Schema,
    now: DateTime<Utc>,
) -> Result<Form, DbErr> {
    let mut am = active(d, now);
    am.created_at = Set(now);
    am.public_key = Set(Some(new_public_key()));
    let m = am.insert(c).await?;
    let v = ver::ActiveModel {
        form_id: Set(m.id),
        number: Set(1),
        schema: Set(schema.to_json()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    set_current(c, m.id, v.id).await?;
    find(c, m.id).await?.ok_or(DbErr::RecordNotInserted)
}

/// A fresh public key: 16 URL-safe characters (96 random bits).
pub fn new_public_key() -> String {
    let mut key = maillage_domain::token::generate();
    key.truncate(16);
    key
}

/// The form whose public key is `key`.
pub async fn find_by_key(c: &impl ConnectionTrait, key: &str) -> Result<Option<Form>, DbErr> {
    if key.len() != 16
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let id: Option<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::PublicKey.eq(key))
        .into_tuple()
        .one(c)
        .await?;
    match id {
        Some(id) => find(c, id).await,
        None => Ok(None),
    }
}

async fn set_current(c: &impl ConnectionTrait, form: i64, version: i64) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::CurrentVersionId, Expr::value(version))
        .filter(Column::Id.eq(form))
        .exec(c)
        .await
        .map(|_| ())
}

/// Changes what a form is (title, audience…), not its questions.
pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &FormData,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    am.update(c).await.map(|_| ())
}

/// What saving a schema did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The current version had no answer: it was replaced.
    Replaced,
    /// The current version had answers: a new version was made.
    NewVersion { number: i32, id: i64 },
}

/// Whether any submission or response answered this version.
pub async fn has_answers(c: &impl ConnectionTrait, version: i64) -> Result<bool, DbErr> {
    if submissions::entity::Entity::find()
        .filter(submissions::entity::Column::VersionId.eq(version))
        .count(c)
        .await?
        > 0
    {
        return Ok(true);
    }
    Ok(questionnaires::entity::Entity::find()
        .filter(questionnaires::entity::Column::VersionId.eq(version))
        .count(c)
        .await?
        > 0)
}

/// Saves a form's edited questions: replaces the current version while
/// it has no answers, else makes a new one (the schema of a version that
/// has answers never changes).
pub async fn save_schema(
    c: &impl ConnectionTrait,
    form: i64,
    schema: &Schema,
    now: DateTime<Utc>,
) -> Result<Saved, DbErr> {
    let f = find(c, form)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("form {form}")))?;
    Entity::update_many()
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(form))
        .exec(c)
        .await?;
    if !has_answers(c, f.version.id).await? {
        ver::Entity::update_many()
            .col_expr(ver::Column::Schema, Expr::value(schema.to_json()))
            .filter(ver::Column::Id.eq(f.version.id))
            .exec(c)
            .await?;
        return Ok(Saved::Replaced);
    }
    let number = f.version.number + 1;
    let v = ver::ActiveModel {
        form_id: Set(form),
        number: Set(number),
        schema: Set(schema.to_json()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    set_current(c, form, v.id).await?;
    Ok(Saved::NewVersion { number, id: v.id })
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Form>, DbErr> {
    let Some(m) = Entity::find_by_id(id).one(c).await? else {
        return Ok(None);
    };
    let Some(v) = m.current_version_id else {
        return Ok(None);
    };
    let version = version(c, v)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("form version {v}")))?;
    Ok(Some(Form {
        id: m.id,
        public_key: m.public_key.clone().unwrap_or_default(),
        data: data_from(&m)?,
        version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }))
}

/// One version, to read an answer against the version it answered.
pub async fn version(c: &impl ConnectionTrait, id: i64) -> Result<Option<Version>, DbErr> {
    ver::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(version_from)
        .transpose()
}

/// Every version of a form, oldest first.
pub async fn versions(c: &impl ConnectionTrait, form: i64) -> Result<Vec<Version>, DbErr> {
    ver::Entity::find()
        .filter(ver::Column::FormId.eq(form))
        .order_by_asc(ver::Column::Number)
        .all(c)
        .await?
        .into_iter()
        .map(version_from)
        .collect()
}

/// Forms, newest first, of one purpose or all.
pub async fn list(
    c: &impl ConnectionTrait,
    purpose: Option<Purpose>,
) -> Result<Vec<(i64, FormData)>, DbErr> {
    let mut q = Entity::find().order_by_desc(Column::Id);
    if let Some(p) = purpose {
        q = q.filter(Column::Purpose.eq(p.code()));
    }
    q.all(c)
        .await?
        .iter()
        .map(|m| Ok((m.id, data_from(m)?)))
        .collect()
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    // The versions go with the form; answers point at them (RESTRICT), so
    // they are removed first.
    questionnaires::entity::Entity::delete_many()
        .filter(questionnaires::entity::Column::FormId.eq(id))
        .exec(c)
        .await?;
    submissions::entity::Entity::delete_many()
        .filter(submissions::entity::Column::FormId.eq(id))
        .exec(c)
        .await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}
