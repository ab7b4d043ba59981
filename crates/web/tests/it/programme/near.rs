//! "Près de chez moi": a commune and a radius, the nearest activities
//! first, each with its distance; on the pages and in the API.

use super::*;
use axum::http::StatusCode;

async fn at(app: &TestApp, project: i64, title: &str, slug: &str, insee: &str, day: u32) {
    let c = app.db.conn();
    let v = venues::insert(c, &testing::venue(&format!("Salle {title}"), insee), now())
        .await
        .unwrap();
    let a = testing::activity(
        c,
        &ActivityData {
            venue_id: Some(v.id),
            ..testing::published_activity(project, slug, title)
        },
    )
    .await;
    testing::session(
        c,
        a.id,
        &SessionData {
            starts_at: paris(2025, 10, day, 10, 0),
            ends_at: paris(2025, 10, day, 11, 0),
            capacity: None,
            status: maillage_domain::programme::SessionStatus::Scheduled,
            venue_id: None,
        },
    )
    .await;
}

#[tokio::test]
async fn near_me_lists_the_nearest_first_within_the_radius() {
    let app = TestApp::new().await;
    let p = testing::project(
        app.db.conn(),
        &testing::project_data("fds-2025", "Fête de la science 2025", 2025),
    )
    .await
    .id;
    // Grenoble first by date, then Vif, then Voiron (40 km from Vif).
    at(&app, p, "Atelier à Grenoble", "grenoble", "38185", 8).await;
    at(&app, p, "Atelier à Vif", "vif", "38545", 9).await;
    at(&app, p, "Atelier à Voiron", "voiron", "38563", 10).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025?near=Vif&km=20").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(titles(&r.body), ["Atelier à Vif", "Atelier à Grenoble"]);
    assert!(r.body.contains("à moins d&#39;1 km"), "{}", r.body);
    assert!(r.body.contains("à 1"), "Grenoble is 10 to 20 km away");
    // Wider: Voiron too, last.
    let r = c.get("/p/fds-2025?near=38450&km=60").await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a postcode of several communes"
    );
    assert!(r.body.contains("id=\"f-near-error\""), "{}", r.body);
    let r = c.get("/p/fds-2025?near=Vif&km=60").await;
    assert_eq!(
        titles(&r.body),
        ["Atelier à Vif", "Atelier à Grenoble", "Atelier à Voiron"]
    );
    // A radius out of bounds: said beside the field, what was typed kept.
    let r = c.get("/p/fds-2025?near=Vif&km=500").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-km-error\""));
    assert!(r.body.contains("value=\"500\""));
    // The API: the same order.
    let api = c
        .get("/api/v1/activities?project=fds-2025&near=Vif&km=20")
        .await
        .json();
    let names: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Atelier à Vif", "Atelier à Grenoble"]);
}

#[tokio::test]
async fn one_agenda_across_projects_day_by_day() {
    let app = TestApp::new().await;
    let fds = testing::project(
        app.db.conn(),
        &testing::project_data("fds-2025", "Fête de la science 2025", 2025),
    )
    .await
    .id;
    let cult = testing::project(
        app.db.conn(),
        &testing::project_data("soirees-cult", "Soirées Cult'", 2025),
    )
    .await
    .id;
    at(&app, fds, "Atelier à Grenoble", "grenoble", "38185", 8).await;
    at(&app, cult, "Soirée à Vif", "soiree-vif", "38545", 8).await;
    at(&app, fds, "Atelier à Voiron", "voiron", "38563", 10).await;
    let mut c = app.client();
    let r = c.get("/agenda?from=2025-10-08").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let day8 = r.body.find("mercredi 8 octobre 2025").expect("the 8th");
    let day10 = r.body.find("vendredi 10 octobre 2025").expect("the 10th");
    let grenoble = r.body.find("Atelier à Grenoble").unwrap();
    let vif = r.body.find("Soirée à Vif").unwrap();
    let voiron = r.body.find("Atelier à Voiron").unwrap();
    assert!(day8 < grenoble && day8 < vif && grenoble < day10 && vif < day10 && day10 < voiron);
    assert!(
        r.body.contains("Soirées Cult"),
        "each entry names its project"
    );
    // Near Vif: Voiron is too far.
    let r = c.get("/agenda?from=2025-10-08&near=Vif&km=20").await;
    assert!(r.body.contains("Soirée à Vif") && !r.body.contains("Atelier à Voiron"));
    // Two weeks later: nothing, said so; a bad day is said beside its field.
    let r = c.get("/agenda?from=2025-11-01").await;
    assert!(r.body.contains("Aucune séance sur ces deux semaines."));
    let r = c.get("/agenda?from=2025-13-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-from-error\""), "{}", r.body);
}
