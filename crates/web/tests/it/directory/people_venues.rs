//! People (members, merges, personal data), venues and their spaces.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::now;
use maillage_db::organisations::{self};
use maillage_db::people::{self};
use maillage_domain::Role;

#[tokio::test]
async fn members_merge_and_personal_data() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let a = organisations::create(app.db.conn(), "Petits Débrouillards", now())
        .await
        .unwrap();
    let b = organisations::create(app.db.conn(), "Les Petits Débrouillards", now())
        .await
        .unwrap();
    let r = c
        .post(
            "/team/people",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@example.org"),
                ("roles", "researcher"),
                ("gender", "female"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ada = id_from(r.location());
    // Find her from the organisation page, add her with a function.
    let page = c
        .get(&format!("/team/organisations/{}?member_q=lovelace", b.id))
        .await;
    assert!(page.body.contains("name=\"person\" value=\"") && page.body.contains("Ada Lovelace"));
    let r = c
        .post(
            &format!("/team/organisations/{}/members", b.id),
            &[
                ("person", &ada.to_string()),
                ("function", "animatrice"),
                ("back", &format!("/team/organisations/{}", b.id)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Merge b into a: the membership moves.
    let r = c
        .get(&format!(
            "/team/organisations/{}/merge?q=debrouillards",
            a.id
        ))
        .await;
    assert!(r.body.contains(&format!("value=\"{}\"", b.id)));
    let r = c
        .post(
            &format!("/team/organisations/{}/merge", a.id),
            &[("other", &b.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let members = people::members_of(app.db.conn(), a.id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].1.as_deref(), Some("animatrice"));
    assert!(
        organisations::find(app.db.conn(), b.id)
            .await
            .unwrap()
            .is_none()
    );

    // Personal data: export, then erasure.
    let r = c.get(&format!("/team/people/{ada}/export.json")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("attachment"));
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["email"], "ada@example.org");
    assert_eq!(v["memberships"][0]["organisation"], "Petits Débrouillards");
    let r = c.post(&format!("/team/people/{ada}/erase"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/team/people/{ada}")).await;
    assert!(!page.body.contains("Lovelace") && !page.body.contains("ada@example.org"));
    assert_eq!(
        c.get(&format!("/team/people/{ada}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn venues_and_spaces() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    organisations::create(app.db.conn(), "Territoire de Sciences", now())
        .await
        .unwrap();
    let r = c
        .post(
            "/team/venues",
            &[
                ("name", "Cosmocité"),
                ("organisation", "territoire de sciences"),
                ("address", "85 cours Saint-André"),
                ("postcode", "38800"),
                ("commune", "Le Pont-de-Claix"),
                ("wheelchair", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = r.location().to_owned();
    let id = id_from(&v);
    let r = c
        .post(
            &format!("/team/venues/{id}/spaces"),
            &[("name", ""), ("kind", "pool"), ("capacity", "-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"-1\""));
    let r = c
        .post(
            &format!("/team/venues/{id}/spaces"),
            &[
                ("name", "Planétarium"),
                ("kind", "planetarium"),
                ("capacity", "80"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&v).await;
    assert!(
        page.body.contains("Planétarium")
            && page
                .body
                .contains(r#"<td data-label="Capacité (personnes)">80</td>"#)
    );
    assert!(page.body.contains("Territoire de Sciences"));
    let r = c
        .post(
            "/team/venues",
            &[
                ("name", "X"),
                ("organisation", "Nobody Inc"),
                ("lat", "45.1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-organisation-error\"") && r.body.contains("id=\"f-lon-error\"")
    );
}
