//! The figures reports are made of, counted by the database in a few
//! aggregate queries (the same on both engines).

use crate::bookings::entity as bk;
use crate::programme::activities::entity as act;
use crate::programme::sessions::entity as sess;
use crate::venues::entity as ven;
use maillage_domain::programme::{ActivityStatus, SessionStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::BTreeMap;

/// What a project did in one commune: public activities held at its
/// venues, their sessions (cancelled ones aside), and who came (check-in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommuneFigures {
    pub activities: i64,
    pub sessions: i64,
    pub pupils: i64,
    pub adults: i64,
    pub public: i64,
}

impl CommuneFigures {
    pub fn attendance(&self) -> i64 {
        self.pupils + self.adults + self.public
    }
}

fn public_statuses() -> Vec<&'static str> {
    ActivityStatus::ALL
        .iter()
        .filter(|s| s.is_public() && **s != ActivityStatus::Cancelled)
        .map(|s| s.code())
        .collect()
}

/// The figures of a project by commune (INSEE code of each venue).
pub async fn by_commune(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<BTreeMap<String, CommuneFigures>, DbErr> {
    let (a, v, s, b) = (
        Alias::new("a"),
        Alias::new("v"),
        Alias::new("s"),
        Alias::new("b"),
    );
    let col = |t: &Alias, c: &str| Expr::col((t.clone(), Alias::new(c)));
    let mut out: BTreeMap<String, CommuneFigures> = BTreeMap::new();

    // Activities and sessions.
    let mut q = Query::select();
    q.from_as(act::Entity, a.clone())
        .join_as(
            JoinType::InnerJoin,
            ven::Entity,
            v.clone(),
            col(&v, "id").equals((a.clone(), Alias::new("venue_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            sess::Entity,
            s.clone(),
            col(&s, "activity_id")
                .equals((a.clone(), Alias::new("id")))
                .and(col(&s, "status").ne(SessionStatus::Cancelled.code())),
        )
        .expr_as(col(&v, "commune_insee"), Alias::new("insee"))
        .expr_as(
            Func::count_distinct(col(&a, "id")),
            Alias::new("activities"),
        )
        .expr_as(Func::count(col(&s, "id")), Alias::new("sessions"))
        .and_where(col(&a, "project_id").eq(project))
        .and_where(col(&a, "status").is_in(public_statuses()))
        .and_where(col(&v, "commune_insee").is_not_null())
        .group_by_col((v.clone(), Alias::new("commune_insee")));
    for row in c.query_all(&q).await? {
        let insee: String = row.try_get("", "insee")?;
        let e = out.entry(insee).or_default();
        e.activities = row.try_get("", "activities")?;
        e.sessions = row.try_get("", "sessions")?;
    }

    // Who came, from check-in (walk-ins included).
    let mut q = Query::select();
    q.from_as(bk::Entity, b.clone())
        .join_as(
            JoinType::InnerJoin,
            sess::Entity,
            s.clone(),
            col(&s, "id").equals((b.clone(), Alias::new("session_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            act::Entity,
            a.clone(),
            col(&a, "id").equals((s.clone(), Alias::new("activity_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            ven::Entity,
            v.clone(),
            col(&v, "id").equals((a.clone(), Alias::new("venue_id"))),
        )
        .expr_as(col(&v, "commune_insee"), Alias::new("insee"))
        .expr_as(Func::sum(col(&b, "came_pupils")), Alias::new("pupils"))
        .expr_as(Func::sum(col(&b, "came_adults")), Alias::new("adults"))
        .expr_as(Func::sum(col(&b, "came_public")), Alias::new("public"))
        .and_where(col(&a, "project_id").eq(project))
        .and_where(col(&a, "status").is_in(public_statuses()))
        .and_where(col(&b, "checked_in_at").is_not_null())
        .and_where(col(&v, "commune_insee").is_not_null())
        .group_by_col((v.clone(), Alias::new("commune_insee")));
    for row in c.query_all(&q).await? {
        let insee: String = row.try_get("", "insee")?;
        let e = out.entry(insee).or_default();
        e.pupils = row.try_get::<Option<i64>>("", "pupils")?.unwrap_or(0);
        e.adults = row.try_get::<Option<i64>>("", "adults")?.unwrap_or(0);
        e.public = row.try_get::<Option<i64>>("", "public")?.unwrap_or(0);
    }
    Ok(out)
}
