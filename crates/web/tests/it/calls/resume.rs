//! Pages, the secret link that resumes an answer, its withdrawal.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::forms::submissions::{self, Filter};
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{Answer, CallKind};

#[tokio::test]
async fn pages_keep_their_answers_and_a_secret_link_resumes() {
    let app = TestApp::new().await;
    make_call(&app, "jam", CallKind::Application, paged_schema()).await;
    let mut cl = app.client();
    let start = "/appel/jam/repondre";
    let r = cl.get(start).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Étape 1 sur 2"));
    // No name and address in the form: asked here, checked.
    assert!(r.body.contains("name=\"_email\""));
    let r = cl
        .post(
            start,
            &[
                ("_page", "0"),
                ("_action", "next"),
                ("_name", "Ada"),
                ("_email", "pas une adresse"),
                ("title", "Jeu"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-_email-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Jeu\""));
    // CSRF required: nothing started without it.
    let r = cl
        .post_raw(
            start,
            &[
                ("_page", "0"),
                ("_name", "Ada"),
                ("_email", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let c = app.db.conn();
    let all = Filter {
        include_drafts: true,
        ..Default::default()
    };
    assert!(submissions::list(c, &all).await.unwrap().is_empty());

    // A required question of the page.
    let r = cl
        .post(
            start,
            &[
                ("_page", "0"),
                ("_action", "next"),
                ("_name", "Ada Lovelace"),
                ("_email", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-title-error\""), "{}", r.body);
    // Started all the same (the link shown), nothing lost.
    let secret = secret_in(&r.body);
    let url = format!("/appel/jam/reponse/{secret}");
    let r = cl
        .post(
            &url,
            &[
                ("_page", "0"),
                ("_action", "next"),
                ("title", "Jeu de piste"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{url}?page=1"));
    let r = cl.get(&format!("{url}?page=1")).await;
    assert!(r.body.contains("Étape 2 sur 2"), "{}", r.body);
    assert!(
        r.body
            .contains("Vous répondez en tant que Ada Lovelace (ada@example.org)")
    );
    // Back, with this page's answers kept.
    let r = cl
        .post(
            &url,
            &[
                ("_page", "1"),
                ("_action", "prev"),
                ("audience", "adults"),
                ("details", "Trois énigmes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{url}?page=0"));
    let r = cl.get(r.location()).await;
    assert!(r.body.contains("value=\"Jeu de piste\""), "{}", r.body);
    // Resumed from the link, in another browser.
    let mut other = app.client();
    let r = other.get(&format!("{url}?page=1")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(">Trois énigmes</textarea>"), "{}", r.body);
    assert!(r.body.contains("value=\"adults\" checked"));
    // Save for later: the link is e-mailed.
    let r = other
        .post(
            &url,
            &[
                ("_page", "1"),
                ("_action", "save"),
                ("audience", "adults"),
                ("details", "Trois énigmes et un trésor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{url}?page=1&saved=1"));
    let r = other.get(r.location()).await;
    assert!(r.body.contains("Votre brouillon est enregistré"));
    let mails = app.outbox().await;
    assert!(mails.iter().any(|m| m.to_addr == "ada@example.org"
        && m.body_text.contains(&format!("http://localhost:8080{url}"))));
    // Submitted from the last page.
    let r = other
        .post(
            &url,
            &[
                ("_page", "1"),
                ("_action", "submit"),
                ("audience", "adults"),
                ("details", "Trois énigmes et un trésor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = submissions::resume(c, &secret).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Submitted);
    assert_eq!(
        s.answers.get("title"),
        Some(&Answer::Text("Jeu de piste".into()))
    );
    assert_eq!(
        s.answers.get("audience"),
        Some(&Answer::Choices(vec!["adults".into()]))
    );

    // A wrong secret: not found.
    let wrong = maillage_domain::token::generate();
    assert_eq!(
        cl.get(&format!("/appel/jam/reponse/{wrong}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cl.get("/appel/jam/reponse/nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cl.post("/appel/jam/reponse/nope", &[("_action", "save")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another call's slug with this secret: not found either.
    make_call(&app, "autre", CallKind::Application, paged_schema()).await;
    assert_eq!(
        cl.get(&format!("/appel/autre/reponse/{secret}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_submitter_withdraws_their_answer_by_its_link_once_confirmed() {
    let app = TestApp::new().await;
    let call = make_call(&app, "retrait", CallKind::Application, paged_schema()).await;
    let c = app.db.conn();
    let now = maillage_db::now();
    let who = submissions::Submitter {
        name: "Grace Hopper".into(),
        email: "grace@example.org".into(),
        locale: maillage_domain::Locale::Fr,
        organisation_id: None,
        user_id: None,
    };
    let mut answers = maillage_domain::forms::Answers::default();
    answers.insert("title", Answer::Text("Course d'orientation".into()));
    let (s, secret) = submissions::start(c, &call, &who, &answers, now)
        .await
        .unwrap()
        .unwrap();
    submissions::submit(c, s.id, now).await.unwrap().unwrap();
    let url = format!("/appel/retrait/reponse/{secret}");
    let action = format!("{url}/retrait");
    let mut cl = app.client();
    let r = cl.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!("action=\"{action}\"")),
        "{}",
        r.body
    );

    // Not confirmed: said beside the box, nothing changed.
    let r = cl.post(&action, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-confirm-error\""), "{}", r.body);
    assert!(r.body.contains("Cochez la case pour confirmer le retrait."));
    let after = submissions::find(c, s.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Submitted);
    // Someone without the link, or without the partner's login: not found.
    let wrong = maillage_domain::token::generate();
    let r = cl
        .post(
            &format!("/appel/retrait/reponse/{wrong}/retrait"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = cl
        .post(
            &format!("/appel/retrait/merci/{}/retrait", s.id),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Without the CSRF token: refused.
    let r = cl.post_raw(&action, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Confirmed: withdrawn, in the history as the submitter's doing, and
    // told by e-mail.
    let r = cl.post(&action, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), url);
    let after = submissions::find(c, s.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Withdrawn);
    let events = submissions::events(c, s.id, true).await.unwrap();
    assert!(
        events.iter().any(|e| e.actor == Actor::Submitter
            && e.kind
                == submissions::EventKind::Status {
                    from: Status::Submitted,
                    to: Status::Withdrawn
                }),
        "{events:?}"
    );
    let mails = app.outbox().await;
    assert!(
        mails
            .iter()
            .any(|m| m.to_addr == "grace@example.org" && m.body_text.contains("Retirée")),
        "{mails:?}"
    );
    let r = cl.get(&url).await;
    assert!(r.body.contains("Retirée"));
    assert!(!r.body.contains(&format!("action=\"{action}\"")));
    // Once withdrawn (or decided), no second withdrawal.
    let r = cl.post(&action, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ne peut plus être retirée"), "{}", r.body);
}

/// The form e-mails an address the sender typed: an address keeps three
/// answers in progress at most, and gets a few e-mails an hour, whoever
/// sends them; past that the answer is saved without e-mail and the page
/// says so.
#[tokio::test]
async fn answers_cannot_flood_a_mailbox() {
    let app = TestApp::new().await;
    make_call(&app, "jam", CallKind::Application, paged_schema()).await;
    let start = "/appel/jam/repondre";
    let save = |title: &'static str| {
        [
            ("_page", "0"),
            ("_action", "save"),
            ("_name", "Victime"),
            ("_email", "victim@example.org"),
            ("title", title),
        ]
    };
    // Three drafts for one address, each from another client.
    let mut links = Vec::new();
    for i in 0..3 {
        let mut c = app.client();
        c.ip = format!("198.51.100.{i}");
        let r = c.post(start, &save("Jeu")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        links.push(r.location().to_owned());
    }
    let mut c = app.client();
    c.ip = "198.51.100.50".into();
    let r = c.post(start, &save("Jeu")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("déjà en cours pour cette adresse"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Jeu\""));
    assert_eq!(app.mails_to("victim@example.org").await.len(), 3);
    // Saving one draft again and again: five e-mails an hour to the address.
    let mut c = app.client();
    c.ip = "198.51.100.60".into();
    let link = links[0].split('?').next().unwrap().to_owned();
    let mut last = String::new();
    for _ in 0..4 {
        let r = c
            .post(
                &link,
                &[("_page", "0"), ("_action", "save"), ("title", "Jeu")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        last = r.location().to_owned();
    }
    assert_eq!(app.mails_to("victim@example.org").await.len(), 5);
    assert!(last.ends_with("saved=nomail"), "{last}");
    let page = c.get(&last).await;
    assert!(page.body.contains("aucun lien ne vous est envoyé"));
    // Nor is it sent: the draft waits, said so.
    let r = c
        .post(
            &link,
            &[
                ("_page", "1"),
                ("_action", "submit"),
                ("details", "Un jeu de piste dans le parc"),
            ],
        )
        .await;
    assert!(
        r.location().ends_with("saved=later"),
        "{} {}",
        r.status,
        r.body
    );
    assert_eq!(app.mails_to("victim@example.org").await.len(), 5);
}
