//! People of the network, their roles and their memberships in organisations.

use crate::page::{Page, PageRequest};
use crate::records::ordered;
use crate::search::{self, Entity as Search};
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::directory::{Gender, PersonRole};
use maillage_domain::text::fold;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{Condition, PaginatorTrait, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub first_name: Option<String>,
        pub last_name: String,
        pub name_folded: String,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub gender: Option<String>,
        pub notes: Option<String>,
        pub user_id: Option<i64>,
        pub erased_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod roles_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_roles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
    }

    crate::query::no_relations!();
}

pub mod memberships_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub organisation_id: i64,
        pub function: Option<String>,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};
use memberships_entity as ms;

/// What a user enters about a person (validated).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonData {
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<Gender>,
    pub notes: Option<String>,
    pub roles: Vec<PersonRole>,
}

impl PersonData {
    pub fn display_name(&self) -> String {
        match &self.first_name {
            Some(f) => format!("{f} {}", self.last_name),
            None => self.last_name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: i64,
    pub person_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub function: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub data: PersonData,
    pub memberships: Vec<Membership>,
    pub user_id: Option<i64>,
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn name(&self) -> String {
        self.data.display_name()
    }
}

fn folded_name(d: &PersonData) -> String {
    fold(&format!(
        "{} {}",
        d.last_name,
        d.first_name.as_deref().unwrap_or("")
    ))
}

fn active(d: &PersonData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        first_name: Set(d.first_name.clone()),
        last_name: Set(d.last_name.clone()),
        name_folded: Set(folded_name(d)),
        email: Set(d.email.as_ref().map(|e| e.to_lowercase())),
        phone: Set(d.phone.clone()),
        gender: Set(d.gender.map(|g| g.code().to_owned())),
        notes: Set(d.notes.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn index_texts(d: &PersonData) -> Vec<&str> {
    let mut t = vec![d.last_name.as_str()];
    t.extend(d.first_name.as_deref());
    t.extend(d.email.as_deref());
    t
}

async fn set_roles(c: &impl ConnectionTrait, id: i64, roles: &[PersonRole]) -> Result<(), DbErr> {
    roles_entity::Entity::delete_many()
        .filter(roles_entity::Column::PersonId.eq(id))
        .exec(c)
        .await?;
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    for r in roles {
        roles_entity::ActiveModel {
            person_id: Set(id),
            role: Set(r.code().to_owned()),
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

pub async fn insert(
    c: &impl ConnectionTrait,
    d: &PersonData,
    now: DateTime<Utc>,
) -> Result<Person, DbErr> {
    let mut am = active(d, now);
    am.created_at = Set(now);
    let m = am.insert(c).await?;
    set_roles(c, m.id, &d.roles).await?;
    search::index(
        c,
        Search::Person,
        m.id,
        &folded_name(d),
        &index_texts(d),
        &[],
    )
    .await?;
    find(c, m.id).await?.ok_or(DbErr::RecordNotInserted)
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &PersonData,
    now: DateTime<Utc>,
) -> Result<Person, DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    am.update(c).await?;
    set_roles(c, id, &d.roles).await?;
    search::index(c, Search::Person, id, &folded_name(d), &index_texts(d), &[]).await?;
    find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("person".into()))
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    search::remove(c, Search::Person, id).await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

async fn load(c: &impl ConnectionTrait, models: Vec<entity::Model>) -> Result<Vec<Person>, DbErr> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut roles: BTreeMap<i64, Vec<PersonRole>> = BTreeMap::new();
    let mut members: BTreeMap<i64, Vec<Membership>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for r in roles_entity::Entity::find()
            .filter(roles_entity::Column::PersonId.is_in(chunk.iter().copied()))
            .all(c)
            .await?
        {
            let role = vocab::PERSON_ROLES_ROLE.decode(&r.role)?;
            roles.entry(r.person_id).or_default().push(role);
        }
        let rows: Vec<(i64, i64, i64, Option<String>, String)> = ms::Entity::find()
            .select_only()
            .column(ms::Column::Id)
            .column(ms::Column::PersonId)
            .column(ms::Column::OrganisationId)
            .column(ms::Column::Function)
            .column_as(Expr::col(("organisations", "name")), "organisation_name")
            .join_as(
                sea_orm::JoinType::InnerJoin,
                ms::Entity::belongs_to(crate::organisations::entity::Entity)
                    .from(ms::Column::OrganisationId)
                    .to(crate::organisations::entity::Column::Id)
                    .into(),
                "organisations",
            )
            .filter(ms::Column::PersonId.is_in(chunk.iter().copied()))
            .order_by_asc(Expr::col(("organisations", "name_folded")))
            .into_tuple()
            .all(c)
            .await?;
        for (id, person_id, organisation_id, function, organisation_name) in rows {
            members.entry(person_id).or_default().push(Membership {
                id,
                person_id,
                organisation_id,
                organisation_name,
                function,
            });
        }
    }
    models
        .into_iter()
        .map(|m| {
            let mut r = roles.remove(&m.id).unwrap_or_default();
            r.sort();
            Ok(Person {
                id: m.id,
                memberships: members.remove(&m.id).unwrap_or_default(),
                user_id: m.user_id,
                erased_at: m.erased_at,
                created_at: m.created_at,
                updated_at: m.updated_at,
                data: PersonData {
                    first_name: m.first_name,
                    last_name: m.last_name,
                    email: m.email,
                    phone: m.phone,
                    gender: vocab::PEOPLE_GENDER.decode_opt(m.gender.as_deref())?,
                    notes: m.notes,
                    roles: r,
                },
            })
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Person>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn count(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(c).await
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub query: Option<String>,
    pub role: Option<PersonRole>,
    pub organisation_id: Option<i64>,
    /// Include erased (anonymised) records.
    pub include_erased: bool,
}

fn condition(f: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(q) = &f.query {
        for sub in search::matching(Search::Person, q) {
            cond = cond.add(Column::Id.in_subquery(sub));
        }
    }
    if let Some(r) = f.role {
        cond = cond.add(
            Column::Id.in_subquery(
                Query::select()
                    .column(roles_entity::Column::PersonId)
                    .from(roles_entity::Entity)
                    .and_where(Expr::col(roles_entity::Column::Role).eq(r.code()))
                    .take(),
            ),
        );
    }
    if let Some(o) = f.organisation_id {
        cond = cond.add(
            Column::Id.in_subquery(
                Query::select()
                    .column(ms::Column::PersonId)
                    .from(ms::Entity)
                    .and_where(Expr::col(ms::Column::OrganisationId).eq(o))
                    .take(),
            ),
        );
    }
    if !f.include_erased {
        cond = cond.add(Column::ErasedAt.is_null());
    }
    cond
}

pub async fn list(
    c: &impl ConnectionTrait,
    f: &Filter,
    page: PageRequest,
) -> Result<Page<Person>, DbErr> {
    let (models, total) = crate::records::paged(c, by_name(f), page).await?;
    Ok(Page {
        items: load(c, models).await?,
        total,
        request: page,
    })
}

pub async fn list_all_matching(c: &impl ConnectionTrait, f: &Filter) -> Result<Vec<Person>, DbErr> {
    load(c, by_name(f).all(c).await?).await
}

/// The people `f` selects, by name.
fn by_name(f: &Filter) -> Select<Entity> {
    let q = Entity::find().filter(condition(f));
    ordered(q, [Column::NameFolded, Column::Id])
}

/// Possible duplicates: same e-mail, or same first and last name.
pub async fn duplicates(
    c: &impl ConnectionTrait,
    d: &PersonData,
    except: Option<i64>,
) -> Result<Vec<Person>, DbErr> {
    let mut any = Condition::any().add(Column::NameFolded.eq(folded_name(d)));
    if let Some(e) = &d.email {
        any = any.add(Column::Email.eq(e.to_lowercase()));
    }
    let mut q = Entity::find()
        .filter(any)
        .filter(Column::ErasedAt.is_null());
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    load(
        c,
        q.order_by_asc(Column::NameFolded).limit(20).all(c).await?,
    )
    .await
}

/// Adds `person` to `organisation` with a function; updates the function if
/// the membership exists.
pub async fn add_membership(
    c: &impl ConnectionTrait,
    person: i64,
    organisation: i64,
    function: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let existing = ms::Entity::find()
        .filter(ms::Column::PersonId.eq(person))
        .filter(ms::Column::OrganisationId.eq(organisation))
        .one(c)
        .await?;
    if let Some(m) = existing {
        ms::ActiveModel {
            id: Set(m.id),
            function: Set(function.map(str::to_owned)),
            ..Default::default()
        }
        .update(c)
        .await?;
        return Ok(m.id);
    }
    Ok(ms::ActiveModel {
        person_id: Set(person),
        organisation_id: Set(organisation),
        function: Set(function.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?
    .id)
}

pub async fn find_membership(
    c: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<ms::Model>, DbErr> {
    ms::Entity::find_by_id(id).one(c).await
}

pub async fn remove_membership(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(ms::Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

/// The members of an organisation with their function.
pub async fn members_of(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<Vec<(Person, Option<String>)>, DbErr> {
    let people = list_all_matching(
        c,
        &Filter {
            organisation_id: Some(organisation),
            ..Default::default()
        },
    )
    .await?;
    Ok(people
        .into_iter()
        .map(|p| {
            let function = p
                .memberships
                .iter()
                .find(|m| m.organisation_id == organisation)
                .and_then(|m| m.function.clone());
            (p, function)
        })
        .collect())
}

/// Merges `removed` into `kept`: memberships, roles and every other link
/// move to `kept`; empty fields of `kept` are filled; `removed` is deleted.
pub async fn merge(
    c: &impl ConnectionTrait,
    kept: i64,
    removed: i64,
    now: DateTime<Utc>,
) -> Result<Person, DbErr> {
    if kept == removed {
        return Err(DbErr::Custom("cannot merge a person into themself".into()));
    }
    let (Some(k), Some(r)) = (find(c, kept).await?, find(c, removed).await?) else {
        return Err(DbErr::RecordNotFound("person".into()));
    };
    crate::links::move_all(c, crate::links::PERSON_LINKS, kept, removed).await?;
    let mut d = k.data.clone();
    if d.first_name.is_none() {
        d.first_name.clone_from(&r.data.first_name);
    }
    if d.email.is_none() {
        d.email.clone_from(&r.data.email);
    }
    if d.phone.is_none() {
        d.phone.clone_from(&r.data.phone);
    }
    if d.gender.is_none() {
        d.gender = r.data.gender;
    }
    d.notes = match (&k.data.notes, &r.data.notes) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}\n{b}")),
        (None, b) => b.clone(),
        (a, _) => a.clone(),
    };
    d.roles.extend(r.data.roles.iter().copied());
    let user = k.user_id.or(r.user_id);
    delete(c, removed).await?;
    if user != k.user_id {
        Entity::update_many()
            .col_expr(Column::UserId, Expr::value(user))
            .filter(Column::Id.eq(kept))
            .exec(c)
            .await?;
    }
    update(c, kept, &d, now).await
}

/// Everything Maillage holds about a person, for a data access request.
pub async fn export(c: &impl ConnectionTrait, id: i64) -> Result<Option<Value>, DbErr> {
    let Some(p) = find(c, id).await? else {
        return Ok(None);
    };
    Ok(Some(json!({
        "id": p.id,
        "first_name": p.data.first_name,
        "last_name": p.data.last_name,
        "email": p.data.email,
        "phone": p.data.phone,
        "gender": p.data.gender.map(Gender::code),
        "notes": p.data.notes,
        "roles": p.data.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "memberships": p.memberships.iter().map(|m| json!({
            "organisation": m.organisation_name,
            "function": m.function,
        })).collect::<Vec<_>>(),
        "created_at": p.created_at.to_rfc3339(),
        "updated_at": p.updated_at.to_rfc3339(),
    })))
}

/// Erases a person's identifying data (name, contact details, notes) but
/// keeps the record, its roles, gender and memberships, so that statistics
/// (parity, counts by organisation) stay right.
pub async fn erase(c: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::FirstName, Expr::value(Option::<String>::None))
        .col_expr(Column::LastName, Expr::value(format!("#{id}")))
        .col_expr(Column::NameFolded, Expr::value(format!("~erased {id}")))
        .col_expr(Column::Email, Expr::value(Option::<String>::None))
        .col_expr(Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(Column::Notes, Expr::value(Option::<String>::None))
        .col_expr(Column::UserId, Expr::value(Option::<i64>::None))
        .col_expr(Column::ErasedAt, Expr::value(now))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::ErasedAt.is_null())
        .exec(c)
        .await?;
    search::remove(c, Search::Person, id).await?;
    Ok(r.rows_affected == 1)
}
