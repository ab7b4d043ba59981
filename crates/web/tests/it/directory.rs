use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::users::{self, NewUser};
use maillage_db::{PageRequest, now};
use maillage_domain::directory::OrgKind;
use maillage_domain::{Email, Locale, Role};

fn id_from(location: &str) -> i64 {
    location
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn create_edit_with_errors_duplicates_history_and_delete() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    assert_eq!(
        c.get("/team/organisations/new").await.status,
        StatusCode::OK
    );
    let bad = c
        .post(
            "/team/organisations",
            &[
                ("name", "Club <b>Astro</b>"),
                ("kind", "association"),
                ("siret", "123"),
                ("commune", "Atlantis"),
                ("website", "not a url"),
                ("themes", "astronomy"),
                ("themes", "cuisine"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["siret", "commune", "website", "themes"] {
        assert!(
            bad.body.contains(&format!("id=\"f-{field}-error\"")),
            "{field}"
        );
    }
    assert!(
        bad.body
            .contains("value=\"Club &#60;b&#62;Astro&#60;/b&#62;\""),
        "typed name kept, escaped"
    );
    assert!(
        bad.body.contains("value=\"astronomy\" checked"),
        "ticked theme kept"
    );

    let ok = c
        .post(
            "/team/organisations",
            &[
                ("name", "Club d'astronomie de Meylan"),
                ("kind", "association"),
                ("commune", "Meylan"),
                ("themes", "astronomy"),
                ("public_listing", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id = id_from(ok.location());
    let page = c.get(ok.location()).await;
    assert!(page.body.contains("Meylan (38240)"));
    assert!(page.body.contains("Grenoble-Alpes-Métropole"));

    // The same name in the same commune: flagged, then created on confirmation.
    let dup = c
        .post(
            "/team/organisations",
            &[
                ("name", "CLUB D'ASTRONOMIE DE MEYLAN"),
                ("kind", "association"),
                ("commune", "38240"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(
        dup.body
            .contains(&format!("href=\"/team/organisations/{id}\""))
    );
    let confirmed = c
        .post(
            "/team/organisations",
            &[
                ("name", "CLUB D'ASTRONOMIE DE MEYLAN"),
                ("kind", "association"),
                ("commune", "38240"),
                ("confirm_duplicates", "1"),
            ],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);

    let edit = c
        .post(
            &format!("/team/organisations/{id}"),
            &[
                ("name", "Club d'astronomie de Meylan"),
                ("kind", "association"),
                ("commune", "Meylan"),
                ("themes", "physics"),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/team/organisations/{id}")).await;
    assert!(
        page.body.contains("public_listing: true → false"),
        "the history shows the change"
    );

    // Interns edit but do not delete; staff delete.
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(
        intern
            .post(&format!("/team/organisations/{id}/delete"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.post(&format!("/team/organisations/{id}/delete"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.get(&format!("/team/organisations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn deleting_an_organisation_with_partner_accounts_is_refused_with_a_message() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let partner = app.user("p@example.org", Role::Partner).await;
    let org = partner.organisation_id.unwrap();
    let r = c
        .post(&format!("/team/organisations/{org}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("comptes partenaires"));
    assert!(
        organisations::find(app.db.conn(), org)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn lists_filter_by_search_commune_epci_theme_and_export() {
    let app = TestApp::new().await;
    let tx = app.db.write().await.unwrap();
    for (name, kind, insee) in [
        ("Médiathèque du Pont-de-Claix", OrgKind::Library, "38317"),
        ("La Casemate", OrgKind::Museum, "38185"),
        ("Médiathèque de Voiron", OrgKind::Library, "38563"),
    ] {
        organisations::insert(
            &tx,
            &OrganisationData {
                name: name.into(),
                kind: Some(kind),
                commune_insee: Some(insee.into()),
                ..Default::default()
            },
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.signed_in(Role::Staff).await;
    let names = |body: &str| -> Vec<String> {
        body.split("<td><a href=\"/team/organisations/")
            .skip(1)
            .map(|s| {
                s.split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let r = c.get("/team/organisations?q=mediatheque").await;
    assert_eq!(
        names(&r.body),
        ["Médiathèque de Voiron", "Médiathèque du Pont-de-Claix"]
    );
    let r = c.get("/team/organisations?commune=pont+de+claix").await;
    assert_eq!(names(&r.body), ["Médiathèque du Pont-de-Claix"]);
    let r = c.get("/team/organisations?commune=Atlantis").await;
    assert!(r.body.contains("id=\"f-commune-error\""));
    assert!(names(&r.body).is_empty());
    // Grenoble-Alpes-Métropole (SIREN 200040715) has Grenoble and Le Pont-de-Claix, not Voiron.
    let r = c.get("/team/organisations?epci=200040715").await;
    assert_eq!(
        names(&r.body),
        ["La Casemate", "Médiathèque du Pont-de-Claix"]
    );
    let r = c.get("/team/organisations?kind=library&sort=commune").await;
    assert_eq!(
        names(&r.body),
        ["Médiathèque du Pont-de-Claix", "Médiathèque de Voiron"]
    );

    let csv = c.get("/team/organisations/export/csv?kind=library").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.header("content-disposition")
            .starts_with("attachment; filename=\"organisations-")
    );
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body
            .contains("Médiathèque de Voiron;Médiathèque, bibliothèque")
            || csv.body.contains("Médiathèque de Voiron")
    );
    assert!(!csv.body.contains("La Casemate"));
    let xlsx = c.get("/team/organisations/export/xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.header("content-type").contains("spreadsheetml"));
    assert_eq!(
        c.get("/team/organisations/export/pdf").await.status,
        StatusCode::NOT_FOUND
    );
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        volunteer.get("/team/organisations").await.status,
        StatusCode::OK
    );
    assert_eq!(
        volunteer.get("/team/organisations/export/csv").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn members_merge_and_personal_data() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let a = organisations::create(app.db.conn(), "Petits Débrouillards", now())
        .await
        .unwrap();
    let b = organisations::create(app.db.conn(), "Les Petits Débrouillards", now())
        .await
        .unwrap();
    let r = c
        .post(
            "/team/people",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@example.org"),
                ("roles", "researcher"),
                ("gender", "female"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ada = id_from(r.location());
    // Find her from the organisation page, add her with a function.
    let page = c
        .get(&format!("/team/organisations/{}?member_q=lovelace", b.id))
        .await;
    assert!(page.body.contains("name=\"person\" value=\"") && page.body.contains("Ada Lovelace"));
    let r = c
        .post(
            &format!("/team/organisations/{}/members", b.id),
            &[
                ("person", &ada.to_string()),
                ("function", "animatrice"),
                ("back", &format!("/team/organisations/{}", b.id)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Merge b into a: the membership moves.
    let r = c
        .get(&format!(
            "/team/organisations/{}/merge?q=debrouillards",
            a.id
        ))
        .await;
    assert!(r.body.contains(&format!("value=\"{}\"", b.id)));
    let r = c
        .post(
            &format!("/team/organisations/{}/merge", a.id),
            &[("other", &b.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let members = people::members_of(app.db.conn(), a.id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].1.as_deref(), Some("animatrice"));
    assert!(
        organisations::find(app.db.conn(), b.id)
            .await
            .unwrap()
            .is_none()
    );

    // Personal data: export, then erasure.
    let r = c.get(&format!("/team/people/{ada}/export.json")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("attachment"));
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["email"], "ada@example.org");
    assert_eq!(v["memberships"][0]["organisation"], "Petits Débrouillards");
    let r = c.post(&format!("/team/people/{ada}/erase"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/team/people/{ada}")).await;
    assert!(!page.body.contains("Lovelace") && !page.body.contains("ada@example.org"));
    assert_eq!(
        c.get(&format!("/team/people/{ada}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn venues_and_spaces() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    organisations::create(app.db.conn(), "Territoire de Sciences", now())
        .await
        .unwrap();
    let r = c
        .post(
            "/team/venues",
            &[
                ("name", "Cosmocité"),
                ("organisation", "territoire de sciences"),
                ("address", "85 cours Saint-André"),
                ("postcode", "38800"),
                ("commune", "Le Pont-de-Claix"),
                ("wheelchair", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = r.location().to_owned();
    let id = id_from(&v);
    let r = c
        .post(
            &format!("/team/venues/{id}/spaces"),
            &[("name", ""), ("kind", "pool"), ("capacity", "-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"-1\""));
    let r = c
        .post(
            &format!("/team/venues/{id}/spaces"),
            &[
                ("name", "Planétarium"),
                ("kind", "planetarium"),
                ("capacity", "80"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&v).await;
    assert!(page.body.contains("Planétarium") && page.body.contains("<td>80</td>"));
    assert!(page.body.contains("Territoire de Sciences"));
    let r = c
        .post(
            "/team/venues",
            &[
                ("name", "X"),
                ("organisation", "Nobody Inc"),
                ("lat", "45.1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-organisation-error\"") && r.body.contains("id=\"f-lon-error\"")
    );
}

#[tokio::test]
async fn import_dry_run_then_confirm() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    assert_eq!(
        c.get("/team/import?kind=people").await.status,
        StatusCode::OK
    );
    let bad = "Nom;SIRET;Commune\nA;123;Grenoble\nB;;Atlantis\n;;Voiron\nD;;Vienne\n";
    let r = c
        .post_multipart(
            "/team/import",
            &[("kind", "organisations")],
            ("file", "orgs.csv", bad.as_bytes()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for line in [
        "<td>2</td><td>SIRET</td>",
        "<td>3</td><td>Commune</td>",
        "<td>4</td><td>Nom</td>",
    ] {
        assert!(r.body.contains(line), "{line}");
    }
    assert!(!r.body.contains("/confirm"));
    assert_eq!(organisations::count(app.db.conn()).await.unwrap(), 0);

    let good = "Nom;Commune;Thèmes\nClub A;Grenoble;astronomy\nClub B;38800 ;\n";
    let r = c
        .post_multipart(
            "/team/import",
            &[("kind", "organisations")],
            ("file", "orgs.csv", good.as_bytes()),
        )
        .await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "38800 is shared by two communes: {}",
        r.status
    );
    let good = "Nom;Commune;Thèmes\nClub A;Grenoble;astronomy\nClub B;Le Pont-de-Claix;\n";
    let r = c
        .post_multipart(
            "/team/import",
            &[("kind", "organisations")],
            ("file", "orgs.csv", good.as_bytes()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let action = r
        .body
        .split("action=\"/team/import/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let confirm = format!("/team/import/{action}");
    // Someone else cannot confirm this upload.
    let mut other = app.signed_in(Role::Admin).await;
    assert_eq!(
        other.post(&confirm, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let r = c.post(&confirm, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(organisations::count(app.db.conn()).await.unwrap(), 2);
    assert_eq!(
        c.post(&confirm, &[]).await.status,
        StatusCode::NOT_FOUND,
        "used once"
    );
    let r = c
        .post_multipart(
            "/team/import",
            &[("kind", "venues")],
            ("file", "x.xls", b"\xd0\xcf\x11\xe0garbage"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

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

#[tokio::test]
async fn public_directory_and_api() {
    let app = TestApp::new().await;
    let t = now();
    let public = organisations::insert(
        app.db.conn(),
        &OrganisationData {
            name: "La Casemate".into(),
            kind: Some(OrgKind::Museum),
            commune_insee: Some("38185".into()),
            email: Some("contact@example.org".into()),
            public_listing: true,
            ..Default::default()
        },
        t,
    )
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
    assert_eq!(v["total"], 2);
    let casemate = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "La Casemate")
        .unwrap();
    assert_eq!(casemate["private"]["email"], "contact@example.org");
    let _ = PageRequest::default();
}
