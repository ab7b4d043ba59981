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
use maillage_db::testing::bench::{self, Rng, visitor_answers, visitor_schema};
use maillage_db::{forms, testing};
use maillage_domain::forms::Answers;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use std::time::{Duration, Instant};

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
    let bench = bench::open(100_000, 7).await;
    let (db, n, runs) = (&bench.db, bench.n, bench.runs);
    println!("backend: {:?}, {n} responses, {runs} runs", db.backend());

    let schema = visitor_schema(true);
    let form = testing::questionnaire(db.conn(), "Évaluation — banc d'essai", &schema, false).await;

    // Fill, 1,000 rows per statement.
    let t0 = Instant::now();
    let mut rng = Rng(Rng::SEED);
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
                answers: Set(visitor_answers(&mut rng, true).to_json()),
                activity_id: Set(None),
                session_id: Set(None),
                commune_insee: Set(Some(rng.pick(&communes).to_string())),
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
    let mut rng = Rng(Rng::SEED);
    let jsons: Vec<String> = (0..n)
        .map(|_| visitor_answers(&mut rng, true).to_json())
        .collect();
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
