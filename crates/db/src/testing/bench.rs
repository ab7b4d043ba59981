//! What the benchmarks and the data generators share: a deterministic
//! random generator, the database named on the command line, and a
//! visitors' questionnaire with its made-up answers.

use crate::{Db, PoolConfig, migrate};
use chrono::{NaiveDate, TimeDelta};
use maillage_domain::forms::{Answer, Answers, Schema};

/// A small deterministic generator (xorshift), so runs compare.
pub struct Rng(pub u64);

impl Rng {
    /// The seed every benchmark starts from.
    pub const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        #[allow(clippy::cast_possible_truncation)]
        let i = (self.next_u64() % n as u64) as usize;
        i
    }

    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// The database of a benchmark and its two numbers, from the command line
/// (`[URL|-] [N] [RUNS]`): without a URL a temporary SQLite file, kept as
/// long as this value.
pub struct Bench {
    pub db: Db,
    pub n: usize,
    pub runs: usize,
    _dir: tempfile::TempDir,
}

/// Opens and migrates the benchmark's database; `n` and `runs` default to
/// the given values.
pub async fn open(n: usize, runs: usize) -> Bench {
    let mut args = std::env::args().skip(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = args
        .next()
        .filter(|u| !u.is_empty() && u != "-")
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let n = args.next().and_then(|s| s.parse().ok()).unwrap_or(n);
    let runs = args.next().and_then(|s| s.parse().ok()).unwrap_or(runs);
    let db = Db::connect(&url, PoolConfig::default())
        .await
        .expect("database");
    migrate::run(&db).await.expect("migrations");
    Bench {
        db,
        n,
        runs,
        _dir: dir,
    }
}

/// The visitors' questionnaire of the benchmarks: ten questions of every
/// kind, plus money spent and the day of the visit when `spending`.
pub fn visitor_schema(spending: bool) -> Schema {
    let mut schema = Schema::from_json(VISITOR_SCHEMA).expect("schema");
    if !spending {
        schema.items.retain(|i| match i {
            maillage_domain::forms::Item::Field(f) => !SPENDING.contains(&f.key.as_str()),
            _ => true,
        });
    }
    schema.validate().expect("valid schema");
    schema
}

const SPENDING: [&str; 2] = ["spent", "visit_day"];

const VISITOR_SCHEMA: &str = r#"{"items":[
  {"type":"field","key":"came_for","label":"Vous êtes venu·e","kind":{"type":"single_choice","options":[
    {"key":"family","label":"En famille"},{"key":"friends","label":"Entre amis"},{"key":"alone","label":"Seul·e"},{"key":"school","label":"Avec l'école"}]}},
  {"type":"field","key":"heard","label":"Comment nous avez-vous connus ?","kind":{"type":"multiple_choice","options":[
    {"key":"press","label":"Presse"},{"key":"social","label":"Réseaux sociaux"},{"key":"poster","label":"Affiche"},{"key":"friend","label":"Bouche à oreille"},{"key":"school","label":"École"}]}},
  {"type":"field","key":"age","label":"Tranche d'âge","kind":{"type":"dropdown","options":[
    {"key":"u12","label":"Moins de 12 ans"},{"key":"12_17","label":"12–17"},{"key":"18_34","label":"18–34"},{"key":"35_59","label":"35–59"},{"key":"60","label":"60 et plus"}]}},
  {"type":"field","key":"first_time","label":"Première fois ?","kind":{"type":"yes_no"}},
  {"type":"field","key":"rating","label":"Satisfaction","kind":{"type":"scale","min":1,"max":5,"min_label":"Pas du tout","max_label":"Tout à fait"}},
  {"type":"field","key":"learned","label":"J'ai appris quelque chose","kind":{"type":"scale","min":1,"max":10}},
  {"type":"field","key":"nps","label":"Recommanderiez-vous ?","kind":{"type":"nps"}},
  {"type":"field","key":"minutes","label":"Temps passé (minutes)","kind":{"type":"number","min":0,"max":600,"integer":true}},
  {"type":"field","key":"spent","label":"Dépenses (€)","kind":{"type":"number","min":0}},
  {"type":"field","key":"visit_day","label":"Jour de visite","kind":{"type":"date"}},
  {"type":"field","key":"favourite","label":"Activité préférée","kind":{"type":"short_text"}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

/// One made-up response to [`visitor_schema`]`(spending)`.
#[allow(clippy::cast_precision_loss)]
pub fn visitor_answers(rng: &mut Rng, spending: bool) -> Answers {
    let pick = |rng: &mut Rng, keys: &[&str]| (*rng.pick(keys)).to_owned();
    let mut a = Answers::default();
    a.insert(
        "came_for",
        Answer::Choice(pick(rng, &["family", "friends", "alone", "school"])),
    );
    let heard: Vec<String> = ["press", "social", "poster", "friend", "school"]
        .iter()
        .filter(|_| rng.below(3) == 0)
        .map(|s| (*s).to_owned())
        .collect();
    if !heard.is_empty() {
        a.insert("heard", Answer::Choices(heard));
    }
    a.insert(
        "age",
        Answer::Choice(pick(rng, &["u12", "12_17", "18_34", "35_59", "60"])),
    );
    a.insert("first_time", Answer::Bool(rng.below(2) == 0));
    a.insert("rating", Answer::Number((1 + rng.below(5)) as f64));
    a.insert("learned", Answer::Number((1 + rng.below(10)) as f64));
    a.insert("nps", Answer::Number(rng.below(11) as f64));
    a.insert("minutes", Answer::Number((10 + rng.below(240)) as f64));
    if spending {
        if rng.below(2) == 0 {
            a.insert("spent", Answer::Number(rng.below(4000) as f64 / 100.0));
        }
        let first = NaiveDate::from_ymd_opt(2026, 10, 3).unwrap_or_default();
        let day = first + TimeDelta::days(rng.below(10) as i64);
        a.insert("visit_day", Answer::Date(day));
    }
    if rng.below(3) == 0 {
        let f = pick(rng, &["Planétarium", "Fusées à eau", "Robots", "Fossiles"]);
        a.insert("favourite", Answer::Text(f));
    }
    if rng.below(5) == 0 {
        a.insert(
            "comment",
            Answer::Text(format!(
                "Très bonne journée, merci aux équipes ! Réponse n°{}",
                rng.below(1_000_000)
            )),
        );
    }
    a
}
