//! A questionnaire attached to an activity, and the preview.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::forms::{self, questionnaires};
use maillage_domain::Role;

#[tokio::test]
async fn form_builder_attaches_a_questionnaire_to_an_activity() {
    let app = TestApp::new().await;
    maillage_db::demo::load(&app.db).await.unwrap();
    app.user("builder@example.org", Role::Staff).await;
    let mut c = app.client();
    let r = c.login("builder@example.org", crate::util::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c0 = app.db.conn();
    // A project of the demo with an activity that has sessions.
    let mut found = None;
    for p in maillage_db::programme::projects::list(c0, false)
        .await
        .unwrap()
    {
        let acts = maillage_db::programme::activities::of_project(c0, p.id)
            .await
            .unwrap();
        if acts.len() > 1 && acts.iter().any(|a| !a.sessions.is_empty()) {
            found = Some((p, acts));
            break;
        }
    }
    let (project, acts) = found.expect("a demo project with sessions");
    let a = acts.iter().find(|a| !a.sessions.is_empty()).unwrap();
    // Choosing the project fills the lists of its activities and sessions.
    let r = c
        .get(&format!("/team/forms/new?project={}", project.id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!(r#"<option value="{}">"#, a.id)));
    let pid = project.id.to_string();
    let r = c
        .post(
            "/team/forms",
            &[
                ("title", "X"),
                ("purpose", "questionnaire"),
                ("project", &pid),
                ("refresh", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!(r#"<option value="{}">"#, a.sessions[0].id))
    );
    // A session gives its activity; a session of another activity is refused.
    let sid = a.sessions[0].id.to_string();
    let r = c
        .post(
            "/team/forms",
            &[
                ("title", "Avis sur la séance"),
                ("purpose", "questionnaire"),
                ("project", &pid),
                ("session", &sid),
                ("audience", "teachers"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let f = forms::find(c0, id).await.unwrap().unwrap();
    assert_eq!(f.data.project_id, Some(project.id));
    assert_eq!(f.data.activity_id, Some(a.id));
    assert_eq!(f.data.session_id, Some(a.sessions[0].id));
    assert!(!f.data.anonymous);
    if let Some(other) = acts.iter().find(|x| x.id != a.id) {
        let oid = other.id.to_string();
        let r = c
            .post(
                "/team/forms",
                &[
                    ("title", "Incohérent"),
                    ("purpose", "questionnaire"),
                    ("activity", &oid),
                    ("session", &sid),
                    ("audience", "public"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(r#"id="fs-session-error""#));
    }
    // The settings can be changed later.
    let r = c.get(&format!("/team/forms/{id}/settings")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c
        .post(
            &format!("/team/forms/{id}/settings"),
            &[
                ("title", "Avis des enseignants"),
                ("audience", "teachers"),
                ("one_per_link", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let f = forms::find(c0, id).await.unwrap().unwrap();
    assert_eq!(f.data.title, "Avis des enseignants");
    assert!(f.data.one_per_link);
    assert_eq!(f.data.project_id, None);
    // The demo's forms are listed by purpose, calls linked to their page.
    let r = c.get("/team/forms").await;
    assert!(r.body.contains("Appel à participation"));
    let call =
        maillage_db::forms::calls::find_by_slug(c0, maillage_db::demo::forms::PARTICIPATION_CALL)
            .await
            .unwrap()
            .unwrap();
    let r = c.get(&format!("/team/forms/{}", call.data.form_id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!(r#"href="/appel/{}""#, call.data.slug)),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn form_builder_preview_draws_the_form_and_stores_nothing() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let id = new_questionnaire(&mut c, "Aperçu").await;
    add_field(
        &mut c,
        id,
        &[
            ("kind", "email"),
            ("label", "Votre e-mail"),
            ("required", "1"),
        ],
    )
    .await;
    add_field(&mut c, id, &[("kind", "nps"), ("label", "Recommandation")]).await;
    let r = c.get(&format!("/team/forms/{id}/preview")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&escaped(
        "Rien de ce que vous saisissez ici n'est enregistré."
    )));
    assert!(
        r.body
            .contains(r#"<input id="f-votre_e_mail" name="votre_e_mail" type="email""#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"name="recommandation" value="10""#));
    assert!(
        r.body
            .contains(&format!(r#"action="/team/forms/{id}/preview""#))
    );
    let r = c
        .post(
            &format!("/team/forms/{id}/preview"),
            &[("votre_e_mail", "pas une adresse")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-votre_e_mail-error""#));
    assert!(r.body.contains(r#"value="pas une adresse""#));
    let r = c
        .post(
            &format!("/team/forms/{id}/preview"),
            &[("votre_e_mail", "a@example.org"), ("recommandation", "9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Ces réponses seraient acceptées"));
    let n = questionnaires::count(app.db.conn(), id, &Default::default())
        .await
        .unwrap();
    assert_eq!(n, 0);
}
