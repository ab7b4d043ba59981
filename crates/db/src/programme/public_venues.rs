//! The venues the public programme shows: those where at least one activity
//! the public sees (published, full or cancelled) of a published project
//! takes place. The rest of the directory's venues (a school's classroom, a
//! venue kept for next year) stay private. Lists are sorted by folded name
//! and paged by key (name, id), so a page boundary never skips or repeats a
//! venue, whatever is added meanwhile.

use crate::venues::{self, Venue};
use maillage_domain::programme::{ActivityStatus, ProjectStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use venues::entity::{Column, Entity};

/// Filters of the public list of venues.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Words of the name or address (prefixes, accents ignored).
    pub query: Option<String>,
    /// INSEE codes (a commune, or the communes of an EPCI).
    pub communes: Option<Vec<String>>,
    /// Only the venues of this project's public activities.
    pub project_id: Option<i64>,
}

/// Where a page ends: the next page starts after this venue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub name_folded: String,
    pub id: i64,
}

#[derive(Debug, Clone)]
pub struct VenuePage {
    pub items: Vec<Venue>,
    /// Set when more venues follow.
    pub next: Option<After>,
}

/// The ids of the venues hosting a public activity of a published project,
/// or one of its sessions.
fn hosting(project: Option<i64>) -> SelectStatement {
    let public: Vec<&'static str> = ActivityStatus::ALL
        .iter()
        .filter(|s| s.is_public())
        .map(|s| s.code())
        .collect();
    let published = |q: &mut SelectStatement| {
        q.inner_join(
            "projects",
            Expr::col(("projects", "id")).equals(("activities", "project_id")),
        )
        .and_where(Expr::col(("activities", "status")).is_in(public.clone()))
        .and_where(Expr::col(("projects", "status")).eq(ProjectStatus::Published.code()));
        if let Some(p) = project {
            q.and_where(Expr::col(("activities", "project_id")).eq(p));
        }
    };
    let mut q = Query::select();
    q.column(("activities", "venue_id"))
        .from("activities")
        .and_where(Expr::col(("activities", "venue_id")).is_not_null());
    published(&mut q);
    let mut own = Query::select();
    own.column(("activity_sessions", "venue_id"))
        .from("activity_sessions")
        .inner_join(
            "activities",
            Expr::col(("activities", "id")).equals(("activity_sessions", "activity_id")),
        )
        .and_where(Expr::col(("activity_sessions", "venue_id")).is_not_null());
    published(&mut own);
    q.union(sea_orm::sea_query::UnionType::All, own);
    q
}

/// One page of public venues matching `f`, after `after`, by folded name.
pub async fn list(
    c: &impl ConnectionTrait,
    f: &Filter,
    after: Option<&After>,
    limit: u64,
) -> Result<VenuePage, DbErr> {
    let mut cond = Condition::all().add(Column::Id.in_subquery(hosting(f.project_id)));
    if let Some(q) = &f.query {
        for sub in crate::search::matching(crate::search::Entity::Venue, q) {
            cond = cond.add(Column::Id.in_subquery(sub));
        }
    }
    if let Some(communes) = &f.communes {
        if communes.is_empty() {
            return Ok(VenuePage {
                items: Vec::new(),
                next: None,
            });
        }
        cond = cond.add(Column::CommuneInsee.is_in(communes.iter().cloned()));
    }
    if let Some(a) = after {
        cond = cond.add(
            Condition::any()
                .add(Column::NameFolded.gt(a.name_folded.as_str()))
                .add(
                    Condition::all()
                        .add(Column::NameFolded.eq(a.name_folded.as_str()))
                        .add(Column::Id.gt(a.id)),
                ),
        );
    }
    let limit = Ord::max(limit, 1);
    let mut keys: Vec<(i64, String)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::NameFolded)
        .filter(cond)
        .order_by_asc(Column::NameFolded)
        .order_by_asc(Column::Id)
        .limit(limit + 1)
        .into_tuple()
        .all(c)
        .await?;
    let more = keys.len() as u64 > limit;
    keys.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let mut items = venues::list_by_ids(c, &ids).await?;
    items.sort_by_key(|v| ids.iter().position(|i| *i == v.id));
    let next = if more {
        keys.pop()
            .map(|(id, name_folded)| After { name_folded, id })
    } else {
        None
    };
    Ok(VenuePage { items, next })
}

/// A venue, if the public programme shows it.
pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Venue>, DbErr> {
    let shown = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Id.eq(id))
        .filter(Column::Id.in_subquery(hosting(None)))
        .into_tuple::<i64>()
        .one(c)
        .await?
        .is_some();
    if shown {
        venues::find(c, id).await
    } else {
        Ok(None)
    }
}
