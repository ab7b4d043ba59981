//! Files checked by content and size, and bodies over the limit.

use super::*;
use crate::util::TestApp;
use crate::util::assert_says;
use axum::http::StatusCode;
use maillage_db::forms::submissions::{self, Filter};
use maillage_db::forms::uploads;
use maillage_domain::forms::review::Status;
use maillage_domain::forms::{CallKind, FileKind};

#[tokio::test]
async fn an_applicant_uploads_a_cv_and_a_letter_and_a_renamed_exe_is_refused() {
    let app = TestApp::new().await;
    let call = internship(&app).await;
    let mut cl = app.client();
    let start = "/appel/stage/repondre";
    let r = cl.get(start).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The form's own name and e-mail questions say who applies: not asked twice.
    assert!(!r.body.contains("name=\"_email\""), "{}", r.body);
    assert!(r.body.contains("type=\"file\""));
    assert!(
        r.body.contains("accept=\".pdf,application/pdf\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Formats acceptés : PDF. Taille maximale : 5 Mo.")
    );

    // An executable named cv.pdf, and a letter too large.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let mut big = pdf("Lettre");
    big.resize(1024 * 1024 + 200 * 1024, b' ');
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
            &[("cv", "cv.pdf", exe), ("letter", "lettre.pdf", &big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"f-cv-error\""), "{}", r.body);
    assert_says(&r.body, "son contenu n'est pas celui d'un fichier PDF");
    assert!(r.body.contains("id=\"f-letter-error\""));
    assert!(r.body.contains("la limite est de 1 Mo"), "{}", r.body);
    // What was typed is kept, and the draft was saved with its link.
    assert!(r.body.contains("value=\"Ada Lovelace\""));
    let secret = secret_in(&r.body);
    let url = format!("/appel/stage/reponse/{secret}");
    let c = app.db.conn();
    let s = submissions::resume(c, &secret).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Draft);
    assert!(uploads::of_submission(c, s.id).await.unwrap().is_empty());

    // The CV alone: stored, its name shown; the letter still missing.
    let r = cl
        .post_files(&url, &fields, &[("cv", "Mon CV.pdf", &pdf("CV"))])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("<strong>Mon CV.pdf</strong>"), "{}", r.body);
    assert!(r.body.contains("id=\"f-letter-error\""));
    assert!(!r.body.contains("id=\"f-cv-error\""));

    // Then the letter: submitted, the CV kept.
    let r = cl
        .post_files(&url, &fields, &[("letter", "lettre.pdf", &pdf("Lettre"))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), url);
    let r = cl.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Merci"), "{}", r.body);
    assert!(r.body.contains("Mon CV.pdf") && r.body.contains("lettre.pdf"));
    let s = submissions::find(c, s.id).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Submitted);
    assert_eq!(s.call_id, Some(call.id));
    assert_eq!(s.submitter.name, "Ada Lovelace");
    let ups = uploads::of_submission(c, s.id).await.unwrap();
    assert_eq!(ups.len(), 2, "{ups:?}");
    assert!(ups.iter().all(|u| u.kind == FileKind::Pdf));
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "ada@example.org" && m.subject.contains("bien reçue"))
        .expect("a confirmation");
    assert!(
        mail.body_text.contains("Mon CV.pdf (fichier joint)"),
        "{}",
        mail.body_text
    );
    assert!(mail.body_text.contains(&url));
    // Sent: the link shows it, and it no longer changes.
    let r = cl
        .post_files(&url, &[("_page", "0"), ("_action", "submit")], &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_body_over_the_upload_limit_is_refused_with_a_page_not_an_error() {
    let app = TestApp::new().await;
    make_call(
        &app,
        "lourd",
        CallKind::Application,
        application_schema(1 << 20),
    )
    .await;
    let mut cl = app.client();
    let big = vec![b'%'; maillage_web::UPLOAD_LIMIT + 1024];
    let r = cl
        .post_files(
            "/appel/lourd/repondre",
            &[
                ("_page", "0"),
                ("_action", "save"),
                ("_name", "Ada Lovelace"),
                ("_email", "ada@example.org"),
            ],
            &[("cv", "cv.pdf", &big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Envoi trop volumineux"), "{}", r.body);
    // Nothing half-stored.
    let all = Filter {
        include_drafts: true,
        ..Default::default()
    };
    assert!(
        submissions::list(app.db.conn(), &all)
            .await
            .unwrap()
            .is_empty()
    );
}
