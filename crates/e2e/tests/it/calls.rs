//! Answering the Fête de la science call in the browser: the demo partner
//! goes from their space to the call, answers with their login (no name or
//! address asked, their organisation named) over the form's three pages,
//! two sessions in two communes,
//! without JavaScript, and gets the thanks page with a summary; axe-core
//! (WCAG 2.1 AA) on the form, the form with errors and the thanks page.

use maillage_db::demo::forms::PARTICIPATION_CALL;
use maillage_domain::Role;
use maillage_e2e::{Browser, Site};

async fn answer(b: &Browser, site: &Site, check: bool) {
    b.login(site, Role::Partner).await;
    b.goto(&site.url("/partner")).await;
    let call = format!("/appel/{PARTICIPATION_CALL}");
    b.click_to(&format!("main a[href='{call}']"), &call).await;
    let start = format!("{call}/repondre");
    b.click_to(&format!("main a[href='{start}']"), &start).await;
    let html = b.html().await;
    assert!(html.contains("Les Petits Débrouillards"), "{html}");
    assert!(!html.contains("name=\"_email\""));
    if check {
        b.assert_accessible("call form, first page").await;
    }
    // Sent on without the required answers: messages beside the fields,
    // each named in the summary.
    b.fill("#f-title", "Le ciel à l'œil nu").await;
    b.submit("button[value=next]").await;
    let html = b.html().await;
    assert!(html.contains("error-summary"), "{html}");
    assert!(html.contains("id=\"f-summary-error\""));
    assert!(
        html.contains("Résumé (une ou deux phrases)&nbsp;: "),
        "{html}"
    );
    if check {
        b.assert_accessible("call form with errors").await;
    }
    b.fill("#f-summary", "Observer les étoiles sans instrument.")
        .await;
    b.fill(
        "#f-description",
        "Une soirée d'observation, cartes du ciel fournies.",
    )
    .await;
    b.click("input[name=format][value=workshop]").await;
    b.click("input[name=audience][value=families]").await;
    b.click_to("button[value=next]", &format!("{start}?page=1"))
        .await;
    assert!(b.html().await.contains("Étape 2 sur 3"));
    b.click("input[name=registration][value=booking]").await;
    b.fill("#f-capacity", "25").await;
    b.click_to("button[value=next]", &format!("{start}?page=2"))
        .await;
    // Two sessions in two communes.
    b.set("#f-session1_date", "2027-10-09").await;
    b.set("#f-session1_start", "20:30").await;
    b.set("#f-session1_end", "22:30").await;
    b.fill("#f-session1_place", "Col de Porte").await;
    b.fill("#f-session1_commune", "Sarcenas").await;
    b.set("#f-session2_date", "2027-10-10").await;
    b.set("#f-session2_start", "20:30").await;
    b.fill("#f-session2_commune", "Fontaine (38600)").await;
    if check {
        b.assert_accessible("call form, sessions").await;
    }
    b.click_to("button[value=submit]", &format!("{call}/merci/"))
        .await;
    assert!(b.text("h1").await.contains("Merci"));
    let html = b.html().await;
    assert!(html.contains("Le ciel à l'œil nu") || html.contains("Le ciel à l&#39;œil nu"));
    if check {
        b.assert_accessible("call thanks").await;
    }
}

#[tokio::test]
async fn a_partner_answers_the_festival_call_without_javascript() {
    let site = Site::start().await;
    let b = Browser::launch(false).await;
    answer(&b, &site, false).await;
    b.close().await;
    // With JavaScript, for axe-core: a second proposal, checked page by page.
    let js = Browser::launch(true).await;
    answer(&js, &site, true).await;
    js.close().await;
}
