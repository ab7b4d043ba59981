//! The summaries of a bilan's evaluation questionnaires: one table each,
//! a row per question in a few words, beside what the previous edition's
//! respondents said.

use super::Questionnaire;
use super::layout::{Cell, Table};
use crate::text;
use maillage_domain::Locale;
use maillage_domain::forms::tally::{OptionCount, QuestionResult};

/// One row per question: how many answered, and what they said in a few
/// words (mean and median of a scale, the NPS, the most chosen options,
/// the number of comments); with the previous edition's questionnaire,
/// what its respondents said to the same question.
pub(super) fn table(locale: Locale, q: &Questionnaire) -> Table {
    let l = text::labels(locale);
    let before = q.previous.as_deref();
    let rows = q
        .results
        .questions
        .iter()
        .filter(|r| r.current || r.answered > 0)
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.label.clone()),
                Cell::Int(r.answered as i64),
                Cell::Text(summary(locale, r)),
            ];
            if let Some(b) = before {
                let then = b.results.questions.iter().find(|p| p.key == r.key);
                row.push(Cell::Text(
                    then.filter(|p| p.answered > 0)
                        .map_or_else(|| "—".to_owned(), |p| summary(locale, p)),
                ));
            }
            row
        })
        .collect();
    let mut header = [l.question, l.answered, l.results]
        .map(str::to_owned)
        .to_vec();
    let mut numeric = vec![false, true, false];
    let mut title = format!(
        "{} — {} ({} {})",
        l.questionnaire,
        q.title,
        text::int(locale, q.results.responses as i64),
        l.responses
    );
    if let Some(b) = before {
        header.push(l.previous_edition.to_owned());
        numeric.push(false);
        let (semi, colon) = match locale {
            Locale::Fr => (" ;", " :"),
            Locale::En => (";", ":"),
        };
        title = format!(
            "{title}{semi} {}{colon} {} {}",
            l.previous_edition.to_lowercase(),
            text::int(locale, b.results.responses as i64),
            l.responses
        );
    }
    Table {
        key: "questionnaire",
        title,
        header,
        rows,
        numeric,
    }
}

/// What the respondents said to one question, in a few words.
fn summary(locale: Locale, r: &QuestionResult) -> String {
    let l = text::labels(locale);
    let dec = |x: f64| locale.decimal(x, 1);
    match r.kind {
        "scale" | "number" => match (r.mean, r.median) {
            (Some(m), Some(med)) => {
                format!("{} {} · {} {}", l.mean, dec(m), l.median, dec(med))
            }
            _ => String::new(),
        },
        "nps" => r.nps.map_or_else(String::new, |n| {
            format!(
                "NPS {}{} · {} {}",
                if n >= 0.0 { "+" } else { "" },
                dec(n),
                l.mean,
                r.mean.map_or_else(String::new, dec)
            )
        }),
        "short_text" | "long_text" => {
            format!("{} {}", text::int(locale, r.texts_total as i64), l.comments)
        }
        _ => {
            let mut top: Vec<&OptionCount> = r.options.iter().filter(|o| o.count > 0).collect();
            top.sort_by_key(|o| std::cmp::Reverse(o.count));
            top.iter()
                .take(4)
                .map(|o| {
                    // A yes/no question's options are its codes: in words.
                    let label = match (r.kind, o.label.as_str()) {
                        ("yes_no", "yes") => l.yes,
                        ("yes_no", "no") => l.no,
                        _ => o.label.as_str(),
                    };
                    format!("{label} {}", text::percent(locale, o.percent / 100.0))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        }
    }
}
