//! Conditional requests, and the shape the checks rely on.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use maillage_db::now;
use maillage_db::programme::activities::{self};
use maillage_domain::programme::ActivityStatus;
use serde_json::Value;

#[tokio::test]
async fn unchanged_answers_revalidate_with_etag_and_last_modified() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let path = "/api/v1/activities";
    let url = "/api/v1/activities?project=fds-2025";
    let first = c.get(url).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), "public, max-age=60");
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(DateTime::parse_from_rfc2822(first.header("last-modified")).is_ok());

    let with = |name: &str, value: &str| {
        let mut c = app.client();
        c.headers.push((name.into(), value.into()));
        c
    };
    for inm in [etag.clone(), format!("\"other\", {etag}"), "*".into()] {
        let r = with("if-none-match", &inm).get(url).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "If-None-Match: {inm}");
        assert_eq!(r.header("etag"), etag);
        doc.check(path, &r);
    }
    let r = with("if-none-match", "\"other\"").get(url).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = with("if-none-match", &etag)
        .get("/api/v1/activities?project=fds-2025&level=college")
        .await;
    assert_eq!(r.status, StatusCode::OK, "a validator is for one request");
    let r = with("if-none-match", "*")
        .get("/api/v1/activities/999999")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "`*` needs a resource");
    let r = with("if-none-match", &etag)
        .get("/api/v1/activities?level=licence")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.header("etag").is_empty(), "no validator on errors");
    let other = app.second_instance();
    let mut c2 = app.client();
    c2.app = other;
    c2.headers.push(("if-none-match".into(), etag.clone()));
    assert_eq!(
        c2.get(url).await.status,
        StatusCode::NOT_MODIFIED,
        "every instance makes the same validator"
    );

    // Last-Modified: a second later it is settled, and answers If-Modified-Since.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = c.get(url).await;
    let lm = r.header("last-modified").to_owned();
    let lm_time = DateTime::parse_from_rfc2822(&lm)
        .unwrap()
        .with_timezone(&Utc);
    assert!(lm_time <= Utc::now());
    let r = with("if-modified-since", &lm).get(url).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_MODIFIED,
        "If-Modified-Since: {lm}"
    );
    doc.check(path, &r);
    let day_before = (lm_time - Duration::days(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    assert_eq!(
        with("if-modified-since", &day_before).get(url).await.status,
        StatusCode::OK
    );
    let tomorrow = (Utc::now() + Duration::days(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    assert_eq!(
        with("if-modified-since", &tomorrow).get(url).await.status,
        StatusCode::OK,
        "a date in the future is ignored"
    );
    assert_eq!(
        with("if-modified-since", "yesterday").get(url).await.status,
        StatusCode::OK
    );
    let mut both = with("if-modified-since", &lm);
    both.headers
        .push(("if-none-match".into(), "\"other\"".into()));
    assert_eq!(
        both.get(url).await.status,
        StatusCode::OK,
        "If-None-Match wins over If-Modified-Since"
    );

    // A change of the programme: old validators get the new answer.
    let tx = app.db.write().await.unwrap();
    activities::set_status(&tx, &[d.draft], ActivityStatus::Published, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = with("if-none-match", &etag).get(url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.header("etag"), etag);
    assert!(
        ids(&r.json()).contains(&d.draft),
        "not served from the cache"
    );
    let r = with("if-modified-since", &lm).get(url).await;
    assert_eq!(r.status, StatusCode::OK, "changed since {lm}");
    let new_lm = DateTime::parse_from_rfc2822(r.header("last-modified")).unwrap();
    assert!(new_lm >= lm_time);
    // Every programme route carries validators (but a session, whose
    // booking figures change with every booking).
    for url in [
        "/api/v1/projects".to_owned(),
        "/api/v1/projects/fds-2025".into(),
        format!("/api/v1/activities/{}", d.planetarium),
        "/api/v1/venues".into(),
        format!("/api/v1/venues/{}", d.cosmocite),
    ] {
        let r = c.get(&url).await;
        let etag = r.header("etag").to_owned();
        assert!(
            !etag.is_empty() && !r.header("last-modified").is_empty(),
            "{url}"
        );
        let r = with("if-none-match", &etag).get(&url).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{url}");
    }
}

#[tokio::test]
async fn activities_have_the_shape_the_checks_use() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let url = format!(
        "/api/v1/activities?project=fds-2025&q={}&commune=38317&audience=school&level=college&from=2025-10-20&to=2025-10-31",
        enc("planétarium")
    );
    let r = c.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/json");
    let v = r.json();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let a = &items[0];
    assert_eq!(a["id"], d.planetarium);
    assert_eq!(a["slug"], "voyage-planetarium");
    assert_eq!(a["title"], "Voyage au planétarium");
    assert_eq!(
        a["url"],
        "http://localhost:8080/p/fds-2025/a/voyage-planetarium"
    );
    assert_eq!(a["venue"]["commune"]["insee"], "38317");
    let sessions = a["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    for s in sessions {
        assert!(s["id"].as_i64().is_some());
        for k in ["starts_at", "ends_at"] {
            DateTime::parse_from_rfc3339(s[k].as_str().unwrap()).unwrap();
        }
        assert!(s["capacity"].as_i64().is_some());
    }
    assert!(v.get("next").is_some_and(Value::is_null));
    // Each filter narrows: elsewhere, for other levels, on other days.
    for other in [
        "commune=38185",
        "level=maternelle",
        "from=2025-10-01&to=2025-10-05",
        "audience=professionals",
    ] {
        let v = c
            .get(&format!(
                "/api/v1/activities?project=fds-2025&q=planetarium&{other}"
            ))
            .await
            .json();
        assert!(v["items"].as_array().unwrap().is_empty(), "{other}: {v}");
    }
    let p = c.get("/api/v1/projects").await.json();
    let first = &p["items"][0];
    assert_eq!(first["slug"], "fds-2025");
    assert_eq!(first["kind"], "festival");
    assert_eq!(first["starts_on"], "2025-10-03");
    assert!(first["name"].is_string());
}
