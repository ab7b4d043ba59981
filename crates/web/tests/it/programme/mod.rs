//! The public programme as a visitor sees it: filters and shareable URLs,
//! activity pages with schema.org Event data, iCalendar and Atom feeds read
//! back by real parsers, the page cache following the programme.

mod events;
mod feeds;
mod near;
mod pages;

use crate::util::TestApp;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_db::programme::activities::ActivityData;
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::{self, paris};
use maillage_db::venues::{self, VenueData};
use maillage_db::{ConnectionTrait, now, organisations};
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectStatus, RegistrationMode, SchoolLevel, SessionStatus,
};

pub struct Season {
    pub planetarium: i64,
    pub draft: i64,
}

/// Inserts an activity with one scheduled session of 90 minutes for 30
/// people at `start`.
async fn scheduled(c: &impl ConnectionTrait, data: ActivityData, start: DateTime<Utc>) -> i64 {
    let a = testing::activity(c, &data).await;
    let s = SessionData {
        starts_at: start,
        ends_at: start + chrono::Duration::minutes(90),
        capacity: Some(30),
        status: SessionStatus::Scheduled,
        venue_id: None,
    };
    testing::session(c, a.id, &s).await;
    a.id
}

/// A published edition with a planetarium show for classes at Cosmocité
/// (Le Pont-de-Claix) on both sides of the end of summer time, a paid talk
/// in Grenoble, a cancelled film and a draft; and an unpublished project.
pub async fn season(app: &TestApp) -> Season {
    let c = app.db.conn();
    let t = now();
    let project = |slug: &str, name: &str, status| ProjectData {
        ends_on: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        description: Some("La **science** en fête dans toute l'Isère.".into()),
        status,
        ..testing::project_data(slug, name, 2025)
    };
    let p = projects::insert(
        c,
        &project(
            "fds-2025",
            "Fête de la science 2025",
            ProjectStatus::Published,
        ),
        t,
    )
    .await
    .unwrap();
    projects::insert(
        c,
        &project("secret", "Projet en préparation", ProjectStatus::Draft),
        t,
    )
    .await
    .unwrap();
    let org = organisations::create(c, "La Casemate", t).await.unwrap();
    let cosmo = venues::insert(
        c,
        &VenueData {
            name: "Cosmocité".into(),
            address: Some("1 place Michel Couëtoux".into()),
            postcode: Some("38800".into()),
            commune_insee: Some("38317".into()),
            lat: Some(45.1403),
            lon: Some(5.6997),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let casemate = venues::insert(
        c,
        &VenueData {
            name: "La Casemate".into(),
            commune_insee: Some("38185".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let activity = |slug: &str, title: &str| testing::published_activity(p.id, slug, title);
    let planetarium = testing::activity(
        c,
        &ActivityData {
            summary: Some("Les étoiles d'automne sous la coupole.".into()),
            description: Some(
                "## Au programme\n\nLe ciel du soir, <script>alert(1)</script> les planètes."
                    .into(),
            ),
            format: Some(Format::Planetarium),
            audiences: vec![Audience::School, Audience::Families],
            levels: vec![SchoolLevel::College],
            themes: vec![Theme::Astronomy],
            organisations: vec![org.id],
            venue_id: Some(cosmo.id),
            free: true,
            registration: Some(RegistrationMode::Booking),
            ..activity("voyage-planetarium", "Voyage au planétarium")
        },
    )
    .await;
    let session = |start: DateTime<Utc>, status| SessionData {
        starts_at: start,
        ends_at: start + chrono::Duration::minutes(90),
        capacity: Some(30),
        status,
        venue_id: None,
    };
    sessions::insert_many(
        c,
        planetarium.id,
        &[
            session(paris(2025, 10, 24, 10, 0), SessionStatus::Scheduled),
            session(paris(2025, 10, 27, 10, 0), SessionStatus::Scheduled),
        ],
        t,
    )
    .await
    .unwrap();
    let village = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Village),
            venue_id: Some(casemate.id),
            ..activity("village-grenoble", "Village des sciences de Grenoble")
        },
    )
    .await;
    let _talk = scheduled(
        c,
        ActivityData {
            parent_id: Some(village.id),
            format: Some(Format::Talk),
            audiences: vec![Audience::General],
            venue_id: Some(casemate.id),
            free: false,
            price: Some("5 €".into()),
            registration: Some(RegistrationMode::External),
            registration_url: Some("https://billetterie.example.org/trous-noirs".into()),
            ..activity("trous-noirs", "Conférence : les trous noirs")
        },
        paris(2025, 10, 10, 20, 0),
    )
    .await;
    let _film = scheduled(
        c,
        ActivityData {
            format: Some(Format::Screening),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Cancelled),
            ..activity("cine-debat", "Ciné-débat sur le climat")
        },
        paris(2025, 10, 11, 18, 0),
    )
    .await;
    let draft = scheduled(
        c,
        ActivityData {
            format: Some(Format::Workshop),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Draft),
            ..activity("robots", "Atelier robots")
        },
        paris(2025, 10, 12, 14, 0),
    )
    .await;
    Season {
        planetarium: planetarium.id,
        draft,
    }
}

/// Titles of the activity cards of a programme page.
pub fn titles(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in body.split("href=\"/p/fds-2025/a/").skip(1) {
        if let Some(end) = part.find("</a>") {
            let inner = &part[..end];
            if let Some(gt) = inner.find('>') {
                out.push(inner[gt + 1..].trim().to_owned());
            }
        }
    }
    out
}
