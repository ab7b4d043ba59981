//! The bilan of the demo's past Fête de la science, timed: counting its
//! figures (the queries and the coverage), then the PDF, the workbook and
//! the JSON, each rendered repeatedly.
//!
//!     cargo run --release -p maillage-reports --example bilan_bench [URL] [RUNS]
//!
//! Without a URL, the demo is loaded into a fresh SQLite file in a
//! temporary folder; with a `sqlite:` or `postgres:` URL of a database
//! holding the demo, that database is used. `BILAN_PDF=FILE` also writes
//! the French PDF to FILE.
//!
//! Figures (2026-12-03, release, SQLite, the demo: 219 activities, 628
//! sessions, 62 communes of 512 reached), p50 / p90: figures and coverage
//! 33.5 / 44.5 ms, PDF (fr, 443 KiB) 289 / 394 ms, XLSX 9.8 / 11.7 ms,
//! JSON 1.7 / 2.0 ms.

use maillage_db::programme::projects;
use maillage_db::{Db, PoolConfig, demo};
use maillage_domain::Locale;
use maillage_domain::programme::ProjectKind;
use maillage_reports::{bilan, output};
use std::time::{Duration, Instant};

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort_unstable();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next();
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("maillage-bilan-bench-{}", std::process::id()));
    let url = url.unwrap_or_else(|| {
        std::fs::create_dir_all(&dir).expect("temporary folder");
        format!("sqlite://{}/demo.db", dir.display())
    });
    let db = Db::connect(&url, PoolConfig::default())
        .await
        .expect("database");
    maillage_db::migrate::run(&db).await.expect("migrations");
    let t = Instant::now();
    if let demo::Outcome::Loaded(_) = demo::load(&db).await.expect("demo") {
        println!("demo loaded in {} ms", t.elapsed().as_millis());
    }
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(db.conn(), ProjectKind::Festival)
        .await
        .expect("projects")
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .expect("a past Fête de la science");
    let mut counting = Vec::new();
    let mut b = None;
    for _ in 0..runs {
        let t = Instant::now();
        b = Some(
            bilan::of_project(db.conn(), past.clone(), maillage_db::now())
                .await
                .expect("bilan"),
        );
        counting.push(t.elapsed());
    }
    let b = b.expect("at least one run");
    let cov = b.coverage.as_ref().expect("coverage");
    println!(
        "{} on {}: {} activities, {} sessions, {} communes reached of {}, attendance {}",
        past.data.name,
        db.backend().name(),
        b.now.activities,
        b.now.sessions,
        cov.reached.len(),
        cov.communes_total,
        b.now.bookings.attendance()
    );
    println!(
        "{:28} p50 {:7.1} ms  p90 {:7.1} ms",
        "figures and coverage",
        pct(&mut counting, 0.5),
        pct(&mut counting, 0.9)
    );
    for format in [
        output::Format::Pdf,
        output::Format::Xlsx,
        output::Format::Json,
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let bytes = output::render(&b, format, Locale::Fr).expect("render");
            times.push(t.elapsed());
            size = bytes.len();
            if format == output::Format::Pdf
                && let Ok(path) = std::env::var("BILAN_PDF")
            {
                std::fs::write(&path, &bytes).expect("write the PDF");
            }
        }
        println!(
            "{:28} p50 {:7.1} ms  p90 {:7.1} ms  {} KiB",
            format!("{} (fr)", format.extension()),
            pct(&mut times, 0.5),
            pct(&mut times, 0.9),
            size / 1024
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
