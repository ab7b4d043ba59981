//! Personal links of a questionnaire answered once per link: the team
//! e-mails them or downloads them to print; each answers once; a made-up
//! link or the questionnaire's sequential id answers nothing.

use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::forms::{self, FormData, questionnaires};
use maillage_domain::Role;
use maillage_domain::forms::Purpose;

async fn questionnaire(app: &TestApp, one_per_link: bool) -> forms::Form {
    forms::create(
        app.db.conn(),
        &FormData {
            title: "Avis des classes".into(),
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
    .unwrap()
}

const ANSWERS: [(&str, &str); 3] = [("satisfaction", "4"), ("nps", "9"), ("come_back", "yes")];

/// The `/q/…?lien=…` addresses in a text, in order.
fn links_in(text: &str) -> Vec<String> {
    text.match_indices("http://localhost:8080/q/")
        .map(|(i, _)| {
            text[i + "http://localhost:8080".len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '"')
                .collect()
        })
        .collect()
}

async fn responses(app: &TestApp, f: &forms::Form) -> u64 {
    questionnaires::count(app.db.conn(), f.id, &Default::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn links_are_emailed_each_answers_once_and_nothing_else_answers() {
    let app = TestApp::new().await;
    let f = questionnaire(&app, true).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let page = format!("/team/questionnaires/{}/liens", f.id);
    let r = staff.get(&page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Liens personnels"));

    // A line that is no address: said beside the field, the list kept,
    // nothing sent.
    let send = format!("{page}/envoyer");
    let typed = "ada@example.org\nbob at example";
    let r = staff
        .post(&send, &[("addresses", typed), ("lang", "en")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-addresses-error""#), "{}", r.body);
    assert!(r.body.contains("bob at example"));
    assert!(r.body.contains(&escaped(typed)) || r.body.contains(typed));
    let r = staff
        .post(&send, &[("addresses", " \n "), ("lang", "fr")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.outbox().await.is_empty());

    // Two addresses (one twice): two e-mails in English, a link each.
    let r = staff
        .post(
            &send,
            &[
                (
                    "addresses",
                    "ada@example.org, bob@example.org\nADA@example.org",
                ),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff.get(r.location()).await;
    assert!(r.body.contains("2 liens personnels envoyés"), "{}", r.body);
    let out = app.outbox().await;
    assert_eq!(out.len(), 2);
    assert!(
        out.iter()
            .all(|m| m.subject == "Your opinion: Avis des classes")
    );
    let links: Vec<String> = out.iter().flat_map(|m| links_in(&m.body_text)).collect();
    assert_eq!(links.len(), 2);
    assert_ne!(links[0], links[1]);
    assert!(links[0].starts_with(&format!("/q/{}?lien=", f.public_key)));

    // Without a link, with a made-up one, or by its id: no form.
    let mut anyone = app.client();
    let bare = format!("/q/{}", f.public_key);
    let r = anyone.get(&bare).await;
    assert!(r.body.contains("lien personnel"), "{}", r.body);
    assert!(!r.body.contains(r#"name="lien""#));
    let made_up = format!("{bare}?lien={}", maillage_domain::token::generate());
    let r = anyone.get(&made_up).await;
    assert!(r.body.contains("ne permet pas de répondre"), "{}", r.body);
    let mut forged = ANSWERS.to_vec();
    let token = maillage_domain::token::generate();
    forged.push(("lien", token.as_str()));
    let r = anyone.post(&bare, &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        anyone.get(&format!("/q/{}", f.id)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(responses(&app, &f).await, 0);

    // The link: the form, carrying it; one response; then never again.
    let r = anyone.get(&links[0]).await;
    assert_eq!(r.status, StatusCode::OK);
    let token = links[0].split("lien=").nth(1).unwrap().to_owned();
    assert!(
        r.body.contains(&format!(r#"name="lien" value="{token}""#)),
        "{}",
        r.body
    );
    let mut answers = ANSWERS.to_vec();
    answers.push(("lien", token.as_str()));
    let r = anyone.post(&bare, &answers).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(responses(&app, &f).await, 1);
    let r = anyone.get(&links[0]).await;
    assert!(r.body.contains("a déjà servi"), "{}", r.body);
    let r = anyone.post(&bare, &answers).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(responses(&app, &f).await, 1);
    let r = staff.get(&page).await;
    assert!(
        r.body.contains("<dd>2</dd>") && r.body.contains("<dd>1</dd>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn links_to_print_come_as_a_file_of_working_links() {
    let app = TestApp::new().await;
    let f = questionnaire(&app, true).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let csv = format!("/team/questionnaires/{}/liens.csv", f.id);
    for bad in ["0", "abc", "2001"] {
        let r = staff.post(&csv, &[("count", bad)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.body.contains(r#"id="f-count-error""#));
        assert!(r.body.contains(&format!(r#"value="{bad}""#)));
    }
    let r = staff.post(&csv, &[("count", "3")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(r.body.contains("Lien personnel"), "{}", r.body);
    let links = links_in(&r.body);
    assert_eq!(links.len(), 3);
    let mut anyone = app.client();
    for link in &links {
        let token = link.split("lien=").nth(1).unwrap();
        let mut answers = ANSWERS.to_vec();
        answers.push(("lien", token));
        let r = anyone.post(&format!("/q/{}", f.public_key), &answers).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert_eq!(responses(&app, &f).await, 3);

    // A questionnaire open to all takes no links: said, nothing issued.
    let open = questionnaire(&app, false).await;
    let r = staff
        .post(
            &format!("/team/questionnaires/{}/liens.csv", open.id),
            &[("count", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("activez l'option") || r.body.contains("activez l&#39;option"),
        "{}",
        r.body
    );
    assert_eq!(
        maillage_db::forms::links::counts(app.db.conn(), open.id)
            .await
            .unwrap()
            .issued,
        0
    );
}
