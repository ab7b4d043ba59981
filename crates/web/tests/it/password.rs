use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_domain::Role;

fn link_in(body: &str) -> String {
    let start = body
        .find("http://localhost:8080/password/reset/")
        .expect("link in the e-mail");
    body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://localhost:8080")
        .to_owned()
}

#[tokio::test]
async fn forgotten_password_by_single_use_link() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let r = c
        .post("/password/forgot", &[("email", "staff@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Si un compte existe"));
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1, "queued in the same transaction");
    assert_eq!(mails[0].to_addr, "staff@example.org");
    let link = link_in(&mails[0].body_text);

    let r = c.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("staff@example.org"));
    // Bad input keeps the page and says why.
    let r = c
        .post(&link, &[("password", "short"), ("confirm", "short")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Au moins 10 caractères."));
    let r = c
        .post(
            &link,
            &[
                ("password", "a brand new secret"),
                ("confirm", "a brand new secreT"),
            ],
        )
        .await;
    assert!(r.body.contains("Les deux saisies ne correspondent pas."));

    let r = c
        .post(
            &link,
            &[
                ("password", "a brand new secret"),
                ("confirm", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/team");
    assert!(
        c.get("/team")
            .await
            .body
            .contains("Votre mot de passe a été enregistré.")
    );

    // Used once only.
    let mut other = app.client();
    let r = other.get(&link).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Lien invalide ou expiré"));
    let r = other
        .post(
            &link,
            &[
                ("password", "another new secret"),
                ("confirm", "another new secret"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.login("staff@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other
            .login("staff@example.org", "a brand new secret")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c
        .post("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Si un compte existe"));
    assert!(app.outbox().await.is_empty());
    let r = c
        .post("/password/forgot", &[("email", "<b>not an address")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"&#60;b&#62;not an address\""));
}

#[tokio::test]
async fn reset_requests_are_limited_per_address() {
    let app = TestApp::new().await;
    app.user("staff@example.org", Role::Staff).await;
    let mut c = app.client();
    for _ in 0..6 {
        let r = c
            .post("/password/forgot", &[("email", "staff@example.org")])
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    assert_eq!(app.outbox().await.len(), 3);
}

#[tokio::test]
async fn forged_or_garbage_tokens_are_refused() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for t in [
        "x",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "%3Cscript%3E",
    ] {
        let r = c.get(&format!("/password/reset/{t}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{t}");
    }
}
