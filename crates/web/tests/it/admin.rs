use crate::util::{PASSWORD, TestApp};
use axum::http::StatusCode;
use maillage_db::audit::{self, AuditFilter};
use maillage_db::{PageRequest, organisations, sessions};
use maillage_domain::Role;

#[tokio::test]
async fn invite_a_user_who_sets_a_password_from_the_email() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin.get("/team/admin/users/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = admin
        .post(
            "/team/admin/users",
            &[
                ("email", "New.Person@Example.org"),
                ("name", "Nouvelle Personne"),
                ("role", "intern"),
                ("organisation", ""),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let user_page = r.location().to_owned();
    let r = admin.get(&user_page).await;
    assert!(
        r.body.contains("L&#39;invitation a été envoyée."),
        "{}",
        r.body
    );
    assert!(r.body.contains("new.person@example.org"));

    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "new.person@example.org")
        .unwrap();
    assert_eq!(
        mail.subject, "Invitation to join Maillage",
        "in the invitee's language"
    );
    let start = mail.body_text.find("/password/reset/").unwrap();
    let link = mail.body_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    let mut invitee = app.client();
    let r = invitee.get(&link).await;
    assert!(r.body.contains("Bienvenue sur Maillage"));
    let r = invitee
        .post(
            &link,
            &[
                ("password", "my own good password"),
                ("confirm", "my own good password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(invitee.get("/team").await.status, StatusCode::OK);

    let entries = audit::list(
        app.db.conn(),
        &AuditFilter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    let actions: Vec<_> = entries.items.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"invite") && actions.contains(&"accept_invitation"),
        "{actions:?}"
    );
    let invite = entries.items.iter().find(|e| e.action == "invite").unwrap();
    assert_eq!(invite.actor_label, "admin@example.org");
    assert_eq!(invite.changes["role"], "intern");
}

#[tokio::test]
async fn invitation_errors_are_shown_beside_fields_with_values_kept() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let r = admin
        .post(
            "/team/admin/users",
            &[
                ("email", "admin@example.org"),
                ("name", "Twice"),
                ("role", "staff"),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cette valeur est déjà utilisée."));
    assert!(r.body.contains("value=\"Twice\""));
    let partner = |org| {
        [
            ("email", "p@example.org"),
            ("name", "Part"),
            ("role", "partner"),
            ("organisation", org),
            ("locale", "fr"),
        ]
    };
    let r = admin.post("/team/admin/users", &partner("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-organisation-error\""));
    let r = admin.post("/team/admin/users", &partner("99999")).await;
    assert!(r.body.contains("Choisissez une des valeurs proposées."));
    let org = organisations::create(app.db.conn(), "Cosmocité", maillage_db::now())
        .await
        .unwrap();
    let id = org.id.to_string();
    let r = admin.post("/team/admin/users", &partner(&id)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn change_role_disable_and_guard_the_last_admin() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    let staff = app.user("staff@example.org", Role::Staff).await;
    let mut staff_client = app.client();
    staff_client.login("staff@example.org", PASSWORD).await;

    let path = format!("/team/admin/users/{}", staff.id);
    let r = admin
        .post(
            &path,
            &[("name", "Julien"), ("role", "admin"), ("organisation", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = admin.get(&path).await;
    assert!(
        r.body.contains("role: staff → admin"),
        "history shows the change"
    );
    assert_eq!(
        staff_client.get("/team").await.status,
        StatusCode::SEE_OTHER,
        "a new role starts a new session"
    );

    // Disable: sessions are ended.
    staff_client.login("staff@example.org", PASSWORD).await;
    let r = admin
        .post(
            &path,
            &[("name", "Julien"), ("role", "admin"), ("disabled", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        staff_client.get("/team").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        sessions::purge_expired(app.db.conn(), maillage_db::now())
            .await
            .unwrap(),
        0
    );

    // The admin cannot demote themself; the last active admin stays.
    let me = maillage_db::users::find_by_email(
        app.db.conn(),
        &maillage_domain::Email::parse("admin@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let r = admin
        .post(
            &format!("/team/admin/users/{}", me.id),
            &[("name", "Me"), ("role", "staff")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Vous ne pouvez pas retirer vos propres droits")
    );

    let r = admin.get("/team/admin/users?disabled=1&role=admin").await;
    assert!(r.body.contains("désactivé"));
    assert_eq!(
        admin.get("/team/admin/users/424242").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn outbox_and_audit_pages_for_admins() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::Admin).await;
    admin
        .post(
            "/team/admin/users",
            &[
                ("email", "x@example.org"),
                ("name", "X"),
                ("role", "volunteer"),
                ("locale", "fr"),
            ],
        )
        .await;
    let r = admin.get("/team/admin/outbox").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("x@example.org"));
    assert!(r.body.contains("Invitation à rejoindre Maillage"));
    let id = app.outbox().await[0].id;
    let r = admin.get(&format!("/team/admin/outbox/{id}")).await;
    assert!(r.body.contains("/password/reset/"));
    assert_eq!(
        admin
            .post(&format!("/team/admin/outbox/{id}/retry"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND,
        "only failed ones"
    );
    let r = admin.get("/team/admin/audit?entity_type=user").await;
    assert!(r.body.contains("invite"));
    assert!(r.body.contains("x@example.org"));
    let r = admin.get("/team/admin/audit?page=abc").await;
    assert_eq!(r.status, StatusCode::OK);
}
