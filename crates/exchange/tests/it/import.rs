//! Importing the real OpenAgenda files into a project, on the test database.

use chrono::NaiveDate;
use maillage_db::audit::Actor;
use maillage_db::programme::activities;
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::testing::TestDb;
use maillage_db::{Db, now};
use maillage_domain::programme::{ProjectKind, ProjectStatus};
use maillage_exchange::{export, import};

fn shared(file: &str) -> Vec<u8> {
    let path = format!("{}/../../../shared/data/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (the shared test data must be present)"))
}

async fn project(db: &Db, slug: &str) -> i64 {
    projects::insert(
        db.conn(),
        &ProjectData {
            slug: slug.into(),
            name: slug.into(),
            kind: ProjectKind::Festival,
            starts_on: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Published,
        },
        now(),
    )
    .await
    .unwrap()
    .id
}

async fn run(db: &Db, project: i64, bytes: &[u8]) -> maillage_exchange::Report {
    let parsed = maillage_openagenda::parse(bytes).unwrap();
    let tx = db.write().await.unwrap();
    let r = import(&tx, project, &parsed, &Actor::system("test"), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    r
}

async fn sessions_count(db: &Db, project: i64) -> usize {
    activities::of_project(db.conn(), project)
        .await
        .unwrap()
        .iter()
        .map(|a| a.sessions.len())
        .sum()
}

#[tokio::test]
async fn each_event_becomes_an_activity_with_every_timing_and_a_second_import_changes_nothing() {
    let db = TestDb::new().await;
    for (file, events) in [
        ("openagenda/tcheque-events.json", 205usize),
        ("openagenda/albi-events.json", 75),
    ] {
        let p = project(&db, &format!("p-{}", events)).await;
        let bytes = shared(file);
        let parsed = maillage_openagenda::parse(&bytes).unwrap();
        let timings: usize = parsed
            .events
            .iter()
            .map(|e| {
                let mut t: Vec<_> = e.timings.iter().map(|t| (t.begin, t.end)).collect();
                t.sort();
                t.dedup();
                t.len()
            })
            .sum();
        let first = run(&db, p, &bytes).await;
        assert_eq!(first.created, events, "{file}: {:?}", first.skipped);
        assert_eq!(
            activities::of_project(db.conn(), p).await.unwrap().len(),
            events
        );
        assert_eq!(
            sessions_count(&db, p).await,
            timings,
            "{file}: every timing is a session"
        );
        let ids: Vec<i64> = activities::of_project(db.conn(), p)
            .await
            .unwrap()
            .iter()
            .flat_map(|a| a.sessions.iter().map(|s| s.id))
            .collect();
        let second = run(&db, p, &bytes).await;
        assert_eq!(
            (second.created, second.updated, second.unchanged),
            (0, 0, events),
            "{file}: a second import changes nothing"
        );
        let ids2: Vec<i64> = activities::of_project(db.conn(), p)
            .await
            .unwrap()
            .iter()
            .flat_map(|a| a.sessions.iter().map(|s| s.id))
            .collect();
        assert_eq!(ids, ids2, "sessions keep their ids");
    }
}

#[tokio::test]
async fn albi_events_without_first_timing_keep_their_timings_and_locations() {
    let db = TestDb::new().await;
    let p = project(&db, "albi").await;
    run(&db, p, &shared("openagenda/albi-events.json")).await;
    let list = activities::of_project(db.conn(), p).await.unwrap();
    assert!(list.iter().all(|a| !a.sessions.is_empty()));
    let with_commune = list
        .iter()
        .filter(|a| {
            a.venue
                .as_ref()
                .and_then(|v| v.data.commune_insee.as_deref())
                == Some("81004")
        })
        .count();
    assert!(
        with_commune > 0,
        "Albi (INSEE 81004) found from the locations"
    );
}

#[tokio::test]
async fn exporting_and_reimporting_round_trips() {
    let db = TestDb::new().await;
    let a = project(&db, "a").await;
    run(&db, a, &shared("openagenda/tcheque-events.json")).await;
    let exported = maillage_openagenda::export(&export(db.conn(), a).await.unwrap());
    let bytes = serde_json::to_vec(&exported).unwrap();
    let b = project(&db, "b").await;
    let report = run(&db, b, &bytes).await;
    assert_eq!(report.created, 205);
    assert!(report.skipped.is_empty());
    let again = maillage_openagenda::export(&export(db.conn(), b).await.unwrap());
    assert_eq!(
        exported, again,
        "export → import → export gives the same events"
    );
    // And importing the export into the project it came from changes nothing.
    let same = run(&db, a, &bytes).await;
    assert_eq!(same.unchanged, 205, "{same:?}");
}

#[tokio::test]
async fn single_events_and_the_ministry_records() {
    let db = TestDb::new().await;
    let p = project(&db, "singles").await;
    for f in [
        "event-detailed-location.json",
        "event-online-attendance.json",
        "event-with-registration-link.json",
    ] {
        let r = run(&db, p, &shared(&format!("openagenda/{f}"))).await;
        assert_eq!(r.created, 1, "{f}");
    }
    let list = activities::of_project(db.conn(), p).await.unwrap();
    assert!(
        list.iter().any(|a| a
            .venue
            .as_ref()
            .and_then(|v| v.data.commune_insee.as_deref())
            == Some("44109")),
        "INSEE code kept"
    );
    assert!(
        list.iter()
            .any(|a| a.venue.is_none() && a.data.online_url.is_some()),
        "online event"
    );
    assert!(
        list.iter().any(|a| a.data.registration_url.is_some()),
        "registration link"
    );

    let fds = project(&db, "fds-2017").await;
    let parsed = maillage_openagenda::parse_fete_de_la_science(&shared(
        "fete-de-la-science/fr-esr-fete-de-la-science-17.size-100.json",
    ))
    .unwrap();
    let tx = db.write().await.unwrap();
    let r = import(&tx, fds, &parsed, &Actor::system("test"), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(r.created, parsed.events.len());
    let isere = activities::of_project(db.conn(), fds)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| {
            a.venue
                .as_ref()
                .and_then(|v| v.data.commune_insee.as_deref())
                .is_some_and(|i| i.starts_with("38"))
        })
        .count();
    assert_eq!(isere, 7, "the 7 records of Isère land in Isère communes");
}
