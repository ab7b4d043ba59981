//! A partner completes an accepted proposal on a phone: from the partner
//! space to the draft the call made, a session added in another commune,
//! handed over to the team; the team finds it in its inbox, to publish.
//! Without JavaScript, then with it for axe-core on each page.

use maillage_domain::Role;
use maillage_e2e::{Browser, Site};

async fn complete(b: &Browser, site: &Site, axe: bool) {
    b.resize(390, 844).await;
    b.login(site, Role::Partner).await;
    b.goto(&site.url("/partner")).await;
    assert!(b.fits_width().await, "the partner space fits a phone");
    let href = b.link_with_text("Énigmes et petites expériences").await;
    b.click_to(&format!("main a[href='{href}']"), &href).await;
    let html = b.html().await;
    assert!(
        html.contains("Échirolles") && html.contains("Fontaine"),
        "{html}"
    );
    if axe {
        b.assert_accessible("partner activity").await;
    }
    // A session with its end before its start: said beside the field.
    b.set("#f-date", "2027-10-09").await;
    b.set("#f-start", "15:00").await;
    b.set("#f-end", "14:00").await;
    b.fill("#f-place", "Médiathèque Jules-Verne").await;
    b.fill("#f-commune", "Vif").await;
    b.submit("form[action$='/sessions'] button[type=submit]")
        .await;
    assert!(b.html().await.contains("id=\"f-end-error\""));
    if axe {
        b.assert_accessible("partner activity with errors").await;
    }
    b.set("#f-end", "16:30").await;
    b.click_to("form[action$='/sessions'] button[type=submit]", &href)
        .await;
    let html = b.html().await;
    assert!(html.contains("Médiathèque Jules-Verne — Vif"), "{html}");
    assert!(b.fits_width().await);
    b.click_to("form[action$='/submit'] button[type=submit]", &href)
        .await;
    assert!(b.html().await.contains("entre les mains de l"));
    if axe {
        b.assert_accessible("partner activity handed over").await;
    }
}

#[tokio::test]
async fn a_partner_completes_an_accepted_proposal_on_a_phone() {
    let site = Site::start().await;
    let b = Browser::launch(false).await;
    complete(&b, &site, false).await;
    b.close().await;
    // The team's inbox lists it, to publish.
    let staff = Browser::launch(true).await;
    staff.login(&site, Role::Staff).await;
    staff.goto(&site.url("/team")).await;
    let href = staff.link_with_text("Énigmes et petites expériences").await;
    assert!(href.starts_with("/team/programme/activities/"), "{href}");
    staff
        .assert_accessible("team inbox with an activity to publish")
        .await;
    staff.close().await;
    // A second site for the JavaScript pass (the first draft is handed over).
    let site = Site::start().await;
    let js = Browser::launch(true).await;
    complete(&js, &site, true).await;
    js.close().await;
}
