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

/// The bilan PDF read back by another program: the word boxes poppler's
/// `pdftotext -bbox` finds on each page of the past festival's bilan, in
/// French and in English, never meet (the tables are laid out by their
/// content; nothing prints over anything).
#[tokio::test]
async fn no_two_words_of_the_bilan_pdf_overlap_as_pdftotext_reads_it() {
    use maillage_reports::output::{Format, render};
    let site = Site::start().await;
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(site.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .unwrap();
    let bilan = maillage_reports::bilan::of_project(site.db.conn(), past, maillage_db::now())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for locale in maillage_domain::Locale::ALL {
        let pdf = dir.path().join(format!("bilan-{}.pdf", locale.as_str()));
        std::fs::write(&pdf, render(&bilan, Format::Pdf, locale).unwrap()).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg("-bbox")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (Debian's poppler-utils) is installed");
        assert!(out.status.success());
        let xhtml = String::from_utf8(out.stdout).unwrap();
        let pages: Vec<Vec<([f64; 4], String)>> =
            xhtml.split("<page ").skip(1).map(words).collect();
        assert!(pages.len() > 5, "{locale:?}: {} pages", pages.len());
        let all: usize = pages.iter().map(Vec::len).sum();
        assert!(all > 1000, "{locale:?}: {all} words");
        for (n, page) in pages.iter().enumerate() {
            for (i, (a, wa)) in page.iter().enumerate() {
                for (b, wb) in &page[i + 1..] {
                    let w = a[2].min(b[2]) - a[0].max(b[0]);
                    let h = a[3].min(b[3]) - a[1].max(b[1]);
                    assert!(
                        w <= 0.0 || h <= 0.0,
                        "{locale:?}, page {}: «{wa}» {a:?} and «{wb}» {b:?} overlap",
                        n + 1
                    );
                }
            }
        }
    }
}

/// The words of one page of `pdftotext -bbox`'s output, with their boxes
/// (left, top, right, bottom).
fn words(page: &str) -> Vec<([f64; 4], String)> {
    page.split("<word ")
        .skip(1)
        .filter_map(|w| {
            let (attrs, rest) = w.split_once('>')?;
            let text = rest.split('<').next()?.to_owned();
            let mut v = [0.0; 4];
            for (i, name) in ["xMin", "yMin", "xMax", "yMax"].iter().enumerate() {
                let start = attrs.find(&format!("{name}=\""))? + name.len() + 2;
                let end = start + attrs[start..].find('"')?;
                v[i] = attrs[start..end].parse().ok()?;
            }
            Some((v, text))
        })
        .collect()
}
