//! Cursors walk each list exactly once.

use super::*;
use crate::util::{Client, TestApp};
use axum::http::StatusCode;
use maillage_db::now;
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self};
use maillage_db::programme::sessions::{self};
use maillage_db::testing;
use maillage_db::venues::{self};
use maillage_domain::programme::{ActivityStatus, ProjectStatus};
use std::collections::BTreeSet;

/// Follows `next` from `url` to the end: the ids of every page.
async fn walk(c: &mut Client, doc: &Doc, path: &str, url: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let sep = if url.contains('?') { '&' } else { '?' };
        let page_url = match &next {
            None => url.to_owned(),
            Some(cursor) => format!("{url}{sep}cursor={}", enc(cursor)),
        };
        let r = c.get(&page_url).await;
        assert_eq!(r.status, StatusCode::OK, "{page_url}: {}", r.body);
        doc.check(path, &r);
        let v = r.json();
        let page = ids(&v);
        assert!(page.len() <= 50, "{page_url}: {} items", page.len());
        pages.push(page);
        match v["next"].as_str() {
            Some(n) => next = Some(n.to_owned()),
            None => break,
        }
        assert!(pages.len() < 50, "{url}: the cursor does not end");
    }
    pages
}

fn exactly_once(pages: &[Vec<i64>], expected: &BTreeSet<i64>, what: &str) {
    let all: Vec<i64> = pages.iter().flatten().copied().collect();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len(), "{what}: an item seen twice");
    assert_eq!(&distinct, expected, "{what}");
}

#[tokio::test]
async fn cursors_walk_every_item_exactly_once() {
    let app = TestApp::new().await;
    let tx = app.db.write().await.unwrap();
    let t = now();
    let p = projects::insert(&tx, &project_data("fds-2025", ProjectStatus::Published), t)
        .await
        .unwrap();
    let secret = projects::insert(&tx, &project_data("secret", ProjectStatus::Draft), t)
        .await
        .unwrap();
    // 60 venues, names given twice (in two communes), for ties on the name.
    let mut venue_ids = Vec::new();
    for i in 0..60 {
        let insee = if i % 2 == 0 { "38185" } else { "38317" };
        let v = venues::insert(
            &tx,
            &testing::venue(&format!("Salle {:02}", i / 2), insee),
            t,
        )
        .await
        .unwrap();
        venue_ids.push((v.id, insee));
    }
    let mut public = BTreeSet::new();
    let mut in_grenoble = BTreeSet::new();
    for i in 0..160 {
        // Every eighth is of the unpublished project, some are drafts:
        // pages are made of all of them mixed, by date.
        let (project, status) = match i % 8 {
            3 => (secret.id, ActivityStatus::Published),
            5 if i < 40 => (p.id, ActivityStatus::Draft),
            _ => (p.id, ActivityStatus::Published),
        };
        let (venue, insee) = venue_ids[i % 60];
        let a = activities::insert(
            &tx,
            &ActivityData {
                project_id: project,
                slug: format!("activite-{i}"),
                title: format!("Activité {i}"),
                status: Some(status),
                venue_id: Some(venue),
                ..Default::default()
            },
            t,
        )
        .await
        .unwrap();
        let day = u32::try_from(i % 20).unwrap() + 5;
        sessions::insert(
            &tx,
            a.id,
            &session(testing::paris(2025, 10, day, 14, 0), None),
            t,
        )
        .await
        .unwrap();
        if project == p.id && status == ActivityStatus::Published {
            public.insert(a.id);
            if insee == "38185" {
                in_grenoble.insert(a.id);
            }
        }
    }
    tx.commit().await.unwrap();
    assert!(public.len() > 120);
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;

    let pages = walk(&mut c, &doc, "/api/v1/activities", "/api/v1/activities").await;
    assert!(pages.len() >= 3, "{} pages", pages.len());
    exactly_once(&pages, &public, "activities");
    let pages = walk(
        &mut c,
        &doc,
        "/api/v1/activities",
        "/api/v1/activities?project=fds-2025&commune=38185",
    )
    .await;
    assert!(pages.len() >= 2);
    exactly_once(&pages, &in_grenoble, "activities in Grenoble");

    let pages = walk(&mut c, &doc, "/api/v1/venues", "/api/v1/venues").await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [50, 10]);
    let all: BTreeSet<i64> = venue_ids.iter().map(|v| v.0).collect();
    exactly_once(&pages, &all, "venues");
    // By name, then id for equal names.
    let mut sorted: Vec<(String, i64)> = Vec::new();
    for v in &venue_ids {
        let name = venues::find(app.db.conn(), v.0)
            .await
            .unwrap()
            .unwrap()
            .data
            .name;
        sorted.push((name, v.0));
    }
    sorted.sort();
    let order: Vec<i64> = sorted.into_iter().map(|x| x.1).collect();
    assert_eq!(pages.concat(), order);
    let pages = walk(
        &mut c,
        &doc,
        "/api/v1/venues",
        "/api/v1/venues?commune=38317",
    )
    .await;
    let expected: BTreeSet<i64> = venue_ids
        .iter()
        .filter(|v| v.1 == "38317")
        .map(|v| v.0)
        .collect();
    exactly_once(&pages, &expected, "venues in Le Pont-de-Claix");
    // A cursor of one list is refused by another.
    let r = c.get("/api/v1/activities").await;
    let cursor = r.json()["next"].as_str().unwrap().to_owned();
    let r = c.get(&format!("/api/v1/venues?cursor={cursor}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
