//! `GET /team/tasks/week?week=2027-W10&project=&assignee=&status=`: the
//! team's tasks due in one ISO week, a section per day from Monday to
//! Sunday, with the weeks before and after; in the current week, the open
//! tasks due before its Monday come first, as late. Filters by project,
//! person and status in a GET form. A week that cannot be read shows the
//! current one, with a message beside the field and what was typed kept.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::i18n::{field_error, fill};
use crate::shared::{html, query_string};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Paris;
use maillage_db::planning::queries::{self, Filter, Line};
use maillage_db::programme::projects;
use maillage_domain::FieldError;
use maillage_domain::planning::TaskStatus;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WeekQuery {
    week: String,
    project: String,
    assignee: String,
    status: String,
}

/// A task as the week shows it.
pub struct Item {
    pub id: i64,
    pub title: String,
    /// Its project's plan, where the task is.
    pub href: Option<String>,
    pub project: Option<String>,
    pub due: String,
    pub status: &'static str,
    /// The names of the people it is assigned to.
    pub assignees: String,
    pub late: bool,
}

/// A part of the page: the late tasks, or a day.
pub struct Section {
    /// Its heading's id.
    pub id: String,
    pub title: String,
    /// The late tasks (its heading in red).
    pub late: bool,
    pub today: bool,
    pub items: Vec<Item>,
}

/// The messages beside the filters' fields.
#[derive(Default)]
pub struct Errors {
    pub week: Option<String>,
    pub project: Option<String>,
    pub assignee: Option<String>,
    pub status: Option<String>,
}

#[derive(Template)]
#[template(path = "planning/week.html")]
struct WeekPage {
    l: Layout,
    /// What the week field holds: the week shown, or what was typed.
    week: String,
    caption: String,
    projects: Vec<Choice>,
    people: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: Errors,
    prev: String,
    next: String,
    current: String,
    /// In the current week, the open tasks due before its Monday (when
    /// there are some); then the days, Monday to Sunday.
    sections: Vec<Section>,
    count: usize,
}

/// The Monday of an ISO week written `2027-W10` (`2027-w10`, `2027-W3`).
pub fn monday_of(week: &str) -> Option<NaiveDate> {
    let (year, w) = week.trim().split_once(['W', 'w'])?;
    let year: i32 = year.strip_suffix('-')?.parse().ok()?;
    let w: u32 = w.parse().ok()?;
    NaiveDate::from_isoywd_opt(year, w, Weekday::Mon)
}

/// The ISO week of `d`, as the field writes it (`2027-W10`).
pub fn week_of(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// `v` read as the identifier of one of `known`; an error otherwise.
fn id_among(v: &str, known: &[i64]) -> Result<Option<i64>, FieldError> {
    match v.trim() {
        "" => Ok(None),
        s => s
            .parse::<i64>()
            .ok()
            .filter(|id| known.contains(id))
            .map(Some)
            .ok_or(FieldError::InvalidChoice),
    }
}

fn item(ctx: &Ctx, l: Line, today: NaiveDate) -> Item {
    Item {
        late: l.is_late(today),
        href: l
            .project
            .as_ref()
            .map(|p| format!("/team/projects/{}/plan#task-{}", p.id, l.id)),
        project: l.project.map(|p| p.name),
        due: l
            .due_on
            .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
        status: l.status.label(ctx.locale),
        assignees: l
            .assignees
            .into_iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(", "),
        id: l.id,
        title: l.title,
    }
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WeekQuery>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let m = ctx.m;
    let today = Utc::now().with_timezone(&Paris).date_naive();
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let mut errors = Errors::default();
    let (monday, week) = match q.week.trim() {
        "" => (this_monday, week_of(this_monday)),
        typed => match monday_of(typed) {
            Some(d) => (d, week_of(d)),
            None => {
                errors.week = Some(m.plx_week_error.to_owned());
                (this_monday, typed.to_owned())
            }
        },
    };
    let sunday = monday + Days::new(6);

    let all_projects = projects::list(c, false).await?;
    let team = queries::team(c).await?;
    let mut filter = Filter::new(today);
    let project_ids: Vec<i64> = all_projects.iter().map(|p| p.id).collect();
    match id_among(&q.project, &project_ids) {
        Ok(p) => filter.project = p,
        Err(e) => errors.project = Some(field_error(m, &e)),
    }
    let people_ids: Vec<i64> = team.iter().map(|p| p.id).collect();
    match id_among(&q.assignee, &people_ids) {
        Ok(p) => filter.assignee = p,
        Err(e) => errors.assignee = Some(field_error(m, &e)),
    }
    match q.status.trim() {
        "" => {}
        s => match TaskStatus::parse(s) {
            Ok(s) => filter.status = Some(s),
            Err(e) => errors.status = Some(field_error(m, &e)),
        },
    }

    let mut days: Vec<Section> = (0..7)
        .map(|i| {
            let d = monday + Days::new(i);
            Section {
                id: format!("day-{d}"),
                title: crate::time::long_date(ctx.locale, d),
                late: false,
                today: d == today,
                items: Vec::new(),
            }
        })
        .collect();
    let in_week = Filter {
        due_from: Some(monday),
        due_to: Some(sunday),
        ..filter.clone()
    };
    let mut count = 0;
    for l in queries::all(c, &in_week).await? {
        if let Some(i) = l.due_on.map(|d| (d - monday).num_days())
            && let Some(day) = usize::try_from(i).ok().and_then(|i| days.get_mut(i))
        {
            day.items.push(item(&ctx, l, today));
            count += 1;
        }
    }
    let mut sections = Vec::new();
    if (monday..=sunday).contains(&today) {
        let before = Filter {
            open: true,
            due_to: monday.pred_opt(),
            ..filter.clone()
        };
        let items: Vec<Item> = queries::all(c, &before)
            .await?
            .into_iter()
            .map(|l| item(&ctx, l, today))
            .collect();
        count += items.len();
        if !items.is_empty() {
            sections.push(Section {
                id: "late".into(),
                title: format!("{} ({})", m.plx_late, items.len()),
                late: true,
                today: false,
                items,
            });
        }
    }
    sections.extend(days);

    let kept = |name: &str, v: &str| (name.to_owned(), v.trim().to_owned());
    let keep = [
        kept("project", &q.project),
        kept("assignee", &q.assignee),
        kept("status", &q.status),
    ];
    let link = |week: &str| {
        let mut params = vec![("week".to_owned(), week.to_owned())];
        params.extend(keep.iter().cloned());
        format!("/team/tasks/week?{}", query_string(&params))
    };
    let selected = |v: &str, id: i64| v.trim() == id.to_string();
    let caption = fill(
        m.plx_caption,
        &[
            ("from", &crate::time::long_date(ctx.locale, monday)),
            ("to", &crate::time::long_date(ctx.locale, sunday)),
        ],
    );
    html(WeekPage {
        l: ctx.layout(format!("{} — {}", m.plx_title, week_of(monday))),
        caption,
        projects: all_projects
            .iter()
            .map(|p| {
                Choice::new(
                    p.id.to_string(),
                    p.data.name.clone(),
                    selected(&q.project, p.id),
                )
            })
            .collect(),
        people: team
            .iter()
            .map(|p| {
                Choice::new(
                    p.id.to_string(),
                    p.name.clone(),
                    selected(&q.assignee, p.id),
                )
            })
            .collect(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| Choice::new(s.code(), s.label(ctx.locale), filter.status == Some(*s)))
            .collect(),
        prev: link(&week_of(monday - Days::new(7))),
        next: link(&week_of(monday + Days::new(7))),
        current: link(&week_of(this_monday)),
        errors,
        week,
        sections,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_read_and_write() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(monday_of("2027-W10"), Some(d(2027, 3, 8)));
        assert_eq!(monday_of(" 2027-w1 "), Some(d(2027, 1, 4)));
        assert_eq!(monday_of("2026-W53"), Some(d(2026, 12, 28)));
        assert_eq!(monday_of("2027-W53"), None, "2027 has 52 weeks");
        for bad in [
            "", "2027", "2027W10", "2027-W", "2027-W0", "x-W10", "2027-10",
        ] {
            assert_eq!(monday_of(bad), None, "{bad}");
        }
        assert_eq!(week_of(d(2027, 3, 14)), "2027-W10");
        assert_eq!(week_of(d(2027, 1, 1)), "2026-W53");
    }
}
