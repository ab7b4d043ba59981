//! Imports: a dry run, then confirmed.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::organisations::{self};
use maillage_domain::Role;

#[tokio::test]
async fn import_dry_run_then_confirm() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    assert_eq!(
        c.get("/team/import?kind=people").await.status,
        StatusCode::OK
    );
    let bad = "Nom;SIRET;Commune\nA;123;Grenoble\nB;;Atlantis\n;;Voiron\nD;;Vienne\n";
    let r = import_organisations(&mut c, bad).await;
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
    let r = import_organisations(&mut c, good).await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "38800 is shared by two communes: {}",
        r.status
    );
    let good = "Nom;Commune;Thèmes\nClub A;Grenoble;astronomy\nClub B;Le Pont-de-Claix;\n";
    let r = import_organisations(&mut c, good).await;
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
