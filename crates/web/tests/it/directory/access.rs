//! Partners kept to their organisation; the public directory and its API.

use crate::util::casemate;
use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::users::{self, NewUser};
use maillage_db::{PageRequest, now};
use maillage_domain::directory::OrgKind;
use maillage_domain::{Email, Locale, Role};

/// A partner reads and changes only their own organisation and its people.
#[tokio::test]
async fn a_partner_cannot_read_or_change_another_organisation() {
    let app = TestApp::new().await;
    let t = now();
    let other_org = organisations::create(app.db.conn(), "Autre association", t)
        .await
        .unwrap();
    let stranger = people::insert(
        app.db.conn(),
        &PersonData {
            last_name: "Étrangère".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    people::add_membership(app.db.conn(), stranger.id, other_org.id, None, t)
        .await
        .unwrap();
    let mine = organisations::create(app.db.conn(), "Mon association", t)
        .await
        .unwrap();
    let tx = app.db.write().await.unwrap();
    users::create(
        &tx,
        NewUser {
            email: &Email::parse("p@example.org").unwrap(),
            name: "P",
            role: Role::Partner,
            organisation_id: Some(mine.id),
            password: Some(maillage_domain::Password::new(PASSWORD).unwrap().hash()),
            locale: Locale::Fr,
        },
        t,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut p = app.client();
    p.login("p@example.org", PASSWORD).await;

    // Someone else's contact: invisible and untouchable.
    assert_eq!(
        p.get(&format!("/partner/people/{}", stranger.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = p
        .post(
            &format!("/partner/people/{}", stranger.id),
            &[("last_name", "Hacked")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        people::find(app.db.conn(), stranger.id)
            .await
            .unwrap()
            .unwrap()
            .data
            .last_name,
        "Étrangère"
    );
    // The team pages and the other organisation are closed.
    for path in [
        format!("/team/organisations/{}", other_org.id),
        "/team/people".into(),
        format!("/team/organisations/{}/edit", other_org.id),
    ] {
        assert_eq!(p.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = p
        .post(
            &format!("/team/organisations/{}", other_org.id),
            &[("name", "Hacked")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        organisations::find(app.db.conn(), other_org.id)
            .await
            .unwrap()
            .unwrap()
            .data
            .name,
        "Autre association"
    );

    // Their own: editable.
    let home = p.get("/partner").await;
    assert!(home.body.contains("Mon association") && !home.body.contains("Autre association"));
    let r = p
        .post(
            "/partner/organisation",
            &[
                ("name", "Mon association"),
                ("kind", "association"),
                ("commune", "Voiron"),
                ("public_listing", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = p
        .post(
            "/partner/people",
            &[
                ("first_name", "Léa"),
                ("last_name", "Contact"),
                ("roles", "staff"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let members = people::members_of(app.db.conn(), mine.id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(
        members[0].0.data.roles,
        vec![maillage_domain::directory::PersonRole::PartnerContact],
        "partners do not choose roles"
    );
    let lea = members[0].0.id;
    assert_eq!(
        p.post(
            &format!("/partner/people/{lea}"),
            &[("first_name", "Léa"), ("last_name", "Contact-Martin")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let saved = organisations::find(app.db.conn(), mine.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.data.commune_insee.as_deref(), Some("38563"));
}

/// The team's internal fields (gender, notes) are neither shown to nor set
/// by partners; a contact shared with another organisation is read-only.
#[tokio::test]
async fn partners_see_no_internal_fields_and_shared_contacts_are_read_only() {
    use maillage_domain::directory::Gender;
    let app = TestApp::new().await;
    let t = now();
    let partner = app
        .user("p@example.org", maillage_domain::Role::Partner)
        .await;
    let mine = partner.organisation_id.unwrap();
    let other = organisations::create(app.db.conn(), "Laboratoire voisin", t)
        .await
        .unwrap();
    let person = |name: &str| PersonData {
        last_name: name.into(),
        gender: Some(Gender::Female),
        notes: Some("Note interne : préfère être appelée le matin".into()),
        ..Default::default()
    };
    let own = people::insert(app.db.conn(), &person("Propre"), t)
        .await
        .unwrap();
    people::add_membership(app.db.conn(), own.id, mine, None, t)
        .await
        .unwrap();
    let shared = people::insert(app.db.conn(), &person("Partagée"), t)
        .await
        .unwrap();
    for org in [mine, other.id] {
        people::add_membership(app.db.conn(), shared.id, org, None, t)
            .await
            .unwrap();
    }
    let mut p = app.client();
    p.login("p@example.org", PASSWORD).await;

    let page = p.get(&format!("/partner/people/{}", own.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Note interne"));
    assert!(!page.body.contains("name=\"gender\"") && !page.body.contains("name=\"notes\""));
    // Sent anyway, they are ignored; what the partner may change is saved.
    let r = p
        .post(
            &format!("/partner/people/{}", own.id),
            &[
                ("last_name", "Propre-Nom"),
                ("gender", "male"),
                ("notes", "effacée"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let saved = people::find(app.db.conn(), own.id).await.unwrap().unwrap();
    assert_eq!(saved.data.last_name, "Propre-Nom");
    assert_eq!(saved.data.gender, Some(Gender::Female));
    assert_eq!(
        saved.data.notes.as_deref(),
        Some("Note interne : préfère être appelée le matin")
    );

    // The shared contact: shown read-only, not changed.
    let page = p.get(&format!("/partner/people/{}", shared.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("partagé avec une autre organisation"));
    assert!(
        !page.body.contains("Note interne")
            && !page
                .body
                .contains("<form method=\"post\" action=\"/partner/people")
    );
    let r = p
        .post(
            &format!("/partner/people/{}", shared.id),
            &[("last_name", "Renommée")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kept = people::find(app.db.conn(), shared.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.data.last_name, "Partagée");
}

#[tokio::test]
async fn public_directory_and_api() {
    let app = TestApp::new().await;
    let t = now();
    let public = organisations::insert(app.db.conn(), &casemate(), t)
        .await
        .unwrap();
    let private = organisations::insert(
        app.db.conn(),
        &OrganisationData {
            name: "Labo discret".into(),
            kind: Some(OrgKind::Research),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let mut anon = app.client();
    let r = anon.get("/annuaire").await;
    assert!(r.body.contains("La Casemate") && !r.body.contains("Labo discret"));
    assert_eq!(
        anon.get(&format!("/annuaire/{}", public.id)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        anon.get(&format!("/annuaire/{}", private.id)).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !anon
            .get(&format!("/annuaire/{}", public.id))
            .await
            .body
            .contains("contact@example.org")
    );

    // Search folds accents and case.
    organisations::insert(
        app.db.conn(),
        &OrganisationData {
            name: "Cosmocité".into(),
            public_listing: true,
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    for (q, found) in [
        ("casemate", "La Casemate"),
        ("CASEMATE", "La Casemate"),
        ("cosmocite", "Cosmocité"),
        ("COSMOCITÉ", "Cosmocité"),
    ] {
        let r = anon
            .get(&format!("/annuaire?q={}", crate::programme_api::enc(q)))
            .await;
        assert!(r.body.contains(&format!(">{found}</a>")), "{q}: {}", r.body);
    }
    // The actor's page: its upcoming activities, each with its next session.
    let page = anon.get(&format!("/annuaire/{}", public.id)).await;
    assert!(
        page.body.contains("Aucune animation à venir"),
        "{}",
        page.body
    );
    let f = maillage_db::testing::bookable(
        &app.db,
        maillage_db::testing::Bookable {
            organisers: vec![public.id],
            ..Default::default()
        },
    )
    .await;
    let page = anon.get(&format!("/annuaire/{}", public.id)).await;
    assert!(
        page.body.contains(&format!(
            "href=\"/p/{}/a/{}\">Voyage au planétarium</a>",
            f.project_slug, f.activity_slug
        )),
        "{}",
        page.body
    );

    let r = anon.get("/api/v1/communes?q=pont%20de%20claix").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let first = &v["items"][0];
    assert_eq!(first["insee"], "38317");
    assert_eq!(first["name"], "Le Pont-de-Claix");
    assert!(first["population"].as_u64().unwrap() > 10_000);
    assert_eq!(first["epci"]["name"], "Grenoble-Alpes-Métropole");
    assert!(first["lat"].as_f64().is_some() && first["postcodes"][0] == "38800");
    let v: serde_json::Value =
        serde_json::from_str(&anon.get("/api/v1/communes?q=38800").await.body).unwrap();
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["insee"] == "38317")
    );
    let r = anon.get("/api/v1/communes?q=x&limit=0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.header("content-type"), "application/problem+json");

    let v: serde_json::Value = serde_json::from_str(
        &anon
            .get("/api/v1/organisations?commune=grenoble")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["items"][0]["name"], "La Casemate");
    assert_eq!(v["items"][0]["type"], "museum");
    assert!(
        v["items"][0].get("private").is_none(),
        "no contact details in public"
    );
    assert_eq!(
        anon.get("/api/v1/organisations?type=bank").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let staff = app.user("s@example.org", Role::Staff).await;
    let (_, token) = maillage_db::api_tokens::create(app.db.conn(), staff.id, "t", t)
        .await
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&anon.api_get("/api/v1/organisations", &token).await.body).unwrap();
    assert_eq!(v["total"], 3, "La Casemate, Cosmocité and the private one");
    let casemate = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "La Casemate")
        .unwrap();
    assert_eq!(casemate["private"]["email"], "contact@example.org");
    let _ = PageRequest::default();
}
