//! Organisations: created and edited with errors, duplicates, history,
//! deletion; lists filtered and exported.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::now;
use maillage_db::organisations::{self, OrganisationData};
use maillage_domain::Role;
use maillage_domain::directory::OrgKind;

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
