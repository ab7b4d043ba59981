//! Results of a questionnaire at scale: a 12-question questionnaire with
//! 100,000 responses, the time to compute its results (what the results
//! page shows: counts, percentages, means, medians, NPS, free texts), a
//! filtered variant, a cross-tabulation, and an export pass (one row per
//! response, as CSV text).
//!
//!     cargo run --release -p maillage-db --example questionnaire_bench
//!     cargo run --release -p maillage-db --example questionnaire_bench -- postgres://postgres@127.0.0.1/bench 100000 7
//!
//! Without a URL it fills a temporary SQLite file. A PostgreSQL database is
//! migrated and gets a new questionnaire each run. Prints p50 (and min,
//! max) over the runs.
//!
//! First figures (2026-12-03, release, a 2-core machine shared with other
//! builds, 100,000 responses, 7 runs), p50:
//!
//! | | SQLite | PostgreSQL |
//! | --- | --- | --- |
//! | results, all responses | 336 ms | 438 ms |
//! | results, one commune × 5 days | 75 ms | 75 ms |
//! | cross-tabulation | 265 ms | 350 ms |
//! | export, 11.4 MB of CSV | 1,079 ms | 1,383 ms |
//!
//! Results read the stored JSON in place (`Tally::add_json`); parsing each
//! response into `Answers` first took about twice as long (643 ms on SQLite).

use chrono::{NaiveDate, TimeDelta};
use maillage_db::forms::questionnaires::{self, Filter, entity as resp};
use maillage_db::forms::{self, FormData};
use maillage_db::{Db, PoolConfig, migrate, now};
use maillage_domain::forms::{Answer, Answers, FormAudience, Purpose, Schema};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use std::time::{Duration, Instant};

const SCHEMA: &str = r#"{"items":[
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

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn answers(rng: &mut Rng) -> Answers {
    let pick =
        |rng: &mut Rng, keys: &[&str]| keys[rng.below(keys.len() as u64) as usize].to_owned();
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
    if rng.below(2) == 0 {
        a.insert("spent", Answer::Number(rng.below(4000) as f64 / 100.0));
    }
    a.insert(
        "visit_day",
        Answer::Date(
            NaiveDate::from_ymd_opt(2026, 10, 3).unwrap_or_default()
                + TimeDelta::days(rng.below(10) as i64),
        ),
    );
    if rng.below(3) == 0 {
        a.insert(
            "favourite",
            Answer::Text(pick(
                rng,
                &["Planétarium", "Fusées à eau", "Robots", "Fossiles"],
            )),
        );
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

fn p50(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A CSV field, quoted when needed.
fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let tmp = tempfile::tempdir().expect("temp dir");
    let url = args
        .next()
        .filter(|u| !u.is_empty() && u != "-")
        .unwrap_or_else(|| format!("sqlite://{}", tmp.path().join("bench.db").display()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let db = Db::connect(&url, PoolConfig::default())
        .await
        .expect("database");
    migrate::run(&db).await.expect("migrations");
    println!("backend: {:?}, {n} responses, {runs} runs", db.backend());

    let schema = Schema::from_json(SCHEMA).expect("schema");
    schema.validate().expect("valid schema");
    let form = forms::create(
        db.conn(),
        &FormData {
            title: "Évaluation — banc d'essai".into(),
            purpose: Purpose::Questionnaire,
            project_id: None,
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: true,
            one_per_link: false,
        },
        &schema,
        now(),
    )
    .await
    .expect("form");

    // Fill, 1,000 rows per statement.
    let t0 = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let communes = ["38185", "38317", "38421", "38151", "38563", "38053"];
    let first_day = NaiveDate::from_ymd_opt(2026, 10, 3).unwrap_or_default();
    let mut done = 0;
    while done < n {
        let tx = db.write().await.expect("tx");
        for _ in 0..10 {
            let batch = (n - done).min(1_000);
            if batch == 0 {
                break;
            }
            let rows = (0..batch).map(|_| resp::ActiveModel {
                form_id: Set(form.id),
                version_id: Set(form.version.id),
                answers: Set(answers(&mut rng).to_json()),
                activity_id: Set(None),
                session_id: Set(None),
                commune_insee: Set(Some(
                    communes[rng.below(communes.len() as u64) as usize].to_owned(),
                )),
                day: Set(first_day + TimeDelta::days(rng.below(10) as i64)),
                link_token_hash: Set(None),
                ..Default::default()
            });
            resp::Entity::insert_many(rows.collect::<Vec<_>>())
                .exec(&tx)
                .await
                .expect("insert");
            done += batch;
        }
        tx.commit().await.expect("commit");
    }
    println!("filled in {:.1} s", t0.elapsed().as_secs_f64());

    // The same work without the database: parse the JSON and tally.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let jsons: Vec<String> = (0..n).map(|_| answers(&mut rng).to_json()).collect();
    let t = Instant::now();
    let parsed: Vec<Answers> = jsons
        .iter()
        .map(|j| Answers::from_json(j).expect("json"))
        .collect();
    let parse = t.elapsed();
    let t = Instant::now();
    let mut tally = maillage_domain::forms::tally::Tally::new(&schema);
    for a in &parsed {
        tally.add(a);
    }
    tally.finish();
    let tally_time = t.elapsed();
    let t = Instant::now();
    let mut tally = maillage_domain::forms::tally::Tally::new(&schema);
    for j in &jsons {
        tally.add_json(j).expect("json");
    }
    tally.finish();
    println!(
        "in memory: parse into Answers {} + tally {}; tally read in place {}",
        ms(parse),
        ms(tally_time),
        ms(t.elapsed())
    );

    let all = Filter::default();
    let filtered = Filter {
        commune_insee: Some("38185".into()),
        from: Some(first_day + TimeDelta::days(2)),
        to: Some(first_day + TimeDelta::days(6)),
        ..Default::default()
    };
    let mut results = Vec::new();
    let mut results_filtered = Vec::new();
    let mut cross = Vec::new();
    let mut exports = Vec::new();
    let mut summary = String::new();
    for run in 0..runs {
        let t = Instant::now();
        let r = questionnaires::results(db.conn(), form.id, &all)
            .await
            .expect("results")
            .expect("form");
        results.push(t.elapsed());
        if run == 0 {
            let nps = r.questions.iter().find(|q| q.key == "nps");
            summary = format!(
                "{} responses, {} questions; NPS {:?}, rating mean {:?} median {:?}",
                r.responses,
                r.questions.len(),
                nps.and_then(|q| q.nps),
                r.questions[4].mean,
                r.questions[4].median
            );
        }

        let t = Instant::now();
        questionnaires::results(db.conn(), form.id, &filtered)
            .await
            .expect("results")
            .expect("form");
        results_filtered.push(t.elapsed());

        let t = Instant::now();
        questionnaires::crosstab(db.conn(), form.id, &all, "age", "rating")
            .await
            .expect("crosstab")
            .expect("choice-like");
        cross.push(t.elapsed());

        if run < 3 {
            let t = Instant::now();
            let mut csv = String::with_capacity(32 << 20);
            questionnaires::export(db.conn(), form.id, &all, |row| {
                for (i, f) in row.iter().enumerate() {
                    if i > 0 {
                        csv.push(',');
                    }
                    csv_field(&mut csv, f);
                }
                csv.push_str("\r\n");
            })
            .await
            .expect("export");
            exports.push(t.elapsed());
            if run == 0 {
                println!("export: {:.1} MB of CSV", csv.len() as f64 / 1e6);
            }
        }
    }
    println!("{summary}");
    for (name, v) in [
        ("results (all)", results),
        ("results (commune + 5 days)", results_filtered),
        ("cross-tabulation", cross),
        ("export to CSV", exports),
    ] {
        let (p, lo, hi) = p50(v);
        println!(
            "{name:28} p50 {:>9}  min {:>9}  max {:>9}",
            ms(p),
            ms(lo),
            ms(hi)
        );
    }
    // The responses go with their form.
    let tx = db.write().await.expect("tx");
    forms::delete(&tx, form.id).await.expect("delete");
    tx.commit().await.expect("commit");
}
