use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_db::users::{self, Changes};
use maillage_domain::Role;

#[tokio::test]
async fn login_sets_a_hardened_session_cookie_and_logout_ends_it() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    assert_eq!(c.get("/team").await.location(), "/login?next=/team");
    let r = c.login("Staff@Example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/team");
    let session = r
        .set_cookies()
        .into_iter()
        .find(|s| s.starts_with("mlg_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly"));
    assert!(session.contains("SameSite=Lax"));
    assert!(!session.contains("Secure"), "http base URL");
    let r = c.get("/team").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Espace équipe"));

    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get("/").await.body.contains("Vous êtes déconnecté"));
    assert_eq!(c.get("/team").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn cookies_are_secure_over_https() {
    let app = TestApp::with_base_url("https://maillage.example.org").await;
    app.user("a@example.org", Role::Staff).await;
    let mut c = app.client();
    let r = c.login("a@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for cookie in r.set_cookies() {
        assert!(cookie.contains("; Secure"), "{cookie}");
        // Only this host may set them, for the whole site.
        assert!(cookie.starts_with("__Host-mlg_"), "{cookie}");
        assert!(
            cookie.contains("; Path=/") && !cookie.contains("Domain="),
            "{cookie}"
        );
    }
    assert_eq!(r.header("strict-transport-security"), "max-age=31536000");
    // The session works under its prefixed name; an unprefixed cookie
    // (which a subdomain could plant) is not read.
    assert_eq!(c.get("/team").await.status, StatusCode::OK);
    let session = c.cookies.remove("__Host-mlg_session").unwrap();
    c.cookies.insert("mlg_session".into(), session);
    assert_eq!(c.get("/team").await.status, StatusCode::SEE_OTHER);
    // Over plain HTTP (development) there is no HSTS.
    let plain = TestApp::new().await;
    assert_eq!(
        plain
            .client()
            .get("/")
            .await
            .header("strict-transport-security"),
        ""
    );
}

#[tokio::test]
async fn wrong_credentials_get_one_message_and_keep_the_email() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let wrong = c.login("staff@example.org", "not the password").await;
    let unknown = c.login("nobody@example.org", "whatever it is").await;
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Adresse e-mail ou mot de passe incorrect."));
    }
    assert!(wrong.body.contains("value=\"staff@example.org\""));
    let r = c.login("not an email", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-email-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("value=\"not an email\""));
    assert!(r.body.contains("id=\"f-password-error\""));
}

/// Guessing one account from one address locks that account for that
/// address; its owner elsewhere still signs in (a lock on the account
/// itself would let anyone lock a colleague out).
#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_from_that_address() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(c.login("staff@example.org", "wrong password!").await.status);
    }
    assert_eq!(&statuses[..5], &[StatusCode::UNAUTHORIZED; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    // The right password is refused from that address while locked…
    let r = c.login("staff@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de tentatives"));
    // …and accepted from another (slowed down, not refused).
    let mut other = app.client();
    other.ip = "198.51.100.9".into();
    let r = other.login("staff@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// Many failures from one address, on one account or across accounts,
/// slow it down but never refuse a right password on the address alone:
/// 40 bad attempts on one account, then an administrator at the same
/// address (an office behind one address) signs in.
#[tokio::test]
async fn failures_from_one_address_do_not_lock_everyone_out() {
    let app = TestApp::new().await;
    app.user("victim@example.org", Role::Staff).await;
    app.user("admin@example.org", Role::Admin).await;
    let mut c = app.client();
    for i in 0..20 {
        let r = c
            .login(&format!("guess{i}@example.org"), "wrong password!")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    for _ in 0..40 {
        c.login("victim@example.org", "wrong password!").await;
    }
    // Further wrong guesses on other accounts are still only wrong.
    assert_eq!(
        c.login("guess@example.org", "wrong password!").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut colleague = app.client();
    assert_eq!(
        colleague.login("admin@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // The guessed account is locked from that address only.
    let mut same = app.client();
    assert_eq!(
        same.login("victim@example.org", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut elsewhere = app.client();
    elsewhere.ip = "192.0.2.44".into();
    assert_eq!(
        elsewhere.login("victim@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn post_without_or_with_a_wrong_csrf_token_is_refused() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    c.get("/login").await;
    let r = c
        .post_raw(
            "/login",
            &[("email", "staff@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Formulaire expiré"));
    let r = c
        .post_raw(
            "/login",
            &[
                ("_csrf", "x".repeat(43).as_str()),
                ("email", "staff@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A fresh browser with no cookie at all.
    let mut fresh = app.client();
    let r = fresh
        .post_raw(
            "/login",
            &[("_csrf", "abc"), ("email", "staff@example.org")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Signed-in forms too.
    let mut s = app.signed_in(Role::Admin).await;
    let r = s
        .post_raw("/account", &[("name", "Eve"), ("locale", "fr")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s.post_raw("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get("/team").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn next_is_followed_only_on_site() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let r = c.get("/login?next=/team/tokens").await;
    assert!(r.body.contains("name=\"next\" value=\"/team/tokens\""));
    let r = c
        .post(
            "/login",
            &[
                ("email", "staff@example.org"),
                ("password", PASSWORD),
                ("next", "/team/tokens"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/team/tokens");
    let mut d = app.client();
    let r = d
        .post(
            "/login",
            &[
                ("email", "staff@example.org"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/team");
    // A tab that the browser would drop, after signing in too.
    let mut e = app.client();
    let r = e
        .post(
            "/login",
            &[
                ("email", "staff@example.org"),
                ("password", PASSWORD),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/team");
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_lose_their_sessions() {
    let app = TestApp::new().await;
    let u = app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    c.login("staff@example.org", PASSWORD).await;
    assert_eq!(c.get("/team").await.status, StatusCode::OK);
    users::update(
        app.db.conn(),
        u.id,
        Changes {
            disabled: Some(true),
            ..Changes::NONE
        },
        maillage_db::now(),
    )
    .await
    .unwrap();
    assert_eq!(c.get("/team").await.status, StatusCode::SEE_OTHER);
    let mut d = app.client();
    assert_eq!(
        d.login("staff@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// Two instances on one database share sessions: a login on one is valid
/// on the other.
#[tokio::test]
async fn sessions_are_shared_between_instances() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut one = app.client();
    assert_eq!(
        one.login("staff@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut two = app.client();
    two.app = app.second_instance();
    two.cookies = one.cookies.clone();
    let r = two.get("/team").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Test staff"));
    // Logging out on the second ends it on the first.
    two.post("/logout", &[]).await;
    assert_eq!(one.get("/team").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn partners_land_in_their_space() {
    let app = TestApp::new().await;
    app.user("p@example.org", Role::Partner).await;
    let mut c = app.client();
    let r = c.login("p@example.org", PASSWORD).await;
    assert_eq!(r.location(), "/partner");
    let r = c.get("/partner").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("La Casemate"));
    assert_eq!(c.get("/team").await.status, StatusCode::FORBIDDEN);
}

/// Signed in, the CSRF token is the session's own: a token planted in the
/// browser's cookie (or one from before signing in) does not pass, and
/// each session has its own.
#[tokio::test]
async fn the_csrf_token_is_bound_to_the_session() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let before = c.csrf().await;
    c.login("staff@example.org", PASSWORD).await;
    let after = c.csrf().await;
    assert_ne!(before, after, "a new token at sign-in");
    let page = c.get("/team/tokens").await;
    assert!(page.body.contains(&after));
    // A planted token, sent as cookie and field alike, is refused.
    let planted = "A".repeat(43);
    c.cookies.insert("mlg_csrf".into(), planted.clone());
    let r = c.post_raw("/logout", &[("_csrf", planted.as_str())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The next page sets the session's token again; with it the form passes.
    c.get("/team").await;
    assert_eq!(c.csrf().await, after);
    let mut d = app.client();
    d.login("staff@example.org", PASSWORD).await;
    assert_ne!(d.csrf().await, after, "each session its own");
    assert_eq!(c.post("/logout", &[]).await.status, StatusCode::SEE_OTHER);
}
