//! The filters of the public programme, answered from the search index.

use super::*;

/// Filters of the public programme (and of the team's programme editor).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub project_id: Option<i64>,
    pub query: Option<String>,
    /// INSEE codes (a commune, or the communes of an EPCI).
    pub communes: Option<Vec<String>>,
    pub audience: Option<Audience>,
    pub level: Option<SchoolLevel>,
    pub format: Option<Format>,
    pub theme: Option<Theme>,
    pub free: bool,
    pub registration: bool,
    pub wheelchair: bool,
    pub hearing_loop: bool,
    pub visual: bool,
    pub cognitive: bool,
    /// Activities with a session on a day of this range (Paris dates);
    /// either end may be open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only what the public sees.
    pub public_only: bool,
    pub status: Option<ActivityStatus>,
    /// "Near me": the distance in km of each commune around a point; the
    /// list is then ordered by the distance of each activity's nearest
    /// place (then by date). `communes` should hold these communes.
    pub near: Option<BTreeMap<String, f64>>,
}

/// The most activities ordered by distance in one search (beyond, the
/// farthest are left out: a radius that wide is not "near").
pub const NEAR_MAX: u64 = 2000;

fn terms(f: &Filter) -> Option<Vec<Term>> {
    let mut t = f
        .query
        .as_deref()
        .map(search::word_terms)
        .unwrap_or_default();
    let one = |s: String| Term::AnyOf(vec![s]);
    match f.project_id {
        // A project's public programme: one facet, read in order.
        Some(p) if f.public_only => t.push(one(format!("pv:{p}"))),
        Some(p) => t.push(one(format!("pr:{p}"))),
        None => {}
    }
    if let Some(communes) = &f.communes {
        if communes.is_empty() {
            return None;
        }
        t.push(Term::AnyOf(
            communes.iter().map(|c| format!("c:{c}")).collect(),
        ));
    }
    if let Some(a) = f.audience {
        t.push(one(format!("a:{}", a.code())));
    }
    if let Some(l) = f.level {
        t.push(one(format!("a:level:{}", l.code())));
    }
    if let Some(x) = f.format {
        t.push(one(format!("f:{}", x.code())));
    }
    if let Some(x) = f.theme {
        t.push(one(format!("t:{}", x.code())));
    }
    if let Some(s) = f.status {
        t.push(one(format!("s:{}", s.code())));
    }
    for (on, code) in [
        (f.free, "free"),
        (f.registration, "reg"),
        (f.wheelchair, "acc:w"),
        (f.hearing_loop, "acc:h"),
        (f.visual, "acc:vi"),
        (f.cognitive, "acc:cg"),
        (f.public_only && f.project_id.is_none(), "v"),
    ] {
        if on {
            t.push(one(code.to_owned()));
        }
    }
    if f.from.is_some() || f.to.is_some() {
        if let (Some(from), Some(to)) = (f.from, f.to)
            && to < from
        {
            return None;
        }
        // Day facets sort as their dates: a range of tokens is a range of days.
        let from = f.from.map_or_else(|| "d:".to_owned(), day_facet);
        let to = f.to.map_or_else(|| "d:\u{10FFFF}".to_owned(), day_facet);
        t.push(Term::Range(from, to));
    }
    Some(t)
}

/// One page of activities matching `filter`, by first session then title.
/// `after` continues after the activity with that id (cursor pagination).
pub async fn list(
    c: &impl ConnectionTrait,
    filter: &Filter,
    page: PageRequest,
) -> Result<Page<Activity>, DbErr> {
    let empty = || Page {
        items: Vec::new(),
        total: 0,
        request: page,
    };
    let Some(t) = terms(filter) else {
        return Ok(empty());
    };
    if t.is_empty() {
        let q = Entity::find();
        let total = q.clone().count(c).await?;
        let models = q
            .order_by_asc(Column::FirstStartsAt)
            .order_by_asc(Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(c)
            .await?;
        return Ok(Page {
            items: load(c, models).await?,
            total,
            request: page,
        });
    }
    let Some(plan) = search::plan(c, Search::Activity, &t).await? else {
        return Ok(empty());
    };
    if let Some(near) = &filter.near {
        return by_distance(c, &plan, near, page).await;
    }
    let (total, ids) =
        search::find(c, Search::Activity, &plan, page.offset(), page.per_page).await?;
    Ok(Page {
        items: find_many(c, &ids).await?,
        total,
        request: page,
    })
}

/// One page of the activities matching `plan`, nearest first: each at the
/// distance of its nearest commune in `near`, ties by date.
async fn by_distance(
    c: &impl ConnectionTrait,
    plan: &search::Plan,
    near: &BTreeMap<String, f64>,
    page: PageRequest,
) -> Result<Page<Activity>, DbErr> {
    let (_, ids) = search::find(c, Search::Activity, plan, 0, NEAR_MAX).await?;
    let mut distance: BTreeMap<i64, f64> = BTreeMap::new();
    for chunk in ids.chunks(crate::query::IDS_PER_QUERY) {
        let rows = c
            .query_all(
                Query::select()
                    .columns(["entity_id", "token"])
                    .from(search::TABLE)
                    .and_where(Expr::col("entity").eq(Search::Activity.code()))
                    .and_where(Expr::col("entity_id").is_in(chunk.iter().copied()))
                    .and_where(
                        Expr::col("token").is_in(near.keys().map(|insee| format!("c:{insee}"))),
                    ),
            )
            .await?;
        for r in rows {
            let id: i64 = r.try_get("", "entity_id")?;
            let token: String = r.try_get("", "token")?;
            if let Some(km) = token.strip_prefix("c:").and_then(|i| near.get(i)) {
                let d = distance.entry(id).or_insert(*km);
                *d = d.min(*km);
            }
        }
    }
    let mut ordered = ids;
    // Stable: activities at the same distance keep their date order.
    ordered.sort_by(|a, b| {
        let da = distance.get(a).copied().unwrap_or(f64::MAX);
        let db = distance.get(b).copied().unwrap_or(f64::MAX);
        da.total_cmp(&db)
    });
    let total = u64::try_from(ordered.len()).unwrap_or(u64::MAX);
    let shown: Vec<i64> = ordered
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.per_page).unwrap_or(usize::MAX))
        .collect();
    Ok(Page {
        items: find_many(c, &shown).await?,
        total,
        request: page,
    })
}
