//! A person's applications, at their request: found by address, handed
//! over as JSON with their files, erased with their files; for staff only.

use super::{internship, pdf};
use crate::util::TestApp;
use axum::http::StatusCode;
use base64::Engine;
use maillage_db::forms::{submissions, uploads};
use maillage_domain::Role;

/// Ada applies to the internship call with her CV and letter.
async fn ada_applies(app: &TestApp) -> i64 {
    internship(app).await;
    let mut cl = app.client();
    let start = "/appel/stage/repondre";
    cl.get(start).await;
    let fields = [
        ("_page", "0"),
        ("_action", "submit"),
        ("name", "Ada Lovelace"),
        ("email", "ada@example.org"),
    ];
    let r = cl
        .post_files(
            start,
            &fields,
            &[
                ("cv", "Mon CV.pdf", &pdf("CV")),
                ("letter", "lettre.pdf", &pdf("Lettre")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = submissions::of_email(app.db.conn(), "ada@example.org")
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    mine[0].id
}

#[tokio::test]
async fn staff_hand_over_and_erase_a_persons_applications_with_their_files() {
    let app = TestApp::new().await;
    let id = ada_applies(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get("/team/calls/person").await;
    assert_eq!(page.status, StatusCode::OK);

    // A bad address: said beside it, kept.
    let r = staff
        .post("/team/calls/person", &[("email", "ada chez example")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-email-error""#));
    assert!(r.body.contains(r#"value="ada chez example""#));

    // Found, case aside.
    let r = staff
        .post("/team/calls/person", &[("email", "ADA@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!(r#"href="/team/submissions/{id}""#)),
        "{}",
        r.body
    );
    assert!(r.body.contains("Ada Lovelace"));

    // The export: answers, history and both files, byte for byte.
    let r = staff
        .post("/team/calls/person/export", &[("email", "ada@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let a = &json["applications"][0];
    assert_eq!(a["id"], id);
    assert_eq!(a["name"], "Ada Lovelace");
    assert_eq!(a["status"], "submitted");
    assert!(!a["history"].as_array().unwrap().is_empty());
    let files = a["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let cv = files
        .iter()
        .find(|f| f["filename"] == "Mon CV.pdf")
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cv["content"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, pdf("CV"));

    // Erasing needs the box ticked; then everything goes.
    let files: Vec<i64> = uploads::of_submission(app.db.conn(), id)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(files.len(), 2);
    let r = staff
        .post("/team/calls/person/erase", &[("email", "ada@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-confirm-error""#));
    assert!(
        submissions::find(app.db.conn(), id)
            .await
            .unwrap()
            .is_some()
    );
    let r = staff
        .post(
            "/team/calls/person/erase",
            &[("email", "ada@example.org"), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        submissions::find(app.db.conn(), id)
            .await
            .unwrap()
            .is_none()
    );
    for f in files {
        assert!(uploads::read(app.db.conn(), f).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn interns_who_review_cannot_export_or_erase() {
    let app = TestApp::new().await;
    let id = ada_applies(&app).await;
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(
        intern.get("/team/calls/person").await.status,
        StatusCode::FORBIDDEN
    );
    let r = intern
        .post(
            "/team/calls/person/erase",
            &[("email", "ada@example.org"), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        submissions::find(app.db.conn(), id)
            .await
            .unwrap()
            .is_some()
    );
}
