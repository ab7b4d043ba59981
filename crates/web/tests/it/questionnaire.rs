//! The public questionnaire page: shown without an account, answers
//! checked with messages beside the fields and what was typed kept, the
//! response stored anonymously with its day only.

use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::forms::{self, FormData, questionnaires};
use maillage_domain::forms::{Answer, Purpose};

/// A new questionnaire: its id and the key of its public address.
async fn questionnaire(app: &TestApp, one_per_link: bool) -> (i64, String) {
    let f = forms::create(
        app.db.conn(),
        &FormData {
            title: "Votre avis sur la Fête".into(),
            purpose: Purpose::Questionnaire,
            project_id: None,
            activity_id: None,
            session_id: None,
            audience: None,
            anonymous: true,
            one_per_link,
            opens_at: None,
            closes_at: None,
        },
        &maillage_db::demo::forms::questionnaire_schema(),
        maillage_db::now(),
    )
    .await
    .unwrap();
    (f.id, f.public_key)
}

#[tokio::test]
async fn a_questionnaire_is_answered_without_an_account() {
    let app = TestApp::new().await;
    let (id, key) = questionnaire(&app, false).await;
    let mut c = app.client();
    let url = format!("/q/{key}");
    let r = c.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("<h1>Votre avis sur la Fête</h1>"), "{b}");
    // Radio groups in fieldsets with legends; scale and NPS with their ends.
    assert!(
        b.contains(r#"<fieldset class="field row" id="f-satisfaction""#),
        "{b}"
    );
    assert!(b.contains(&escaped(
        "Dans l'ensemble, êtes-vous satisfait·e de votre visite ?"
    )));
    for v in 1..=5 {
        assert!(b.contains(&format!(r#"name="satisfaction" value="{v}""#)));
    }
    assert!(b.contains("Pas du tout") && b.contains("Tout à fait"));
    assert!(b.contains(r#"name="nps" value="0""#) && b.contains(r#"name="nps" value="10""#));
    assert!(b.contains(r#"type="checkbox" name="heard" value="poster""#));
    assert!(b.contains(r#"type="radio" name="come_back" value="no""#));
    assert!(b.contains(r#"<textarea id="f-comment" name="comment""#));
    // The conditional question is shown, with when to answer it.
    assert!(b.contains(r#"id="f-why_not""#));
    assert!(
        b.contains("(à remplir seulement si vous avez répondu « Non »"),
        "{b}"
    );

    // Missing answers and a forged value: messages beside the fields,
    // what was typed kept.
    let r = c
        .post(
            &url,
            &[
                ("nps", "42"),
                ("heard", "poster"),
                ("comment", "Des <b>ateliers</b> géniaux"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let b = &r.body;
    assert!(b.contains(r#"class="error-summary""#));
    assert!(b.contains(r#"id="f-satisfaction-error""#), "{b}");
    assert!(b.contains(r#"id="f-nps-error""#));
    assert!(b.contains(r#"id="f-come_back-error""#));
    assert!(b.contains(r#"name="heard" value="poster" checked"#));
    assert!(
        b.contains("Des &#60;b&#62;ateliers&#60;/b&#62; géniaux")
            || b.contains("Des &lt;b&gt;ateliers&lt;/b&gt; géniaux"),
        "{b}"
    );
    assert!(!b.contains("<b>ateliers"));
    assert_eq!(
        questionnaires::count(app.db.conn(), id, &Default::default())
            .await
            .unwrap(),
        0
    );

    // A valid response; the hidden question's answer is dropped.
    let r = c
        .post(
            &url,
            &[
                ("satisfaction", "4"),
                ("nps", "9"),
                ("heard", "poster"),
                ("heard", "friends"),
                ("come_back", "yes"),
                ("why_not", "rien"),
                ("comment", "Bravo"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/q/{key}/merci"));
    let r = c.get(r.location()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Merci"));
    let mut stored = Vec::new();
    questionnaires::stream(app.db.conn(), id, &Default::default(), true, |r| {
        stored.push(r)
    })
    .await
    .unwrap();
    assert_eq!(stored.len(), 1);
    let a = &stored[0].answers;
    assert_eq!(a.get("satisfaction"), Some(&Answer::Number(4.0)));
    assert_eq!(
        a.get("heard"),
        Some(&Answer::Choices(vec!["poster".into(), "friends".into()]))
    );
    assert_eq!(a.get("come_back"), Some(&Answer::Bool(true)));
    assert_eq!(a.get("why_not"), None, "hidden by its condition");
    let today = maillage_db::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    assert_eq!(stored[0].day, today);

    // With a "no", the conditional answer is kept.
    let r = c
        .post(
            &url,
            &[
                ("satisfaction", "2"),
                ("nps", "3"),
                ("come_back", "no"),
                ("why_not", "Trop loin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        questionnaires::count(app.db.conn(), id, &Default::default())
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn other_forms_and_bad_addresses_are_not_found_never_an_error() {
    let app = TestApp::new().await;
    let (_, linked) = questionnaire(&app, true).await;
    let mut c = app.client();
    for url in ["/q/999999", "/q/abc", "/q/-1", "/q/999999/merci"] {
        let r = c.get(url).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{url}: {}",
            r.status
        );
    }
    let r = c.post("/q/999999", &[("nps", "3")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Answered from personal links only: not here.
    let r = c.get(&format!("/q/{linked}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("lien personnel"), "{}", r.body);
    assert!(!r.body.contains("<form method=\"post\" action=\"/q/"));
    let r = c
        .post(
            &format!("/q/{linked}"),
            &[("satisfaction", "4"), ("nps", "9"), ("come_back", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Without the CSRF token: refused.
    let (_, key) = questionnaire(&app, false).await;
    let r = c.post_raw(&format!("/q/{key}"), &[("nps", "3")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_questionnaire_speaks_english() {
    let app = TestApp::new().await;
    let (_, key) = questionnaire(&app, false).await;
    let mut c = app.client();
    c.get("/lang/en").await;
    let r = c.get(&format!("/q/{key}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Send my response"), "{}", r.body);
    assert!(r.body.contains("(answer only if you answered “No”"));
}

#[tokio::test]
async fn a_call_shows_its_deadline_in_paris_time_then_that_it_is_closed() {
    use chrono::{TimeDelta, TimeZone};
    use maillage_db::forms::calls::{self, CallData};
    use maillage_db::programme::projects::ProjectData;
    use maillage_domain::forms::{CallKind, Item, Schema};
    use maillage_domain::programme::ProjectStatus;

    let app = TestApp::new().await;
    let c = app.db.conn();
    let now = maillage_db::now();
    let p = maillage_db::testing::project(
        c,
        &ProjectData {
            starts_on: chrono::NaiveDate::from_ymd_opt(2027, 10, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2027, 10, 11).unwrap(),
            status: ProjectStatus::Draft,
            ..maillage_db::testing::project_data("fds-next", "Fête de la science 2027", 2027)
        },
    )
    .await;
    let form = forms::create(
        c,
        &maillage_db::testing::call_form_data("Appel", CallKind::Participation, p.id),
        &Schema {
            items: vec![Item::HelpText {
                text: "Proposez une animation <b>gratuite</b>.".into(),
            }],
        },
        now,
    )
    .await
    .unwrap();
    // Closing at 23:59 in Paris, whatever the offset of that day.
    let closes = chrono_tz::Europe::Paris
        .with_ymd_and_hms(2099, 1, 15, 23, 59, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let data = CallData {
        form_id: form.id,
        project_id: p.id,
        kind: CallKind::Participation,
        slug: "appel-2027".into(),
        title: "Appel à participation 2027".into(),
        opens_at: now - TimeDelta::days(1),
        closes_at: closes,
        retention_months: maillage_db::forms::calls::DEFAULT_RETENTION_MONTHS,
    };
    let call = calls::create(c, &data, now).await.unwrap();
    let mut cl = app.client();
    let r = cl.get("/appel/appel-2027").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Appel à participation 2027"));
    assert!(r.body.contains("Fête de la science 2027"));
    assert!(r.body.contains("15/01/2099 23:59"), "{}", r.body);
    // What happens to the data is stated.
    assert!(
        r.body
            .contains("est supprimée avec ses fichiers 12 mois après la décision")
    );
    assert!(r.body.contains("&#60;b&#62;gratuite") || r.body.contains("&lt;b&gt;gratuite"));
    // After the deadline: closed.
    calls::update(
        c,
        call.id,
        &CallData {
            closes_at: now - TimeDelta::minutes(1),
            retention_months: maillage_db::forms::calls::DEFAULT_RETENTION_MONTHS,
            ..data
        },
    )
    .await
    .unwrap();
    let r = cl.get("/appel/appel-2027").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("est clos"), "{}", r.body);
    let r = cl.get("/appel/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Responses feed the bilans: one client cannot stuff the ballot. A tablet
/// at a stand (30 visitors in ten minutes) passes; past that the form
/// comes back with the answers kept and when to send it again.
#[tokio::test]
async fn one_client_cannot_stuff_the_ballot() {
    let app = TestApp::new().await;
    let (id, key) = questionnaire(&app, false).await;
    let url = format!("/q/{key}");
    let answer = [("satisfaction", "5"), ("nps", "10"), ("come_back", "yes")];
    let mut c = app.client();
    for i in 0..30 {
        let r = c.post(&url, &answer).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "response {i}");
    }
    let r = c.post(&url, &answer).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de réponses"), "{}", r.body);
    assert!(
        r.body.contains(r#"name="satisfaction" value="5" checked"#),
        "{}",
        r.body
    );
    let n = questionnaires::count(app.db.conn(), id, &Default::default())
        .await
        .unwrap();
    assert_eq!(n, 30);
    // Another visitor, elsewhere, answers.
    let mut other = app.client();
    other.ip = "192.0.2.77".into();
    assert_eq!(
        other.post(&url, &answer).await.status,
        StatusCode::SEE_OTHER
    );
}

/// The team sets a questionnaire's answering window in its settings; out of
/// it the public page says when it opens or since when it is closed, and
/// nothing sent is recorded. Bad dates come back beside their fields.
#[tokio::test]
async fn a_questionnaire_answers_inside_its_window() {
    let app = TestApp::new().await;
    let (id, key) = questionnaire(&app, false).await;
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let settings = format!("/team/forms/{id}/settings");
    let r = staff
        .post(
            &settings,
            &[
                ("title", "Votre avis sur la Fête"),
                ("audience", "public"),
                ("anonymous", "1"),
                ("closes_date", "le 3 mai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(r#"id="fs-closes_date-error""#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="le 3 mai""#));
    let r = staff
        .post(
            &settings,
            &[
                ("title", "Votre avis sur la Fête"),
                ("audience", "public"),
                ("anonymous", "1"),
                ("opens_date", "2026-10-01"),
                ("closes_date", "2026-10-20"),
                ("closes_time", "18:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let f = forms::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(
        f.data.closes_at.unwrap().to_rfc3339(),
        "2026-10-20T16:00:00+00:00",
        "18:00 in Paris"
    );
    let page = staff.get(&settings).await;
    assert!(page.body.contains(r#"value="18:00""#));
    // Today (after the 20th of October 2026): closed.
    let mut c = app.client();
    let url = format!("/q/{key}");
    let r = c.get(&url).await;
    assert!(
        r.body.contains("Ce questionnaire est clos depuis le"),
        "{}",
        r.body
    );
    assert!(!r.body.contains(r#"name="satisfaction""#));
    let r = c
        .post(
            &url,
            &[("satisfaction", "5"), ("nps", "10"), ("come_back", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let n = questionnaires::count(app.db.conn(), id, &Default::default())
        .await
        .unwrap();
    assert_eq!(n, 0);
    // Reopened without an end: answered again.
    let r = staff
        .post(
            &settings,
            &[
                ("title", "Votre avis sur la Fête"),
                ("audience", "public"),
                ("anonymous", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            &url,
            &[("satisfaction", "5"), ("nps", "10"), ("come_back", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
