//! HTML and SQL payloads typed into forms come back literally, escaped, and
//! are stored as typed.

use crate::util::{PASSWORD, TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::users;
use maillage_domain::{Email, Role};

const PAYLOADS: [&str; 4] = [
    "<script>alert('x')</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE users; --",
    "Robert'); DELETE FROM sessions WHERE ('1'='1",
];

fn assert_escaped(body: &str, payload: &str, what: &str) {
    assert!(
        body.contains(&escaped(payload)),
        "{what}: escaped {payload:?} not found"
    );
    if payload.contains('<') {
        assert!(
            !body.contains(payload),
            "{what}: raw {payload:?} in the page"
        );
    }
}

#[tokio::test]
async fn login_form_fields() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for p in PAYLOADS {
        let r = c.login(p, p).await;
        assert!(r.status.is_client_error());
        assert_escaped(&r.body, p, "login email");
        assert!(
            !r.body.contains(&format!("value=\"{}\"", escaped(p))) || r.body.contains("f-email")
        );
        let r = c.post("/password/forgot", &[("email", p)]).await;
        assert_escaped(&r.body, p, "forgot email");
        let r = c
            .get(&format!("/login?next={}", maillage_web::ctx::urlencode(p)))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains(p) || !p.contains('<'));
    }
    // The tables are intact.
    app.user("still@example.org", Role::Staff).await;
    assert_eq!(
        c.login("still@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn account_and_admin_form_fields() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    for p in PAYLOADS {
        // Profile: a valid name containing the payload is saved and shown escaped.
        let r = admin
            .post("/account", &[("name", p), ("locale", "fr")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
        let r = admin.get("/account").await;
        assert_escaped(&r.body, p, "account name");
        // An invalid submission keeps what was typed.
        let r = admin.post("/account", &[("name", p), ("locale", p)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_escaped(&r.body, p, "account name kept");
        // Invitation form: every field.
        let r = admin
            .post(
                "/team/admin/users",
                &[
                    ("email", p),
                    ("name", p),
                    ("role", p),
                    ("organisation", p),
                    ("locale", p),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_escaped(&r.body, p, "invite");
        // Password form.
        let r = admin
            .post(
                "/account/password",
                &[("current", p), ("password", p), ("confirm", p)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Token name.
        let r = admin.post("/team/tokens", &[("name", p)]).await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_escaped(&r.body, p, "token name");
        // Search box.
        let r = admin
            .get(&format!(
                "/team/admin/users?q={}",
                maillage_web::ctx::urlencode(p)
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_escaped(&r.body, p, "search");
    }
    // Stored literally.
    let me = users::find_by_email(app.db.conn(), &Email::parse("admin@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me.name, PAYLOADS[3]);
    let r = admin.get("/team/admin/audit").await;
    assert_escaped(&r.body, PAYLOADS[0], "audit log");
}
