//! A new version once answered; roles, CSRF and stale pages.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::forms::{self, questionnaires};
use maillage_domain::Role;
use maillage_domain::forms::{Answer, Answers};

#[tokio::test]
async fn form_builder_edits_after_300_answers_make_a_new_version() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let id = new_questionnaire(&mut c, "Bilan de la Fête").await;
    add_field(
        &mut c,
        id,
        &[
            ("kind", "single_choice"),
            ("label", "Satisfaction"),
            ("options", "Bien\nMoyen\nMal"),
        ],
    )
    .await;
    add_field(
        &mut c,
        id,
        &[("kind", "nps"), ("label", "NPS"), ("key", "nps")],
    )
    .await;
    // No answer yet: editing replaces version 1.
    let r = act(
        &mut c,
        id,
        "items",
        &[("type", "text"), ("text", "Merci !")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!r.location().contains("version="));
    assert_eq!(forms::versions(app.db.conn(), id).await.unwrap().len(), 1);

    let tx = app.db.write().await.unwrap();
    let now = maillage_db::now();
    for i in 0..300 {
        let mut a = Answers::default();
        a.insert(
            "satisfaction",
            Answer::Choice(["bien", "moyen", "mal"][i % 3].into()),
        );
        a.insert("nps", Answer::Number((i % 11) as f64));
        let r = questionnaires::respond(
            &tx,
            id,
            &questionnaires::NewResponse {
                answers: a,
                ..Default::default()
            },
            now,
        )
        .await
        .unwrap();
        assert!(r.is_ok());
    }
    tx.commit().await.unwrap();

    // The builder says saving makes a new version.
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert!(
        r.body
            .contains("enregistrer une modification crée une nouvelle version"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<dd>300</dd>"));
    // Relabel an option and add one: version 2.
    let r = edit_item(
        &mut c,
        id,
        "0",
        &[
            ("kind", "single_choice"),
            ("label", "Êtes-vous satisfait"),
            ("key", "satisfaction"),
            (
                "options",
                "bien | Très bien\nmoyen | Moyen\nmal | Mal\nSans avis",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("version=2"), "{}", r.location());
    let r = c.get(r.location()).await;
    assert!(
        r.body.contains("nouvelle version : version 2"),
        "{}",
        r.body
    );
    let versions = forms::versions(app.db.conn(), id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0].schema.field("satisfaction").unwrap().label,
        "Satisfaction"
    );
    assert_eq!(
        versions[1]
            .schema
            .field("satisfaction")
            .unwrap()
            .kind
            .options()
            .len(),
        4
    );
    // A second edit of version 2, still unanswered, replaces it.
    let r = act(&mut c, id, "remove", &[("n", "2")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(forms::versions(app.db.conn(), id).await.unwrap().len(), 2);

    // The old answers stay readable and counted, with the new ones.
    let mut a = Answers::default();
    a.insert("satisfaction", Answer::Choice("sans_avis".into()));
    questionnaires::respond(
        app.db.conn(),
        id,
        &questionnaires::NewResponse {
            answers: a,
            ..Default::default()
        },
        maillage_db::now(),
    )
    .await
    .unwrap()
    .unwrap();
    let res = questionnaires::results(app.db.conn(), id, &Default::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(res.responses, 301);
    let staff = maillage_db::users::find_by_email(
        app.db.conn(),
        &maillage_domain::Email::parse("staff@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let (_, token) =
        maillage_db::api_tokens::create(app.db.conn(), staff.id, "t", maillage_db::now())
            .await
            .unwrap();
    let r = c
        .api_get(&format!("/api/v1/questionnaires/{id}/results"), &token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["responses"], 301);
    let q = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "satisfaction")
        .unwrap();
    assert_eq!(q["answered"], 301, "{q}");
    assert_eq!(q["label"], "Êtes-vous satisfait");
    let nps = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "nps")
        .unwrap();
    assert_eq!(nps["answered"], 300, "{nps}");
    // The responses keep their version.
    let mut by_version = std::collections::HashMap::new();
    questionnaires::stream(app.db.conn(), id, &Default::default(), false, |r| {
        *by_version.entry(r.version_id).or_insert(0) += 1;
    })
    .await
    .unwrap();
    assert_eq!(by_version[&versions[0].id], 300);
    assert_eq!(by_version[&versions[1].id], 1);

    // Duplicated for the next edition: the current questions, a first
    // version, no answers; the original untouched.
    let r = c.post(&format!("/team/forms/{id}/copy"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let copy: i64 = r
        .location()
        .strip_prefix("/team/forms/")
        .and_then(|x| x.strip_suffix("/settings"))
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(copy, id);
    let original = forms::find(app.db.conn(), id).await.unwrap().unwrap();
    let dup = forms::find(app.db.conn(), copy).await.unwrap().unwrap();
    assert_eq!(dup.version.number, 1);
    assert_eq!(dup.version.schema, original.version.schema);
    assert_eq!(dup.data.title, format!("{} (copie)", original.data.title));
    assert_eq!(dup.data.purpose, original.data.purpose);
    assert_eq!(dup.data.anonymous, original.data.anonymous);
    let res = questionnaires::results(app.db.conn(), copy, &Default::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(res.responses, 0);
    let r = c.get(r.location()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("(copie)"));
    assert_eq!(
        c.post("/team/forms/999999/copy", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn form_builder_is_for_admins_and_staff_with_csrf() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let id = new_questionnaire(&mut staff, "Rôles").await;
    let r = staff.get("/team").await;
    assert!(r.body.contains(r#"href="/team/forms">Formulaires</a>"#));
    // In English too.
    staff.get("/lang/en?next=/team/forms").await;
    let r = staff.get(&format!("/team/forms/{id}")).await;
    assert!(
        r.body
            .contains(r#"href="/team/forms" aria-current="page">Forms</a>"#),
        "{}",
        r.body
    );
    assert!(r.body.contains("Add a question") && r.body.contains("Kind of question"));
    staff.get("/lang/fr?next=/team/forms").await;
    for role in [Role::Partner, Role::Volunteer, Role::Intern] {
        let mut c = app.signed_in(role).await;
        for path in [
            "/team/forms".to_owned(),
            format!("/team/forms/{id}"),
            format!("/team/forms/{id}/preview"),
        ] {
            assert_eq!(
                c.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let r = c
            .post(
                &format!("/team/forms/{id}/items"),
                &[("type", "text"), ("text", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        let r = c.post(&format!("/team/forms/{id}/copy"), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        if role != Role::Partner {
            let r = c.get("/team").await;
            assert!(!r.body.contains(r#"href="/team/forms""#), "{role}");
        }
    }
    let mut anonymous = app.client();
    let r = anonymous.get(&format!("/team/forms/{id}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    // Without the CSRF token nothing changes.
    let rv = rev(&mut staff, id).await;
    let r = staff
        .post_raw(
            &format!("/team/forms/{id}/items"),
            &[
                ("rev", rv.as_str()),
                ("type", "text"),
                ("text", "Sans jeton"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = staff
        .post_raw(
            "/team/forms",
            &[("title", "Sans jeton"), ("purpose", "registration")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(schema(&app, id).await.items.is_empty());
    assert_eq!(forms::list(app.db.conn(), None).await.unwrap().len(), 1);
}
