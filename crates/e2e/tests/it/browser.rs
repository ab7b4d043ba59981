//! Main user flows in real headless Chromium, and axe-core on every page
//! they show (0 violations of WCAG 2.1 A/AA rules).

use maillage_domain::Role;
use maillage_e2e::{Browser, Site, describe};

#[tokio::test]
async fn public_pages_have_no_accessibility_violations() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    for path in [
        "/",
        "/login",
        "/password/forgot",
        "/page/that/does/not/exist",
        "/password/reset/invalid",
    ] {
        b.goto(&site.url(path)).await;
        b.assert_accessible(path).await;
    }
    // The checker itself can fail: an image without alternative text is caught.
    b.client
        .execute("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\">'); return true;", vec![])
        .await
        .unwrap();
    let caught = b.axe().await;
    assert!(
        caught.iter().any(|v| v["id"] == "image-alt"),
        "axe must report image-alt: {}",
        describe(&caught)
    );
    // A form with errors.
    b.goto(&site.url("/login")).await;
    b.submit("form.form button[type=submit]").await;
    assert!(b.html().await.contains("error-summary"));
    b.assert_accessible("login with errors").await;
    // English pages too.
    b.submit("a.lang-switch").await;
    assert!(b.html().await.contains("lang=\"en\""));
    b.assert_accessible("/login in English").await;
    b.close().await;
}

#[tokio::test]
async fn staff_signs_in_uses_the_team_space_and_signs_out() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.goto(&site.url("/team")).await;
    assert_eq!(b.path().await, "/login?next=/team");
    b.login(&site, Role::Staff).await;
    assert_eq!(b.path().await, "/team");
    assert_eq!(b.text("h1").await, "Espace équipe");
    b.assert_accessible("team dashboard").await;

    b.nav_to("/account").await;
    assert_eq!(b.path().await, "/account");
    b.assert_accessible("account").await;
    b.fill("#f-name", "Julien C.").await;
    b.submit("form[action='/account'] button[type=submit]")
        .await;
    assert!(b.text(".flash").await.contains("enregistrées"));
    assert!(b.text(".whoami").await.contains("Julien C."));

    b.nav_to("/team/tokens").await;
    b.fill("#f-name", "script d'export").await;
    b.submit("form[action='/team/tokens'] button[type=submit]")
        .await;
    assert!(b.text("code.secret").await.starts_with("mlg_"));
    b.assert_accessible("tokens").await;

    b.submit("form[action='/logout'] button").await;
    assert_eq!(b.path().await, "/");
    assert!(b.text(".flash").await.contains("déconnecté"));
    b.goto(&site.url("/team")).await;
    assert!(b.path().await.starts_with("/login"));
    b.close().await;
}

#[tokio::test]
async fn admin_invites_a_user_who_joins_from_the_email() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.login(&site, Role::Admin).await;
    b.goto(&site.url("/team/admin/users")).await;
    b.assert_accessible("users").await;
    b.click_to("a[href='/team/admin/users/new']", "/team/admin/users/new")
        .await;
    // Errors first, with what was typed kept.
    b.fill("#f-email", "pas-une-adresse").await;
    b.fill("#f-name", "Inès Invitée").await;
    b.submit("form.form button[type=submit]").await;
    assert!(b.html().await.contains("Adresse e-mail invalide"));
    assert!(b.html().await.contains("Inès Invitée"));
    b.assert_accessible("invite form with errors").await;
    b.fill("#f-email", "ines@example.org").await;
    b.submit("form.form button[type=submit]").await;
    assert!(b.text(".flash").await.contains("invitation"));
    b.assert_accessible("user page").await;

    b.goto(&site.url("/team/admin/outbox")).await;
    b.assert_accessible("outbox").await;
    b.submit("table a").await;
    let body = b.text("pre.mail-body").await;
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/password/reset/"))
        .expect("link in the e-mail")
        .to_owned();
    b.goto(&site.url("/team/admin/audit")).await;
    b.assert_accessible("audit").await;
    b.submit("form[action='/logout'] button").await;

    b.goto(&link).await;
    assert_eq!(b.text("h1").await, "Bienvenue sur Maillage");
    b.assert_accessible("invitation").await;
    b.fill("#f-password", "mon mot de passe secret").await;
    b.fill("#f-confirm", "mon mot de passe secret").await;
    b.submit("form.form button[type=submit]").await;
    assert_eq!(b.path().await, "/team");
    assert!(b.text(".whoami").await.contains("Inès Invitée"));
    b.close().await;
}

/// Every core flow works without JavaScript.
#[tokio::test]
async fn sign_in_and_out_without_javascript() {
    let site = Site::start().await;
    let b = Browser::launch(false).await;
    b.login(&site, Role::Volunteer).await;
    assert_eq!(b.path().await, "/team");
    b.goto(&site.url("/account")).await;
    b.fill("#f-name", "Malik").await;
    b.submit("form[action='/account'] button[type=submit]")
        .await;
    assert!(b.text(".flash").await.contains("enregistrées"));
    b.submit("a.lang-switch").await;
    assert_eq!(b.text("h1").await, "My account");
    b.submit("form[action='/logout'] button").await;
    assert!(b.text(".flash").await.contains("signed out"));
    b.close().await;
}

#[tokio::test]
async fn partners_are_kept_out_of_the_team_space() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.login(&site, Role::Partner).await;
    assert_eq!(b.path().await, "/partner");
    b.assert_accessible("partner space").await;
    b.goto(&site.url("/team")).await;
    assert_eq!(b.text("h1").await, "Accès refusé");
    b.assert_accessible("403 page").await;
    b.close().await;
}
