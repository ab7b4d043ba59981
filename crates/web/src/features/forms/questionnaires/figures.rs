//! The figures of a questionnaire's results as the page shows them: per
//! question the counts and percentages of its answers with their bar
//! chart (and its data table), mean, median and NPS, the free texts; and
//! the cross-tabulation of two questions.

use crate::i18n::{Messages, fill};
use maillage_domain::Locale;
use maillage_domain::forms::tally::{CrossTab, QuestionResult};
use maillage_reports::svg;
use maillage_reports::text::{int, percent};

/// A count in the user's language.
pub(super) fn n(locale: Locale, v: u64) -> String {
    int(locale, i64::try_from(v).unwrap_or(i64::MAX))
}

/// The share `count / of` as a percentage ("42,5 %").
fn share(locale: Locale, count: u64, of: u64) -> String {
    if of == 0 {
        return percent(locale, 0.0);
    }
    percent(locale, count as f64 / of as f64)
}

/// A line of a question's data table.
pub struct OptionRow {
    pub label: String,
    pub count: String,
    pub percent: String,
}

/// One question of the results.
pub struct QuestionView {
    pub anchor: String,
    pub label: String,
    /// Only in an older version of the form.
    pub removed: bool,
    /// "312 réponses (86,7 %)".
    pub answered: String,
    pub any: bool,
    /// Key figures: mean, median, NPS.
    pub stats: Vec<(&'static str, String)>,
    pub chart: Option<String>,
    pub options: Vec<OptionRow>,
    /// Promoters, passives, detractors.
    pub nps_groups: Vec<OptionRow>,
    /// Free texts: the first ones shown, the others folded.
    pub texts: Vec<String>,
    pub texts_more: Vec<String>,
    pub texts_more_label: String,
    /// "1 000 shown of 1 250" when the storage kept only the first ones.
    pub texts_cut: Option<String>,
    pub file: bool,
}

/// Texts shown before the others are folded.
const TEXTS_OPEN: usize = 10;

fn option_label(m: &Messages, kind: &str, key: &str, label: &str) -> String {
    match (kind, key) {
        ("yes_no", "yes") => m.fm_yes.to_owned(),
        ("yes_no", "no") => m.fm_no.to_owned(),
        _ => label.to_owned(),
    }
}

pub(super) fn question_view(
    m: &'static Messages,
    locale: Locale,
    index: usize,
    responses: u64,
    q: QuestionResult,
) -> QuestionView {
    let anchor = format!("q{}", index + 1);
    let options: Vec<OptionRow> = q
        .options
        .iter()
        .map(|o| OptionRow {
            label: option_label(m, q.kind, &o.key, &o.label),
            count: n(locale, o.count),
            percent: percent(locale, o.percent / 100.0),
        })
        .collect();
    let chart = (!q.options.is_empty() && q.answered > 0).then(|| {
        let bars: Vec<svg::Bar> = q
            .options
            .iter()
            .zip(&options)
            .map(|(o, row)| svg::Bar {
                label: row.label.clone(),
                value: i64::try_from(o.count).unwrap_or(i64::MAX),
                previous: None,
                text: format!("{} ({})", row.count, row.percent),
            })
            .collect();
        let colon = match locale {
            Locale::Fr => " : ",
            Locale::En => ": ",
        };
        let desc = options
            .iter()
            .map(|o| format!("{}{colon}{} ({})", o.label, o.count, o.percent))
            .collect::<Vec<_>>()
            .join(" ; ");
        svg::bars(&format!("chart-{anchor}"), &q.label, &desc, &bars, None)
    });
    let mut stats = Vec::new();
    if let Some(v) = q.nps {
        let sign = if v > 0.0 { "+" } else { "" };
        stats.push((m.qs_nps, format!("{sign}{}", locale.decimal(v, 1))));
    }
    if let Some(v) = q.mean {
        stats.push((m.qs_mean, locale.decimal(v, 1)));
    }
    if let Some(v) = q.median {
        stats.push((m.qs_median, locale.decimal(v, 1)));
    }
    let mut nps_groups = Vec::new();
    if q.kind == "nps" && q.answered > 0 {
        let sum = |from: usize, to: usize| -> u64 {
            q.options
                .iter()
                .filter(|o| {
                    o.key
                        .parse::<usize>()
                        .is_ok_and(|v| (from..=to).contains(&v))
                })
                .map(|o| o.count)
                .sum()
        };
        for (label, count) in [
            (m.qs_promoters, sum(9, 10)),
            (m.qs_passives, sum(7, 8)),
            (m.qs_detractors, sum(0, 6)),
        ] {
            nps_groups.push(OptionRow {
                label: label.to_owned(),
                count: n(locale, count),
                percent: share(locale, count, q.answered),
            });
        }
    }
    let mut texts = q.texts;
    let texts_more = if texts.len() > TEXTS_OPEN {
        texts.split_off(TEXTS_OPEN)
    } else {
        Vec::new()
    };
    let kept = (texts.len() + texts_more.len()) as u64;
    QuestionView {
        removed: !q.current,
        answered: format!(
            "{} ({})",
            fill(m.qs_answered, &[("n", &n(locale, q.answered))]),
            share(locale, q.answered, responses)
        ),
        any: q.answered > 0,
        stats,
        chart,
        options: if q.answered > 0 { options } else { Vec::new() },
        nps_groups,
        texts_more_label: fill(
            m.qs_texts_more,
            &[("n", &int(locale, texts_more.len() as i64))],
        ),
        texts,
        texts_more,
        texts_cut: (q.texts_total > kept).then(|| {
            fill(
                m.qs_texts_cut,
                &[
                    ("kept", &n(locale, kept)),
                    ("total", &n(locale, q.texts_total)),
                ],
            )
        }),
        file: q.kind == "file",
        label: q.label,
        anchor,
    }
}

/// The cross-tabulation as a table.
pub struct CrossView {
    pub caption: String,
    pub columns: Vec<String>,
    /// Label, cells, row total.
    pub rows: Vec<(String, Vec<String>, String)>,
    pub totals: Vec<String>,
    pub total: String,
    pub multiple: bool,
    /// Why some cells are masked, when some are.
    pub masked: Option<String>,
}

pub(super) fn cross_view(
    m: &Messages,
    locale: Locale,
    x: &CrossTab,
    kinds: (&str, &str),
) -> CrossView {
    let label = |kind: &str, (k, l): &(String, String)| option_label(m, kind, k, l);
    let columns: Vec<String> = x.columns.values.iter().map(|v| label(kinds.1, v)).collect();
    let mut totals = vec![0u64; columns.len()];
    let mut rows = Vec::with_capacity(x.rows.values.len());
    // Cells of a few respondents, and what would give them away, are
    // masked (the note under the table says why).
    use maillage_domain::forms::disclosure;
    let hidden = disclosure::hidden(&x.counts);
    let (row_hidden, col_hidden) = disclosure::hidden_totals(&hidden);
    let grand_hidden = disclosure::hidden_grand_total(&row_hidden, &col_hidden);
    let few = m.qs_cell_hidden.to_owned();
    for (((v, counts), hide), total_hidden) in x
        .rows
        .values
        .iter()
        .zip(&x.counts)
        .zip(&hidden)
        .zip(&row_hidden)
    {
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
        rows.push((
            label(kinds.0, v),
            counts
                .iter()
                .zip(hide)
                .map(|(c, h)| if *h { few.clone() } else { n(locale, *c) })
                .collect(),
            if *total_hidden {
                few.clone()
            } else {
                n(locale, counts.iter().sum())
            },
        ));
    }
    CrossView {
        caption: fill(
            m.qs_crosstab_caption,
            &[("rows", &x.rows.label), ("cols", &x.columns.label)],
        ),
        columns,
        rows,
        total: if grand_hidden {
            few.clone()
        } else {
            n(locale, totals.iter().sum())
        },
        masked: hidden.iter().flatten().any(|h| *h).then(|| {
            fill(
                m.qs_crosstab_masked,
                &[("n", &disclosure::MIN_CELL.to_string())],
            )
        }),
        totals: totals
            .into_iter()
            .zip(&col_hidden)
            .map(|(t, h)| if *h { few.clone() } else { n(locale, t) })
            .collect(),
        multiple: kinds.0 == "multiple_choice" || kinds.1 == "multiple_choice",
    }
}
