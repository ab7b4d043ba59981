//! Projects have an image too; only the programme team uploads.

use super::*;
use crate::util::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use maillage_db::media::{self, Owner};
use maillage_domain::Role;

#[tokio::test]
async fn projects_have_an_image_too() {
    let (app, s, mut staff) = staffed().await;
    let path = format!("/team/programme/projects/{}/image", s.project);
    assert_eq!(staff.get(&path).await.status, StatusCode::OK);
    let r = staff
        .post_multipart(
            &path,
            &[("alt_fr", "Le village des sciences sur la place")],
            ("file", "village.webp.png", &png(1400, 700)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let img = media::find(app.db.conn(), Owner::Project(s.project))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(img.variants.len(), 3);
    assert_eq!(
        get_bytes(&app, None, &img.path(1280), &[]).await.0,
        StatusCode::OK
    );
    // Interns edit activities, not projects.
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(intern.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        intern.get(&form_path(s.published)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_the_programme_team_uploads() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        volunteer.get(&form_path(s.published)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = upload(
        &mut volunteer,
        s.published,
        &[("alt_fr", "Une coupole")],
        "coupole.png",
        &png(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut anonymous = app.client();
    let r = anonymous.get(&form_path(s.published)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    let r = upload(
        &mut anonymous,
        s.published,
        &[("alt_fr", "Une coupole")],
        "coupole.png",
        &png(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    assert_eq!(
        media::find(app.db.conn(), Owner::Activity(s.published))
            .await
            .unwrap(),
        None
    );
    // Without the CSRF token, refused.
    let mut staff = app.signed_in(Role::Staff).await;
    staff.cookies.insert("mlg_csrf".into(), "x".repeat(43));
    let r = staff
        .send(
            Request::post(form_path(s.published))
                .header(
                    header::CONTENT_TYPE,
                    "multipart/form-data; boundary=XX",
                )
                .body(Body::from(
                    "--XX\r\nContent-Disposition: form-data; name=\"alt_fr\"\r\n\r\nUne coupole\r\n--XX--\r\n",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
