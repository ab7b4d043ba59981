//! The call's window: closed after the deadline, not open before.

use super::*;
use crate::util::TestApp;
use crate::util::assert_says;
use axum::http::StatusCode;
use chrono::TimeDelta;
use maillage_db::forms::calls::{self, CallData};
use maillage_db::forms::submissions::{self, Filter};
use maillage_db::forms::uploads;
use maillage_domain::Locale;
use maillage_domain::forms::review::Status;
use maillage_domain::forms::{Answer, CallKind};

#[tokio::test]
async fn after_the_deadline_the_form_refuses_and_the_draft_stays() {
    let app = TestApp::new().await;
    let call = internship(&app).await;
    let mut cl = app.client();
    let r = cl
        .post_files(
            "/appel/stage/repondre",
            &[
                ("_page", "0"),
                ("_action", "save"),
                ("name", "Grace Hopper"),
                ("email", "grace@example.org"),
            ],
            &[("cv", "cv.pdf", &pdf("CV"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_owned();
    let secret = secret_in(&url);
    // The link was e-mailed.
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "grace@example.org")
        .expect("the resume link");
    assert!(mail.body_text.contains(&url), "{}", mail.body_text);

    // The call closes.
    let c = app.db.conn();
    let closed_at = maillage_db::now() - TimeDelta::minutes(1);
    calls::update(
        c,
        call.id,
        &CallData {
            closes_at: closed_at,
            retention_months: maillage_db::forms::calls::DEFAULT_RETENTION_MONTHS,
            ..call.data.clone()
        },
    )
    .await
    .unwrap();
    let r = cl
        .post_files(
            &url,
            &[
                ("_page", "0"),
                ("_action", "submit"),
                ("name", "Grace Hopper"),
                ("email", "grace@example.org"),
            ],
            &[("letter", "lettre.pdf", &pdf("Lettre"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let paris = maillage_web::time::datetime(Locale::Fr, closed_at);
    assert!(
        r.body.contains(&format!(
            "Cet appel est clos depuis le {paris} (heure de Paris)"
        )),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Grace Hopper\""));
    let s = submissions::resume(c, &secret).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Draft);
    assert!(matches!(s.answers.get("cv"), Some(Answer::File(_))));
    assert!(s.answers.get("letter").is_none());
    assert_eq!(uploads::of_submission(c, s.id).await.unwrap().len(), 1);
    // The link still opens the draft, with the message.
    let r = cl.get(&url).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Cet appel est clos"));
    // A new answer is refused too.
    let mut other = app.client();
    let r = other.get("/appel/stage/repondre").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = other
        .post(
            "/appel/stage/repondre",
            &[
                ("_action", "save"),
                ("name", "Late"),
                ("email", "late@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        submissions::list(
            c,
            &Filter {
                include_drafts: true,
                ..Default::default()
            }
        )
        .await
        .unwrap()
        .len(),
        1
    );
}

#[tokio::test]
async fn before_the_opening_the_form_says_when_it_opens() {
    let app = TestApp::new().await;
    let call = make_call(
        &app,
        "bientot",
        CallKind::Application,
        application_schema(1024),
    )
    .await;
    let opens = maillage_db::now() + TimeDelta::days(2);
    calls::update(
        app.db.conn(),
        call.id,
        &CallData {
            opens_at: opens,
            ..call.data.clone()
        },
    )
    .await
    .unwrap();
    let mut cl = app.client();
    let r = cl.get("/appel/bientot").await;
    assert!(!r.body.contains("/appel/bientot/repondre"));
    let r = cl.get("/appel/bientot/repondre").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let paris = maillage_web::time::datetime(Locale::Fr, opens);
    assert_says(
        &r.body,
        &format!("Cet appel n'est pas encore ouvert : il ouvrira le {paris}"),
    );
    assert!(!r.body.contains("value=\"submit\""));
}
