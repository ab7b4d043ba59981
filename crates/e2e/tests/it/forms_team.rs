//! The team's side of forms in the browser, without JavaScript: reviewing
//! a proposal to the Fête de la science call (internal comment, scores
//! per criterion with their weighted average, status change, a decision
//! staged then sent in one batch), reading a questionnaire's results, and
//! building a questionnaire (a field refused then added, the preview).
//! Then axe-core (WCAG 2.1 AA) on each of those pages.

use maillage_db::demo::forms::PARTICIPATION_CALL;
use maillage_db::forms::{calls, submissions};
use maillage_domain::Role;
use maillage_domain::forms::review::Status;
use maillage_e2e::{Browser, Site};

#[tokio::test]
async fn staff_review_a_proposal_and_send_the_decision_in_a_batch() {
    let site = Site::start().await;
    let c = site.db.conn();
    let call = calls::find_by_slug(c, PARTICIPATION_CALL)
        .await
        .unwrap()
        .unwrap();
    let criteria = calls::criteria(c, call.id).await.unwrap();
    assert_eq!(
        criteria.len(),
        3,
        "the demo call is scored on three criteria"
    );

    let b = Browser::launch(false).await;
    b.login(&site, Role::Staff).await;
    b.goto(&site.url("/team/calls")).await;
    let list = format!("/team/calls/{}/submissions", call.id);
    b.click_to(&format!("main a[href='{list}']"), &list).await;
    // Only the proposals waiting for a first look.
    b.click("#f-status option[value=submitted]").await;
    b.click_to(
        "form.filters button[type=submit]",
        &format!("{list}?status=submitted"),
    )
    .await;
    let rows = b.texts("main tbody tr").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("Inès Morel"), "{rows:?}");
    b.click_to("main tbody a", "/team/submissions/").await;
    let page = b.path().await;
    let id: i64 = page
        .trim_start_matches("/team/submissions/")
        .parse()
        .unwrap();
    assert!(b.text("h1").await.contains("Inès Morel"));

    // An internal comment, kept in the history.
    b.fill("#f-comment", "Vérifier l'assurance du matériel de chimie.")
        .await;
    b.click_to("form[action$='/comment'] button", &page).await;
    assert!(
        b.text("ol.history")
            .await
            .contains("Vérifier l'assurance du matériel de chimie.")
    );

    // Scores per criterion (the browser itself holds back a score out of
    // range: the fields say 0 to 5).
    let ids: Vec<String> = criteria
        .iter()
        .map(|k| format!("#f-score-{}", k.id))
        .collect();
    b.fill(&ids[0], "4").await;
    b.fill(&ids[1], "3").await;
    b.fill(&ids[2], "5").await;
    b.click_to("form[action$='/scores'] button", &page).await;
    assert_eq!(b.client_value(&ids[1]).await, "3", "the scores are shown");
    // (4×2 + 3×2 + 5×1) / 5
    assert!(
        b.text("tfoot").await.contains("3,80"),
        "{}",
        b.text("tfoot").await
    );

    // Under review, then the acceptance staged: nothing sent yet.
    b.click_to("button[name=to][value=under_review]", &page)
        .await;
    assert!(b.text("dl.facts").await.contains("En cours d'examen"));
    b.click("#f-decision option[value=accepted]").await;
    b.fill("#f-stage_message", "Bienvenue dans le programme !")
        .await;
    b.click_to("form[action$='/stage'] button", &page).await;
    let s = submissions::find(c, id).await.unwrap().unwrap();
    assert_eq!(s.status, Status::UnderReview);

    // The batch: every staged decision goes out at once.
    b.goto(&site.url(&list)).await;
    b.click_to("form[action$='/send'] button", &list).await;
    let s = submissions::find(c, id).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Accepted);
    b.goto(&site.url(&page)).await;
    assert!(b.text("dl.facts").await.contains("Acceptée"));
    b.close().await;

    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url("/team/calls")).await;
    js.assert_accessible("calls").await;
    js.goto(&site.url(&list)).await;
    js.assert_accessible("submissions").await;
    js.goto(&site.url(&page)).await;
    js.assert_accessible("submission").await;
    js.goto(&site.url("/team/calls/person")).await;
    assert!(js.html().await.contains("Candidatures d'une personne"));
    js.assert_accessible("a person's applications").await;
    js.close().await;
}

#[tokio::test]
async fn staff_read_questionnaire_results_and_build_a_questionnaire() {
    let site = Site::start().await;
    let b = Browser::launch(false).await;
    b.login(&site, Role::Staff).await;

    b.goto(&site.url("/team/questionnaires")).await;
    b.click_to("main th a", "/team/questionnaires/").await;
    let results = b.path().await;
    let html = b.html().await;
    assert!(
        html.contains("<svg"),
        "the charts are drawn without JavaScript"
    );
    assert!(html.contains("<table"), "each chart has its table");

    b.goto(&site.url("/team/forms/new")).await;
    b.fill("#fs-title", "Votre avis sur la nuit des étoiles")
        .await;
    b.click("#fs-purpose option[value=questionnaire]").await;
    b.click("#fs-audience option[value=public]").await;
    b.click_to("#fs p.actions button", "/team/forms/").await;
    let builder = b.path().await;
    let id: i64 = builder
        .trim_start_matches("/team/forms/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // A choice with no options is refused, the label kept.
    b.click("#af-kind option[value=single_choice]").await;
    b.fill("#af-label", "Reviendrez-vous ?").await;
    b.submit("#af p.actions button").await;
    assert!(b.html().await.contains("id=\"af-options-error\""));
    assert_eq!(b.client_value("#af-label").await, "Reviendrez-vous ?");
    b.fill("#af-options", "Oui\nPeut-être\nNon").await;
    b.click_to("#af p.actions button", &format!("/team/forms/{id}"))
        .await;
    assert!(b.text("main").await.contains("Reviendrez-vous ?"));

    let preview = format!("/team/forms/{id}/preview");
    b.click_to(&format!("main a[href='{preview}']"), &preview)
        .await;
    let html = b.html().await;
    assert!(html.contains("Reviendrez-vous ?"), "{html}");
    assert!(html.contains("Peut-être"));
    b.close().await;

    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url(&results)).await;
    js.assert_accessible("questionnaire results").await;
    js.goto(&site.url(&format!("{results}/liens"))).await;
    assert!(js.html().await.contains("Liens personnels"));
    js.assert_accessible("personal links").await;
    js.goto(&site.url(&format!("/team/forms/{id}"))).await;
    js.assert_accessible("form builder").await;
    js.goto(&site.url(&preview)).await;
    js.assert_accessible("form preview").await;
    js.close().await;
}
