//! Statistics of many responses, computed in one pass: [`Tally`] takes the
//! answers one response at a time and keeps only counters (and, for free
//! numbers and texts, the values), so 100,000 responses are read as a
//! stream. Answers to older versions of a form count under their field
//! key: a field kept across versions keeps counting; a removed field still
//! appears, with its old label.

use super::{Answer, Answers, Field, Kind, Schema, format_number};
use serde::Serialize;
use std::collections::HashMap;

/// Free-text answers kept per question (the total is always counted).
pub const TEXTS_KEPT: usize = 1_000;

/// The figures of one option (or one value of a scale).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    pub key: String,
    pub label: String,
    pub count: u64,
    /// Of the responses that answered the question, rounded to 0.1 (a
    /// multiple choice sums over 100).
    pub percent: f64,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub key: String,
    pub label: String,
    pub kind: &'static str,
    /// Still in the current version of the form.
    pub current: bool,
    /// Responses that answered it.
    pub answered: u64,
    /// Choices, yes/no (`yes`, `no`), scale and NPS values, in order.
    pub options: Vec<OptionCount>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// NPS: % of promoters (9–10) minus % of detractors (0–6).
    pub nps: Option<f64>,
    /// Free-text answers, the first [`TEXTS_KEPT`].
    pub texts: Vec<String>,
    pub texts_total: u64,
}

#[derive(Debug, Clone)]
enum Acc {
    /// Choices and yes/no.
    Options {
        keys: Vec<String>,
        labels: Vec<String>,
        index: HashMap<String, usize>,
        counts: Vec<u64>,
    },
    /// Whole values from `min` (scale, NPS): exact median from the counts.
    Values {
        min: i64,
        counts: Vec<u64>,
        sum: f64,
        end_labels: (Option<String>, Option<String>),
        nps: bool,
    },
    Numbers(Vec<f64>),
    Texts {
        kept: Vec<String>,
        total: u64,
    },
    /// Files: only counted.
    Count,
}

#[derive(Debug, Clone)]
struct Question {
    key: String,
    label: String,
    kind: &'static str,
    current: bool,
    answered: u64,
    acc: Acc,
}

fn options_acc(pairs: impl IntoIterator<Item = (String, String)>) -> Acc {
    let (mut keys, mut labels, mut index) = (Vec::new(), Vec::new(), HashMap::new());
    for (k, l) in pairs {
        index.insert(k.clone(), keys.len());
        keys.push(k);
        labels.push(l);
    }
    let counts = vec![0; keys.len()];
    Acc::Options {
        keys,
        labels,
        index,
        counts,
    }
}

fn new_acc(f: &Field) -> Acc {
    match &f.kind {
        Kind::SingleChoice { options }
        | Kind::MultipleChoice { options, .. }
        | Kind::Dropdown { options } => {
            options_acc(options.iter().map(|o| (o.key.clone(), o.label.clone())))
        }
        Kind::YesNo => options_acc([("yes".into(), "yes".into()), ("no".into(), "no".into())]),
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => Acc::Values {
            min: i64::from(*min),
            counts: vec![0; usize::try_from(max - min + 1).unwrap_or(0)],
            sum: 0.0,
            end_labels: (min_label.clone(), max_label.clone()),
            nps: false,
        },
        Kind::Nps => Acc::Values {
            min: 0,
            counts: vec![0; 11],
            sum: 0.0,
            end_labels: (None, None),
            nps: true,
        },
        Kind::Number { .. } => Acc::Numbers(Vec::new()),
        Kind::ShortText | Kind::LongText | Kind::Email | Kind::Phone | Kind::Date => Acc::Texts {
            kept: Vec::new(),
            total: 0,
        },
        Kind::File { .. } => Acc::Count,
    }
}

/// The streaming aggregator of a form's responses.
#[derive(Debug, Clone)]
pub struct Tally {
    questions: Vec<Question>,
    index: HashMap<String, usize>,
    responses: u64,
}

impl Tally {
    /// A tally of the questions of `schema` (the current version).
    pub fn new(schema: &Schema) -> Tally {
        let mut t = Tally {
            questions: Vec::new(),
            index: HashMap::new(),
            responses: 0,
        };
        t.add_fields(schema, true);
        t
    }

    /// Takes in an older version: its fields the current version lost are
    /// added (with their old labels), and options it had are kept.
    pub fn include_version(&mut self, schema: &Schema) {
        self.add_fields(schema, false);
    }

    fn add_fields(&mut self, schema: &Schema, current: bool) {
        for f in schema.fields() {
            match self.index.get(&f.key) {
                None => {
                    self.index.insert(f.key.clone(), self.questions.len());
                    self.questions.push(Question {
                        key: f.key.clone(),
                        label: f.label.clone(),
                        kind: f.kind.code(),
                        current,
                        answered: 0,
                        acc: new_acc(f),
                    });
                }
                Some(&i) => {
                    // Options an older version had and the current lost.
                    if let Acc::Options {
                        keys,
                        labels,
                        index,
                        counts,
                    } = &mut self.questions[i].acc
                    {
                        for o in f.kind.options() {
                            if !index.contains_key(&o.key) {
                                index.insert(o.key.clone(), keys.len());
                                keys.push(o.key.clone());
                                labels.push(o.label.clone());
                                counts.push(0);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Counts one response.
    pub fn add(&mut self, answers: &Answers) {
        self.responses += 1;
        for (key, answer) in &answers.0 {
            if let Some(&i) = self.index.get(key) {
                let q = &mut self.questions[i];
                if q.acc.add(answer) {
                    q.answered += 1;
                }
            }
        }
    }

    /// Responses counted.
    pub fn responses(&self) -> u64 {
        self.responses
    }

    pub fn finish(self) -> Vec<QuestionResult> {
        self.questions.into_iter().map(Question::finish).collect()
    }
}

impl Acc {
    /// Adds one answer; false when it does not fit the question (an answer
    /// to an older version whose field changed kind).
    fn add(&mut self, a: &Answer) -> bool {
        match (self, a) {
            (Acc::Options { index, counts, .. }, Answer::Choice(c)) => match index.get(c) {
                Some(&i) => {
                    counts[i] += 1;
                    true
                }
                None => false,
            },
            (Acc::Options { index, counts, .. }, Answer::Choices(cs)) => {
                let mut any = false;
                for c in cs {
                    if let Some(&i) = index.get(c) {
                        counts[i] += 1;
                        any = true;
                    }
                }
                any
            }
            (Acc::Options { index, counts, .. }, Answer::Bool(b)) => {
                match index.get(if *b { "yes" } else { "no" }) {
                    Some(&i) => {
                        counts[i] += 1;
                        true
                    }
                    None => false,
                }
            }
            (
                Acc::Values {
                    min, counts, sum, ..
                },
                Answer::Number(n),
            ) => {
                let v = *n as i64;
                match usize::try_from(v - *min).ok().filter(|i| *i < counts.len()) {
                    Some(i) if n.fract() == 0.0 => {
                        counts[i] += 1;
                        *sum += *n;
                        true
                    }
                    _ => false,
                }
            }
            (Acc::Numbers(values), Answer::Number(n)) => {
                values.push(*n);
                true
            }
            (Acc::Texts { kept, total }, a @ (Answer::Text(_) | Answer::Date(_))) => {
                *total += 1;
                if kept.len() < TEXTS_KEPT {
                    kept.push(a.display(None));
                }
                true
            }
            (Acc::Count, Answer::File(_)) => true,
            _ => false,
        }
    }
}

fn percent(count: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (count as f64 * 1000.0 / of as f64).round() / 10.0
    }
}

/// The median of values given as counts per value (`min`, `min + 1`, …).
fn median_of_counts(min: i64, counts: &[u64]) -> Option<f64> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    // The k-th smallest value (0-based).
    let nth = |k: u64| -> f64 {
        let mut seen = 0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if seen > k {
                return (min + i as i64) as f64;
            }
        }
        (min + counts.len() as i64 - 1) as f64
    };
    Some(if n % 2 == 1 {
        nth(n / 2)
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) / 2.0
    })
}

fn median_of(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let upper = *values.select_nth_unstable_by(n / 2, f64::total_cmp).1;
    if n % 2 == 1 {
        return Some(upper);
    }
    // The largest of the lower half.
    let lower = values[..n / 2]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

impl Question {
    fn finish(self) -> QuestionResult {
        let mut r = QuestionResult {
            key: self.key,
            label: self.label,
            kind: self.kind,
            current: self.current,
            answered: self.answered,
            options: Vec::new(),
            mean: None,
            median: None,
            nps: None,
            texts: Vec::new(),
            texts_total: 0,
        };
        let n = self.answered;
        match self.acc {
            Acc::Options {
                keys,
                labels,
                counts,
                ..
            } => {
                r.options = keys
                    .into_iter()
                    .zip(labels)
                    .zip(counts)
                    .map(|((key, label), count)| OptionCount {
                        key,
                        label,
                        count,
                        percent: percent(count, n),
                    })
                    .collect();
            }
            Acc::Values {
                min,
                counts,
                sum,
                end_labels,
                nps,
            } => {
                let last = counts.len().saturating_sub(1);
                r.options = counts
                    .iter()
                    .enumerate()
                    .map(|(i, &count)| {
                        let v = (min + i as i64).to_string();
                        let label = match (i, &end_labels) {
                            (0, (Some(l), _)) => format!("{v} ({l})"),
                            (i, (_, Some(l))) if i == last => format!("{v} ({l})"),
                            _ => v.clone(),
                        };
                        OptionCount {
                            key: v,
                            label,
                            count,
                            percent: percent(count, n),
                        }
                    })
                    .collect();
                if n > 0 {
                    r.mean = Some(sum / n as f64);
                    r.median = median_of_counts(min, &counts);
                }
                if nps && n > 0 {
                    let promoters: u64 = counts[9..].iter().sum();
                    let detractors: u64 = counts[..7].iter().sum();
                    r.nps = Some(
                        ((promoters as f64 - detractors as f64) * 1000.0 / n as f64).round() / 10.0,
                    );
                }
            }
            Acc::Numbers(mut values) => {
                if !values.is_empty() {
                    r.mean = Some(values.iter().sum::<f64>() / values.len() as f64);
                    r.median = median_of(&mut values);
                }
            }
            Acc::Texts { kept, total } => {
                r.texts = kept;
                r.texts_total = total;
            }
            Acc::Count => {}
        }
        r
    }
}

/// One axis of a cross-tabulation: the values of a choice-like question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Axis {
    pub key: String,
    pub label: String,
    /// `(value key, label)`, in the form's order.
    pub values: Vec<(String, String)>,
}

impl Axis {
    fn of(f: &Field) -> Option<Axis> {
        let values: Vec<(String, String)> = match &f.kind {
            Kind::SingleChoice { options }
            | Kind::MultipleChoice { options, .. }
            | Kind::Dropdown { options } => options
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect(),
            Kind::YesNo => vec![("yes".into(), "yes".into()), ("no".into(), "no".into())],
            Kind::Scale { min, max, .. } => (*min..=*max)
                .map(|v| (v.to_string(), v.to_string()))
                .collect(),
            Kind::Nps => (0..=10).map(|v| (v.to_string(), v.to_string())).collect(),
            _ => return None,
        };
        Some(Axis {
            key: f.key.clone(),
            label: f.label.clone(),
            values,
        })
    }

    fn positions(&self, a: Option<&Answer>, out: &mut Vec<usize>) {
        out.clear();
        let mut push = |k: &str| {
            if let Some(i) = self.values.iter().position(|(v, _)| v == k) {
                out.push(i);
            }
        };
        match a {
            Some(Answer::Choice(c)) => push(c),
            Some(Answer::Choices(cs)) => cs.iter().for_each(|c| push(c)),
            Some(Answer::Bool(b)) => push(if *b { "yes" } else { "no" }),
            Some(Answer::Number(n)) if n.fract() == 0.0 => push(&format_number(*n)),
            _ => {}
        }
    }
}

/// The cross-tabulation of two choice-like questions (choices, yes/no,
/// scale, NPS): how many responses gave each pair of values. A multiple
/// choice counts once per option ticked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    pub rows: Axis,
    pub columns: Axis,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
    #[serde(skip)]
    buffers: (Vec<usize>, Vec<usize>),
}

impl CrossTab {
    /// `None` when either question is missing or not choice-like.
    pub fn new(schema: &Schema, rows: &str, columns: &str) -> Option<CrossTab> {
        let rows = Axis::of(schema.field(rows)?)?;
        let columns = Axis::of(schema.field(columns)?)?;
        let counts = vec![vec![0; columns.values.len()]; rows.values.len()];
        Some(CrossTab {
            rows,
            columns,
            counts,
            buffers: (Vec::new(), Vec::new()),
        })
    }

    pub fn add(&mut self, answers: &Answers) {
        let (r, c) = &mut self.buffers;
        self.rows.positions(answers.get(&self.rows.key), r);
        self.columns.positions(answers.get(&self.columns.key), c);
        for &i in r.iter() {
            for &j in c.iter() {
                self.counts[i][j] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median_of_counts(0, &[0, 0, 0]), None);
        // 1, 2, 2, 5
        assert_eq!(median_of_counts(1, &[1, 2, 0, 0, 1]), Some(2.0));
        // 1, 2, 5, 5
        assert_eq!(median_of_counts(1, &[1, 1, 0, 0, 2]), Some(3.5));
        assert_eq!(median_of(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_of(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_of(&mut []), None);
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(0, 0), 0.0);
    }
}
