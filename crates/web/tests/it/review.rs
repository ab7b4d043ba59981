//! The team's review of calls on the demo season: the calls and their
//! counts, a call's submissions with filters and averages, one submission
//! (answers, comments, reviewers, scores), status changes allowed and
//! refused, staged decisions sent in one batch with one e-mail per
//! submitter, the accepted proposal's draft activity on the team
//! programme, the uploads served as attachments to the team and the
//! assigned reviewers only, and CSRF.

use crate::util::{Client, TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::demo;
use maillage_db::forms::calls::{self, Call};
use maillage_db::forms::submissions::{self, Filter, Submission};
use maillage_db::forms::uploads;
use maillage_domain::Role;
use maillage_domain::forms::review::Status;

async fn demo_app() -> TestApp {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    app
}

/// A client signed in as a new user (the demo has its own accounts).
async fn signed_in(app: &TestApp, role: Role, name: &str) -> (Client, i64) {
    let email = format!("rv-{name}@example.org");
    let u = app.user(&email, role).await;
    let mut c = app.client();
    let r = c.login(&email, crate::util::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    (c, u.id)
}

async fn call(app: &TestApp, slug: &str) -> Call {
    calls::find_by_slug(app.db.conn(), slug)
        .await
        .unwrap()
        .unwrap()
}

async fn by_name(app: &TestApp, call: i64, name: &str) -> Submission {
    submissions::list(
        app.db.conn(),
        &Filter {
            call_id: Some(call),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .find(|s| s.submitter.name == name)
    .unwrap_or_else(|| panic!("no submission from {name}"))
}

async fn status_of(app: &TestApp, id: i64) -> Submission {
    submissions::find(app.db.conn(), id).await.unwrap().unwrap()
}

/// The messages queued to `to`, oldest first.
async fn mails_to(app: &TestApp, to: &str) -> Vec<maillage_db::outbox::Message> {
    let mut list: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.to_addr == to)
        .collect();
    list.sort_by_key(|m| m.id);
    list
}

#[tokio::test]
async fn review_lists_filters_scores_decides_and_sends_staged_decisions() {
    let app = demo_app().await;
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
    let mails = mails_to(&app, to_ines).await;
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
    let mails = mails_to(&app, to_ines).await;
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
    let to_yannick = mails_to(&app, &yannick.submitter.email).await;
    assert_eq!(to_yannick.len(), 1);
    assert!(to_yannick[0].body_text.contains("Bienvenue !"));
    assert!(to_yannick[0].subject.contains("Acceptée"));
    assert_eq!(mails_to(&app, to_ines).await.len(), 3);
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

#[tokio::test]
async fn uploads_go_to_the_team_and_assigned_reviewers_as_attachments() {
    let app = demo_app().await;
    let internship = call(&app, demo::forms::INTERNSHIP_CALL).await;
    let s = by_name(&app, internship.id, "Alice Fournier").await;
    let files = uploads::of_submission(app.db.conn(), s.id).await.unwrap();
    assert_eq!(files.len(), 2);
    let cv = &files[0];
    let url = format!("/team/uploads/{}", cv.id);

    let (mut staff, _) = signed_in(&app, Role::Staff, "staff").await;
    // The application links its files.
    let r = staff.get(&format!("/team/submissions/{}", s.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("href=\"{url}\"")));
    assert!(r.body.contains("Alice Fournier"));

    let r = staff.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/pdf");
    let cd = r.header("content-disposition");
    assert!(cd.starts_with("attachment; "), "{cd}");
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    assert!(cd.contains(&cv.filename.replace(' ', "%20")), "{cd}");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(r.bytes.starts_with(b"%PDF"));

    let (mut intern, _) = signed_in(&app, Role::Intern, "intern").await;
    assert_eq!(intern.get(&url).await.status, StatusCode::OK);

    // Partners and volunteers: refused; anonymous: to the sign-in page.
    let (mut partner, _) = signed_in(&app, Role::Partner, "partner").await;
    assert_eq!(partner.get(&url).await.status, StatusCode::FORBIDDEN);
    let (mut volunteer, volunteer_id) = signed_in(&app, Role::Volunteer, "volunteer").await;
    let r = volunteer.get(&url).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.bytes.is_empty() || !r.bytes.starts_with(b"%PDF"));
    let r = app.client().get(&url).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    assert_eq!(
        staff.get("/team/uploads/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // A volunteer assigned as reviewer opens that application and its
    // files, and scores it; not the others, and decides nothing.
    let r = staff
        .post(
            &format!("/team/submissions/{}/reviewers", s.id),
            &[("user", &volunteer_id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(volunteer.get(&url).await.status, StatusCode::OK);
    let r = volunteer.get(&format!("/team/submissions/{}", s.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("name=\"to\""));
    let other = by_name(&app, internship.id, "Bilal Chevalier").await;
    let other_file = uploads::of_submission(app.db.conn(), other.id)
        .await
        .unwrap()[0]
        .id;
    assert_eq!(
        volunteer
            .get(&format!("/team/uploads/{other_file}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = volunteer
        .post(
            &format!("/team/submissions/{}/status", s.id),
            &[("to", "rejected")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = volunteer
        .post(
            &format!("/team/submissions/{}/comment", s.id),
            &[("comment", "Lu, très bon dossier.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_team_creates_and_edits_a_call_with_criteria_in_paris_time() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use maillage_db::forms::{self, FormData};
    use maillage_db::programme::projects::{self, ProjectData};
    use maillage_domain::forms::{FormAudience, Purpose, Schema};
    use maillage_domain::programme::{ProjectKind, ProjectStatus};

    let app = TestApp::new().await;
    let c = app.db.conn();
    let now = maillage_db::now();
    let project = projects::insert(
        c,
        &ProjectData {
            slug: "residence-2026".into(),
            name: "Résidence 2026".into(),
            kind: ProjectKind::Festival,
            starts_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Draft,
        },
        now,
    )
    .await
    .unwrap();
    let schema = Schema::from_json(
        r#"{"items":[{"type":"field","key":"name","label":"Nom","required":true,"kind":{"type":"short_text"}}]}"#,
    )
    .unwrap();
    let form = forms::create(
        c,
        &FormData {
            title: "Candidature résidence".into(),
            purpose: Purpose::ApplicationCall,
            project_id: Some(project.id),
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: false,
            one_per_link: false,
        },
        &schema,
        now,
    )
    .await
    .unwrap();
    let (mut staff, _) = signed_in(&app, Role::Staff, "staff").await;
    let (mut intern, _) = signed_in(&app, Role::Intern, "intern").await;

    let r = staff.get("/team/calls/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&escaped("Candidature résidence")));
    assert!(r.body.contains("Résidence 2026"));
    assert_eq!(
        intern.get("/team/calls/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(intern.get("/team/calls").await.status, StatusCode::OK);

    let (p, f) = (project.id.to_string(), form.id.to_string());
    let fields = |slug: &'static str, opens_time: &'static str, closes: &'static str| {
        vec![
            ("title", "Résidence d'artistes & chercheurs"),
            ("slug", slug),
            ("project", p.as_str()),
            ("form", f.as_str()),
            ("kind", "application"),
            ("opens_date", "2026-03-29"),
            ("opens_time", opens_time),
            ("closes_date", closes),
            ("closes_time", "23:59"),
            ("criterion_label_0", "Qualité du projet"),
            ("criterion_weight_0", "2"),
            ("criterion_max_0", "10"),
            ("criterion_label_1", ""),
            ("criterion_weight_1", "1"),
            ("criterion_max_1", "5"),
        ]
    };
    // Errors beside their fields, what was typed kept.
    let r = staff
        .post("/team/calls", &fields("Pas un slug", "09:00", "2026-03-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-slug-error") && r.body.contains("f-closes_date-error"));
    assert!(
        r.body
            .contains(&escaped("Résidence d'artistes & chercheurs"))
    );
    // 02:30 does not exist in Paris on 29 March 2026.
    let r = staff
        .post("/team/calls", &fields("residence", "02:30", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-opens_time-error"));
    assert!(calls::find_by_slug(c, "residence").await.unwrap().is_none());

    let r = staff
        .post("/team/calls", &fields("residence", "09:00", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let created = calls::find_by_slug(c, "residence").await.unwrap().unwrap();
    assert_eq!(
        r.location(),
        format!("/team/calls/{}/submissions", created.id)
    );
    // Summer time from 29 March: Paris is UTC+2.
    assert_eq!(
        created.data.opens_at,
        Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap()
    );
    assert_eq!(
        created.data.closes_at,
        Utc.with_ymd_and_hms(2026, 4, 30, 21, 59, 0).unwrap()
    );
    let criteria = calls::criteria(c, created.id).await.unwrap();
    assert_eq!(criteria.len(), 1);
    assert_eq!(
        (
            criteria[0].label.as_str(),
            criteria[0].weight,
            criteria[0].max_score
        ),
        ("Qualité du projet", 2, 10)
    );
    // The slug is taken now.
    let r = staff
        .post("/team/calls", &fields("residence", "09:00", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-slug-error"));

    // Editing: the form shows Paris times; a criterion is added.
    let edit = format!("/team/calls/{}/edit", created.id);
    let r = staff.get(&edit).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("value=\"09:00\"") && r.body.contains("value=\"2026-03-29\""));
    let mut changed = fields("residence", "10:00", "2026-04-30");
    changed[9] = ("criterion_label_0", "Faisabilité");
    changed[10] = ("criterion_weight_0", "1");
    changed[11] = ("criterion_max_0", "5");
    let r = staff
        .post(&format!("/team/calls/{}", created.id), &changed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = calls::find(c, created.id).await.unwrap().unwrap();
    assert_eq!(
        after.data.opens_at,
        Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap()
    );
    let criteria = calls::criteria(c, created.id).await.unwrap();
    assert_eq!(criteria.len(), 2);
    assert_ne!(criteria[0].key, criteria[1].key);
    // The call is listed with its counts.
    let r = staff.get("/team/calls").await;
    assert!(
        r.body
            .contains(&escaped("Résidence d'artistes & chercheurs"))
    );
}
