//! A project's plan as a server-drawn SVG timeline: one row per task at
//! its due date, the project's days as a band, today's line; late tasks in
//! the accent colour, done ones hollow. The table beside it carries the
//! same tasks (the SVG is an image with a title and a description).

use chrono::NaiveDate;
use maillage_reports::svg::{escape, truncate};
use std::fmt::Write;

pub struct Mark<'a> {
    pub title: &'a str,
    pub due: NaiveDate,
    pub late: bool,
    pub done: bool,
}

pub struct Words<'a> {
    pub title: &'a str,
    pub desc: &'a str,
    pub today: &'a str,
    pub project: &'a str,
}

const INK: &str = "#1c2430";
const BRAND: &str = "#0b5c7a";
const LATE: &str = "#b3261e";
const BAND: &str = "#e3eef3";

/// The timeline of `marks` around the project's days (`starts_on` to
/// `ends_on`), with a line at `today` when it falls in the span.
pub fn svg(
    marks: &[Mark<'_>],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
    w: &Words<'_>,
) -> String {
    let first = marks
        .iter()
        .map(|m| m.due)
        .chain([starts_on])
        .min()
        .unwrap_or(starts_on);
    let last = marks
        .iter()
        .map(|m| m.due)
        .chain([ends_on])
        .max()
        .unwrap_or(ends_on);
    let span = (last - first).num_days().max(1) as f64;
    let (width, label_w, right, top, row) = (760.0, 250.0, 20.0, 34.0, 22.0);
    let plot = width - label_w - right;
    let x = |d: NaiveDate| label_w + (d - first).num_days() as f64 / span * plot;
    let height = top + row * marks.len() as f64 + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="plan-t plan-d" font-family="sans-serif" font-size="12"><title id="plan-t">{}</title><desc id="plan-d">{}</desc>"#,
        escape(w.title),
        escape(w.desc)
    );
    // The project's days, then today.
    let (a, b) = (x(starts_on), x(ends_on).max(x(starts_on) + 3.0));
    // The project's name over its band, kept inside the picture.
    let (name_x, anchor) = if a > width * 0.6 {
        (b, "end")
    } else {
        (a, "start")
    };
    let _ = write!(
        s,
        r#"<rect x="{a:.1}" y="20" width="{:.1}" height="{:.1}" fill="{BAND}"/><text x="{name_x:.1}" y="14" fill="{INK}" text-anchor="{anchor}">{}</text>"#,
        b - a,
        height - 24.0,
        escape(w.project)
    );
    if today >= first && today <= last {
        let t = x(today);
        let _ = write!(
            s,
            r#"<line x1="{t:.1}" y1="20" x2="{t:.1}" y2="{:.1}" stroke="{LATE}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{t:.1}" y="{:.1}" fill="{LATE}" text-anchor="middle">{}</text>"#,
            height - 4.0,
            height - 2.0,
            escape(w.today)
        );
    }
    for (i, m) in marks.iter().enumerate() {
        let y = top + row * i as f64;
        let colour = if m.late { LATE } else { BRAND };
        let cx = x(m.due);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{}">{}</text><line x1="{label_w}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#c9d1dc"/>"##,
            label_w - 8.0,
            y + 4.0,
            if m.late { LATE } else { INK },
            escape(&truncate(m.title, 38)),
            y,
            width - right,
            y,
        );
        if m.done {
            let _ = write!(
                s,
                r##"<circle cx="{cx:.1}" cy="{y:.1}" r="5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>"##
            );
        } else {
            let _ = write!(
                s,
                r#"<circle cx="{cx:.1}" cy="{y:.1}" r="6" fill="{colour}"/>"#
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_draws_each_task_today_and_the_project() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        let marks = [
            Mark {
                title: "Appel <à> partenaires",
                due: d(2, 1),
                late: true,
                done: false,
            },
            Mark {
                title: "Bilan",
                due: d(11, 15),
                late: false,
                done: true,
            },
        ];
        let words = Words {
            title: "Plan",
            desc: "Tâches",
            today: "Aujourd'hui",
            project: "Fête 2027",
        };
        let svg = svg(&marks, d(10, 1), d(10, 11), d(3, 1), &words);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"plan-t\">Plan</title>"));
        assert!(svg.contains("Appel &lt;à&gt; partenaires"));
        // Late in the accent colour, done hollow, today's line drawn.
        assert!(svg.contains(&format!(r#"r="6" fill="{LATE}""#)));
        assert!(svg.contains(r##"fill="#ffffff" stroke="##));
        assert!(svg.contains("stroke-dasharray") && svg.contains("Aujourd&#39;hui"));
        // Today outside the span: no line.
        let later = super::svg(&marks, d(10, 1), d(10, 11), d(12, 31), &words);
        assert!(!later.contains("stroke-dasharray"));
    }
}
