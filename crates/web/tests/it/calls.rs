//! Answering a call online: a partner with their login (organisation and
//! venue from the account), an applicant with files checked by content,
//! the deadline, pages, save and resume by secret link, CSRF.

use crate::util::{Client, Resp, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::TimeDelta;
use maillage_db::forms::calls::{self, CallData};
use maillage_db::forms::submissions::{self, Filter};
use maillage_db::forms::{self, FormData, uploads};
use maillage_db::programme::activities;
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::{demo, venues};
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{
    Answer, CallKind, Choice, Field, FileKind, Item, Kind, Purpose, Schema,
};
use maillage_domain::programme::{Format, ProjectKind, ProjectStatus};
use maillage_domain::{Locale, Role};

/// A tiny valid PDF.
fn pdf(title: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
         4 0 obj << /Title ({title}) >> endobj\n\
         trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// Posts a multipart form with its CSRF token, fields then files.
async fn multipart(
    cl: &mut Client,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Resp {
    let token = cl.csrf().await;
    let boundary = "----maillage-calls-boundary";
    let mut body: Vec<u8> = Vec::new();
    let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    for (k, v) in all {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    cl.send(
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn field(key: &str, label: &str, required: bool, kind: Kind) -> Item {
    Item::Field(Field {
        key: key.into(),
        label: label.into(),
        help: None,
        required,
        condition: None,
        kind,
    })
}

/// A call open since yesterday, closing in a week.
async fn make_call(app: &TestApp, slug: &str, kind: CallKind, schema: Schema) -> calls::Call {
    let c = app.db.conn();
    let now = maillage_db::now();
    let p = projects::insert(
        c,
        &ProjectData {
            slug: format!("p-{slug}"),
            name: format!("Projet {slug}"),
            kind: ProjectKind::Festival,
            starts_on: chrono::NaiveDate::from_ymd_opt(2099, 10, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2099, 10, 11).unwrap(),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Draft,
        },
        now,
    )
    .await
    .unwrap();
    let form = forms::create(
        c,
        &FormData {
            title: format!("Formulaire {slug}"),
            purpose: if kind == CallKind::Participation {
                Purpose::ParticipationCall
            } else {
                Purpose::ApplicationCall
            },
            project_id: Some(p.id),
            activity_id: None,
            session_id: None,
            audience: None,
            anonymous: false,
            one_per_link: false,
        },
        &schema,
        now,
    )
    .await
    .unwrap();
    calls::create(
        c,
        &CallData {
            form_id: form.id,
            project_id: p.id,
            kind,
            slug: slug.into(),
            title: format!("Appel {slug}"),
            opens_at: now - TimeDelta::days(1),
            closes_at: now + TimeDelta::days(7),
        },
        now,
    )
    .await
    .unwrap()
}

/// The secret of a resume link in a location or a page.
fn secret_in(s: &str) -> String {
    let i = s.find("/reponse/").expect("a resume link") + "/reponse/".len();
    s[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

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
    // The demo's form: an introduction, then the proposal.
    let r = cl
        .post(&start, &[("_page", "0"), ("_action", "next")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{start}?page=1"));
    let r = cl.get(r.location()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Étape 2 sur 2"), "{}", r.body);
    // The organisation's venue is offered.
    let own = format!(
        "<option value=\"{}\">Salle des Casemates</option>",
        venue.id
    );
    assert!(r.body.contains(&own), "{}", r.body);
    let venue_id = venue.id.to_string();
    let answer = [
        ("_page", "1"),
        ("title", "Les cristaux de glace"),
        ("summary", "Observer la neige au microscope."),
        ("description", "Un atelier d'une heure."),
        ("format", Format::Workshop.code()),
        ("audience", "families"),
        ("min_age", "8"),
        ("venue", venue_id.as_str()),
    ];
    // A required question missing: the message beside it, the rest kept.
    let mut missing = answer.to_vec();
    missing.retain(|(k, _)| *k != "summary");
    missing.push(("_action", "submit"));
    let r = cl.post(&start, &missing).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"f-summary-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Les cristaux de glace\""));

    let mut full = answer.to_vec();
    full.push(("_action", "submit"));
    let r = cl.post(&start, &full).await;
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
}

fn application_schema(letter_max: u64) -> Schema {
    Schema {
        items: vec![
            field("name", "Nom et prénom", true, Kind::ShortText),
            field("email", "Adresse électronique", true, Kind::Email),
            field(
                "cv",
                "CV (PDF)",
                true,
                Kind::File {
                    types: vec![FileKind::Pdf],
                    max_bytes: 5 * 1024 * 1024,
                },
            ),
            field(
                "letter",
                "Lettre de motivation (PDF)",
                true,
                Kind::File {
                    types: vec![FileKind::Pdf],
                    max_bytes: letter_max,
                },
            ),
        ],
    }
}

#[tokio::test]
async fn an_applicant_uploads_a_cv_and_a_letter_and_a_renamed_exe_is_refused() {
    let app = TestApp::new().await;
    let call = make_call(
        &app,
        "stage",
        CallKind::Application,
        application_schema(1024 * 1024),
    )
    .await;
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
    let r = multipart(
        &mut cl,
        start,
        &fields,
        &[("cv", "cv.pdf", exe), ("letter", "lettre.pdf", &big)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"f-cv-error\""), "{}", r.body);
    assert!(
        r.body
            .contains("son contenu n&#39;est pas celui d&#39;un fichier PDF")
            || r.body
                .contains("son contenu n'est pas celui d'un fichier PDF"),
        "{}",
        r.body
    );
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
    let r = multipart(
        &mut cl,
        &url,
        &[
            ("_page", "0"),
            ("_action", "submit"),
            ("name", "Ada Lovelace"),
            ("email", "ada@example.org"),
        ],
        &[("cv", "Mon CV.pdf", &pdf("CV"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("<strong>Mon CV.pdf</strong>"), "{}", r.body);
    assert!(r.body.contains("id=\"f-letter-error\""));
    assert!(!r.body.contains("id=\"f-cv-error\""));

    // Then the letter: submitted, the CV kept.
    let r = multipart(
        &mut cl,
        &url,
        &[
            ("_page", "0"),
            ("_action", "submit"),
            ("name", "Ada Lovelace"),
            ("email", "ada@example.org"),
        ],
        &[("letter", "lettre.pdf", &pdf("Lettre"))],
    )
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
    let r = multipart(&mut cl, &url, &[("_page", "0"), ("_action", "submit")], &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn after_the_deadline_the_form_refuses_and_the_draft_stays() {
    let app = TestApp::new().await;
    let call = make_call(
        &app,
        "stage",
        CallKind::Application,
        application_schema(1024 * 1024),
    )
    .await;
    let mut cl = app.client();
    let r = multipart(
        &mut cl,
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
            ..call.data.clone()
        },
    )
    .await
    .unwrap();
    let r = multipart(
        &mut cl,
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
    assert!(
        r.body.contains(&format!(
            "Cet appel n&#39;est pas encore ouvert : il ouvrira le {paris}"
        )) || r.body.contains(&format!(
            "Cet appel n'est pas encore ouvert : il ouvrira le {paris}"
        )),
        "{}",
        r.body
    );
    assert!(!r.body.contains("value=\"submit\""));
}

fn paged_schema() -> Schema {
    Schema {
        items: vec![
            Item::Section {
                title: "Votre projet".into(),
                help: None,
            },
            field("title", "Titre", true, Kind::ShortText),
            Item::Section {
                title: "Détails".into(),
                help: None,
            },
            field(
                "audience",
                "Publics",
                false,
                Kind::MultipleChoice {
                    options: vec![
                        Choice {
                            key: "young".into(),
                            label: "Jeunes".into(),
                        },
                        Choice {
                            key: "adults".into(),
                            label: "Adultes".into(),
                        },
                    ],
                    min: None,
                    max: None,
                },
            ),
            field("details", "Détails", true, Kind::LongText),
        ],
    }
}

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
    let r = multipart(
        &mut cl,
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
