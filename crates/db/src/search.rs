//! A word index shared by the directory's entities, portable across SQLite
//! and PostgreSQL: each record's folded words are stored as tokens, and a
//! query matches the records having, for every query word, a token that
//! starts with it ("pont claix" finds "Le Pont-de-Claix"). Prefix lookups
//! are index range scans (`token >= 'pont' AND token < 'pont\u{10FFFF}'`);
//! on PostgreSQL the column uses the "C" collation so that range is bytewise,
//! as it is on SQLite.

use maillage_domain::text::fold;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::BTreeSet;

const TABLE: &str = "search_tokens";
/// Longest token kept (longer words are cut; a query word is cut alike).
const MAX_TOKEN: usize = 40;
/// At most this many query words are used.
const MAX_WORDS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Organisation,
    Person,
    Venue,
}

impl Entity {
    pub fn code(self) -> &'static str {
        match self {
            Entity::Organisation => "organisation",
            Entity::Person => "person",
            Entity::Venue => "venue",
        }
    }
}

fn cut(word: &str) -> String {
    word.chars().take(MAX_TOKEN).collect()
}

/// The distinct folded words of `texts`.
pub fn tokens(texts: &[&str]) -> BTreeSet<String> {
    texts
        .iter()
        .flat_map(|t| fold(t).split(' ').map(cut).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Replaces the tokens of one record.
pub async fn index(
    c: &impl ConnectionTrait,
    entity: Entity,
    id: i64,
    texts: &[&str],
) -> Result<(), DbErr> {
    remove(c, entity, id).await?;
    let words = tokens(texts);
    if words.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table(TABLE)
        .columns(["entity", "token", "entity_id"]);
    for w in words {
        insert.values_panic([entity.code().into(), w.into(), id.into()]);
    }
    c.execute(&insert).await.map(|_| ())
}

pub async fn remove(c: &impl ConnectionTrait, entity: Entity, id: i64) -> Result<(), DbErr> {
    c.execute(
        Query::delete()
            .from_table(TABLE)
            .and_where(Expr::col("entity").eq(entity.code()))
            .and_where(Expr::col("entity_id").eq(id)),
    )
    .await
    .map(|_| ())
}

/// The query words of a search (folded, cut, at most 8).
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(cut)
        .collect();
    words.dedup();
    words.truncate(MAX_WORDS);
    words
}

/// Sub-selects of the ids matching each word: the caller requires the id to
/// be in all of them. Empty when the query has no word.
pub fn matching(entity: Entity, query: &str) -> Vec<SelectStatement> {
    query_words(query)
        .into_iter()
        .map(|w| {
            let upper = format!("{w}\u{10FFFF}");
            Query::select()
                .column("entity_id")
                .from(TABLE)
                .and_where(Expr::col("entity").eq(entity.code()))
                .and_where(Expr::col("token").gte(w))
                .and_where(Expr::col("token").lt(upper))
                .take()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_folded_words() {
        let t = tokens(&["Le Pont-de-Claix", "Médiathèque"]);
        assert_eq!(
            t.into_iter().collect::<Vec<_>>(),
            vec!["claix", "de", "le", "mediatheque", "pont"]
        );
        assert_eq!(query_words("  Pont   pont CLAIX! "), vec!["pont", "claix"]);
        assert!(matching(Entity::Venue, " ,; ").is_empty());
    }
}
