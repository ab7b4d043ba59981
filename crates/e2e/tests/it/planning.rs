//! The next festival's plan in the browser: staff open it from the
//! project's page, read the late tasks, mark one done without JavaScript,
//! take a task and find it in "my tasks", then the team's week from there;
//! axe-core (WCAG 2.1 AA) on the plan and the week at desktop and phone
//! widths and on my tasks.

use maillage_db::programme::projects;
use maillage_domain::Role;
use maillage_domain::programme::ProjectKind;
use maillage_e2e::{Browser, PHONE_WIDTH, Site};

#[tokio::test]
async fn staff_read_the_festival_plan_and_mark_a_late_task_done() {
    let site = Site::start().await;
    let today = chrono::Utc::now().date_naive();
    let next = projects::of_kind(site.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.data.starts_on > today)
        .min_by_key(|p| p.data.starts_on)
        .unwrap();
    let plan = format!("/team/projects/{}/plan", next.id);

    let b = Browser::launch(false).await;
    b.login(&site, Role::Staff).await;
    b.goto(&site.url(&format!("/team/programme/projects/{}", next.id)))
        .await;
    b.click_to(&format!("main a[href='{plan}']"), &plan).await;
    assert!(b.html().await.contains(r#"role="img""#));
    let late = b.texts("tr.late th[scope=row]").await;
    assert!(!late.is_empty());
    let before = late.len();
    // The team's week shows them as late, in words.
    b.goto(&site.url("/team/tasks/week")).await;
    assert!(b.texts("main li.late .badge.late").await.len() >= before);
    b.goto(&site.url(&plan)).await;
    // The first late task, done.
    b.set("tr.late select", "done").await;
    b.click_to("tr.late form[action$='/status'] button", &plan)
        .await;
    assert_eq!(b.texts("tr.late th[scope=row]").await.len(), before - 1);
    b.close().await;

    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url("/team/tasks")).await;
    let before = js.texts("main ul.task-list li").await.len();
    js.goto(&site.url(&plan)).await;
    js.assert_accessible("the festival's plan").await;
    // A task taken from the plan is in "my tasks" (the demo's coordinator
    // has some already).
    js.click_to("tbody tr:last-child form[action$='/take'] button", &plan)
        .await;
    js.nav_to("/team/tasks").await;
    let mine = js.texts("main ul.task-list li").await;
    assert_eq!(mine.len(), before + 1, "{mine:?}");
    js.assert_accessible("my tasks").await;
    // The team's week, linked from my tasks.
    js.click_to("main a[href='/team/tasks/week']", "/team/tasks/week")
        .await;
    js.assert_accessible("the team's week").await;
    js.resize(PHONE_WIDTH, 844).await;
    js.goto(&site.url(&plan)).await;
    js.assert_accessible("the festival's plan on a phone").await;
    assert!(js.overflowing().await.is_empty());
    js.goto(&site.url("/team/tasks/week?week=2000-W99")).await;
    assert!(!js.texts("#f-week-error").await.is_empty());
    js.assert_accessible("the team's week on a phone, a bad week typed")
        .await;
    assert!(js.overflowing().await.is_empty());
    js.quit().await;
}

/// The steering committee's next meeting: staff open it from the plan,
/// write an item's minutes with an action for the intern without
/// JavaScript, and the intern finds it in "my tasks"; axe-core on the
/// meeting page at desktop and phone widths, open actions carried.
#[tokio::test]
async fn staff_write_minutes_whose_action_reaches_the_intern() {
    use maillage_db::planning::meetings;
    let site = Site::start().await;
    let now = chrono::Utc::now();
    let coming = meetings::list(site.db.conn(), &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.data.starts_at > now)
        .expect("a meeting to come in the demo");
    let plan = format!("/team/projects/{}/plan", coming.data.project_id.unwrap());
    let page = format!("/team/meetings/{}", coming.id);
    let item = meetings::items(site.db.conn(), coming.id).await.unwrap()[0].id;
    let intern = maillage_db::users::find_by_email(
        site.db.conn(),
        &maillage_domain::Email::parse(&site.account(Role::Intern).email).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();

    let b = Browser::launch(false).await;
    b.login(&site, Role::Staff).await;
    b.goto(&site.url(&plan)).await;
    b.click_to(&format!("main a[href='{page}']"), &page).await;
    // Actions still open from the earlier meetings are there to take up.
    assert!(!b.texts("#carried ~ ul li").await.is_empty());
    b.click(&format!("#item-{item} summary")).await;
    b.fill(
        &format!("#minutes-{item}"),
        "Deux devis reçus, le troisième arrive.",
    )
    .await;
    b.set(&format!("#outcome-{item}"), "action").await;
    b.fill(&format!("#action_title-{item}"), "Choisir l'imprimeur")
        .await;
    b.set(&format!("#assignee-{item}"), &intern.id.to_string())
        .await;
    b.fill(&format!("#due-{item}"), "2030-01-15").await;
    b.click_to(&format!("#item-{item} form button[type=submit]"), &page)
        .await;
    assert!(
        b.html().await.contains("Choisir l&#39;imprimeur")
            || b.html().await.contains("Choisir l'imprimeur")
    );
    b.close().await;

    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url(&page)).await;
    js.assert_accessible("a meeting").await;
    js.resize(PHONE_WIDTH, 844).await;
    js.goto(&site.url(&page)).await;
    js.assert_accessible("a meeting on a phone").await;
    assert!(
        js.overflowing().await.is_empty(),
        "{:?}",
        js.overflowing().await
    );
    js.quit().await;

    let i = Browser::launch(false).await;
    i.login(&site, Role::Intern).await;
    i.goto(&site.url("/team/tasks")).await;
    assert!(
        i.texts("main ul.task-list li")
            .await
            .iter()
            .any(|t| t.contains("Choisir l'imprimeur")),
        "{:?}",
        i.texts("main ul.task-list li").await
    );
    i.quit().await;
}
