use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_domain::Role;

#[tokio::test]
async fn profile_language_and_password() {
    let app = TestApp::new().await;
    let mut c = app.signed_in(Role::Volunteer).await;
    let r = c.get("/account").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("volunteer@example.org"));

    let r = c
        .post("/account", &[("name", "  "), ("locale", "fr")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce champ est obligatoire."));

    let r = c
        .post("/account", &[("name", "Malik B."), ("locale", "en")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.get("/account").await;
    assert!(
        r.body.contains("<html lang=\"en\">"),
        "the choice sets the language"
    );
    assert!(r.body.contains("Your details have been saved."));
    assert!(r.body.contains("value=\"Malik B.\""));

    // Password change needs the current one.
    let mut other = app.client();
    other.login("volunteer@example.org", PASSWORD).await;
    let r = c
        .post(
            "/account/password",
            &[
                ("current", "wrong one!!"),
                ("password", "new password 123"),
                ("confirm", "new password 123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The current password is wrong."));
    let r = c
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "new password 123"),
                ("confirm", "new password 123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        c.get("/account").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        other.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    let mut again = app.client();
    assert_eq!(
        again
            .login("volunteer@example.org", "new password 123")
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // End the other sessions explicitly.
    assert_eq!(
        c.post("/account/sessions", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(again.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/account").await.status, StatusCode::OK);
}
