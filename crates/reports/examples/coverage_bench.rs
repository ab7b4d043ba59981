//! Coverage at national scale: the figures of a project by commune (two
//! aggregate queries) and the coverage of every département (all 34,969
//! communes), timed.
//!
//!     cargo run --release -p maillage-loadtest --bin maillage-programme-gen -- sqlite:///tmp/cov.db
//!     cargo run --release -p maillage-reports --example coverage_bench -- sqlite:///tmp/cov.db national
//!
//! (a `postgres://…` URL works the same.) Prints the time of the queries,
//! of computing the coverage of all départements, and their percentiles
//! over repeated runs.
//!
//! Figures (2026-12-03, release, SQLite, the generated national programme:
//! 10,000 activities, 30,000 sessions, 2,984 communes reached; 100 runs,
//! the previous edition taken as the same figures), p50 / p90:
//! figures by commune 32–36 ms / 41–47 ms (the two aggregates run at once
//! on two pooled connections), coverage of all 109 départements (34,969
//! communes) 11 ms / 14 ms, total 44–48 ms / 53–60 ms.

use maillage_db::programme::projects;
use maillage_db::{Db, PoolConfig};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("database URL");
    let slug = args.next().unwrap_or_else(|| "national".into());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let db = Db::connect(&url, PoolConfig::default())
        .await
        .expect("database");
    let p = projects::find_by_slug(db.conn(), &slug)
        .await
        .expect("query")
        .expect("no such project: generate it with maillage-programme-gen");
    let mut departements: Vec<&'static str> = maillage_geo::communes()
        .iter()
        .map(|c| c.departement)
        .collect();
    departements.sort_unstable();
    departements.dedup();
    let mut queries = Vec::new();
    let mut computes = Vec::new();
    let mut totals = Vec::new();
    let mut summary = (0usize, 0usize, 0u64, 0u64);
    for _ in 0..runs {
        let t0 = Instant::now();
        let figures = maillage_db::reports::by_commune(db.conn(), p.id)
            .await
            .expect("figures");
        let t1 = Instant::now();
        summary = (0, 0, 0, 0);
        for c in maillage_reports::coverage::national(&figures, Some(&figures)) {
            summary.0 += c.reached.len();
            summary.1 += c.communes_total;
            summary.2 += c.population_reached;
            summary.3 += c.population_total;
        }
        let t2 = Instant::now();
        queries.push(t1 - t0);
        computes.push(t2 - t1);
        totals.push(t2 - t0);
    }
    let pct = |v: &mut Vec<Duration>, p: f64| {
        v.sort_unstable();
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i].as_secs_f64() * 1000.0
    };
    println!(
        "project {slug:?} on {}: {} communes reached of {} in {} départements, population {} of {}",
        db.backend().name(),
        summary.0,
        summary.1,
        departements.len(),
        summary.2,
        summary.3
    );
    for (name, v) in [
        ("figures by commune (2 queries)", &mut queries),
        ("coverage of every département", &mut computes),
        ("total", &mut totals),
    ] {
        println!(
            "{name:32} p50 {:7.2} ms  p90 {:7.2} ms  max {:7.2} ms ({runs} runs)",
            pct(v, 0.5),
            pct(v, 0.9),
            pct(v, 1.0)
        );
    }
}
