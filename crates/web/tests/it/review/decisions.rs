//! Reviewing a call's submissions: lists and filters, comments, reviewers,
//! scores, status changes, staged decisions sent in one batch.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::demo;
use maillage_db::forms::calls::{self};
use maillage_db::forms::submissions::{self, Submission};
use maillage_domain::Role;
use maillage_domain::forms::review::Status;

#[tokio::test]
async fn review_lists_filters_scores_decides_and_sends_staged_decisions() {
    let app = TestApp::with_demo().await;
    let (mut staff, staff_id) = signed_in(&app, Role::Staff, "staff").await;
    let (mut intern, intern_id) = signed_in(&app, Role::Intern, "intern").await;
    let fds = call(&app, demo::forms::PARTICIPATION_CALL).await;
    let id = fds.id;

    // The calls, with a link from the navigation.
    let r = staff.get("/team/calls").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("href=\"/team/calls\""));
    assert!(
        r.body
            .contains(&format!("href=\"/team/calls/{id}/submissions\""))
    );
    assert!(r.body.contains(&escaped(&fds.data.title)));
    let internship = call(&app, demo::forms::INTERNSHIP_CALL).await;
    assert!(r.body.contains(&escaped(&internship.data.title)));

    // A call's submissions: the four proposals, then filtered.
    let list = format!("/team/calls/{id}/submissions");
    let r = staff.get(&list).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for name in [
        "Claire Vasseur",
        "Mathis Lebreton",
        "Inès Morel",
        "Yannick Roussel",
    ] {
        assert!(r.body.contains(name), "{name}");
    }
    let r = staff.get(&format!("{list}?status=submitted")).await;
    assert!(r.body.contains("Inès Morel"));
    assert!(!r.body.contains("Mathis Lebreton") && !r.body.contains("Claire Vasseur"));
    // Text search: accents and case ignored, on the e-mail too.
    let r = staff.get(&format!("{list}?q=INES")).await;
    assert!(r.body.contains("Inès Morel") && !r.body.contains("Yannick Roussel"));
    let r = staff
        .get(&format!("{list}?q=yannick.roussel%40example"))
        .await;
    assert!(r.body.contains("Yannick Roussel") && !r.body.contains("Inès Morel"));
    // Junk filters are ignored, never an error.
    let r = staff.get(&format!("{list}?status=nope&reviewer=x")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Mathis Lebreton"));

    let ines = by_name(&app, id, "Inès Morel").await;
    let yannick = by_name(&app, id, "Yannick Roussel").await;
    let mathis = by_name(&app, id, "Mathis Lebreton").await;
    let page = |s: &Submission| format!("/team/submissions/{}", s.id);

    // One submission: its answers with the labels of its version, and
    // only the changes the table allows from its status.
    let r = staff.get(&page(&ines)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&escaped("Titre de l'animation")));
    assert!(r.body.contains("Expériences en bas de chez toi"));
    for to in ["under_review", "changes_requested", "accepted", "rejected"] {
        assert!(
            r.body.contains(&format!("name=\"to\" value=\"{to}\"")),
            "{to}"
        );
    }
    assert!(!r.body.contains("name=\"to\" value=\"withdrawn\""));
    assert!(!r.body.contains("name=\"to\" value=\"draft\""));

    // An internal comment; an empty one is refused beside its field.
    let r = staff
        .post(&format!("{}/comment", page(&ines)), &[("comment", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-comment-error"));
    let r = staff
        .post(
            &format!("{}/comment", page(&ines)),
            &[("comment", "Projet solide, <à discuter> en réunion.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff.get(&page(&ines)).await;
    assert!(
        r.body
            .contains(&escaped("Projet solide, <à discuter> en réunion."))
    );
    let events = submissions::events(app.db.conn(), ines.id, true)
        .await
        .unwrap();
    assert!(
        events.iter().any(|e| e.internal
            && e.comment.as_deref() == Some("Projet solide, <à discuter> en réunion."))
    );
    // Internal comments are never shown to the submitter's side.
    let public = submissions::events(app.db.conn(), ines.id, false)
        .await
        .unwrap();
    assert!(public.iter().all(|e| !e.internal));

    // Reviewers: an intern assigned, then the list filtered by reviewer.
    let r = staff
        .post(
            &format!("{}/reviewers", page(&yannick)),
            &[("user", &intern_id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        submissions::reviewers(app.db.conn(), yannick.id)
            .await
            .unwrap(),
        vec![intern_id]
    );
    let r = staff.get(&format!("{list}?reviewer={intern_id}")).await;
    assert!(r.body.contains("Yannick Roussel") && !r.body.contains("Inès Morel"));
    // An unknown user is refused beside the field.
    let r = staff
        .post(
            &format!("{}/reviewers", page(&yannick)),
            &[("user", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-user-error"));
    // Unassigned, then assigned again.
    let r = staff
        .post(
            &format!("{}/reviewers/remove", page(&yannick)),
            &[("user", &intern_id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        submissions::reviewers(app.db.conn(), yannick.id)
            .await
            .unwrap()
            .is_empty()
    );
    staff
        .post(
            &format!("{}/reviewers", page(&yannick)),
            &[("user", &intern_id.to_string())],
        )
        .await;

    // Scores per criterion, each reviewer their own, weighted averages.
    let interest = calls::add_criterion(app.db.conn(), id, "interest", "Intérêt", 2, 5)
        .await
        .unwrap();
    let feasible = calls::add_criterion(app.db.conn(), id, "feasible", "Faisabilité", 1, 5)
        .await
        .unwrap();
    let f1 = format!("score-{}", interest.id);
    let f2 = format!("score-{}", feasible.id);
    let scores = format!("{}/scores", page(&yannick));
    // Out of range: refused beside the field, what was typed kept.
    let r = staff.post(&scores, &[(&f1, "6"), (&f2, "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!("f-{f1}-error")));
    assert!(r.body.contains("value=\"6\""));
    assert!(
        submissions::scores(app.db.conn(), yannick.id)
            .await
            .unwrap()
            .is_empty()
    );
    let r = staff.post(&scores, &[(&f1, "4"), (&f2, "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff.get(&page(&yannick)).await;
    // (4×2 + 1×1) / 3
    assert!(r.body.contains("3,00"), "{}", r.body);
    let r = intern.post(&scores, &[(&f1, "5"), (&f2, "5")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let all = submissions::scores(app.db.conn(), yannick.id)
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert!(
        all.iter()
            .any(|s| s.reviewer_id == staff_id && s.criterion_id == interest.id && s.score == 4)
    );
    assert!(
        all.iter()
            .any(|s| s.reviewer_id == intern_id && s.criterion_id == interest.id && s.score == 5)
    );
    // (4×2 + 1 + 5×2 + 5) / 6 = 4 on the page and in the list.
    let r = staff.get(&page(&yannick)).await;
    assert!(r.body.contains("4,00"));
    let r = staff.get(&list).await;
    assert!(r.body.contains("4,00"));

    // A change the table refuses: refused with a message, nothing sent.
    let before = app.outbox().await.len();
    let r = staff
        .post(
            &format!("{}/status", page(&mathis)),
            &[("to", "accepted"), ("message", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Impossible de passer du statut"),
        "{}",
        r.body
    );
    assert_eq!(status_of(&app, mathis.id).await.status, Status::Rejected);
    assert_eq!(app.outbox().await.len(), before);

    // An allowed change: the submitter is e-mailed.
    let r = staff
        .post(
            &format!("{}/status", page(&ines)),
            &[("to", "under_review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status_of(&app, ines.id).await.status, Status::UnderReview);
    let to_ines = &ines.submitter.email;
    let mails = app.mails_to(to_ines).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].subject.contains("En cours d'examen"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body_text.contains("Bonjour Inès Morel"));

    // Asking for changes needs a message, which the e-mail carries.
    let r = staff
        .post(
            &format!("{}/status", page(&ines)),
            &[("to", "changes_requested"), ("message", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-message-error"));
    let r = staff
        .post(
            &format!("{}/status", page(&ines)),
            &[
                ("to", "changes_requested"),
                ("message", "Précisez le lieu et la durée, s'il vous plaît."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        status_of(&app, ines.id).await.status,
        Status::ChangesRequested
    );
    let mails = app.mails_to(to_ines).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1]
            .body_text
            .contains("Précisez le lieu et la durée, s'il vous plaît.")
    );
    // The history shows both changes.
    let r = staff.get(&page(&ines)).await;
    assert!(
        r.body
            .contains(&escaped("« Déposée » → « En cours d'examen »"))
    );

    // Staging: decisions wait, nothing is sent, nothing changes.
    let r = staff
        .post(
            &format!("{}/stage", page(&yannick)),
            &[("decision", "accepted"), ("stage_message", "Bienvenue !")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff
        .post(
            &format!("{}/stage", page(&ines)),
            &[("decision", "rejected"), ("stage_message", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A decision the table does not allow from the status is refused.
    let r = staff
        .post(
            &format!("{}/stage", page(&mathis)),
            &[("decision", "accepted"), ("stage_message", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(status_of(&app, mathis.id).await.staged, None);
    assert_eq!(
        status_of(&app, yannick.id).await.staged,
        Some(Status::Accepted)
    );
    assert_eq!(
        status_of(&app, yannick.id).await.status,
        Status::UnderReview
    );
    let before = app.outbox().await.len();
    let r = staff.get(&list).await;
    assert!(
        r.body
            .contains(&format!("action=\"/team/calls/{id}/send\""))
    );

    // Sending them all: one e-mail per submitter, the statuses change,
    // the accepted proposal becomes a draft activity of the project.
    let r = staff.post(&format!("/team/calls/{id}/send"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let y = status_of(&app, yannick.id).await;
    assert_eq!(y.status, Status::Accepted);
    assert_eq!(y.staged, None);
    assert_eq!(status_of(&app, ines.id).await.status, Status::Rejected);
    let after = app.outbox().await;
    assert_eq!(after.len(), before + 2);
    let to_yannick = app.mails_to(&yannick.submitter.email).await;
    assert_eq!(to_yannick.len(), 1);
    assert!(to_yannick[0].body_text.contains("Bienvenue !"));
    assert!(to_yannick[0].subject.contains("Acceptée"));
    assert_eq!(app.mails_to(to_ines).await.len(), 3);
    // Sending again sends nothing.
    staff.post(&format!("/team/calls/{id}/send"), &[]).await;
    assert_eq!(app.outbox().await.len(), before + 2);

    let activity = y.activity_id.expect("the accepted proposal's activity");
    let r = staff.get(&page(&yannick)).await;
    assert!(
        r.body
            .contains(&format!("href=\"/team/programme/activities/{activity}\""))
    );
    let r = staff
        .get(&format!("/team/programme/projects/{}", fds.data.project_id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Rencontre avec une planétologue"));
    assert!(
        r.body
            .contains(&format!("href=\"/team/programme/activities/{activity}\""))
    );
    let a = maillage_db::programme::activities::find(app.db.conn(), activity)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, maillage_domain::programme::ActivityStatus::Draft);
    // Run by the proposing organisation, when the directory knows it.
    if let Some(org) = yannick.submitter.organisation_id {
        assert!(a.organisers.iter().any(|(o, _)| *o == org));
    }
    // Accepted is final: no button any more.
    let r = staff.get(&page(&yannick)).await;
    assert!(!r.body.contains("name=\"to\""));

    // Without its CSRF token, a change is refused and nothing happens.
    let r = staff
        .post_raw(
            &format!("{}/comment", page(&mathis)),
            &[("comment", "sans jeton")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = staff
        .post_raw(
            &format!("{}/status", page(&mathis)),
            &[("to", "under_review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, mathis.id).await.status, Status::Rejected);
    assert!(
        submissions::events(app.db.conn(), mathis.id, true)
            .await
            .unwrap()
            .iter()
            .all(|e| e.comment.as_deref() != Some("sans jeton"))
    );

    // Volunteers and partners do not review.
    let (mut volunteer, _) = signed_in(&app, Role::Volunteer, "volunteer").await;
    assert_eq!(volunteer.get(&list).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        volunteer.get(&page(&mathis)).await.status,
        StatusCode::FORBIDDEN
    );
    let (mut partner, _) = signed_in(&app, Role::Partner, "partner").await;
    assert_eq!(
        partner.get("/team/calls").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !volunteer
            .get("/team")
            .await
            .body
            .contains("href=\"/team/calls\"")
    );
}
