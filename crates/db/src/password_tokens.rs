//! Single-use, expiring links to set a password: resets and invitations.

use crate::vocab;
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invite,
}

impl Purpose {
    pub const ALL: [Purpose; 2] = [Purpose::Reset, Purpose::Invite];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Invite => "invite",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// How long a link stays valid.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::Reset => TimeDelta::hours(1),
            Purpose::Invite => TimeDelta::days(7),
        }
    }
}

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i64,
        pub purpose: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    crate::query::no_relations!();
}

impl maillage_domain::Vocabulary for Purpose {
    const ALL: &'static [Purpose] = &Purpose::ALL;

    fn code(self) -> &'static str {
        self.as_str()
    }
}

use entity::{ActiveModel, Column, Entity};

/// Issues a link token for `user_id`; returns the token for the e-mail.
pub async fn issue(
    c: &impl ConnectionTrait,
    user_id: i64,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = token::generate();
    ActiveModel {
        token_hash: Set(token::digest(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(token)
}

/// The user a valid (unused, unexpired) token is for, and why it was
/// issued, without using it.
pub async fn peek(
    c: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, Purpose)>, DbErr> {
    let Some(digest) = crate::query::secret_digest(token) else {
        return Ok(None);
    };
    Entity::find()
        .filter(Column::TokenHash.eq(digest))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .one(c)
        .await?
        .map(|m| {
            Ok((
                m.user_id,
                vocab::PASSWORD_TOKENS_PURPOSE.decode(&m.purpose)?,
            ))
        })
        .transpose()
}

/// Uses a token: succeeds once, before it expires. Returns the user id.
/// The other links of that user are voided too.
pub async fn consume(
    c: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let Some((user_id, _)) = peek(c, token, now).await? else {
        return Ok(None);
    };
    let used = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::TokenHash.eq(token::digest(token)))
        .filter(Column::UsedAt.is_null())
        .exec(c)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::UsedAt.is_null())
        .exec(c)
        .await?;
    Ok(Some(user_id))
}
