//! The form builder of the team space: a questionnaire made through the
//! pages only (every kind of field, headings, help texts, reordering,
//! deleting, conditional display), the domain's messages beside the
//! fields with what was typed kept, the preview, a new version when the
//! form already has answers (the old ones still readable and counted),
//! roles, CSRF and stale pages.

use crate::util::{Client, Resp, TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::forms::{self, questionnaires};
use maillage_domain::Role;
use maillage_domain::forms::{Answer, Answers, Item, Kind, Purpose};

/// The revision the builder page of form `id` carries.
async fn rev(c: &mut Client, id: i64) -> String {
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r.body.find(r#"name="rev" value=""#).expect("a rev field") + 18;
    r.body[at..at + 16].to_owned()
}

/// Creates a questionnaire through the pages; returns its id.
async fn new_questionnaire(c: &mut Client, title: &str) -> i64 {
    let r = c.get("/team/forms/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post(
            "/team/forms",
            &[
                ("title", title),
                ("purpose", "questionnaire"),
                ("audience", "public"),
                ("anonymous", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .strip_prefix("/team/forms/")
        .unwrap()
        .parse()
        .unwrap()
}

/// Posts to the builder of `id` with the current revision.
async fn act(c: &mut Client, id: i64, path: &str, fields: &[(&str, &str)]) -> Resp {
    let rev = rev(c, id).await;
    let mut all = vec![("rev", rev.as_str())];
    all.extend_from_slice(fields);
    c.post(&format!("/team/forms/{id}/{path}"), &all).await
}

async fn add_field(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("type", "field")];
    all.extend_from_slice(fields);
    act(c, id, "items", &all).await
}

async fn schema(app: &TestApp, id: i64) -> maillage_domain::forms::Schema {
    forms::find(app.db.conn(), id)
        .await
        .unwrap()
        .unwrap()
        .version
        .schema
}

fn keys(s: &maillage_domain::forms::Schema) -> Vec<String> {
    s.items
        .iter()
        .map(|i| match i {
            Item::Field(f) => f.key.clone(),
            Item::Section { title, .. } => format!("#{title}"),
            Item::HelpText { .. } => "?".into(),
        })
        .collect()
}

#[tokio::test]
async fn form_builder_makes_a_questionnaire_of_every_kind() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let id = new_questionnaire(&mut c, "Votre avis sur la soirée").await;
    let f = forms::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(f.data.purpose, Purpose::Questionnaire);
    assert_eq!(
        f.data.audience,
        Some(maillage_domain::forms::FormAudience::Public)
    );
    assert!(f.data.anonymous && !f.data.one_per_link);

    let r = act(
        &mut c,
        id,
        "items",
        &[("type", "section"), ("title", "Votre venue"), ("help", "")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with(&format!("/team/forms/{id}")));
    let r = act(
        &mut c,
        id,
        "items",
        &[("type", "text"), ("text", "Merci de prendre deux minutes.")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let fields: Vec<Vec<(&str, &str)>> = vec![
        vec![("kind", "short_text"), ("label", "Votre prénom")],
        vec![
            ("kind", "long_text"),
            ("label", "Commentaire"),
            ("key", "comment"),
            ("help", "Tout ce que vous voulez nous dire"),
        ],
        vec![("kind", "email"), ("label", "E-mail")],
        vec![("kind", "phone"), ("label", "Téléphone")],
        vec![
            ("kind", "number"),
            ("label", "Âge"),
            ("min", "0"),
            ("max", "120"),
            ("integer", "1"),
            ("required", "1"),
        ],
        vec![("kind", "date"), ("label", "Date de visite")],
        vec![
            ("kind", "single_choice"),
            ("label", "Satisfaction"),
            ("options", "Très bien\r\nBien\r\nbof | Moyen"),
        ],
        vec![
            ("kind", "multiple_choice"),
            ("label", "Comment nous avez-vous connus"),
            ("options", "Affiche\nRadio\nBouche à oreille"),
            ("min", "1"),
            ("max", "2"),
        ],
        vec![
            ("kind", "dropdown"),
            ("label", "Commune"),
            ("options", "Grenoble\nÉchirolles"),
        ],
        vec![
            ("kind", "scale"),
            ("label", "Intérêt"),
            ("scale_min", "0"),
            ("scale_max", "4"),
            ("min_label", "Aucun"),
            ("max_label", "Passionnant"),
        ],
        vec![("kind", "nps"), ("label", "Recommanderiez-vous")],
        vec![
            ("kind", "yes_no"),
            ("label", "Reviendrez-vous"),
            ("key", "come_back"),
        ],
        vec![
            ("kind", "file"),
            ("label", "Une photo"),
            ("types", "jpeg"),
            ("types", "png"),
            ("max_mb", "2"),
        ],
    ];
    for f in &fields {
        let r = add_field(&mut c, id, f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{f:?}: {}", r.body);
    }
    let s = schema(&app, id).await;
    assert!(s.validate().is_ok());
    assert_eq!(
        keys(&s),
        [
            "#Votre venue",
            "?",
            "votre_prenom",
            "comment",
            "e_mail",
            "telephone",
            "age",
            "date_de_visite",
            "satisfaction",
            "comment_nous_avez_vous_connus",
            "commune",
            "interet",
            "recommanderiez_vous",
            "come_back",
            "une_photo",
        ]
    );
    let codes: Vec<&str> = s.fields().map(|f| f.kind.code()).collect();
    assert_eq!(
        codes,
        [
            "short_text",
            "long_text",
            "email",
            "phone",
            "number",
            "date",
            "single_choice",
            "multiple_choice",
            "dropdown",
            "scale",
            "nps",
            "yes_no",
            "file"
        ]
    );
    let age = s.field("age").unwrap();
    assert!(age.required);
    assert_eq!(
        age.kind,
        Kind::Number {
            min: Some(0),
            max: Some(120),
            integer: true
        }
    );
    let sat = s.field("satisfaction").unwrap();
    let opts: Vec<(&str, &str)> = sat
        .kind
        .options()
        .iter()
        .map(|o| (o.key.as_str(), o.label.as_str()))
        .collect();
    assert_eq!(
        opts,
        [
            ("tres_bien", "Très bien"),
            ("bien", "Bien"),
            ("bof", "Moyen")
        ]
    );
    assert!(matches!(
        s.field("comment_nous_avez_vous_connus").unwrap().kind,
        Kind::MultipleChoice {
            min: Some(1),
            max: Some(2),
            ..
        }
    ));
    assert_eq!(
        s.field("interet").unwrap().kind,
        Kind::Scale {
            min: 0,
            max: 4,
            min_label: Some("Aucun".into()),
            max_label: Some("Passionnant".into())
        }
    );
    assert_eq!(
        s.field("une_photo").unwrap().kind,
        Kind::File {
            types: vec![
                maillage_domain::forms::FileKind::Jpeg,
                maillage_domain::forms::FileKind::Png
            ],
            max_bytes: 2_000_000
        }
    );
    assert_eq!(
        s.field("comment").unwrap().help.as_deref(),
        Some("Tout ce que vous voulez nous dire")
    );

    // The builder lists the items with their actions; the list of forms
    // shows it with its version and answers.
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<code>come_back</code>"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!(r#"href="/team/forms/{id}/item?n=3""#))
    );
    assert!(r.body.contains(&format!(r#"href="/q/{id}""#)));
    assert!(
        r.body
            .contains(&format!(r#"href="/team/questionnaires/{id}""#))
    );
    assert!(
        r.body
            .contains(&format!(r#"href="/team/forms/{id}/preview""#))
    );
    let r = c.get("/team/forms").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Votre avis sur la soirée"));
    assert!(r.body.contains(&format!(r#"href="/team/forms/{id}""#)));

    // Editing an item: its form comes filled in, options with their keys.
    let r = c.get(&format!("/team/forms/{id}/item?n=8")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("tres_bien | Très bien"), "{}", r.body);
    let rv = rev(&mut c, id).await;
    let r = c
        .post(
            &format!("/team/forms/{id}/item"),
            &[
                ("rev", rv.as_str()),
                ("n", "8"),
                ("kind", "single_choice"),
                ("label", "Votre satisfaction"),
                ("key", "satisfaction"),
                (
                    "options",
                    "tres_bien | Très bien\nbien | Bien\nbof | Moyen\nDécevant",
                ),
                ("required", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = schema(&app, id).await;
    let sat = s.field("satisfaction").unwrap();
    assert_eq!(sat.label, "Votre satisfaction");
    assert!(sat.required);
    assert_eq!(sat.kind.options().len(), 4);
    assert_eq!(sat.kind.options()[3].key, "decevant");

    // Every change is in the audit log.
    let log = maillage_db::audit::list(
        app.db.conn(),
        &Default::default(),
        maillage_db::PageRequest::new(1, 100),
    )
    .await
    .unwrap();
    let n = log
        .items
        .iter()
        .filter(|e| e.entity_type == "form" && e.entity_id == id.to_string())
        .count();
    assert_eq!(n, 1 + 2 + fields.len() + 1);
}

#[tokio::test]
async fn form_builder_reorders_deletes_and_shows_conditions() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Admin).await;
    let id = new_questionnaire(&mut c, "Ordre").await;
    for (kind, label) in [
        ("short_text", "Un"),
        ("yes_no", "Deux"),
        ("short_text", "Trois"),
    ] {
        let r = add_field(&mut c, id, &[("kind", kind), ("label", label)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert_eq!(keys(&schema(&app, id).await), ["un", "deux", "trois"]);
    let r = act(&mut c, id, "move", &[("n", "0"), ("dir", "down")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(keys(&schema(&app, id).await), ["deux", "un", "trois"]);
    let r = act(&mut c, id, "move", &[("n", "2"), ("dir", "up")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(keys(&schema(&app, id).await), ["deux", "trois", "un"]);
    // Moving the first item up changes nothing.
    let r = act(&mut c, id, "move", &[("n", "0"), ("dir", "up")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(keys(&schema(&app, id).await), ["deux", "trois", "un"]);
    let r = act(&mut c, id, "remove", &[("n", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(keys(&schema(&app, id).await), ["deux", "un"]);

    // A conditional question: only choice and yes/no questions before it
    // are offered.
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert!(r.body.contains(r#"<option value="deux=no">"#), "{}", r.body);
    assert!(!r.body.contains(r#"value="un="#));
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "long_text"),
            ("label", "Pourquoi"),
            ("condition", "deux=no"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = schema(&app, id).await;
    let why = s.field("pourquoi").unwrap();
    assert_eq!(why.condition.as_ref().unwrap().field, "deux");
    assert_eq!(why.condition.as_ref().unwrap().value, "no");
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert!(
        r.body.contains("Affichée seulement si « Deux » = « Non »"),
        "{}",
        r.body
    );

    // A question its condition depends on can be neither deleted nor
    // moved below it; the form is left as it was.
    let r = act(&mut c, id, "remove", &[("n", "0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ne peut pas être supprimé"), "{}", r.body);
    let r = act(&mut c, id, "move", &[("n", "2"), ("dir", "up")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(keys(&schema(&app, id).await), ["deux", "pourquoi", "un"]);
    let r = act(&mut c, id, "move", &[("n", "1"), ("dir", "up")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&escaped(
        "La condition doit porter sur une question à choix placée avant celle-ci"
    )));
    assert_eq!(keys(&schema(&app, id).await), ["deux", "pourquoi", "un"]);

    // Renaming a key carries the conditions along.
    let r = c.get(&format!("/team/forms/{id}/item?n=0")).await;
    assert_eq!(r.status, StatusCode::OK);
    let rv = rev(&mut c, id).await;
    let r = c
        .post(
            &format!("/team/forms/{id}/item"),
            &[
                ("rev", rv.as_str()),
                ("n", "0"),
                ("kind", "yes_no"),
                ("label", "Deux"),
                ("key", "revenir"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = schema(&app, id).await;
    assert_eq!(
        s.field("pourquoi")
            .unwrap()
            .condition
            .as_ref()
            .unwrap()
            .field,
        "revenir"
    );

    // A page showing an older revision cannot change the form.
    let r = c
        .post(
            &format!("/team/forms/{id}/remove"),
            &[("rev", "0000000000000000"), ("n", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("modifié entre-temps"));
    assert_eq!(schema(&app, id).await.items.len(), 3);
}

#[tokio::test]
async fn form_builder_shows_the_domains_messages_beside_the_fields() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let id = new_questionnaire(&mut c, "Erreurs").await;
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "single_choice"),
            ("label", "Couleur"),
            ("options", "Rouge\nBleu"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Empty label: the message beside it, what was typed kept.
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "short_text"),
            ("label", "  "),
            ("help", "Une aide gardée"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(
            r#"<p class="field-error" id="af-label-error">Ce champ est obligatoire.</p>"#
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="Une aide gardée""#));
    assert!(r.body.contains(r##"<a href="#af-label">"##));
    assert!(
        r.body
            .contains(r##"<a href="#af">Rien n&#39;a été ajouté"##)
    );

    // Minimum above maximum, for a number and for a scale.
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "number"),
            ("label", "Nombre"),
            ("min", "10"),
            ("max", "2"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(
        r#"<p class="field-error" id="af-max-error">Le minimum doit être inférieur au maximum.</p>"#
    ));
    assert!(
        r.body
            .contains(r#"id="af-min" name="min" type="text" value="10""#)
    );
    assert!(r.body.contains(r#"value="Nombre""#));
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "scale"),
            ("label", "Note"),
            ("scale_min", "5"),
            ("scale_max", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="af-scale_max-error""#), "{}", r.body);
    // Not a number.
    let r = add_field(
        &mut c,
        id,
        &[("kind", "number"), ("label", "Nombre"), ("min", "dix")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="af-min-error">Saisissez un nombre."#));

    // Duplicate key.
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "short_text"),
            ("label", "Autre"),
            ("key", "couleur"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(
        r#"<p class="field-error" id="af-key-error">Cette valeur est déjà utilisée.</p>"#
    ));
    // A bad option line, and a choice without options.
    let r = add_field(
        &mut c,
        id,
        &[
            ("kind", "dropdown"),
            ("label", "Liste"),
            ("options", "a | A\na | B"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Ligne 2 : Cette valeur est déjà utilisée."),
        "{}",
        r.body
    );
    let r = add_field(&mut c, id, &[("kind", "dropdown"), ("label", "Liste")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="af-options-error""#));
    // A file field without types.
    let r = add_field(&mut c, id, &[("kind", "file"), ("label", "Fichier")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="af-types-error""#));

    // A condition on a later question (a forged or stale choice).
    let r = add_field(&mut c, id, &[("kind", "yes_no"), ("label", "Plus tard")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rv = rev(&mut c, id).await;
    let r = c
        .post(
            &format!("/team/forms/{id}/item"),
            &[
                ("rev", rv.as_str()),
                ("n", "0"),
                ("kind", "single_choice"),
                ("label", "Couleur modifiée"),
                ("options", "Rouge\nBleu"),
                ("condition", "plus_tard=yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains(r#"<p class="field-error" id="ef-condition-error">"#)
    );
    assert!(r.body.contains(r#"value="Couleur modifiée""#));

    // Sections and texts: their messages too.
    let r = act(&mut c, id, "items", &[("type", "section"), ("title", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="as-title-error""#));
    let r = act(&mut c, id, "items", &[("type", "text"), ("text", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="at-text-error""#));

    // Nothing of that was saved.
    assert_eq!(keys(&schema(&app, id).await), ["couleur", "plus_tard"]);
    assert_eq!(
        schema(&app, id).await.field("couleur").unwrap().label,
        "Couleur"
    );

    // Settings: a questionnaire needs a title and an audience.
    let r = c
        .post(
            "/team/forms",
            &[
                ("title", ""),
                ("purpose", "questionnaire"),
                ("audience", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="fs-title-error""#));
    assert!(r.body.contains(r#"id="fs-audience-error""#));
    // Unknown form, unknown item: 404, never a 500.
    assert_eq!(
        c.get("/team/forms/999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/team/forms/{id}/item?n=99")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/team/forms/{id}/item?n=x")).await.status,
        StatusCode::NOT_FOUND
    );
}

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
    let rv = rev(&mut c, id).await;
    let r = c
        .post(
            &format!("/team/forms/{id}/item"),
            &[
                ("rev", rv.as_str()),
                ("n", "0"),
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
