//! Personal links to a questionnaire that takes one response per link:
//! the team issues them (sent by e-mail, or downloaded to print), only
//! their digests are kept, and nothing ties a link to the person it went
//! to, so responses stay anonymous. A link answers once (the responses'
//! unique index on the link's digest settles it).

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::PaginatorTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "questionnaire_links")]
    pub struct Model {
        /// SHA-256 of the link's token, in hexadecimal.
        #[sea_orm(primary_key, auto_increment = false)]
        pub digest: String,
        pub form_id: i64,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// At most this many links are issued at once.
pub const MAX_AT_ONCE: usize = 2_000;

/// Issues `n` new links to `form` (at most [`MAX_AT_ONCE`]); returns their
/// tokens, to send or print now: they cannot be read back.
pub async fn issue(
    c: &impl ConnectionTrait,
    form: i64,
    n: usize,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let tokens: Vec<String> = (0..n.min(MAX_AT_ONCE))
        .map(|_| maillage_domain::token::generate())
        .collect();
    for chunk in tokens.chunks(200) {
        Entity::insert_many(chunk.iter().map(|t| ActiveModel {
            digest: Set(maillage_domain::token::digest(t)),
            form_id: Set(form),
            created_at: Set(now),
        }))
        .exec_without_returning(c)
        .await?;
    }
    Ok(tokens)
}

/// Whether `token` is a link issued for `form`.
pub async fn is_issued(c: &impl ConnectionTrait, form: i64, token: &str) -> Result<bool, DbErr> {
    let Some(digest) = crate::query::secret_digest(token) else {
        return Ok(false);
    };
    Ok(Entity::find()
        .filter(Column::Digest.eq(digest))
        .filter(Column::FormId.eq(form))
        .count(c)
        .await?
        > 0)
}

/// Links issued for `form`, and how many of them have answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Issued {
    pub issued: u64,
    pub answered: u64,
}

pub async fn counts(c: &impl ConnectionTrait, form: i64) -> Result<Issued, DbErr> {
    let issued = Entity::find()
        .filter(Column::FormId.eq(form))
        .count(c)
        .await?;
    let answered_q = Query::select()
        .expr(Expr::col("link_token_hash"))
        .from("questionnaire_responses")
        .and_where(Expr::col("form_id").eq(form))
        .and_where(Expr::col("link_token_hash").is_not_null())
        .to_owned();
    let answered = Entity::find()
        .filter(Column::FormId.eq(form))
        .filter(Column::Digest.in_subquery(answered_q))
        .count(c)
        .await?;
    Ok(Issued { issued, answered })
}
