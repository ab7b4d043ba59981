//! A partner answers the festival call with their login.

use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::forms::calls::{self};
use maillage_db::forms::submissions::{self, Filter};
use maillage_db::programme::activities;
use maillage_db::{demo, venues};
use maillage_domain::Role;
use maillage_domain::forms::Answer;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::programme::{ActivityStatus, Format};

#[tokio::test]
async fn a_partner_answers_the_festival_call_with_their_login() {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let partner = app.user("casemate@example.org", Role::Partner).await;
    let org = partner.organisation_id.unwrap();
    let c = app.db.conn();
    let venue = venues::insert(
        c,
        &venues::VenueData {
            name: "Salle des Casemates".into(),
            organisation_id: Some(org),
            ..Default::default()
        },
        maillage_db::now(),
    )
    .await
    .unwrap();
    let mut cl = app.client();
    let r = cl
        .login("casemate@example.org", crate::util::PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let slug = demo::forms::PARTICIPATION_CALL;

    // The call page leads to the form; the partner space lists the call.
    let r = cl.get(&format!("/appel/{slug}")).await;
    assert!(
        r.body.contains(&format!("/appel/{slug}/repondre")),
        "{}",
        r.body
    );
    let r = cl.get("/partner").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!("href=\"/appel/{slug}\"")),
        "{}",
        r.body
    );

    // The form: no name or address asked, the organisation from the account.
    let start = format!("/appel/{slug}/repondre");
    let r = cl.get(&start).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("La Casemate"), "{}", r.body);
    assert!(!r.body.contains("name=\"_email\""));
    assert!(r.body.contains("enctype=\"multipart/form-data\""));
    // The demo's form: the proposal (its introduction on top), how the
    // public comes, the sessions proposed.
    assert!(r.body.contains("Étape 1 sur 3"), "{}", r.body);
    let proposal = [
        ("_page", "0"),
        ("title", "Les cristaux de glace"),
        ("summary", "Observer la neige au microscope."),
        ("description", "Un atelier d'une heure."),
        ("format", Format::Workshop.code()),
        ("audience", "families"),
        ("min_age", "8"),
        ("_action", "next"),
    ];
    // A required question missing: the message beside it, named in the
    // summary, the rest kept.
    let mut missing = proposal.to_vec();
    missing.retain(|(k, _)| *k != "summary");
    let r = cl.post(&start, &missing).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"f-summary-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Les cristaux de glace\""));
    assert!(
        r.body.contains("Résumé (une ou deux phrases)\u{a0}: "),
        "the summary names the field: {}",
        r.body
    );
    let r = cl.post(&start, &proposal).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{start}?page=1"));
    let r = cl.get(r.location()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Étape 2 sur 3"), "{}", r.body);
    // The organisation's venue is offered.
    let own = format!(
        "<option value=\"{}\">Salle des Casemates</option>",
        venue.id
    );
    assert!(r.body.contains(&own), "{}", r.body);
    let venue_id = venue.id.to_string();
    let welcome = [
        ("_page", "1"),
        ("registration", "booking"),
        ("capacity", "24"),
        ("needs", "Deux tables et une prise."),
        ("venue", venue_id.as_str()),
        ("_action", "next"),
    ];
    let r = cl.post(&start, &welcome).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{start}?page=2"));
    // Two sessions in two communes; a commune that does not exist is
    // refused beside its field, what was typed kept.
    let mut sessions = vec![
        ("_page", "2"),
        ("session1_date", "2026-10-10"),
        ("session1_start", "10:00"),
        ("session1_end", "11h30"),
        ("session1_commune", "Grenoble"),
        ("session2_date", "2026-10-11"),
        ("session2_start", "14:00"),
        ("session2_place", "Salle des fêtes"),
        ("session2_commune", "Atlantis"),
        ("_action", "submit"),
    ];
    let r = cl.post(&start, &sessions).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"f-session2_commune-error\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Atlantis\""));
    sessions[8] = ("session2_commune", "Vif");
    let r = cl.post(&start, &sessions).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let thanks = r.location().to_owned();
    assert!(
        thanks.starts_with(&format!("/appel/{slug}/merci/")),
        "{thanks}"
    );
    let r = cl.get(&thanks).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Merci"), "{}", r.body);
    assert!(r.body.contains("Les cristaux de glace"));
    // Someone else does not see it.
    let mut other = app.client();
    assert_eq!(other.get(&thanks).await.status, StatusCode::NOT_FOUND);

    // Stored as submitted, for the organisation, by the partner.
    let call = calls::find_by_slug(c, slug).await.unwrap().unwrap();
    let mine: Vec<_> = submissions::list(
        c,
        &Filter {
            call_id: Some(call.id),
            organisation_id: Some(org),
            include_drafts: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(mine.len(), 1);
    let s = &mine[0];
    assert_eq!(s.status, Status::Submitted);
    assert_eq!(s.submitter.user_id, Some(partner.id));
    assert_eq!(s.submitter.email, "casemate@example.org");
    assert_eq!(
        s.answers.get("venue"),
        Some(&Answer::Choice(venue.id.to_string()))
    );
    // The confirmation, with a copy of the answers.
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "casemate@example.org")
        .expect("a confirmation");
    assert!(mail.subject.contains("bien reçue"), "{}", mail.subject);
    assert!(
        mail.body_text
            .contains("Titre de l'animation\n  Les cristaux de glace")
    );
    assert!(
        mail.body_text.contains("Salle des Casemates"),
        "{}",
        mail.body_text
    );
    // The partner space shows it with its status.
    let r = cl.get("/partner").await;
    assert!(r.body.contains("Déposée"), "{}", r.body);

    // Accepted by the team: a draft activity of the partner's organisation
    // at their venue.
    let tx = app.db.write().await.unwrap();
    let now = maillage_db::now();
    let s = submissions::transition(&tx, s.id, Status::Accepted, Actor::Staff, None, None, now)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let a = activities::find(c, s.activity_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.data.title, "Les cristaux de glace");
    assert_eq!(a.data.venue_id, Some(venue.id));
    assert_eq!(a.data.organisations, vec![org]);
    assert_eq!(a.sessions.len(), 2, "the sessions proposed");
    assert_eq!(a.sessions[0].data.capacity, Some(24));
    let vif = a.venue_of(&a.sessions[1]).unwrap();
    assert_eq!(
        (vif.data.name.as_str(), vif.data.commune_insee.as_deref()),
        ("Salle des fêtes", Some("38545"))
    );

    // The partner completes it in the partner space, then hands it over.
    let home = cl.get("/partner").await;
    let page = format!("/partner/activities/{}", a.id);
    assert!(home.body.contains(&page), "{}", home.body);
    assert!(home.body.contains("2 séances"));
    let r = cl.get(&page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Salle des fêtes — Vif"), "{}", r.body);
    let r = cl
        .post(
            &page,
            &[("title", ""), ("summary", "x"), ("description", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-title-error\""), "{}", r.body);
    let r = cl
        .post(
            &page,
            &[
                ("title", "Les cristaux de glace au microscope"),
                ("summary", "Observer la neige de près."),
                ("description", "Un atelier d'une heure, en famille."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cl
        .post(
            &format!("{page}/sessions"),
            &[
                ("date", "2026-10-12"),
                ("start", "10:00"),
                ("end", "09:00"),
                ("commune", "Voiron"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-end-error\""), "{}", r.body);
    let r = cl
        .post(
            &format!("{page}/sessions"),
            &[
                ("date", "2026-10-12"),
                ("start", "10:00"),
                ("end", "12:00"),
                ("commune", "Voiron"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = activities::find(c, a.id).await.unwrap().unwrap();
    assert_eq!(a.data.title, "Les cristaux de glace au microscope");
    assert_eq!(a.sessions.len(), 3);
    assert_eq!(
        a.venue_of(&a.sessions[2])
            .unwrap()
            .data
            .commune_insee
            .as_deref(),
        Some("38563")
    );
    // Another organisation's partner does not see it.
    app.user("stranger@example.org", Role::Partner).await;
    let mut stranger = app.client();
    stranger
        .login("stranger@example.org", crate::util::PASSWORD)
        .await;
    assert_eq!(stranger.get(&page).await.status, StatusCode::NOT_FOUND);
    let r = cl.post(&format!("{page}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = activities::find(c, a.id).await.unwrap().unwrap();
    assert_eq!(a.status, ActivityStatus::Submitted);
    // Handed over: read-only for the partner.
    let r = cl
        .post(
            &page,
            &[
                ("title", "Autre titre"),
                ("summary", ""),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        activities::find(c, a.id).await.unwrap().unwrap().data.title,
        "Les cristaux de glace au microscope"
    );
    // The team finds it in its inbox, to publish.
    app.user("coordination@example.org", Role::Staff).await;
    let mut staff = app.client();
    staff
        .login("coordination@example.org", crate::util::PASSWORD)
        .await;
    let home = staff.get("/team").await;
    assert!(
        home.body.contains(&format!(
            "href=\"/team/programme/activities/{}\">Les cristaux de glace au microscope",
            a.id
        )),
        "{}",
        home.body
    );
}
