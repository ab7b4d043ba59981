//! The public programme in the browser, as a visitor uses it: from the home
//! page to the Space Buzz programme, filtered to planetarium sessions for
//! collège classes in Le Pont-de-Claix, then an activity page — with and
//! without JavaScript, in French and in English; axe-core on every page.

use maillage_e2e::{Browser, Site};

struct Words {
    search: &'static str,
    commune: &'static str,
    activity_check: &'static str,
}

async fn find_a_planetarium_for_a_class(b: &Browser, site: &Site, axe: bool, w: &Words) {
    // Home → the Space Buzz programme: one click.
    let href = b.link_with_text("Space Buzz 20").await;
    b.click_to(&format!("main a[href='{href}']"), &href).await;
    if axe {
        b.assert_accessible("Space Buzz programme").await;
    }
    // The filters: text, commune, school level; one submit.
    b.fill("#f-q", w.search).await;
    b.fill("#f-commune", w.commune).await;
    b.click("#f-level option[value=college]").await;
    b.submit("form.programme-filters button[type=submit]").await;
    let path = b.path().await;
    assert!(path.contains("level=college"), "shareable URL: {path}");
    assert!(path.contains("q="), "shareable URL: {path}");
    let found = b.texts("main .activity-card h2 a").await;
    assert!(!found.is_empty(), "no result for {path}");
    assert!(
        found
            .iter()
            .any(|t| t.to_lowercase().contains("planétarium")),
        "planetarium activities found: {found:?}"
    );
    if axe {
        b.assert_accessible("filtered programme").await;
    }
    // A planetarium session: its page says where and for whom.
    let title = found
        .iter()
        .find(|t| t.to_lowercase().contains("planétarium"))
        .unwrap();
    let href = b.link_with_text(title.split('\'').next().unwrap()).await;
    b.click_to(&format!("main a[href='{href}']"), &href).await;
    let page = b.html().await;
    assert!(page.contains("Le Pont-de-Claix"), "venue's commune shown");
    assert!(page.to_lowercase().contains("planétarium"));
    assert!(page.contains(w.activity_check), "{}", w.activity_check);
    assert!(
        page.contains("rel=\"alternate\" type=\"text/calendar\""),
        "iCal feed linked"
    );
    assert!(page.contains("application/ld+json"), "JSON-LD");
    if axe {
        b.assert_accessible("activity page").await;
    }
    // The same search is a link anyone can share.
    b.goto(&site.url(&path)).await;
    assert_eq!(b.texts("main .activity-card h2 a").await, found);
}

const FR: Words = Words {
    search: "planétarium",
    commune: "Le Pont-de-Claix",
    activity_check: "Collège",
};
const EN: Words = Words {
    search: "planetarium",
    commune: "pont de claix",
    activity_check: "Middle school",
};

#[tokio::test]
async fn a_class_finds_a_planetarium_session_with_javascript_in_french_and_english() {
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.goto(&site.url("/")).await;
    b.assert_accessible("home").await;
    find_a_planetarium_for_a_class(&b, &site, true, &FR).await;
    b.goto(&site.url("/")).await;
    b.submit("a.lang-switch").await;
    assert_eq!(
        b.lang().await,
        "en",
        "the switch link turns the site to English"
    );
    b.assert_accessible("home in English").await;
    find_a_planetarium_for_a_class(&b, &site, true, &EN).await;
    b.close().await;
}

#[tokio::test]
async fn a_class_finds_a_planetarium_session_without_javascript_in_french_and_english() {
    let site = Site::start().await;
    let b = Browser::launch(false).await;
    b.goto(&site.url("/")).await;
    find_a_planetarium_for_a_class(&b, &site, false, &FR).await;
    b.goto(&site.url("/")).await;
    b.submit("a.lang-switch").await;
    assert_eq!(b.lang().await, "en");
    find_a_planetarium_for_a_class(&b, &site, false, &EN).await;
    b.close().await;
}

/// The team's programme editor: every page of the flow passes axe-core, and
/// a mistake in the activity form is shown beside the field.
#[tokio::test]
async fn staff_edit_the_programme_and_read_the_planning() {
    use maillage_domain::Role;
    let site = Site::start().await;
    let b = Browser::launch(true).await;
    b.login(&site, Role::Staff).await;
    b.nav_to("/team/programme").await;
    b.assert_accessible("team programme: projects").await;
    let href = b.link_with_text("Space Buzz 20").await;
    b.click_to(&format!("main a[href='{href}']"), &href).await;
    b.assert_accessible("team programme: a project").await;
    let activity = b.link_with_text("Planétarium").await;
    b.click_to(&format!("main a[href='{activity}']"), &activity)
        .await;
    b.assert_accessible("team programme: an activity").await;
    b.goto(&site.url(&format!("{activity}/edit"))).await;
    b.assert_accessible("activity form").await;
    b.fill("#f-title", "").await;
    b.submit("form.form button[type=submit]").await;
    assert!(
        b.html().await.contains("id=\"f-title-error\""),
        "the error is beside the title"
    );
    b.assert_accessible("activity form with an error").await;
    b.goto(&site.url(&format!("{activity}/image"))).await;
    b.assert_accessible("image form").await;
    b.goto(&site.url("/team/programme/planning")).await;
    b.assert_accessible("planning: venues").await;
    let planning = b.link_with_text("Cosmocité").await;
    b.click_to(&format!("main a[href='{planning}']"), &planning)
        .await;
    b.assert_accessible("planning: a venue's week").await;
    b.close().await;
}
