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
use maillage_db::forms::{self, FormData};
use maillage_db::users::{self, NewUser};
use maillage_db::{Db, PoolConfig, migrate, now, sessions};
use maillage_domain::forms::{Answer, Answers, FormAudience, Purpose, Schema};
use maillage_domain::{Email, Locale, Role};
use maillage_web::{AppState, Config};
use std::time::{Duration, Instant};
use tower::ServiceExt;

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
  {"type":"field","key":"favourite","label":"Activité préférée","kind":{"type":"short_text"}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick(&mut self, keys: &[&str]) -> String {
        keys[self.below(keys.len() as u64) as usize].to_owned()
    }
}

fn answers(rng: &mut Rng) -> Answers {
    let mut a = Answers::default();
    a.insert(
        "came_for",
        Answer::Choice(rng.pick(&["family", "friends", "alone", "school"])),
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
        Answer::Choice(rng.pick(&["u12", "12_17", "18_34", "35_59", "60"])),
    );
    a.insert("first_time", Answer::Bool(rng.below(2) == 0));
    a.insert("rating", Answer::Number((1 + rng.below(5)) as f64));
    a.insert("learned", Answer::Number((1 + rng.below(10)) as f64));
    a.insert("nps", Answer::Number(rng.below(11) as f64));
    a.insert("minutes", Answer::Number((10 + rng.below(240)) as f64));
    if rng.below(3) == 0 {
        let f = rng.pick(&["Planétarium", "Fusées à eau", "Robots", "Fossiles"]);
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
    let mut args = std::env::args().skip(1);
    let dir = std::env::temp_dir().join(format!("maillage-results-bench-{}", std::process::id()));
    let url = args
        .next()
        .filter(|u| !u.is_empty() && u != "-")
        .unwrap_or_else(|| {
            std::fs::create_dir_all(&dir).expect("temporary folder");
            format!("sqlite://{}/bench.db", dir.display())
        });
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

    let t0 = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let communes = ["38185", "38317", "38421", "38151", "38563", "38053"];
    let first_day = NaiveDate::from_ymd_opt(2026, 10, 3).expect("day");
    let mut done = 0;
    while done < n {
        let tx = db.write().await.expect("tx");
        for _ in 0..(n - done).min(5_000) {
            let day = first_day + TimeDelta::days(rng.below(10) as i64);
            let at = day.and_hms_opt(10, 0, 0).expect("time").and_utc();
            let r = NewResponse {
                answers: answers(&mut rng),
                commune_insee: Some(rng.pick(&communes)),
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
    let user = users::create(
        db.conn(),
        NewUser {
            email: &Email::parse(&email).expect("email"),
            name: "Bench",
            role: Role::Staff,
            organisation_id: None,
            password: None,
            locale: Locale::Fr,
        },
        now(),
    )
    .await
    .expect("user");
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
    let _ = std::fs::remove_dir_all(&dir);
}
