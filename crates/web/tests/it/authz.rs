//! The role × action table, route by route: every guarded route refuses
//! anonymous visitors (to the login page, or 401 on the API) and the roles
//! the table does not allow (403), and lets the others through.

use crate::util::TestApp;
use axum::http::{Method, StatusCode};
use maillage_domain::Role;
use maillage_domain::authz::allows;

#[tokio::test]
async fn every_guarded_route_checks_the_role_table() {
    let app = TestApp::new().await;
    let table = maillage_web::route_table();
    assert!(table.len() >= 15, "the table lists the guarded routes");
    let mut clients = Vec::new();
    let mut tokens = Vec::new();
    for role in Role::ALL {
        clients.push((role, app.signed_in(role).await));
        // The API answers bearer tokens, not cookies.
        let u = maillage_db::users::find_by_email(
            app.db.conn(),
            &maillage_domain::Email::parse(&format!("{}@example.org", role.as_str())).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        let (_, secret) =
            maillage_db::api_tokens::create(app.db.conn(), u.id, "authz", maillage_db::now())
                .await
                .unwrap();
        tokens.push(secret);
    }
    let mut anonymous = app.client();
    for route in &table {
        let path = route.path.replace("{id}", "1").replace("{slug}", "x");
        let api = path.starts_with("/api/");
        let r = if route.method == Method::GET {
            anonymous.get(&path).await
        } else {
            anonymous.post(&path, &[]).await
        };
        if api {
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "anonymous {} {path}",
                route.method
            );
        } else {
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "anonymous {} {path}",
                route.method
            );
            assert!(r.location().starts_with("/login?next="), "{path}");
        }
        for ((role, c), token) in clients.iter_mut().zip(&tokens) {
            let r = if api {
                c.api_get(&path, token).await
            } else if route.method == Method::GET {
                c.get(&path).await
            } else {
                c.post(&path, &[]).await
            };
            if allows(*role, route.action) {
                assert_ne!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{role} {} {path}",
                    route.method
                );
                assert!(
                    r.status.as_u16() < 500,
                    "{role} {} {path}: {}",
                    route.method,
                    r.status
                );
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{role} {} {path}",
                    route.method
                );
            }
        }
    }
}

#[tokio::test]
async fn team_space_refuses_partners_and_welcomes_the_team() {
    let app = TestApp::new().await;
    for role in [Role::Admin, Role::Staff, Role::Intern, Role::Volunteer] {
        let mut c = app.signed_in(role).await;
        assert_eq!(c.get("/team").await.status, StatusCode::OK, "{role}");
    }
    let mut p = app.signed_in(Role::Partner).await;
    let r = p.get("/team").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Accès refusé"));
}

#[tokio::test]
async fn navigation_shows_only_what_the_role_may_open() {
    let app = TestApp::new().await;
    let mut intern = app.signed_in(Role::Intern).await;
    let r = intern.get("/team").await;
    assert!(!r.body.contains("href=\"/team/admin/users\""));
    assert!(!r.body.contains("href=\"/team/tokens\""));
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin.get("/team").await;
    assert!(r.body.contains("href=\"/team/admin/users\""));
    assert!(r.body.contains("href=\"/team/admin/audit\""));
}
