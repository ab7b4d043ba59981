use crate::util::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn home_is_french_by_default_and_english_on_request() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<html lang=\"fr\">"));
    assert!(r.body.contains("Aller au contenu"));
    assert!(r.header("content-type").starts_with("text/html"));

    c.headers
        .push(("accept-language".into(), "en-GB,en;q=0.9".into()));
    let r = c.get("/").await;
    assert!(r.body.contains("<html lang=\"en\">"), "Accept-Language");
    assert!(r.body.contains("Skip to content"));

    // The switch link sets a cookie that wins over Accept-Language.
    let r = c.get("/lang/fr?next=/login").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    assert!(
        r.set_cookies()
            .iter()
            .any(|s| s.starts_with("mlg_lang=fr;") && s.contains("Max-Age="))
    );
    let r = c.get("/login").await;
    assert!(r.body.contains("<html lang=\"fr\">"));
    // No open redirect.
    let r = c.get("/lang/en?next=//evil.example").await;
    assert_eq!(r.location(), "/");
    // Browsers drop a tab or a line break from an address: `/\t/evil`
    // would lead off-site.
    for next in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "/%20/evil.example",
    ] {
        let r = c.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(r.location(), "/", "{next}");
    }
    assert_eq!(c.get("/lang/de").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_have_landmarks_skip_link_and_labels() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for path in ["/", "/login", "/password/forgot"] {
        let r = c.get(path).await;
        for needle in [
            "<header",
            "<main id=\"main\"",
            "<footer",
            "<nav",
            "class=\"skip-link\" href=\"#main\"",
        ] {
            assert!(r.body.contains(needle), "{path} lacks {needle}");
        }
    }
    let r = c.get("/login").await;
    assert!(r.body.contains("<label for=\"f-email\">"));
    assert!(r.body.contains("id=\"f-email\""));
    assert!(r.body.contains("<label for=\"f-password\">"));
}

#[tokio::test]
async fn health_metrics_and_security_headers() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], "ok");
    c.get("/").await;
    c.get("/nope").await;
    // Made-up methods do not each make a series.
    for m in ["FOO", "BAR", "BAZ"] {
        let req = axum::http::Request::builder()
            .method(m)
            .uri("/")
            .body(axum::body::Body::empty())
            .unwrap();
        c.send(req).await;
    }
    // Without a token, only a client on this machine reads the metrics.
    assert_eq!(c.get("/metrics").await.status, StatusCode::FORBIDDEN);
    c.ip = "127.0.0.1".into();
    let r = c.get("/metrics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("method=\"other\""), "{}", r.body);
    for m in ["FOO", "BAR", "BAZ"] {
        assert!(!r.body.contains(&format!("method=\"{m}\"")));
    }
    assert!(
        r.header("content-type")
            .starts_with("text/plain; version=0.0.4")
    );
    assert!(
        r.body
            .contains("# TYPE maillage_http_requests_total counter")
    );
    assert!(
        r.body
            .contains("maillage_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} 1"),
        "{}",
        r.body
    );
    assert!(r.body.contains("status=\"404\""));
    assert!(
        r.body
            .contains("maillage_http_request_duration_seconds_bucket{route=\"/\",le=\"+Inf\"} 4")
    );
    assert!(r.body.contains("maillage_db_pool_connections "));
    let r = c.get("/").await;
    assert!(
        r.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn metrics_token_when_configured() {
    let app = TestApp::new().await;
    let mut config = (*app.state.config).clone();
    config.metrics_token = Some("s3cret".into());
    let router = maillage_web::router(maillage_web::AppState::new(app.db.db.clone(), config));
    let mut c = app.client();
    c.app = router;
    assert_eq!(c.get("/metrics").await.status, StatusCode::FORBIDDEN);
    assert_eq!(c.api_get("/metrics", "s3cret").await.status, StatusCode::OK);
}

#[tokio::test]
async fn assets_are_embedded_with_digest_names() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let page = c.get("/").await;
    let css = page
        .body
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap())
        .find(|h| h.starts_with("/assets/app.") && h.ends_with(".css"))
        .expect("stylesheet link")
        .to_owned();
    let r = c.get(&css).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/css"));
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(r.body.contains(":focus-visible"));
    assert_eq!(
        c.get("/assets/app.0000000000.css").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !page.body.contains("http://") || !page.body.contains("cdn"),
        "no external CDN"
    );
}

#[tokio::test]
async fn errors_are_pages_in_the_users_language_or_problem_json() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/does/not/exist").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.body.contains("Page introuvable"));
    assert!(r.body.contains("<main id=\"main\""), "in the layout");

    let r = c.get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], 404);
    assert!(v["title"].is_string());

    // Wrong method.
    let r = c
        .send(Request::delete("/login").body(Body::empty()).unwrap())
        .await;
    assert!(r.status.is_client_error());
    assert!(r.header("content-type").starts_with("text/html"));

    // Malformed input never gives a 500.
    let r = c.get("/team/admin/users/not-a-number").await;
    assert!(r.status.is_client_error() || r.status == StatusCode::SEE_OTHER);
    let r = c.get("/login?next=%ZZ").await;
    assert!(r.status.as_u16() < 500, "{}", r.status);
    let r = c.get("/password/reset/%00%01").await;
    assert!(r.status.is_client_error(), "{}", r.status);
}

#[tokio::test]
async fn oversized_and_garbled_bodies_are_refused_cleanly() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let token = c.csrf().await;
    let big = format!("_csrf={token}&email={}", "a".repeat(3 * 1024 * 1024));
    let r = c
        .send(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = c
        .send(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("_csrf={token}&email=%FF%FE&password=x")))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = c
        .send(
            Request::post("/api/v1/me")
                .header("content-type", "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
}

#[tokio::test]
async fn a_broken_database_gives_a_503_health_and_a_500_page_not_a_crash() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(maillage_domain::Role::Staff).await;
    app.db.db.clone().close().await.unwrap();
    let r = c.get("/healthz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains("database unavailable"));
    let r = c.get("/team").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.body.contains("Erreur interne"));
    assert!(r.body.contains("<main id=\"main\""));
    // Pages that need no database still answer.
    let mut anon = app.client();
    assert_eq!(anon.get("/login").await.status, StatusCode::OK);
}
