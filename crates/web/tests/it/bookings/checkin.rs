//! Check-in at the door and its figures, attendee lists and their
//! downloads.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::bookings::{self, Settings};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn check_in_figures_appear_on_the_overview() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Groups,
        100,
        Settings::default(),
        vec![],
    )
    .await;
    let s = f.sessions[0];
    let c1 = book(&app, s, &class("Mme Martin", 20, 3)).await;
    let c2 = book(&app, s, &class("M. Petit", 10, 2)).await;
    assert_eq!(c1.status, BookingStatus::Confirmed);
    // Volunteers check in at the door.
    let mut v = app.signed_in(Role::Volunteer).await;
    let page = v.get(&format!("/team/sessions/{s}/checkin")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"20\""),
        "prefilled with the booking"
    );
    let r = v
        .post(
            &format!("/team/bookings/{}/checkin", c1.id),
            &[
                ("pupils", "18"),
                ("adults", "3"),
                ("public", "0"),
                ("op", "came"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = v
        .post(
            &format!("/team/bookings/{}/checkin", c2.id),
            &[("pupils", "10"), ("adults", "2"), ("op", "noshow")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = v
        .post(
            &format!("/team/sessions/{s}/walkin"),
            &[("pupils", ""), ("adults", "1"), ("public", "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Bad numbers are refused with a message.
    let r = v
        .post(
            &format!("/team/sessions/{s}/walkin"),
            &[("pupils", "beaucoup")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"beaucoup\""));
    let mut staff = app.signed_in(Role::Staff).await;
    let o = staff
        .get(&format!("/team/projects/{}/bookings", f.project_id))
        .await;
    assert_eq!(o.status, StatusCode::OK);
    // Pupils, adults, public, no-shows, walk-ins (each cell labelled for
    // the phone's cards).
    assert!(
        o.body.contains(concat!(
            r#"<td data-label="Élèves">18</td><td data-label="Adultes">4</td>"#,
            r#"<td data-label="Public">5</td><td data-label="Absents">1</td>"#,
            r#"<td data-label="Venus sans réservation">1</td>"#
        )),
        "{}",
        o.body
    );
    // Undo puts the class back to check.
    let r = v
        .post(&format!("/team/bookings/{}/checkin/undo", c2.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = bookings::counts(app.db.conn(), s).await.unwrap();
    assert_eq!((c.no_shows, c.came_pupils, c.walk_ins), (0, 18, 1));
    // A walk-in recorded by mistake is removed from the check-in page.
    let page = v.get(&format!("/team/sessions/{s}/checkin")).await;
    let walk_in = bookings::of_session(app.db.conn(), s)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.kind == maillage_domain::booking::BookingKind::WalkIn)
        .unwrap();
    let undo = format!("/team/bookings/{}/checkin/undo", walk_in.id);
    assert!(page.body.contains(&undo), "{}", page.body);
    let r = v.post(&undo, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = bookings::counts(app.db.conn(), s).await.unwrap();
    assert_eq!((c.walk_ins, c.came_public), (0, 0));
}

/// Volunteers check people in by name and reach the check-in pages from
/// the overview; the attendee lists with their contact details, the
/// exports and the sign-in sheet (phones), and the directory's people are
/// not theirs.
#[tokio::test]
async fn volunteers_check_in_by_name_and_read_no_contact_details() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Groups,
        100,
        Settings::default(),
        vec![],
    )
    .await;
    let s = f.sessions[0];
    let mut req = class("Mme Martin", 20, 3);
    req.phone = Some("06 12 34 56 78".into());
    book(&app, s, &req).await;
    let mut v = app.signed_in(Role::Volunteer).await;
    let overview = v
        .get(&format!("/team/projects/{}/bookings", f.project_id))
        .await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview
            .body
            .contains(&format!("/team/sessions/{s}/checkin"))
    );
    assert!(
        !overview
            .body
            .contains(&format!("/team/sessions/{s}/bookings\""))
    );
    assert!(!overview.body.contains("/bookings/export"));
    let page = v.get(&format!("/team/sessions/{s}/checkin")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mme Martin"));
    assert!(!page.body.contains("06 12 34 56 78") && !page.body.contains("@example.org"));
    for path in [
        format!("/team/sessions/{s}/bookings"),
        format!("/team/sessions/{s}/bookings/export/csv"),
        format!("/team/sessions/{s}/bookings/sheet"),
        "/team/people".to_owned(),
    ] {
        assert_eq!(v.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Staff read them all.
    let mut staff = app.signed_in(Role::Staff).await;
    let list = staff.get(&format!("/team/sessions/{s}/bookings")).await;
    assert!(list.body.contains("06 12 34 56 78"));
}

#[tokio::test]
async fn attendee_lists_download_as_csv_and_xlsx() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Groups,
        60,
        Settings::default(),
        vec![],
    )
    .await;
    let s = f.sessions[0];
    book(&app, s, &class("Mme Martin", 24, 2)).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let csv = staff
        .get(&format!("/team/sessions/{s}/bookings/export/csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.body.contains("Mme Martin"));
    assert!(csv.body.contains("mmemartin@example.org"));
    assert!(csv.body.contains("École Jean Jaurès"));
    let r = staff
        .get(&format!("/team/sessions/{s}/bookings/export/xlsx"))
        .await;
    let (st, ct, bytes) = (r.status, r.header("content-type"), &r.bytes);
    assert_eq!(st, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let table = maillage_tabular::read(bytes).unwrap();
    let name = table.column(&["Nom"]).unwrap();
    let pupils = table.column(&["Élèves"]).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].get(Some(name)), "Mme Martin");
    assert_eq!(table.rows[0].get(Some(pupils)), "24");
    let sheet = staff
        .get(&format!("/team/sessions/{s}/bookings/sheet"))
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.body.contains("Mme Martin"));
    assert!(sheet.body.contains("Signature"));
    assert_eq!(
        staff
            .get(&format!("/team/sessions/{s}/bookings/export/pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The whole project in one spreadsheet, activity and session first.
    book(&app, f.sessions[1], &class("M. Petit", 12, 1)).await;
    let overview = staff
        .get(&format!("/team/projects/{}/bookings", f.project_id))
        .await;
    let all = format!("/team/projects/{}/bookings/export", f.project_id);
    assert!(overview.body.contains(&format!("{all}/xlsx")));
    let r = staff.get(&format!("{all}/xlsx")).await;
    let (st, bytes) = (r.status, &r.bytes);
    assert_eq!(st, StatusCode::OK);
    let table = maillage_tabular::read(bytes).unwrap();
    assert_eq!(table.rows.len(), 2);
    let activity = table.column(&["Animation"]).unwrap();
    let name = table.column(&["Nom"]).unwrap();
    assert_eq!(table.rows[0].get(Some(activity)), "Voyage au planétarium");
    assert_eq!(table.rows[1].get(Some(name)), "M. Petit");
    let csv = staff.get(&format!("{all}/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("M. Petit") && csv.body.contains("Mme Martin"));
}
