//! `maillage-booking-setup`: prepares a database for `bench/bookings.sh` —
//! one published project with activities taking individual bookings:
//!
//! - "spread": `--sessions` sessions of `--capacity` places each, in
//!   activities of `--per-activity` sessions (as a festival's), so that a
//!   load spread over them books confirmed places (the uncontended path);
//! - "storm": one session of `--storm-capacity` places, hammered by every
//!   connection at once (the contended path: one lock, a waiting list).
//!
//! Everything goes through the storage functions (`projects::insert`,
//! `activities::insert`, `sessions::insert_many`, `bookings::save_settings`).
//! Sessions start in a month, so bookings are open. Writes the session ids,
//! one a line, to `--spread-out` and `--storm-out`.
//!
//!     maillage-booking-setup sqlite:///tmp/bench.db --spread-out spread.txt --storm-out storm.txt

use chrono::{Duration, Utc};
use clap::Parser;
use maillage_db::bookings::{self, Settings};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::{Db, PoolConfig, migrate, now};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectKind, ProjectStatus, RegistrationMode, SessionStatus,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::io::Write;

#[derive(Parser)]
#[command(about = "Creates bookable sessions for the booking benchmark")]
struct Args {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DATABASE (migrated if needed).
    database: String,
    /// Slug of the project.
    #[arg(long, default_value = "bench-bookings")]
    slug: String,
    /// Sessions of the "spread" activity.
    #[arg(long, default_value_t = 1_000)]
    sessions: usize,
    /// Sessions of each "spread" activity (the booking e-mail reads the
    /// activity with all its sessions).
    #[arg(long, default_value_t = 4)]
    per_activity: usize,
    /// Places of each "spread" session.
    #[arg(long, default_value_t = 10_000)]
    capacity: i32,
    /// Places of the "storm" session.
    #[arg(long, default_value_t = 50)]
    storm_capacity: i32,
    /// Most seats one booking may hold.
    #[arg(long, default_value_t = 6)]
    max_seats: i32,
    /// Writes the ids of the "spread" sessions here, one a line.
    #[arg(long)]
    spread_out: std::path::PathBuf,
    /// Writes the id of the "storm" session here.
    #[arg(long)]
    storm_out: std::path::PathBuf,
}

fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("{e}");
    std::process::exit(1)
}

async fn activity(
    tx: &maillage_db::WriteTx,
    project: i64,
    slug: &str,
    title: &str,
    sessions: usize,
    capacity: i32,
    max_seats: i32,
) -> Vec<i64> {
    let t = now();
    let a = activities::insert(
        tx,
        &ActivityData {
            project_id: project,
            slug: slug.into(),
            title: title.into(),
            summary: Some("Une activité du banc d'essai des réservations.".into()),
            format: Some(Format::Workshop),
            audiences: vec![Audience::General],
            free: true,
            registration: Some(RegistrationMode::Booking),
            status: Some(ActivityStatus::Published),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap_or_else(|e| fail(e));
    // Hourly slots from a month ahead.
    let first = Utc::now() + Duration::days(30);
    let list: Vec<SessionData> = (0..sessions)
        .map(|k| {
            let starts_at = first + Duration::hours(i64::try_from(k).unwrap_or(0));
            SessionData {
                starts_at,
                ends_at: starts_at + Duration::minutes(45),
                capacity: Some(capacity),
                status: SessionStatus::Scheduled,
                venue_id: None,
            }
        })
        .collect();
    sessions::insert_many(tx, a.id, &list, t)
        .await
        .unwrap_or_else(|e| fail(e));
    bookings::save_settings(
        tx,
        a.id,
        &Settings {
            max_seats,
            ..Settings::default()
        },
        t,
    )
    .await
    .unwrap_or_else(|e| fail(e));
    use sessions::entity::{Column, Entity};
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::ActivityId.eq(a.id))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(tx)
        .await
        .unwrap_or_else(|e| fail(e))
}

fn write_ids(path: &std::path::Path, ids: &[i64]) {
    let mut f = std::fs::File::create(path).unwrap_or_else(|e| fail(e));
    for id in ids {
        writeln!(f, "{id}").unwrap_or_else(|e| fail(e));
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let db = Db::connect(&args.database, PoolConfig::default())
        .await
        .unwrap_or_else(|e| fail(e));
    migrate::run(&db).await.unwrap_or_else(|e| fail(e));
    if projects::find_by_slug(db.conn(), &args.slug)
        .await
        .unwrap_or_else(|e| fail(e))
        .is_some()
    {
        fail(format!(
            "project {:?} already there: use a fresh database",
            args.slug
        ));
    }
    let today = Utc::now().date_naive();
    let tx = db.write().await.unwrap_or_else(|e| fail(e));
    let p = projects::insert(
        &tx,
        &ProjectData {
            slug: args.slug.clone(),
            name: "Banc d'essai des réservations".into(),
            kind: ProjectKind::Festival,
            starts_on: today + Duration::days(30),
            ends_on: today + Duration::days(90),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Published,
        },
        now(),
    )
    .await
    .unwrap_or_else(|e| fail(e));
    let mut spread = Vec::with_capacity(args.sessions);
    let per = args.per_activity.max(1);
    for k in 0..args.sessions.div_ceil(per) {
        let n = per.min(args.sessions - k * per);
        spread.extend(
            activity(
                &tx,
                p.id,
                &format!("atelier-{}", k + 1),
                &format!("Atelier n° {}", k + 1),
                n,
                args.capacity,
                args.max_seats,
            )
            .await,
        );
    }
    let storm = activity(
        &tx,
        p.id,
        "storm",
        "La séance que tout le monde veut",
        1,
        args.storm_capacity,
        args.max_seats,
    )
    .await;
    tx.commit().await.unwrap_or_else(|e| fail(e));
    write_ids(&args.spread_out, &spread);
    write_ids(&args.storm_out, &storm);
    println!(
        "set up on {} in {:.1} s: {} sessions of {} places in activities of {} (ids {}–{}), storm session {} of {} places",
        db.backend().name(),
        started.elapsed().as_secs_f64(),
        spread.len(),
        args.capacity,
        per,
        spread.first().copied().unwrap_or_default(),
        spread.last().copied().unwrap_or_default(),
        storm.first().copied().unwrap_or_default(),
        args.storm_capacity,
    );
    db.close().await.ok();
}
