//! Uploads served as attachments to the team and assigned reviewers only.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::demo;
use maillage_db::forms::uploads;
use maillage_domain::Role;

#[tokio::test]
async fn uploads_go_to_the_team_and_assigned_reviewers_as_attachments() {
    let app = TestApp::with_demo().await;
    let internship = call(&app, demo::forms::INTERNSHIP_CALL).await;
    let s = by_name(&app, internship.id, "Alice Fournier").await;
    let files = uploads::of_submission(app.db.conn(), s.id).await.unwrap();
    assert_eq!(files.len(), 2);
    let cv = &files[0];
    let url = format!("/team/uploads/{}", cv.id);

    let (mut staff, _) = signed_in(&app, Role::Staff, "staff").await;
    // The application links its files.
    let r = staff.get(&format!("/team/submissions/{}", s.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("href=\"{url}\"")));
    assert!(r.body.contains("Alice Fournier"));

    let r = staff.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/pdf");
    let cd = r.header("content-disposition");
    assert!(cd.starts_with("attachment; "), "{cd}");
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    assert!(cd.contains(&cv.filename.replace(' ', "%20")), "{cd}");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(r.bytes.starts_with(b"%PDF"));

    let (mut intern, _) = signed_in(&app, Role::Intern, "intern").await;
    assert_eq!(intern.get(&url).await.status, StatusCode::OK);

    // Partners and volunteers: refused; anonymous: to the sign-in page.
    let (mut partner, _) = signed_in(&app, Role::Partner, "partner").await;
    assert_eq!(partner.get(&url).await.status, StatusCode::FORBIDDEN);
    let (mut volunteer, volunteer_id) = signed_in(&app, Role::Volunteer, "volunteer").await;
    let r = volunteer.get(&url).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.bytes.is_empty() || !r.bytes.starts_with(b"%PDF"));
    let r = app.client().get(&url).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    assert_eq!(
        staff.get("/team/uploads/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // A volunteer assigned as reviewer opens that application and its
    // files, and scores it; not the others, and decides nothing.
    let r = staff
        .post(
            &format!("/team/submissions/{}/reviewers", s.id),
            &[("user", &volunteer_id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(volunteer.get(&url).await.status, StatusCode::OK);
    let r = volunteer.get(&format!("/team/submissions/{}", s.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("name=\"to\""));
    let other = by_name(&app, internship.id, "Bilal Chevalier").await;
    let other_file = uploads::of_submission(app.db.conn(), other.id)
        .await
        .unwrap()[0]
        .id;
    assert_eq!(
        volunteer
            .get(&format!("/team/uploads/{other_file}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = volunteer
        .post(
            &format!("/team/submissions/{}/status", s.id),
            &[("to", "rejected")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = volunteer
        .post(
            &format!("/team/submissions/{}/comment", s.id),
            &[("comment", "Lu, très bon dossier.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
