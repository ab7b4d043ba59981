//! Coverage from the database's figures, on SQLite and on PostgreSQL
//! (`MAILLAGE_TEST_DATABASE_URL`): communes and population reached, the
//! communes never reached, EPCI, and the change since the previous edition.

use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::{self, TestDb};
use maillage_db::venues::{self, VenueData};
use maillage_db::{bookings, now};
use maillage_domain::programme::{ActivityStatus, SessionStatus};
use maillage_reports::coverage;

async fn activity_in(db: &TestDb, project: i64, insee: &str, title: &str, status: ActivityStatus) {
    let t = now();
    let v = venues::insert(
        db.conn(),
        &VenueData {
            name: format!("Salle {title}"),
            commune_insee: Some(insee.into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let a = activities::insert(
        db.conn(),
        &ActivityData {
            project_id: project,
            slug: maillage_domain::programme::slugify(title),
            title: title.into(),
            venue_id: Some(v.id),
            status: Some(status),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    for day in 1..=2 {
        sessions::insert(
            db.conn(),
            a.id,
            &SessionData {
                starts_at: t + chrono::TimeDelta::days(day),
                ends_at: t + chrono::TimeDelta::days(day) + chrono::TimeDelta::hours(1),
                capacity: Some(30),
                status: SessionStatus::Scheduled,
                venue_id: None,
            },
            t,
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn coverage_counts_communes_population_and_what_changed() {
    let db = TestDb::new().await;
    // The previous edition: Grenoble and Vienne.
    let before = testing::bookable(&db, testing::Bookable::default()).await;
    activity_in(
        &db,
        before.project_id,
        "38185",
        "Atelier A",
        ActivityStatus::Published,
    )
    .await;
    activity_in(
        &db,
        before.project_id,
        "38544",
        "Atelier B",
        ActivityStatus::Published,
    )
    .await;
    // This edition: Grenoble, Le Pont-de-Claix, Échirolles; a draft in
    // Voiron does not count.
    let now_ = testing::bookable(&db, testing::Bookable::default()).await;
    activity_in(
        &db,
        now_.project_id,
        "38185",
        "Conférence",
        ActivityStatus::Published,
    )
    .await;
    activity_in(
        &db,
        now_.project_id,
        "38185",
        "Exposition",
        ActivityStatus::Published,
    )
    .await;
    activity_in(
        &db,
        now_.project_id,
        "38317",
        "Planétarium",
        ActivityStatus::Published,
    )
    .await;
    activity_in(
        &db,
        now_.project_id,
        "38151",
        "Atelier",
        ActivityStatus::Full,
    )
    .await;
    activity_in(
        &db,
        now_.project_id,
        "38563",
        "Brouillon",
        ActivityStatus::Draft,
    )
    .await;

    // Who came to a session in Le Pont-de-Claix.
    let figures = maillage_db::reports::by_commune(db.conn(), now_.project_id)
        .await
        .unwrap();
    let pdc = activities::of_project(db.conn(), now_.project_id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.data.title == "Planétarium")
        .unwrap();
    bookings::walk_in(db.conn(), pdc.sessions[0].id, 24, 3, 5, now())
        .await
        .unwrap();
    assert_eq!(figures["38185"].activities, 2);
    assert_eq!(figures["38185"].sessions, 4);
    assert!(!figures.contains_key("38563"), "drafts are not counted");

    let c = coverage::of_project(db.conn(), now_.project_id, None, Some(before.project_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.departement, "38");
    assert_eq!(c.departement_name, "Isère");
    let reached: Vec<&str> = c.reached.iter().map(|r| r.insee).collect();
    assert_eq!(
        reached,
        ["38151", "38185", "38317"],
        "by name: Échirolles, Grenoble, Le Pont-de-Claix"
    );
    let pont = c.reached.iter().find(|r| r.insee == "38317").unwrap();
    assert_eq!(
        (
            pont.figures.pupils,
            pont.figures.adults,
            pont.figures.public
        ),
        (24, 3, 5)
    );
    let isere = maillage_geo::communes_of_departement("38");
    assert_eq!(c.communes_total, isere.len());
    assert_eq!(c.never_reached.len(), isere.len() - 3);
    let population =
        |insee: &str| u64::from(maillage_geo::commune(insee).unwrap().population.unwrap());
    assert_eq!(
        c.population_reached,
        population("38185") + population("38317") + population("38151")
    );
    let total: u64 = isere
        .iter()
        .map(|c| u64::from(c.population.unwrap_or(0)))
        .sum();
    assert_eq!(c.population_total, total);
    assert!(c.population_share() > 0.1 && c.population_share() < 0.5);
    // Never reached, most populated first: Saint-Martin-d'Hères leads.
    assert_eq!(c.never_reached[0].name, "Saint-Martin-d'Hères");
    assert!(c.never_reached.iter().any(|n| n.insee == "38544"), "Vienne");
    assert!(
        c.never_reached
            .windows(2)
            .all(|w| w[0].population >= w[1].population)
    );
    // Grenoble-Alpes-Métropole: three of its communes.
    let metro = c.epcis.iter().find(|e| e.reached > 0).unwrap();
    assert_eq!(metro.reached, 3);
    assert_eq!(c.gained, ["38151", "38317"]);
    assert_eq!(c.lost, ["38544"]);
    assert!(c.outside.is_empty());
}
