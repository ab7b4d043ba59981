use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_domain::Role;

/// The secret of a token just created, as the page shows it once.
fn shown_secret(body: &str) -> String {
    body.split("<code class=\"secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("secret shown")
        .to_owned()
}

#[tokio::test]
async fn api_tokens_are_shown_once_work_as_bearer_and_can_be_revoked() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let r = c
        .post("/team/tokens", &[("name", "export du programme")])
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let secret = shown_secret(&r.body);
    assert!(secret.starts_with("mlg_"));
    let r = c.get("/team/tokens").await;
    assert!(!r.body.contains(&secret), "never shown again");
    assert!(r.body.contains("export du programme"));

    let mut api = app.client();
    let r = api.api_get("/api/v1/me", &secret).await;
    assert_eq!(r.status, StatusCode::OK);
    let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(me["email"], "staff@example.org");
    assert_eq!(me["role"], "staff");
    assert!(me.get("password_hash").is_none());

    let r = api.api_get("/api/v1/me", "mlg_wrong").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert_eq!(r.header("www-authenticate"), "Bearer");

    // Cookies do not authenticate the API.
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);

    let tokens = maillage_db::api_tokens::list_for_user(app.db.conn(), 1)
        .await
        .unwrap();
    let id = tokens[0].id;
    let r = c.post(&format!("/team/tokens/{id}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api.api_get("/api/v1/me", &secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.post(&format!("/team/tokens/{id}/revoke"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn token_names_are_validated_and_others_tokens_are_untouchable() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let r = c.post("/team/tokens", &[("name", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce champ est obligatoire."));
    c.post("/team/tokens", &[("name", "mine")]).await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin.post("/team/tokens/1/revoke", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "someone else's token");
}

/// A new token reads only and lasts 90 days unless chosen otherwise; a
/// read-only token changes nothing; an expired one no longer works.
#[tokio::test]
async fn tokens_read_only_by_default_and_expire() {
    use maillage_db::api_tokens::{self, Grant};
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Staff).await;
    let r = c.post("/team/tokens", &[("name", "lecture")]).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(r.body.contains("Lecture seule"));
    let secret = shown_secret(&r.body);
    let t = &api_tokens::list_for_user(app.db.conn(), 1).await.unwrap()[0];
    assert!(t.read_only);
    let left = t.expires_at.unwrap() - maillage_db::now();
    assert!((89..=90).contains(&left.num_days()), "{left}");
    let mut api = app.client();
    assert_eq!(
        api.api_get("/api/v1/me", &secret).await.status,
        StatusCode::OK
    );
    // A write with it is refused, even where no token is needed.
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/sessions/1/bookings")
        .header("authorization", format!("Bearer {secret}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    assert_eq!(api.send(req).await.status, StatusCode::FORBIDDEN);
    // Bad choices are refused beside their fields, the name kept.
    let r = c
        .post(
            "/team/tokens",
            &[("name", "x"), ("days", "7"), ("access", "root")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-days-error\"") && r.body.contains("value=\"x\""));
    // Read and write, no expiry: as asked.
    let r = c
        .post(
            "/team/tokens",
            &[("name", "script"), ("days", "0"), ("access", "write")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = api_tokens::list_for_user(app.db.conn(), 1).await.unwrap();
    let w = list.iter().find(|t| t.name == "script").unwrap();
    assert!(!w.read_only && w.expires_at.is_none());
    // Expired: refused like a wrong token.
    let now = maillage_db::now();
    let (_, old) = api_tokens::create_with(
        app.db.conn(),
        1,
        "vieux",
        Grant {
            read_only: true,
            expires_at: Some(now - chrono::TimeDelta::minutes(1)),
        },
        now - chrono::TimeDelta::days(30),
    )
    .await
    .unwrap();
    assert_eq!(
        api.api_get("/api/v1/me", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
}
