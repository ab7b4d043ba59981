//! The programme page: filters with shareable URLs, pages.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::now;
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::paris;
use maillage_domain::programme::{ActivityStatus, Format, SessionStatus};

#[tokio::test]
async fn the_programme_page_filters_with_shareable_urls() {
    let app = TestApp::new().await;
    season(&app).await;
    let mut c = app.client();

    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("href=\"/p/fds-2025\""),
        "home lists the project"
    );
    assert!(!home.body.contains("/p/secret"), "not the draft project");

    let all = c.get("/p/fds-2025").await;
    assert_eq!(all.status, StatusCode::OK);
    let t = titles(&all.body);
    assert!(t.iter().any(|x| x.contains("planétarium")), "{t:?}");
    assert!(t.iter().any(|x| x.contains("trous noirs")), "{t:?}");
    assert!(
        t.iter().any(|x| x.contains("Ciné-débat")),
        "cancelled activities stay listed"
    );
    assert!(
        !all.body.contains("Atelier robots"),
        "drafts are not public"
    );
    assert!(
        all.body.contains("<strong>science</strong>"),
        "project description as Markdown"
    );

    // A visitor types the commune's name and picks the school level.
    let r = c
        .get("/p/fds-2025?commune=Le+Pont-de-Claix&level=college")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(titles(&r.body), ["Voyage au planétarium"]);
    assert!(
        r.body.contains("value=\"Le Pont-de-Claix\""),
        "the filter stays in the form"
    );
    assert!(
        r.body.contains(
            "href=\"/p/fds-2025/programme.ics?commune=Le%20Pont-de-Claix&#38;level=college\""
        ),
        "the calendar feed follows the filters"
    );
    // The same by INSEE code, and accent- and case-insensitive text search.
    for url in [
        "/p/fds-2025?commune=38317",
        "/p/fds-2025?q=PLANETARIUM",
        "/p/fds-2025?q=plan%C3%A9t",
        "/p/fds-2025?q=etoiles+automne",
        "/p/fds-2025?format=planetarium&audience=school",
        "/p/fds-2025?from=2025-10-27&to=2025-10-27",
        "/p/fds-2025?free=1&theme=astronomy",
    ] {
        let r = c.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        assert_eq!(titles(&r.body), ["Voyage au planétarium"], "{url}");
    }
    let r = c.get("/p/fds-2025?commune=38185&registration=1").await;
    assert_eq!(titles(&r.body), ["Conférence : les trous noirs"]);
    let r = c.get("/p/fds-2025?q=robots").await;
    assert!(titles(&r.body).is_empty(), "a draft is not found by search");
    let r = c.get("/p/fds-2025?level=lycee").await;
    assert!(titles(&r.body).is_empty());

    // Bad values: a message next to the field, what was typed kept.
    let r = c
        .get("/p/fds-2025?commune=Atlantis&level=licence&from=2025-13-01")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Atlantis\""), "{}", r.body);
    assert!(r.body.contains("id=\"f-commune-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("value=\"2025-13-01\""));
    let r = c.get("/p/fds-2025?from=2025-10-20&to=2025-10-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Unknown projects and drafts are not found.
    assert_eq!(c.get("/p/nope").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/p/secret").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get("/p/fds-2025/a/robots").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_are_paginated_and_page_links_keep_the_filters() {
    let app = TestApp::new().await;
    season(&app).await;
    let p = projects::find_by_slug(app.db.conn(), "fds-2025")
        .await
        .unwrap()
        .unwrap();
    let tx = app.db.write().await.unwrap();
    for i in 0..45 {
        let a = activities::insert(
            &tx,
            &ActivityData {
                project_id: p.id,
                slug: format!("expo-{i:02}"),
                title: format!("Exposition {i:02}"),
                format: Some(Format::Exhibition),
                status: Some(ActivityStatus::Published),
                ..Default::default()
            },
            now(),
        )
        .await
        .unwrap();
        sessions::insert(
            &tx,
            a.id,
            &SessionData {
                starts_at: paris(2025, 10, 5, 9, i),
                ends_at: paris(2025, 10, 5, 18, 0),
                capacity: None,
                status: SessionStatus::Scheduled,
                venue_id: None,
            },
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.client();
    let mut seen = Vec::new();
    let mut url = "/p/fds-2025?format=exhibition".to_owned();
    for _ in 0..5 {
        let r = c.get(&url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        seen.extend(titles(&r.body));
        match r.body.split("rel=\"next\"").next().and_then(|before| {
            before.rfind("href=\"").map(|i| {
                before[i + 6..]
                    .split('"')
                    .next()
                    .unwrap()
                    .replace("&#38;", "&")
            })
        }) {
            Some(next) if r.body.contains("rel=\"next\"") => {
                assert!(next.contains("format=exhibition"), "{next}");
                url = next;
            }
            _ => break,
        }
    }
    let expected: Vec<String> = (0..45).map(|i| format!("Exposition {i:02}")).collect();
    assert_eq!(seen, expected, "every page once, in order of first session");
}

#[tokio::test]
async fn publishing_shows_at_once_and_unchanged_pages_revalidate() {
    let app = TestApp::new().await;
    let s = season(&app).await;
    let mut c = app.client();
    let first = c.get("/p/fds-2025?format=workshop").await;
    assert!(titles(&first.body).is_empty());
    let etag = first.header("etag").to_owned();
    assert!(!etag.is_empty());
    assert!(first.header("vary").contains("Accept-Language"));
    assert_eq!(
        first.header("set-cookie"),
        "",
        "a page shared caches keep sets no cookie"
    );
    c.headers.push(("if-none-match".into(), etag.clone()));
    let again = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // The same address in English is another page: the French validator
    // must not keep the French copy.
    c.headers.push(("accept-language".into(), "en".into()));
    let english = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(
        english.status,
        StatusCode::OK,
        "not a 304 for another language"
    );
    assert!(english.body.contains("lang=\"en\""));
    assert_ne!(english.header("etag"), etag);
    c.headers.clear();

    let tx = app.db.write().await.unwrap();
    activities::set_status(&tx, &[s.draft], ActivityStatus::Published, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(
        titles(&after.body),
        ["Atelier robots"],
        "the cached page is not served"
    );
    assert_ne!(after.header("etag"), etag);
    c.headers.push(("if-none-match".into(), etag));
    assert_eq!(
        c.get("/p/fds-2025?format=workshop").await.status,
        StatusCode::OK,
        "an old validator gets the new page"
    );
    assert_eq!(c.get("/p/fds-2025/a/robots").await.status, StatusCode::OK);
}
