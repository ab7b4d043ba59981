//! The team's inbox on its home page: what waits for each person, by what
//! their role lets them do — class requests to approve, call answers
//! nobody reviews, the week's sessions with their fill, waiting lists and
//! offers, sessions just over that no questionnaire evaluates, activities
//! partners handed over to publish. Each a
//! count and the lines behind it, each line a link to where it is done.

use crate::i18n::{Messages, fill, messages};
use crate::time;
use maillage_db::inbox::{SessionLine, Work};
use maillage_domain::{Action, Locale, Role, authz};

/// Whom the inbox is for: their language and role.
pub struct Viewer {
    pub m: &'static Messages,
    pub locale: Locale,
    pub role: Role,
}

impl Viewer {
    pub fn new(locale: Locale, role: Role) -> Viewer {
        Viewer {
            m: messages(locale),
            locale,
            role,
        }
    }

    fn can(&self, a: Action) -> bool {
        authz::allows(self.role, a)
    }

    /// `one` or `many` filled with `n`, as the language counts: in French
    /// 0 and 1 are singular, in English only 1.
    fn count(&self, n: i64, one: &str, many: &str) -> String {
        crate::i18n::count(self.locale, n, one, many)
    }
}

/// Lines shown per part; the count says how many there are.
const SHOWN: usize = 8;

pub struct Line {
    pub href: String,
    pub title: String,
    pub detail: String,
    /// Full, or a request waiting: stands out.
    pub alert: bool,
}

pub struct Part {
    pub id: &'static str,
    pub title: &'static str,
    pub count: usize,
    pub empty: &'static str,
    pub lines: Vec<Line>,
    pub more: Option<String>,
}

/// The daily digest: each part with its count and first lines, and the
/// link to the inbox; none when nothing waits.
pub fn digest(v: &Viewer, base_url: &str, name: &str, w: Work) -> Option<(String, String)> {
    let parts = parts(v, w);
    if parts.iter().all(|p| p.count == 0) {
        return None;
    }
    let mut body = fill(v.m.digest_intro, &[("name", name)]);
    for p in parts.iter().filter(|p| p.count > 0) {
        body.push_str(&format!("\n\n{} ({})\n", p.title, p.count));
        for x in &p.lines {
            body.push_str(&format!(
                "- {}{}{}\n  {base_url}{}\n",
                x.title, v.m.colon, x.detail, x.href
            ));
        }
        if let Some(more) = &p.more {
            body.push_str(more);
            body.push('\n');
        }
    }
    body.push_str(&fill(
        v.m.digest_footer,
        &[("link", &format!("{base_url}/team"))],
    ));
    Some((v.m.digest_subject.to_owned(), body))
}

impl Part {
    fn new(
        id: &'static str,
        title: &'static str,
        empty: &'static str,
        all: Vec<Line>,
        ctx: &Viewer,
    ) -> Part {
        let count = all.len();
        let more =
            (count > SHOWN).then(|| fill(ctx.m.inbox_more, &[("n", &(count - SHOWN).to_string())]));
        Part {
            id,
            title,
            count,
            empty,
            lines: all.into_iter().take(SHOWN).collect(),
            more,
        }
    }
}

/// "12 / 25 places (48 %)", or "12 places" without a capacity.
fn fill_of(ctx: &Viewer, l: &SessionLine) -> String {
    match l.capacity {
        Some(cap) if cap > 0 => fill(
            ctx.m.inbox_fill,
            &[
                ("held", &l.held.to_string()),
                ("capacity", &cap.to_string()),
                ("rate", &(l.held * 100 / i64::from(cap)).to_string()),
            ],
        ),
        _ => fill(ctx.m.inbox_fill_open, &[("held", &l.held.to_string())]),
    }
}

fn session_line(ctx: &Viewer, l: &SessionLine, href: String, detail: String, alert: bool) -> Line {
    Line {
        href,
        title: format!("{} — {}", l.title, time::datetime(ctx.locale, l.starts_at)),
        detail,
        alert,
    }
}

/// The parts of the inbox `ctx`'s role acts on, in order of urgency.
pub fn parts(ctx: &Viewer, w: Work) -> Vec<Part> {
    let m = ctx.m;
    let bookings = |id: i64| format!("/team/sessions/{id}/bookings");
    let mut out = Vec::new();
    if ctx.can(Action::ManageBookings) {
        let lines = w
            .requests
            .iter()
            .map(|l| {
                let n = ctx.count(l.pending, m.inbox_requests_one, m.inbox_requests_n);
                session_line(ctx, l, bookings(l.session_id), n, true)
            })
            .collect();
        out.push(Part::new(
            "requests",
            m.inbox_requests,
            m.inbox_requests_none,
            lines,
            ctx,
        ));
    }
    if ctx.can(Action::ReviewSubmissions) {
        let lines = w
            .answers
            .iter()
            .map(|c| Line {
                href: format!("/team/calls/{}/submissions", c.call_id),
                title: c.title.clone(),
                detail: ctx.count(c.unassigned, m.inbox_answers_one, m.inbox_answers_n),
                alert: true,
            })
            .collect();
        out.push(Part::new(
            "answers",
            m.inbox_answers,
            m.inbox_answers_none,
            lines,
            ctx,
        ));
    }
    if ctx.can(Action::CheckIn) {
        let check_in = !ctx.can(Action::ReadBookings);
        let lines = w
            .week
            .iter()
            .map(|l| {
                let href = if check_in {
                    format!("/team/sessions/{}/checkin", l.session_id)
                } else {
                    bookings(l.session_id)
                };
                let full = l.capacity.is_some_and(|c| l.held >= i64::from(c));
                session_line(ctx, l, href, fill_of(ctx, l), full)
            })
            .collect();
        out.push(Part::new(
            "week",
            m.inbox_week,
            m.inbox_week_none,
            lines,
            ctx,
        ));
    }
    if ctx.can(Action::ManageBookings) {
        let lines = w
            .waiting
            .iter()
            .map(|l| {
                let detail = fill(
                    m.inbox_waiting_n,
                    &[
                        ("n", &l.waiting.to_string()),
                        ("offers", &l.offers.to_string()),
                    ],
                );
                session_line(ctx, l, bookings(l.session_id), detail, false)
            })
            .collect();
        out.push(Part::new(
            "waiting",
            m.inbox_waiting,
            m.inbox_waiting_none,
            lines,
            ctx,
        ));
    }
    if ctx.can(Action::ManageForms) {
        let lines = w
            .to_evaluate
            .iter()
            .map(|l| {
                let href = format!("/team/forms/new?activity={}", l.activity_id);
                session_line(ctx, l, href, fill_of(ctx, l), false)
            })
            .collect();
        out.push(Part::new(
            "evaluate",
            m.inbox_evaluate,
            m.inbox_evaluate_none,
            lines,
            ctx,
        ));
    }
    if ctx.can(Action::ManageProgramme) {
        let lines = w
            .to_publish
            .iter()
            .map(|a| Line {
                href: format!("/team/programme/activities/{}", a.activity_id),
                title: a.title.clone(),
                detail: a.project.clone(),
                alert: false,
            })
            .collect();
        out.push(Part::new(
            "publish",
            m.inbox_publish,
            m.inbox_publish_none,
            lines,
            ctx,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number_in_each_language() {
        let fr = Viewer::new(Locale::Fr, Role::Staff);
        let (one, many) = (fr.m.inbox_requests_one, fr.m.inbox_requests_n);
        assert_eq!(fr.count(1, one, many), "1 demande en attente de validation");
        assert_eq!(
            fr.count(3, one, many),
            "3 demandes en attente de validation"
        );
        let en = Viewer::new(Locale::En, Role::Staff);
        let (one, many) = (en.m.inbox_answers_one, en.m.inbox_answers_n);
        assert_eq!(
            en.count(1, one, many),
            "1 submitted answer without a reviewer"
        );
        assert_eq!(
            en.count(0, one, many),
            "0 submitted answers without a reviewer"
        );
    }
}
