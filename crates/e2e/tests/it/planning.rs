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
    js.goto(&site.url(&plan)).await;
    js.assert_accessible("the festival's plan").await;
    // A task taken from the plan is in "my tasks".
    js.click_to("tbody tr:last-child form[action$='/take'] button", &plan)
        .await;
    js.nav_to("/team/tasks").await;
    let mine = js.texts("main ul.task-list li").await;
    assert_eq!(mine.len(), 1, "{mine:?}");
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
