//! What each member of the team asked to be told by e-mail (see
//! `team_notifications`): class requests and call answers as they arrive,
//! and a daily digest of their inbox, claimed once a day per person by a
//! conditional update, so that several instances send it once.

use crate::users::{self, User};
use chrono::NaiveDate;
use maillage_domain::Role;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        pub class_requests: bool,
        pub call_answers: bool,
        pub digest: bool,
        pub digest_sent_on: Option<Date>,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A person's choices; nothing by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefs {
    pub class_requests: bool,
    pub call_answers: bool,
    pub digest: bool,
}

/// What an e-mail to the team is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    ClassRequests,
    CallAnswers,
}

pub async fn get(c: &impl ConnectionTrait, user: i64) -> Result<Prefs, DbErr> {
    Ok(Entity::find_by_id(user)
        .one(c)
        .await?
        .map(|m| Prefs {
            class_requests: m.class_requests,
            call_answers: m.call_answers,
            digest: m.digest,
        })
        .unwrap_or_default())
}

pub async fn set(c: &impl ConnectionTrait, user: i64, p: Prefs) -> Result<(), DbErr> {
    Entity::insert(ActiveModel {
        user_id: Set(user),
        class_requests: Set(p.class_requests),
        call_answers: Set(p.call_answers),
        digest: Set(p.digest),
        digest_sent_on: Set(None),
    })
    .on_conflict(
        OnConflict::column(Column::UserId)
            .update_columns([Column::ClassRequests, Column::CallAnswers, Column::Digest])
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// The active members of the team, of `roles`, who asked to hear about
/// `topic`.
pub async fn subscribers(
    c: &impl ConnectionTrait,
    topic: Topic,
    roles: &[Role],
) -> Result<Vec<User>, DbErr> {
    let column = match topic {
        Topic::ClassRequests => Column::ClassRequests,
        Topic::CallAnswers => Column::CallAnswers,
    };
    let ids: Vec<i64> = Entity::find()
        .filter(column.eq(true))
        .all(c)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let mut out = Vec::new();
    for id in ids {
        if let Some(u) = users::find(c, id).await?
            && u.is_active()
            && roles.contains(&u.role)
        {
            out.push(u);
        }
    }
    Ok(out)
}

/// Not sent `today` yet (never, or on an earlier day).
fn not_sent_on(today: NaiveDate) -> Expr {
    Column::DigestSentOn
        .is_null()
        .or(Column::DigestSentOn.lt(today))
}

/// Who gets their digest `today`: those who asked for it and were not sent
/// it today, each claimed now (a conditional update: another instance
/// claiming at the same time gets the others).
pub async fn claim_digests(c: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<User>, DbErr> {
    let due: Vec<i64> = Entity::find()
        .filter(Column::Digest.eq(true))
        .filter(not_sent_on(today))
        .all(c)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let mut out = Vec::new();
    for id in due {
        let claimed = Entity::update_many()
            .col_expr(Column::DigestSentOn, Expr::value(today))
            .filter(Column::UserId.eq(id))
            .filter(not_sent_on(today))
            .exec(c)
            .await?
            .rows_affected
            == 1;
        if claimed
            && let Some(u) = users::find(c, id).await?
            && u.is_active()
        {
            out.push(u);
        }
    }
    Ok(out)
}
