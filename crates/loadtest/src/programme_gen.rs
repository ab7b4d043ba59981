//! `maillage-programme-gen`: fills a database with a national-scale
//! programme for `bench/programme.sh` — one published project holding
//! 10,000 public activities and 30,000 sessions in 3,000 communes, with their
//! venues, organisers and speakers.
//!
//!     maillage-programme-gen sqlite:///tmp/bench.db --communes-out communes.txt
//!     maillage-programme-gen postgres://postgres@127.0.0.1/bench
//!
//! Everything goes through the storage functions (`organisations::insert`,
//! `venues::insert`, `activities::insert`, `sessions::insert_many`…), so the
//! search index and its facets are exactly those production builds, in write
//! transactions of `--batch` activities. The data is deterministic (a fixed
//! seed): two runs give the same programme.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use clap::Parser;
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::bench::Rng;
use maillage_db::venues::{self, Access, VenueData};
use maillage_db::{ConnectionTrait, Db, PoolConfig, migrate, now};
use maillage_domain::directory::PersonRole;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectKind, ProjectStatus, RegistrationMode, SchoolLevel,
    SessionStatus, slugify,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use std::io::Write;
use std::time::Instant;

mod programme_words;

use programme_words::*;

#[derive(Parser)]
#[command(about = "Generates a national-scale programme for the programme benchmark")]
struct Args {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DATABASE (migrated if needed).
    database: String,
    /// Slug of the project.
    #[arg(long, default_value = "national")]
    slug: String,
    #[arg(long, default_value_t = 10_000)]
    activities: usize,
    /// Sessions in all (about three per activity).
    #[arg(long, default_value_t = 30_000)]
    sessions: usize,
    /// Communes holding activities (the most populated ones).
    #[arg(long, default_value_t = 3_000)]
    communes: usize,
    /// First day of the festival (ten days, Europe/Paris).
    #[arg(long, default_value = "2026-10-02")]
    first_day: NaiveDate,
    /// Activities per write transaction.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Writes the INSEE codes of the communes holding activities, one a line
    /// (in a deterministic shuffled order), for the load script.
    #[arg(long)]
    communes_out: Option<std::path::PathBuf>,
}

const DAYS: i64 = 10;

/// Communes whose INSEE code, typed in the commune filter, names them (an
/// INSEE code that is also another commune's postcode reads as the postcode).
fn communes(n: usize) -> Vec<&'static maillage_geo::Commune> {
    let mut all: Vec<&maillage_geo::Commune> = maillage_geo::communes()
        .iter()
        .filter(|c| {
            let by_postcode = maillage_geo::by_postcode(c.insee);
            by_postcode.is_empty() || (by_postcode.len() == 1 && by_postcode[0].insee == c.insee)
        })
        .collect();
    all.sort_by_key(|c| (std::cmp::Reverse(c.population.unwrap_or(0)), c.insee));
    all.truncate(n);
    all
}

fn paris(day: NaiveDate, time: (u32, u32)) -> chrono::DateTime<Utc> {
    let t = NaiveTime::from_hms_opt(time.0, time.1, 0).expect("time");
    Paris
        .from_local_datetime(&day.and_time(t))
        .single()
        .expect("an unambiguous local time")
        .with_timezone(&Utc)
}

/// `n` sessions of an activity of this format, from `first` day on.
fn sessions_of(
    format: Format,
    n: usize,
    first: i64,
    base: NaiveDate,
    rng: &mut Rng,
) -> Vec<SessionData> {
    // (start, minutes) slots of one day.
    let slots: &[((u32, u32), i64)] = match format {
        Format::Exhibition | Format::Village => &[((10, 0), 480)],
        Format::Talk | Format::Screening | Format::Meeting => &[((18, 30), 90), ((20, 30), 90)],
        Format::Planetarium => &[((10, 0), 45), ((11, 0), 45), ((14, 0), 45), ((15, 30), 45)],
        Format::Show => &[((15, 0), 60), ((20, 0), 75)],
        Format::Walk => &[((9, 30), 150), ((14, 0), 150)],
        _ => &[((9, 30), 90), ((14, 0), 90), ((16, 0), 90)],
    };
    let capacity = [None, Some(20), Some(30), Some(50), Some(120)];
    let cap = *rng.pick(&capacity);
    let spread = rng.chance(50);
    (0..n)
        .map(|k| {
            // Either one slot a day over consecutive days, or the day's slots first.
            let (day, slot) = if spread || slots.len() == 1 {
                (k as i64, rng.below(slots.len()))
            } else {
                ((k / slots.len()) as i64, k % slots.len())
            };
            let day = base + Duration::days((first + day) % DAYS);
            let (start, minutes) = slots[slot];
            let starts_at = paris(day, start);
            SessionData {
                starts_at,
                ends_at: starts_at + Duration::minutes(minutes),
                capacity: cap,
                status: if rng.chance(2) {
                    SessionStatus::Cancelled
                } else if rng.chance(3) {
                    SessionStatus::Full
                } else {
                    SessionStatus::Scheduled
                },
                venue_id: None,
            }
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let started = Instant::now();
    let db = Db::connect(&args.database, PoolConfig::default())
        .await
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
    migrate::run(&db).await.expect("migrate");
    let communes = communes(args.communes);
    if let Some(path) = &args.communes_out {
        let mut order: Vec<&str> = communes.iter().map(|c| c.insee).collect();
        Rng(0x2545_f491_4f6c_dd1d).shuffle(&mut order);
        let mut f = std::fs::File::create(path).expect("communes file");
        for c in order {
            writeln!(f, "{c}").expect("write");
        }
    }
    if projects::find_by_slug(db.conn(), &args.slug)
        .await
        .expect("project")
        .is_some()
    {
        println!("project {:?} already there: nothing generated", args.slug);
        return;
    }
    let t = now();
    let mut rng = Rng(Rng::SEED);

    // Activities per commune: one each, then the rest weighted by population^0.75.
    let n_acts = args.activities;
    let mut of_activity: Vec<usize> = (0..communes.len().min(n_acts)).collect();
    let weights: Vec<f64> = communes
        .iter()
        .map(|c| f64::from(c.population.unwrap_or(1)).powf(0.75))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    while of_activity.len() < n_acts {
        #[allow(clippy::cast_precision_loss)]
        let x = (rng.next_u64() % 1_000_000_007) as f64 / 1_000_000_007.0;
        let i = cumulative
            .partition_point(|c| *c < x)
            .min(communes.len() - 1);
        of_activity.push(i);
    }
    rng.shuffle(&mut of_activity);
    let mut per_commune = vec![0usize; communes.len()];
    for &c in &of_activity {
        per_commune[c] += 1;
    }

    // Organisations (one or two a commune) and speakers.
    let phase = Instant::now();
    let mut orgs_of: Vec<Vec<i64>> = vec![Vec::new(); communes.len()];
    for chunk in (0..communes.len()).collect::<Vec<_>>().chunks(1000) {
        let tx = db.write().await.expect("write");
        for &i in chunk {
            let c = communes[i];
            let n = if per_commune[i] > 6 { 2 } else { 1 };
            for _ in 0..n {
                let (kind, name) = *rng.pick(ORG_KINDS);
                let o = organisations::insert(
                    &tx,
                    &OrganisationData {
                        name: format!("{name} de {}", c.name),
                        kind: Some(kind),
                        commune_insee: Some(c.insee.to_owned()),
                        postcode: c.postcodes.first().map(|p| (*p).to_owned()),
                        public_listing: true,
                        themes: vec![rng.pick(TOPICS).theme],
                        ..Default::default()
                    },
                    t,
                )
                .await
                .expect("organisation");
                orgs_of[i].push(o.id);
            }
        }
        tx.commit().await.expect("commit");
    }
    let mut speakers = Vec::new();
    let tx = db.write().await.expect("write");
    for _ in 0..1500 {
        let p = people::insert(
            &tx,
            &PersonData {
                first_name: Some((*rng.pick(FIRST_NAMES)).to_owned()),
                last_name: (*rng.pick(LAST_NAMES)).to_owned(),
                email: None,
                phone: None,
                gender: None,
                notes: None,
                roles: vec![PersonRole::Researcher],
            },
            t,
        )
        .await
        .expect("person");
        speakers.push(p.id);
    }
    tx.commit().await.expect("commit");
    let orgs_time = phase.elapsed();

    // Venues: one per four activities of a commune, at most twelve.
    let phase = Instant::now();
    let mut venues_of: Vec<Vec<(i64, Access)>> = vec![Vec::new(); communes.len()];
    let mut n_venues = 0;
    for chunk in (0..communes.len()).collect::<Vec<_>>().chunks(500) {
        let tx = db.write().await.expect("write");
        for &i in chunk {
            let c = communes[i];
            let n = per_commune[i].div_ceil(4).clamp(1, 12);
            let mut kinds: Vec<&str> = VENUE_KINDS.to_vec();
            rng.shuffle(&mut kinds);
            for kind in kinds.into_iter().take(n) {
                let access = Access {
                    wheelchair: rng.chance(70),
                    hearing_loop: rng.chance(25),
                    visual: rng.chance(15),
                    cognitive: rng.chance(15),
                };
                let v = venues::insert(
                    &tx,
                    &VenueData {
                        name: format!("{kind} de {}", c.name),
                        organisation_id: orgs_of[i].first().copied(),
                        address: Some(format!("{} {}", 1 + rng.below(120), rng.pick(STREETS))),
                        postcode: c.postcodes.first().map(|p| (*p).to_owned()),
                        commune_insee: Some(c.insee.to_owned()),
                        lat: c.lat,
                        lon: c.lon,
                        access,
                        ..Default::default()
                    },
                    t,
                )
                .await
                .expect("venue");
                venues_of[i].push((v.id, access));
                n_venues += 1;
            }
        }
        tx.commit().await.expect("commit");
    }
    let venues_time = phase.elapsed();

    let phase = Instant::now();
    let last_day = args.first_day + Duration::days(DAYS - 1);
    let project = {
        let tx = db.write().await.expect("write");
        let p = projects::insert(
            &tx,
            &ProjectData {
                slug: args.slug.clone(),
                name: format!(
                    "Fête de la science {} — programme national",
                    args.first_day.year()
                ),
                kind: ProjectKind::Festival,
                starts_on: args.first_day,
                ends_on: last_day,
                description: Some(
                    "Dix jours de **sciences pour tous** partout en France : ateliers, \
                     conférences, expositions, visites de laboratoires et villages des sciences."
                        .into(),
                ),
                lead_user_id: None,
                status: ProjectStatus::Published,
            },
            t,
        )
        .await
        .expect("project");
        tx.commit().await.expect("commit");
        p
    };
    // Three sessions per activity on average: blocks of ten activities share
    // out thirty sessions (1 to 6 each), the remainder on the last ones.
    let pattern = [1usize, 1, 2, 2, 3, 3, 3, 4, 5, 6];
    let mut counts: Vec<usize> = Vec::with_capacity(n_acts);
    for block in 0..n_acts.div_ceil(10) {
        let mut p = pattern;
        rng.shuffle(&mut p);
        counts.extend(p.iter().take(n_acts - block * 10));
    }
    let mut assigned: usize = counts.iter().sum();
    let mut k = 0;
    while assigned != args.sessions && n_acts > 0 {
        let i = k % n_acts;
        if assigned < args.sessions {
            counts[i] += 1;
            assigned += 1;
        } else if counts[i] > 1 {
            counts[i] -= 1;
            assigned -= 1;
        }
        k += 1;
    }
    let mut used_venue = vec![0usize; communes.len()];
    let mut n_sessions = 0;
    let mut batch_times = Vec::new();
    for (b, chunk) in of_activity.chunks(args.batch.max(1)).enumerate() {
        let batch_started = Instant::now();
        let tx = db.write().await.expect("write");
        for (j, &ci) in chunk.iter().enumerate() {
            let n = b * args.batch.max(1) + j;
            let c = communes[ci];
            let topic = rng.pick(TOPICS);
            let subject = *rng.pick(topic.subjects);
            let format = *rng.pick(&[
                Format::Workshop,
                Format::Workshop,
                Format::Workshop,
                Format::Talk,
                Format::Talk,
                Format::Exhibition,
                Format::Visit,
                Format::Screening,
                Format::Game,
                Format::Meeting,
                Format::Show,
                Format::Walk,
                Format::Planetarium,
                Format::Village,
            ]);
            let (venue_id, venue_access) = {
                let list = &venues_of[ci];
                let v = list[used_venue[ci] % list.len()];
                used_venue[ci] += 1;
                v
            };
            let mut audiences = vec![*rng.pick(Audience::ALL)];
            if rng.chance(30) {
                audiences.push(*rng.pick(Audience::ALL));
            }
            audiences.sort();
            audiences.dedup();
            let mut levels = Vec::new();
            if audiences.contains(&Audience::School) {
                levels.push(*rng.pick(SchoolLevel::ALL));
                if rng.chance(50) {
                    levels.push(*rng.pick(SchoolLevel::ALL));
                }
                levels.sort();
                levels.dedup();
            }
            let mut themes = vec![topic.theme];
            if rng.chance(25) {
                themes.push(rng.pick(TOPICS).theme);
            }
            let free = rng.chance(85);
            let registration = *rng.pick(&[
                RegistrationMode::None,
                RegistrationMode::None,
                RegistrationMode::Booking,
                RegistrationMode::Booking,
                RegistrationMode::External,
            ]);
            let mut organisations = vec![*rng.pick(&orgs_of[ci])];
            if rng.chance(15) {
                let k = rng.below(communes.len());
                organisations.push(*rng.pick(&orgs_of[k]));
            }
            let speakers = if matches!(format, Format::Talk | Format::Meeting | Format::Visit) {
                (0..1 + rng.below(2))
                    .map(|_| *rng.pick(&speakers))
                    .collect()
            } else {
                Vec::new()
            };
            let title = title(format, subject, &mut rng);
            let mut d = ActivityData {
                project_id: project.id,
                parent_id: None,
                slug: format!("{}-{}", slugify(&title), n + 1),
                title,
                summary: None,
                description: None,
                format: Some(format),
                min_age: audiences
                    .contains(&Audience::Young)
                    .then(|| *rng.pick(&[6, 8, 10, 12])),
                audiences,
                levels,
                themes,
                organisations,
                speakers,
                venue_id: Some(venue_id),
                space_id: None,
                access: Access {
                    wheelchair: venue_access.wheelchair,
                    hearing_loop: venue_access.hearing_loop,
                    visual: venue_access.visual && rng.chance(50),
                    cognitive: venue_access.cognitive && rng.chance(50),
                },
                free,
                price: (!free).then(|| format!("{} €", 2 + rng.below(10))),
                registration: Some(registration),
                registration_url: (registration == RegistrationMode::External)
                    .then(|| format!("https://billetterie.example.org/{}", n + 1)),
                online_url: None,
                status: Some(if rng.chance(2) {
                    ActivityStatus::Cancelled
                } else if rng.chance(3) {
                    ActivityStatus::Full
                } else {
                    ActivityStatus::Published
                }),
                source: None,
            };
            d.summary = Some(summary(subject, &d, &mut rng));
            d.description = Some(format!(
                "{}\n\nÀ {} ({}), avec {}. Durée : environ une heure trente.\n\n- Pour qui : {}\n- Thème : {}",
                d.summary.as_deref().unwrap_or_default(),
                c.name,
                c.departement,
                subject,
                audience_phrase(&d),
                topic.theme.label(maillage_domain::Locale::Fr)
            ));
            let a = activities::insert(&tx, &d, t).await.expect("activity");
            // Start days spread over the ten days; weekends busier.
            let mut first = rng.below(usize::try_from(DAYS).unwrap_or(10)) as i64;
            let wd = (args.first_day + Duration::days(first)).weekday();
            if !matches!(wd, Weekday::Sat | Weekday::Sun) && rng.chance(30) {
                first = (first + 1) % DAYS;
            }
            let list = sessions_of(format, counts[n], first, args.first_day, &mut rng);
            n_sessions += list.len();
            sessions::insert_many(&tx, a.id, &list, t)
                .await
                .expect("sessions");
        }
        tx.commit().await.expect("commit");
        batch_times.push(batch_started.elapsed());
    }
    let activities_time = phase.elapsed();
    // As the database's own statistics would be after a while (autovacuum).
    db.conn()
        .execute_unprepared("ANALYZE")
        .await
        .expect("analyze");
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from("search_tokens")
        .and_where(Expr::col("entity").eq("activity"))
        .take();
    let tokens: i64 = match db.conn().query_one(&count).await.expect("count") {
        Some(r) => r.try_get("", "n").expect("count"),
        None => 0,
    };
    let slowest = batch_times.iter().max().copied().unwrap_or_default();
    println!(
        "generated on {} in {:.1} s: project {:?}, {} activities, {} sessions, {} communes, {} venues, {} organisations, {} speakers ({} index tokens of activities)",
        db.backend().name(),
        started.elapsed().as_secs_f64(),
        args.slug,
        n_acts,
        n_sessions,
        per_commune.iter().filter(|n| **n > 0).count(),
        n_venues,
        orgs_of.iter().map(Vec::len).sum::<usize>(),
        speakers.len(),
        tokens,
    );
    println!(
        "  organisations and people {:.1} s, venues {:.1} s, activities and sessions {:.1} s ({} transactions of {}, slowest {:.2} s)",
        orgs_time.as_secs_f64(),
        venues_time.as_secs_f64(),
        activities_time.as_secs_f64(),
        batch_times.len(),
        args.batch,
        slowest.as_secs_f64()
    );
    let busiest = per_commune
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .map(|(i, n)| (communes[i].name, *n));
    if let Some((name, n)) = busiest {
        println!("  busiest commune: {name} ({n} activities)");
    }
    db.close().await.ok();
}
