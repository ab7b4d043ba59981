//! Benchmark of directory search: 100,000 organisations in a fresh database
//! and the 35,000 communes of the reference data.
//!
//!     cargo run --release -p maillage-directory --example directory_bench
//!     cargo run --release -p maillage-directory --example directory_bench -- postgres://postgres@127.0.0.1/bench
//!
//! Each query runs the same storage call as the team-space list (count,
//! first page of 50, their themes). Prints p50/p90/p99/max per kind of query.

use maillage_db::organisations::{self, Filter, OrganisationData, Sort};
use maillage_db::testing::bench::{self, Rng};
use maillage_db::{PageRequest, now};
use maillage_domain::directory::{OrgKind, Theme};
use std::time::{Duration, Instant};

const ORGS: usize = 100_000;

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort_unstable();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((v.len() - 1) as f64 * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn report(name: &str, mut t: Vec<Duration>) {
    println!(
        "{name:<44} n={:<6} p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        t.len(),
        pct(&mut t, 0.5),
        pct(&mut t, 0.9),
        pct(&mut t, 0.99),
        pct(&mut t, 1.0)
    );
}

const WORDS: &[&str] = &[
    "association",
    "club",
    "astronomie",
    "sciences",
    "médiathèque",
    "collège",
    "lycée",
    "laboratoire",
    "atelier",
    "planète",
    "numérique",
    "fablab",
    "nature",
    "géologie",
    "chimie",
    "physique",
    "mathématiques",
    "robotique",
    "patrimoine",
    "musée",
    "université",
    "école",
    "compagnie",
    "théâtre",
    "jeunesse",
    "culture",
    "environnement",
    "énergie",
    "climat",
    "biodiversité",
    "espace",
    "étoiles",
    "découverte",
    "curiosité",
    "savoirs",
    "recherche",
];

#[tokio::main]
async fn main() {
    let bench = bench::open(0, 0).await;
    let db = &bench.db;
    let existing = organisations::count(db.conn()).await.unwrap();
    if existing != 0 && existing != ORGS as u64 {
        eprintln!("the database must be empty (or hold exactly the benchmark's data)");
        std::process::exit(1);
    }
    let communes: Vec<&str> = maillage_geo::communes().iter().map(|c| c.insee).collect();
    let isere: Vec<&str> = maillage_geo::communes_of_departement("38")
        .iter()
        .map(|c| c.insee)
        .collect();
    let mut rng = Rng(Rng::SEED);
    let started = Instant::now();
    let t = now();
    let chunks = if existing == 0 { ORGS / 1000 } else { 0 };
    for chunk in 0..chunks {
        let tx = db.write().await.unwrap();
        for i in 0..1000 {
            let n = chunk * 1000 + i;
            // A third in Isère, the rest anywhere in France.
            let insee = if n % 3 == 0 {
                *rng.pick(&isere)
            } else {
                *rng.pick(&communes)
            };
            let name = format!(
                "{} {} {} {n}",
                rng.pick(WORDS),
                rng.pick(WORDS),
                maillage_geo::commune(insee).map_or("", |c| c.name)
            );
            let data = OrganisationData {
                name,
                kind: Some(*rng.pick(OrgKind::ALL)),
                commune_insee: Some(insee.to_owned()),
                themes: vec![*rng.pick(Theme::ALL), *rng.pick(Theme::ALL)],
                public_listing: n % 3 != 1,
                ..Default::default()
            };
            organisations::insert(&tx, &data, t).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    // As the database's own statistics would be after a while (autovacuum).
    maillage_db::ConnectionTrait::execute_unprepared(db.conn(), "ANALYZE")
        .await
        .unwrap();
    println!(
        "{} organisations inserted in {:.1} s on {} ({} cores)",
        ORGS,
        started.elapsed().as_secs_f64(),
        db.backend().name(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let run = |filter: Filter| {
        let db = db.clone();
        async move {
            let s = Instant::now();
            let page = organisations::list(db.conn(), &filter, PageRequest::new(1, 50))
                .await
                .unwrap();
            std::hint::black_box(page.total);
            s.elapsed()
        }
    };
    // Warm up.
    for _ in 0..50 {
        run(Filter {
            query: Some("club".into()),
            ..Default::default()
        })
        .await;
    }
    let grenoble_metro: Vec<String> = maillage_geo::communes_of_epci("200040715")
        .iter()
        .map(|c| c.insee.to_owned())
        .collect();
    let mut by_kind: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut all = Vec::new();
    type MakeFilter<'a> = Box<dyn Fn(&mut Rng) -> Filter + 'a>;
    let cases: Vec<(&str, MakeFilter)> = vec![
        (
            "one word (\"astronomie\")",
            Box::new(|r: &mut Rng| Filter {
                query: Some((*r.pick(WORDS)).to_owned()),
                ..Default::default()
            }),
        ),
        (
            "prefix of 3 letters (\"ast\")",
            Box::new(|r: &mut Rng| Filter {
                query: Some(r.pick(WORDS).chars().take(3).collect()),
                ..Default::default()
            }),
        ),
        (
            "two words",
            Box::new(|r: &mut Rng| Filter {
                query: Some(format!("{} {}", r.pick(WORDS), r.pick(WORDS))),
                ..Default::default()
            }),
        ),
        (
            "word + commune name (\"club grenoble\")",
            Box::new(|r: &mut Rng| Filter {
                query: Some(format!("{} grenoble", r.pick(WORDS))),
                ..Default::default()
            }),
        ),
        (
            "no match",
            Box::new(|_: &mut Rng| Filter {
                query: Some("zzzzqx".into()),
                ..Default::default()
            }),
        ),
        (
            "type + theme filters",
            Box::new(|r: &mut Rng| Filter {
                kind: Some(*r.pick(OrgKind::ALL)),
                theme: Some(*r.pick(Theme::ALL)),
                ..Default::default()
            }),
        ),
        (
            "commune filter",
            Box::new(|r: &mut Rng| Filter {
                communes: Some(vec![(*r.pick(&isere)).to_owned()]),
                ..Default::default()
            }),
        ),
        (
            "EPCI filter (Grenoble-Alpes-Métropole, 49 communes)",
            Box::new(move |_: &mut Rng| Filter {
                communes: Some(grenoble_metro.clone()),
                ..Default::default()
            }),
        ),
        (
            "word + type + public only, sorted by commune",
            Box::new(|r: &mut Rng| Filter {
                query: Some((*r.pick(WORDS)).to_owned()),
                kind: Some(*r.pick(OrgKind::ALL)),
                public_only: true,
                sort: Sort::Commune,
                ..Default::default()
            }),
        ),
        (
            "no filter (first page of 100,000)",
            Box::new(|_: &mut Rng| Filter::default()),
        ),
    ];
    for (name, make) in &cases {
        let mut times = Vec::new();
        for _ in 0..200 {
            let f = make(&mut rng);
            times.push(run(f).await);
        }
        all.extend(times.iter().copied());
        by_kind.push((name, times));
    }
    println!("\norganisation search (count + page of 50 + themes), 200 queries each:");
    for (name, t) in by_kind {
        report(name, t);
    }
    report("ALL ORGANISATION QUERIES", all);

    let queries = [
        "grenoble",
        "pont de claix",
        "st egreve",
        "38800",
        "38317",
        "saint",
        "la",
        "vil",
        "montbonnot",
        "xyzzy",
        "sur",
        "les deux alpes",
    ];
    let mut times = Vec::new();
    for i in 0..20_000 {
        let q = queries[i % queries.len()];
        let s = Instant::now();
        std::hint::black_box(maillage_geo::search(q, 20));
        times.push(s.elapsed());
    }
    println!(
        "\ncommune search over {} communes:",
        maillage_geo::communes().len()
    );
    report("maillage_geo::search (name, postcode, INSEE)", times);
}
