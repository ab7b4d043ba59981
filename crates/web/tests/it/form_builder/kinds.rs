//! A questionnaire of every kind of field made through the pages only.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::forms::{self};
use maillage_domain::Role;
use maillage_domain::forms::{Kind, Purpose};

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
    let key = maillage_db::forms::find(app.db.conn(), id)
        .await
        .unwrap()
        .unwrap()
        .public_key;
    assert_eq!(key.len(), 16);
    assert!(r.body.contains(&format!(r#"href="/q/{key}""#)));
    // The sequential id is no public address.
    assert_eq!(
        c.get(&format!("/q/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
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
    let r = edit_item(
        &mut c,
        id,
        "8",
        &[
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
