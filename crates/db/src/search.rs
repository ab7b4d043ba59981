//! A word index shared by the directory's entities, portable across SQLite
//! and PostgreSQL: each record's folded words are stored as tokens, and a
//! query matches the records having, for every query word, a token that
//! starts with it ("pont claix" finds "Le Pont-de-Claix"). Prefix lookups
//! are index range scans (`token >= 'pont' AND token < 'pont\u{10FFFF}'`);
//! on PostgreSQL the column uses the "C" collation so that range is bytewise,
//! as it is on SQLite.
//!
//! Records can also carry facet tokens (`k:museum`, `c:38185`…) and a sort
//! key: a search made only of words and facets is then answered from the
//! covering index alone (an `INTERSECT` of one select per term), sorted by
//! the key, without reading the records.

use maillage_domain::text::fold;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::BTreeSet;

pub(crate) const TABLE: &str = "search_tokens";
/// Longest token kept (longer words are cut; a query word is cut alike).
const MAX_TOKEN: usize = 40;
/// At most this many query words are used.
const MAX_WORDS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Organisation,
    Person,
    Venue,
    Activity,
}

impl Entity {
    pub const ALL: [Entity; 4] = [
        Entity::Organisation,
        Entity::Person,
        Entity::Venue,
        Entity::Activity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Entity::Organisation => "organisation",
            Entity::Person => "person",
            Entity::Venue => "venue",
            Entity::Activity => "activity",
        }
    }
}

impl maillage_domain::Vocabulary for Entity {
    const ALL: &'static [Entity] = &Entity::ALL;

    fn code(self) -> &'static str {
        Entity::code(self)
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

/// Replaces the tokens of one record: the words of `texts`, the `facets`
/// as they are (they contain a `:`, which words never do), all with the
/// record's `sort_key`.
pub async fn index(
    c: &impl ConnectionTrait,
    entity: Entity,
    id: i64,
    sort_key: &str,
    texts: &[&str],
    facets: &[String],
) -> Result<(), DbErr> {
    remove(c, entity, id).await?;
    let mut all = tokens(texts);
    all.extend(facets.iter().cloned());
    if all.is_empty() {
        return Ok(());
    }
    let sort_key: String = sort_key.chars().take(200).collect();
    let all: Vec<String> = all.into_iter().collect();
    for chunk in all.chunks(200) {
        let mut insert = Query::insert();
        insert
            .into_table(TABLE)
            .columns(["entity", "token", "entity_id", "sort_key"]);
        for w in chunk {
            insert.values_panic([
                entity.code().into(),
                w.clone().into(),
                id.into(),
                sort_key.clone().into(),
            ]);
        }
        c.execute(&insert).await?;
    }
    Ok(())
}

/// One condition of a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A token starting with this folded word.
    Prefix(String),
    /// One of these exact tokens (facets: `c:38185`, `c:38317`…).
    AnyOf(Vec<String>),
    /// A token between these two, both included (a range of day facets:
    /// `d:2025-10-01` to `d:2025-10-31`).
    Range(String, String),
}

impl Term {
    /// Whether one record may match this term through several tokens.
    fn may_repeat(&self) -> bool {
        match self {
            Term::Prefix(_) | Term::Range(..) => true,
            Term::AnyOf(tokens) => tokens.len() > 1,
        }
    }
}

/// The terms of the words of a query.
pub fn word_terms(query: &str) -> Vec<Term> {
    query_words(query).into_iter().map(Term::Prefix).collect()
}

fn term_condition(alias: &str, term: &Term) -> sea_orm::Condition {
    let token = || Expr::col((Alias::new(alias), Alias::new("token")));
    match term {
        Term::Prefix(w) => sea_orm::Condition::all()
            .add(token().gte(w.as_str()))
            .add(token().lt(format!("{w}\u{10FFFF}"))),
        Term::AnyOf(tokens) => sea_orm::Condition::all().add(token().is_in(tokens.iter().cloned())),
        Term::Range(from, to) => sea_orm::Condition::all()
            .add(token().gte(from.as_str()))
            .add(token().lte(to.as_str())),
    }
}

fn term_select(entity: Entity, alias: &str, term: &Term) -> SelectStatement {
    Query::select()
        .column((Alias::new(alias), Alias::new("entity_id")))
        .column((Alias::new(alias), Alias::new("sort_key")))
        .from_as(TABLE, Alias::new(alias))
        .and_where(Expr::col((Alias::new(alias), Alias::new("entity"))).eq(entity.code()))
        .cond_where(term_condition(alias, term))
        .take()
}

/// The records matching every term, as a select of `entity_id, sort_key`.
///
/// The first term drives the search. A term whose size (from [`plan`]) is
/// close to the driver's is intersected with it (`INTERSECT`, one pass over
/// each); a much larger one is checked record by record through the
/// `(entity, entity_id, token)` index (`EXISTS`). Without sizes, every other
/// term is checked record by record. `terms` must not be empty.
pub fn intersection(entity: Entity, terms: &[Term], sizes: Option<&[i64]>) -> SelectStatement {
    let mut q = term_select(entity, "a", &terms[0]);
    let driver = sizes.map_or(0, |s| s[0]);
    let mut intersected = Vec::new();
    for (i, t) in terms.iter().enumerate().skip(1) {
        let close = sizes.is_some_and(|s| s[i] <= driver.saturating_mul(4));
        if close {
            intersected.push(term_select(entity, "b", t));
            continue;
        }
        let probe = Query::select()
            .expr(Expr::value(1))
            .from_as(TABLE, Alias::new("b"))
            .and_where(Expr::col((Alias::new("b"), Alias::new("entity"))).eq(entity.code()))
            .and_where(
                Expr::col((Alias::new("b"), Alias::new("entity_id")))
                    .equals((Alias::new("a"), Alias::new("entity_id"))),
            )
            .cond_where(term_condition("b", t))
            .take();
        q.and_where(Expr::exists(probe));
    }
    if intersected.is_empty() {
        if terms[0].may_repeat() {
            // A record may match a prefix through several of its words,
            // a range or a list through several of its facets.
            q.distinct();
        }
    } else {
        for other in intersected {
            q.union(UnionType::Intersect, other);
        }
    }
    q
}

/// How many tokens a term matches (an upper bound of the records it
/// matches), counted on the index alone.
async fn estimate(c: &impl ConnectionTrait, entity: Entity, term: &Term) -> Result<i64, DbErr> {
    let q = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_as(TABLE, Alias::new("a"))
        .and_where(Expr::col((Alias::new("a"), Alias::new("entity"))).eq(entity.code()))
        .cond_where(term_condition("a", term))
        .take();
    match c.query_one(&q).await? {
        Some(row) => row.try_get("", "n"),
        None => Ok(0),
    }
}

/// A search ready to run: its terms, most selective first, and their sizes.
#[derive(Debug, Clone)]
pub struct Plan {
    pub terms: Vec<Term>,
    pub sizes: Vec<i64>,
}

impl Plan {
    pub fn intersection(&self, entity: Entity) -> SelectStatement {
        intersection(entity, &self.terms, Some(&self.sizes))
    }
}

/// Orders the terms by their size on the index (the smallest drives the
/// search); `None` when one of them matches nothing, so that nothing can
/// match. `terms` must not be empty.
pub async fn plan(
    c: &impl ConnectionTrait,
    entity: Entity,
    terms: &[Term],
) -> Result<Option<Plan>, DbErr> {
    if terms.len() == 1 {
        return Ok(Some(Plan {
            terms: terms.to_vec(),
            sizes: vec![0],
        }));
    }
    let mut counted = Vec::with_capacity(terms.len());
    for t in terms {
        let n = estimate(c, entity, t).await?;
        if n == 0 {
            return Ok(None);
        }
        counted.push((n, t.clone()));
    }
    counted.sort_by_key(|(n, _)| *n);
    Ok(Some(Plan {
        sizes: counted.iter().map(|(n, _)| *n).collect(),
        terms: counted.into_iter().map(|(_, t)| t).collect(),
    }))
}

/// The number of records matching all `terms` (as [`plan`] orders them),
/// and the ids of one page of them ordered by sort key: queries on the
/// index alone. A single term is read in index order and counted apart (a
/// window count would sort every match); an intersection, which has to be
/// computed whole anyway, is counted in the same pass.
pub async fn find(
    c: &impl ConnectionTrait,
    entity: Entity,
    plan: &Plan,
    offset: u64,
    limit: u64,
) -> Result<(u64, Vec<i64>), DbErr> {
    let limit = Ord::max(limit, 1);
    let single = plan.terms.len() == 1;
    let mut page = Query::select();
    page.column((Alias::new("m"), Alias::new("entity_id")))
        .from_subquery(plan.intersection(entity), "m")
        .order_by((Alias::new("m"), Alias::new("sort_key")), Order::Asc)
        .order_by((Alias::new("m"), Alias::new("entity_id")), Order::Asc)
        .limit(limit)
        .offset(offset);
    if !single {
        page.expr_as(Expr::cust("COUNT(*) OVER ()"), "total");
    }
    let rows = c.query_all(&page).await?;
    let ids = rows
        .iter()
        .map(|r| r.try_get::<i64>("", "entity_id"))
        .collect::<Result<Vec<_>, _>>()?;
    let shown = u64::try_from(ids.len()).unwrap_or(u64::MAX);
    let total = match rows.first() {
        Some(r) if !single => u64::try_from(r.try_get::<i64>("", "total")?).unwrap_or(0),
        // The last page: everything before it was full.
        Some(_) if shown < limit => offset + shown,
        None if offset == 0 => 0,
        // A full page, or past the last one: count.
        _ => {
            let count = Query::select()
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .from_subquery(plan.intersection(entity), "m")
                .take();
            match c.query_one(&count).await? {
                Some(row) => u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0),
                None => 0,
            }
        }
    };
    Ok((total, ids))
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
