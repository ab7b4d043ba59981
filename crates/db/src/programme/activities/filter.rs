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
}

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
    let (total, ids) =
        search::find(c, Search::Activity, &plan, page.offset(), page.per_page).await?;
    Ok(Page {
        items: find_many(c, &ids).await?,
        total,
        request: page,
    })
}
