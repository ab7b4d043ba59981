//! The bilan in the browser: staff go from the season dashboard to the
//! bilan of the past Fête de la science without JavaScript, read the map
//! and the communes never reached, and the PDF and workbook links; axe-core
//! (WCAG 2.1 AA) on the dashboard and the bilan.

use maillage_db::programme::projects;
use maillage_domain::Role;
use maillage_domain::programme::ProjectKind;
use maillage_e2e::{Browser, Site};

#[tokio::test]
async fn staff_open_the_past_festival_bilan_from_the_season_dashboard() {
    let site = Site::start().await;
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(site.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .unwrap();
    let season = {
        use chrono::Datelike;
        let d = past.data.starts_on;
        if d.month() >= 9 {
            d.year()
        } else {
            d.year() - 1
        }
    };

    let b = Browser::launch(false).await;
    b.login(&site, Role::Staff).await;
    b.goto(&site.url(&format!("/team/season?season={season}")))
        .await;
    let report = format!("/team/projects/{}/report", past.id);
    b.click_to(&format!("main a[href='{report}']"), &report)
        .await;
    assert!(b.text("h1").await.contains(&past.data.name));
    // The map is drawn without JavaScript, with its table beside it.
    assert!(b.html().await.contains("<svg"));
    let never = b.text("#never_reached").await;
    assert!(never.contains("Non touchées par cette édition"), "{never}");
    let pdf = b.link_with_text("PDF").await;
    assert_eq!(pdf, format!("/team/projects/{}/report/pdf", past.id));
    let xlsx = b.link_with_text("Classeur XLSX").await;
    assert_eq!(xlsx, format!("/team/projects/{}/report/xlsx", past.id));
    b.close().await;

    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url(&format!("/team/season?season={season}")))
        .await;
    js.assert_accessible("season dashboard").await;
    js.goto(&site.url(&report)).await;
    js.assert_accessible("bilan").await;
    js.close().await;
}
