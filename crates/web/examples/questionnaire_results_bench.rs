//! The team's results page of a questionnaire with 100,000 responses,
//! timed through the whole router (session cookie, guard, queries, charts,
//! template): all responses, one commune × 5 days, with a
//! cross-tabulation, and the CSV download of every response; then the
//! storage's `questionnaires::results` alone, to see what the page adds.
//!
//!     cargo run --release -p maillage-web --example questionnaire_results_bench
//!     cargo run --release -p maillage-web --example questionnaire_results_bench -- postgres://postgres@127.0.0.1/bench 100000 7
//!
//! Without a URL it fills a temporary SQLite file; a PostgreSQL database
//! is migrated and gets a new questionnaire each run. The responses are
//! recorded through `questionnaires::respond` (as the public page does),
//! 5,000 per transaction, over ten days and six communes. Prints p50, min
//! and max over the runs, and the page's size.
//!
//! Figures (2026-12-03, **release** build, SQLite, 100,000 responses,
//! 7 runs, the 2-core machine otherwise idle), p50 (min–max):
//!
//! | | release |
//! | --- | --- |
//! | page, all responses (118 kB of HTML) | 325 ms (279–360) |
//! | page, one commune × 5 days | 63 ms (56–131) |
//! | page + cross-tabulation | 613 ms (506–630) |
//! | CSV of every response (9.8 MB) | 909 ms (814–1,057) |
//! | storage `results()` alone | 345 ms (299–369) |
//!
//! The page costs no more than the storage pass it is made of (the guard,
//! charts and template are lost in the noise); a cross-tabulation is a
//! second pass over the responses.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{NaiveDate, TimeDelta};
use http_body_util::BodyExt;
use maillage_db::forms::questionnaires::{self, NewResponse};
use maillage_db::testing::bench::{self, Rng, visitor_answers, visitor_schema};
use maillage_db::{forms, now, sessions, testing};
use maillage_domain::Role;
use maillage_web::{AppState, Config};
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    format!(
        "p50 {:>9}  min {:>9}  max {:>9}",
        ms(v[v.len() / 2]),
        ms(v[0]),
        ms(v[v.len() - 1])
    )
}

#[tokio::main]
async fn main() {
    let bench = bench::open(100_000, 7).await;
    let (db, n, runs) = (&bench.db, bench.n, bench.runs);
    println!("backend: {:?}, {n} responses, {runs} runs", db.backend());

    let schema = visitor_schema(false);
    let form = testing::questionnaire(db.conn(), "Évaluation — banc d'essai", &schema, false).await;

    let t0 = Instant::now();
    let mut rng = Rng(Rng::SEED);
    let communes = ["38185", "38317", "38421", "38151", "38563", "38053"];
    let first_day = NaiveDate::from_ymd_opt(2026, 10, 3).expect("day");
    let mut done = 0;
    while done < n {
        let tx = db.write().await.expect("tx");
        for _ in 0..(n - done).min(5_000) {
            let day = first_day + TimeDelta::days(rng.below(10) as i64);
            let at = day.and_hms_opt(10, 0, 0).expect("time").and_utc();
            let r = NewResponse {
                answers: visitor_answers(&mut rng, false),
                commune_insee: Some(rng.pick(&communes).to_string()),
                ..Default::default()
            };
            questionnaires::respond(&tx, form.id, &r, at)
                .await
                .expect("insert")
                .expect("recorded");
            done += 1;
        }
        tx.commit().await.expect("commit");
    }
    println!("filled in {:.1} s", t0.elapsed().as_secs_f64());

    // A signed-in member of staff.
    let email = format!("bench-{}@example.org", form.id);
    let user = testing::user(db.conn(), &email, Role::Staff).await;
    let token = sessions::create(db.conn(), user.id, now(), None, None)
        .await
        .expect("session");
    let app = maillage_web::router(AppState::new(
        db.clone(),
        Config::new("http://localhost:8080"),
    ));
    let get = |path: String| {
        let app = app.clone();
        let cookie = format!("mlg_session={token}");
        async move {
            let req = Request::get(&path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request");
            let res = app.oneshot(req).await.expect("response");
            let status = res.status();
            let body = res.into_body().collect().await.expect("body").to_bytes();
            assert_eq!(status, StatusCode::OK, "{path}");
            body.len()
        }
    };

    let page = format!("/team/questionnaires/{}", form.id);
    let cases = [
        ("page, all responses", page.clone()),
        (
            "page, commune + 5 days",
            format!("{page}?commune=38185&from=2026-10-05&to=2026-10-09"),
        ),
        (
            "page + cross-tabulation",
            format!("{page}?rows=age&cols=rating"),
        ),
        ("CSV of every response", format!("{page}/responses.csv")),
    ];
    for (name, path) in cases {
        let mut times = Vec::new();
        let mut size = 0;
        let runs = if path.ends_with(".csv") {
            runs.min(3)
        } else {
            runs
        };
        for _ in 0..runs {
            let t = Instant::now();
            size = get(path.clone()).await;
            times.push(t.elapsed());
        }
        println!(
            "{name:26} {}  ({:.1} kB)",
            stats(times),
            size as f64 / 1000.0
        );
    }
    // What the page spends in storage: the results alone.
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        questionnaires::results(db.conn(), form.id, &Default::default())
            .await
            .expect("results")
            .expect("form");
        times.push(t.elapsed());
    }
    println!("{:26} {}", "storage results() alone", stats(times));
    let tx = db.write().await.expect("tx");
    forms::delete(&tx, form.id).await.expect("delete");
    tx.commit().await.expect("commit");
}
