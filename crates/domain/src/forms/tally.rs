//! Statistics of many responses, computed in one pass: [`Tally`] takes the
//! answers one response at a time and keeps only counters (and, for free
//! numbers and texts, the values), so 100,000 responses are read as a
//! stream. Answers to older versions of a form count under their field
//! key: a field kept across versions keeps counting; a removed field still
//! appears, with its old label.

use super::{Answer, Answers, Field, Kind, Schema, format_number};
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
        Kind::ShortText | Kind::LongText | Kind::Email | Kind::Phone | Kind::Date | Kind::Time => {
            Acc::Texts {
                kept: Vec::new(),
                total: 0,
            }
        }
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
                if q.acc.add(&AnswerRef::of(answer)) {
                    q.answered += 1;
                }
            }
        }
    }

    /// Counts one response from its stored JSON ([`Answers::to_json`])
    /// without building [`Answers`]: keys and values are read in place,
    /// answers to unknown fields skipped (the fast path of results).
    pub fn add_json(&mut self, json: &str) -> Result<(), serde_json::Error> {
        struct Visit<'t>(&'t mut Tally);
        impl<'de> Visitor<'de> for Visit<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let t = self.0;
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    match t.index.get(key.0.as_ref()) {
                        Some(&i) => {
                            let a: AnswerRef<'de> = map.next_value()?;
                            let q = &mut t.questions[i];
                            if q.acc.add(&a) {
                                q.answered += 1;
                            }
                        }
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(())
            }
        }
        let mut de = serde_json::Deserializer::from_str(json);
        de.deserialize_map(Visit(self))?;
        de.end()?;
        self.responses += 1;
        Ok(())
    }

    /// Responses counted.
    pub fn responses(&self) -> u64 {
        self.responses
    }

    pub fn finish(self) -> Vec<QuestionResult> {
        self.questions.into_iter().map(Question::finish).collect()
    }
}

/// A string read in place from JSON when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// An [`Answer`] borrowed from where it is read (stored JSON, or an
/// [`Answer`]); same encoding.
#[derive(Deserialize)]
enum AnswerRef<'a> {
    #[serde(rename = "t", borrow)]
    Text(Str<'a>),
    #[serde(rename = "n")]
    Number(f64),
    #[serde(rename = "d", borrow)]
    Date(Str<'a>),
    #[serde(rename = "c", borrow)]
    Choice(Str<'a>),
    #[serde(rename = "cs", borrow)]
    Choices(Vec<Str<'a>>),
    #[serde(rename = "b")]
    Bool(bool),
    #[serde(rename = "f")]
    File(IgnoredAny),
}

impl<'a> AnswerRef<'a> {
    fn of(a: &'a Answer) -> AnswerRef<'a> {
        let s = |s: &'a String| Str(Cow::Borrowed(s.as_str()));
        match a {
            Answer::Text(t) => AnswerRef::Text(s(t)),
            Answer::Number(n) => AnswerRef::Number(*n),
            Answer::Date(d) => AnswerRef::Date(Str(Cow::Owned(d.format("%Y-%m-%d").to_string()))),
            Answer::Choice(c) => AnswerRef::Choice(s(c)),
            Answer::Choices(cs) => AnswerRef::Choices(cs.iter().map(s).collect()),
            Answer::Bool(b) => AnswerRef::Bool(*b),
            Answer::File(_) => AnswerRef::File(IgnoredAny),
        }
    }
}

impl Acc {
    /// Adds one answer; false when it does not fit the question (an answer
    /// to an older version whose field changed kind).
    fn add(&mut self, a: &AnswerRef<'_>) -> bool {
        match (self, a) {
            (Acc::Options { index, counts, .. }, AnswerRef::Choice(c)) => {
                match index.get(c.0.as_ref()) {
                    Some(&i) => {
                        counts[i] += 1;
                        true
                    }
                    None => false,
                }
            }
            (Acc::Options { index, counts, .. }, AnswerRef::Choices(cs)) => {
                let mut any = false;
                for c in cs {
                    if let Some(&i) = index.get(c.0.as_ref()) {
                        counts[i] += 1;
                        any = true;
                    }
                }
                any
            }
            (Acc::Options { index, counts, .. }, AnswerRef::Bool(b)) => {
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
                AnswerRef::Number(n),
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
            (Acc::Numbers(values), AnswerRef::Number(n)) => {
                values.push(*n);
                true
            }
            (Acc::Texts { kept, total }, AnswerRef::Text(t) | AnswerRef::Date(t)) => {
                *total += 1;
                if kept.len() < TEXTS_KEPT {
                    kept.push(t.0.clone().into_owned());
                }
                true
            }
            (Acc::Count, AnswerRef::File(_)) => true,
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

    fn positions(&self, a: Option<&AnswerRef<'_>>, out: &mut Vec<usize>) {
        out.clear();
        let mut push = |k: &str| {
            if let Some(i) = self.values.iter().position(|(v, _)| v == k) {
                out.push(i);
            }
        };
        match a {
            Some(AnswerRef::Choice(c)) => push(&c.0),
            Some(AnswerRef::Choices(cs)) => cs.iter().for_each(|c| push(&c.0)),
            Some(AnswerRef::Bool(b)) => push(if *b { "yes" } else { "no" }),
            Some(AnswerRef::Number(n)) if n.fract() == 0.0 => push(&format_number(*n)),
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
        let a = answers.get(&self.rows.key).map(AnswerRef::of);
        let b = answers.get(&self.columns.key).map(AnswerRef::of);
        self.count(a.as_ref(), b.as_ref());
    }

    /// Counts one response from its stored JSON, reading only the two
    /// questions' answers.
    pub fn add_json(&mut self, json: &str) -> Result<(), serde_json::Error> {
        struct Visit<'x>(&'x mut CrossTab);
        impl<'de> Visitor<'de> for Visit<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let (mut a, mut b) = (None, None);
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    let key = key.0.as_ref();
                    if key == self.0.rows.key {
                        a = Some(map.next_value::<AnswerRef<'de>>()?);
                    } else if key == self.0.columns.key {
                        b = Some(map.next_value::<AnswerRef<'de>>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                self.0.count(a.as_ref(), b.as_ref());
                Ok(())
            }
        }
        let mut de = serde_json::Deserializer::from_str(json);
        de.deserialize_map(Visit(self))?;
        de.end()
    }

    fn count(&mut self, a: Option<&AnswerRef<'_>>, b: Option<&AnswerRef<'_>>) {
        let (r, c) = &mut self.buffers;
        self.rows.positions(a, r);
        self.columns.positions(b, c);
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
    use crate::forms::{Choice, Item};

    fn field(key: &str, kind: Kind) -> Item {
        Item::Field(Field {
            key: key.into(),
            label: key.into(),
            help: None,
            required: false,
            condition: None,
            kind,
        })
    }

    /// Reading stored JSON in place counts exactly what parsed answers do.
    #[test]
    fn json_fast_path_counts_the_same() {
        let options = vec![
            Choice {
                key: "a".into(),
                label: "A".into(),
            },
            Choice {
                key: "b".into(),
                label: "B".into(),
            },
        ];
        let schema = Schema {
            items: vec![
                field(
                    "one",
                    Kind::SingleChoice {
                        options: options.clone(),
                    },
                ),
                field(
                    "many",
                    Kind::MultipleChoice {
                        options,
                        min: None,
                        max: None,
                    },
                ),
                field("yn", Kind::YesNo),
                field("nps", Kind::Nps),
                field(
                    "n",
                    Kind::Number {
                        min: None,
                        max: None,
                        integer: false,
                    },
                ),
                field("text", Kind::LongText),
                field("day", Kind::Date),
            ],
        };
        let mut list = Vec::new();
        for i in 0..40u32 {
            let mut a = Answers::default();
            a.insert(
                "one",
                Answer::Choice(if i % 3 == 0 { "a" } else { "b" }.into()),
            );
            if i % 2 == 0 {
                a.insert("many", Answer::Choices(vec!["a".into(), "b".into()]));
            }
            a.insert("yn", Answer::Bool(i % 5 == 0));
            a.insert("nps", Answer::Number(f64::from(i % 11)));
            a.insert("n", Answer::Number(f64::from(i) / 4.0));
            a.insert("text", Answer::Text(format!("« {i} » \"quoted\"\nline")));
            a.insert(
                "day",
                Answer::Date(chrono::NaiveDate::from_ymd_opt(2026, 10, 1 + i % 9).unwrap()),
            );
            a.insert("gone", Answer::Text("a field no version has".into()));
            list.push(a);
        }
        let (mut slow, mut fast) = (Tally::new(&schema), Tally::new(&schema));
        let mut x_slow = CrossTab::new(&schema, "one", "many").unwrap();
        let mut x_fast = x_slow.clone();
        for a in &list {
            slow.add(a);
            x_slow.add(a);
            let json = a.to_json();
            fast.add_json(&json).unwrap();
            x_fast.add_json(&json).unwrap();
        }
        assert_eq!(fast.responses(), 40);
        let (slow, fast) = (slow.finish(), fast.finish());
        assert_eq!(slow, fast);
        assert_eq!(fast[5].texts[1], "« 1 » \"quoted\"\nline");
        assert_eq!(fast[6].texts[0], "2026-10-01");
        assert_eq!(x_slow, x_fast);
        assert_eq!(x_fast.counts.iter().flatten().sum::<u64>(), 40);
        let mut t = Tally::new(&schema);
        assert!(t.add_json("{\"one\":").is_err());
        assert!(t.add_json("[]").is_err());
        assert!(t.add_json("{\"one\":{\"c\":\"a\"}} trailing").is_err());
    }

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
