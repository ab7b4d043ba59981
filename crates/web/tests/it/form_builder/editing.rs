//! Reordering, deleting, conditions, and the domain's messages beside the
//! fields.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_domain::Role;

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
    let r = edit_item(
        &mut c,
        id,
        "0",
        &[("kind", "yes_no"), ("label", "Deux"), ("key", "revenir")],
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
    let r = edit_item(
        &mut c,
        id,
        "0",
        &[
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
