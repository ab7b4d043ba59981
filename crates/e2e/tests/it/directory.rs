//! The directory in the browser: searching, creating with a duplicate
//! warning, the public directory, and axe-core on every page shown.

use maillage_domain::Role;
use maillage_e2e::{Browser, Site};

#[tokio::test]
async fn staff_search_create_duplicate_and_edit_an_organisation() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.login(&site, Role::Staff).await;
    b.nav_to("/team/organisations").await;
    b.assert_accessible("organisations list").await;
    b.fill("#f-commune", "pont de claix").await;
    b.submit("form.filters button[type=submit]").await;
    let html = b.html().await;
    assert!(
        html.contains("Le Pont-de-Claix (38800)"),
        "filter by commune"
    );
    b.submit("table a").await;
    b.assert_accessible("organisation page").await;
    let existing = b.text("h1").await;

    b.goto(&site.url("/team/organisations/new")).await;
    b.assert_accessible("new organisation form").await;
    b.fill("#f-name", &existing.to_uppercase()).await;
    b.fill("#f-commune", "Le Pont-de-Claix").await;
    b.fill("#f-siret", "123").await;
    b.submit("form.form button[type=submit]").await;
    assert!(b.html().await.contains("id=\"f-siret-error\""));
    b.assert_accessible("organisation form with errors").await;
    b.fill("#f-siret", "").await;
    b.submit("form.form button[type=submit]").await;
    let html = b.html().await;
    assert!(html.contains("Doublon possible"), "duplicate warning");
    b.assert_accessible("duplicate warning").await;
    b.click("input[name=confirm_duplicates]").await;
    b.submit("form.form button[type=submit]").await;
    assert!(b.text(".flash").await.contains("Enregistré"));

    b.goto(&site.url("/team/people?q=a")).await;
    b.assert_accessible("people list").await;
    b.goto(&site.url("/team/venues")).await;
    b.assert_accessible("venues list").await;
    b.submit("table a").await;
    b.assert_accessible("venue page").await;
    b.goto(&site.url("/team/import")).await;
    b.assert_accessible("import form").await;
    b.close().await;
}

#[tokio::test]
async fn the_public_directory_of_actors() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.goto(&site.url("/")).await;
    b.nav_to("/annuaire").await;
    b.assert_accessible("public directory").await;
    b.fill("#f-q", "mediatheque").await;
    b.submit("form.filters button[type=submit]").await;
    assert!(b.html().await.contains("Médiathèque"));
    b.click_to(".card h2 a", "/annuaire/").await;
    b.assert_accessible("public actor page").await;
    b.close().await;
}
