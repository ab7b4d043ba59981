//! The staff and partner side of bookings: approval and refusal with their
//! e-mails, places offered to the waiting list, confirmation beyond
//! capacity, moves, check-in figures on the overview, exports, the booking
//! rules form, a person's data, and partners kept to their own activities.

use crate::util::{Client, PASSWORD, TestApp};
use axum::body::Body;
use axum::http::{Request as HttpRequest, StatusCode, header};
use http_body_util::BodyExt;
use maillage_db::bookings::{self, Booking, Request, Settings};
use maillage_db::now;
use maillage_db::programme::sessions;
use maillage_db::testing;
use maillage_domain::Role;
use maillage_domain::booking::{BookingKind, BookingStatus, ClassLevel};
use maillage_domain::programme::RegistrationMode;
use tower::ServiceExt;

struct Fixture {
    project: i64,
    activity: i64,
    /// Two sessions, a day apart.
    sessions: [i64; 2],
}

/// A published project with one published activity (organised by
/// `organisers`) and two sessions of `capacity` places in ten days.
async fn setup(
    app: &TestApp,
    mode: RegistrationMode,
    capacity: i32,
    settings: Settings,
    organisers: Vec<i64>,
) -> Fixture {
    let f = testing::bookable(
        &app.db,
        testing::Bookable {
            mode,
            capacity,
            settings: Some(settings),
            organisers,
            sessions: 2,
            ..Default::default()
        },
    )
    .await;
    Fixture {
        project: f.project_id,
        activity: f.activity_id,
        sessions: [f.sessions[0], f.sessions[1]],
    }
}

fn seats(name: &str, n: i32) -> Request {
    testing::seats(name, n)
}

fn class(name: &str, pupils: i32, adults: i32) -> Request {
    Request {
        kind: BookingKind::Group,
        pupils,
        adults,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("Grenoble".into()),
        class_level: Some(ClassLevel::Cm2),
        ..seats(name, 0)
    }
}

async fn book(app: &TestApp, session: i64, req: &Request) -> Booking {
    let tx = app.db.write().await.unwrap();
    let b = bookings::book(&tx, session, req, now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    b
}

async fn status(app: &TestApp, id: i64) -> BookingStatus {
    bookings::find(app.db.conn(), id)
        .await
        .unwrap()
        .unwrap()
        .status
}

/// Subjects of the e-mails queued for `to`.
async fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    app.outbox()
        .await
        .into_iter()
        .filter(|m| m.to_addr == to)
        .map(|m| m.subject)
        .collect()
}

/// A GET whose body is kept as bytes (for XLSX).
async fn get_bytes(c: &Client, path: &str) -> (StatusCode, String, Vec<u8>) {
    let cookie = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = HttpRequest::get(path)
        .header(header::COOKIE, cookie)
        .header("x-forwarded-for", c.ip.as_str())
        .body(Body::empty())
        .unwrap();
    let res = c.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, bytes)
}

/// A partner of a new organisation, signed in; returns the organisation.
async fn partner(app: &TestApp, email: &str) -> (Client, i64) {
    let u = app.user(email, Role::Partner).await;
    let mut c = app.client();
    let r = c.login(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    (c, u.organisation_id.unwrap())
}

#[tokio::test]
async fn staff_approve_and_refuse_classes_and_the_waiting_list_gets_the_places() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Groups,
        40,
        Settings {
            approval: true,
            ..Settings::default()
        },
        vec![],
    )
    .await;
    let s = f.sessions[0];
    let c1 = book(&app, s, &class("Mme Martin", 10, 2)).await;
    let c2 = book(&app, s, &class("M. Petit", 26, 2)).await;
    let c3 = book(&app, s, &class("Mme Durand", 20, 2)).await;
    assert_eq!(
        (c1.status, c2.status, c3.status),
        (
            BookingStatus::Pending,
            BookingStatus::Pending,
            BookingStatus::Waitlisted
        )
    );
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get(&format!("/team/sessions/{s}/bookings")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mme Martin") && page.body.contains("Mme Durand"));
    assert!(
        page.body
            .contains(&format!("/team/bookings/{}/approve", c1.id))
    );
    // A volunteer reads the list but may not decide.
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        volunteer
            .get(&format!("/team/sessions/{s}/bookings"))
            .await
            .status,
        StatusCode::OK
    );
    let r = volunteer
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status(&app, c1.id).await, BookingStatus::Pending);

    let r = staff
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .starts_with(&format!("/team/sessions/{s}/bookings"))
    );
    assert_eq!(status(&app, c1.id).await, BookingStatus::Confirmed);
    let m = mails_to(&app, &c1.email).await;
    assert!(
        m.iter().any(|s| s.starts_with("Réservation validée")),
        "{m:?}"
    );
    // Approving twice is refused with a message, not an error.
    let r = staff
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Refusing frees 28 places: the waiting class (22) is offered them.
    let r = staff
        .post(&format!("/team/bookings/{}/refuse", c2.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, c2.id).await, BookingStatus::Refused);
    assert_eq!(status(&app, c3.id).await, BookingStatus::Offered);
    assert!(
        mails_to(&app, &c2.email)
            .await
            .iter()
            .any(|s| s.starts_with("Réservation non retenue"))
    );
    assert!(
        mails_to(&app, &c3.email)
            .await
            .iter()
            .any(|s| s.starts_with("Des places se sont libérées"))
    );
    // Cancelling by staff tells the booker.
    let r = staff
        .post(&format!("/team/bookings/{}/cancel", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, c1.id).await, BookingStatus::Cancelled);
    assert!(
        mails_to(&app, &c1.email)
            .await
            .iter()
            .any(|s| s.starts_with("Réservation annulée"))
    );
    // Every decision is in the audit log.
    let audit = maillage_db::audit::list(
        app.db.conn(),
        &Default::default(),
        maillage_db::PageRequest::new(1, 50),
    )
    .await
    .unwrap()
    .items;
    for action in ["approve", "refuse", "cancel"] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.entity_type == "booking"),
            "{action}"
        );
    }
}

#[tokio::test]
async fn force_confirm_and_moves_between_sessions() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        4,
        Settings::default(),
        vec![],
    )
    .await;
    let [s1, s2] = f.sessions;
    let a = book(&app, s1, &seats("Alice", 4)).await;
    let b = book(&app, s1, &seats("Bob", 2)).await;
    assert_eq!(b.status, BookingStatus::Waitlisted);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .post(&format!("/team/bookings/{}/force", b.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, b.id).await, BookingStatus::Confirmed);
    let overview = staff
        .get(&format!("/team/projects/{}/bookings", f.project))
        .await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("150 %"), "{}", overview.body);

    // Alice moves to the second session, which has room.
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", a.id),
            &[("target", &s2.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let moved = bookings::find(app.db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(
        (moved.session_id, moved.status),
        (s2, BookingStatus::Confirmed)
    );
    assert!(
        mails_to(&app, &a.email)
            .await
            .iter()
            .any(|s| s.starts_with("Votre réservation change de séance"))
    );
    // Bob does not fit there any more, unless forced.
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &s2.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("pas assez de place"), "{}", r.body);
    assert_eq!(
        bookings::find(app.db.conn(), b.id)
            .await
            .unwrap()
            .unwrap()
            .session_id,
        s1
    );
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &s2.to_string()), ("force", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bookings::find(app.db.conn(), b.id)
            .await
            .unwrap()
            .unwrap()
            .session_id,
        s2
    );
    // A session of another project is not a target.
    let other = setup(
        &app,
        RegistrationMode::Booking,
        10,
        Settings::default(),
        vec![],
    )
    .await;
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &other.sessions[0].to_string()), ("force", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

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
        .get(&format!("/team/projects/{}/bookings", f.project))
        .await;
    assert_eq!(o.status, StatusCode::OK);
    // Pupils, adults, public, no-shows, walk-ins.
    assert!(
        o.body
            .contains("<td>18</td><td>4</td><td>5</td><td>1</td><td>1</td>"),
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
    let (st, ct, bytes) =
        get_bytes(&staff, &format!("/team/sessions/{s}/bookings/export/xlsx")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let table = maillage_tabular::read(&bytes).unwrap();
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
        .get(&format!("/team/projects/{}/bookings", f.project))
        .await;
    let all = format!("/team/projects/{}/bookings/export", f.project);
    assert!(overview.body.contains(&format!("{all}/xlsx")));
    let (st, _, bytes) = get_bytes(&staff, &format!("{all}/xlsx")).await;
    assert_eq!(st, StatusCode::OK);
    let table = maillage_tabular::read(&bytes).unwrap();
    assert_eq!(table.rows.len(), 2);
    let activity = table.column(&["Animation"]).unwrap();
    let name = table.column(&["Nom"]).unwrap();
    assert_eq!(table.rows[0].get(Some(activity)), "Voyage au planétarium");
    assert_eq!(table.rows[1].get(Some(name)), "M. Petit");
    let csv = staff.get(&format!("{all}/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("M. Petit") && csv.body.contains("Mme Martin"));
}

#[tokio::test]
async fn partners_see_only_their_own_activities() {
    let app = TestApp::new().await;
    let (mut mine, org) = partner(&app, "casemate@example.org").await;
    let (mut other, _) = partner(&app, "autre@example.org").await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        10,
        Settings::default(),
        vec![org],
    )
    .await;
    let s = f.sessions[0];
    let b = book(&app, s, &seats("Alice", 2)).await;
    let list = mine.get("/partner/bookings").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains(&format!("/partner/sessions/{s}/bookings"))
    );
    let page = mine.get(&format!("/partner/sessions/{s}/bookings")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alice"));
    assert!(!page.body.contains("/approve"));
    assert_eq!(
        mine.get(&format!("/partner/sessions/{s}/bookings/export/csv"))
            .await
            .status,
        StatusCode::OK
    );
    // Another organisation's partner: 404 everywhere, nothing changes.
    let l = other.get("/partner/bookings").await;
    assert!(!l.body.contains(&format!("/partner/sessions/{s}/bookings")));
    for path in [
        format!("/partner/sessions/{s}/bookings"),
        format!("/partner/sessions/{s}/checkin"),
        format!("/partner/sessions/{s}/bookings/sheet"),
        format!("/partner/sessions/{s}/bookings/export/csv"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = other
        .post(
            &format!("/partner/bookings/{}/checkin", b.id),
            &[("public", "2"), ("op", "came")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(&format!("/partner/sessions/{s}/walkin"), &[("public", "3")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let c = bookings::counts(app.db.conn(), s).await.unwrap();
    assert_eq!((c.checked_in, c.walk_ins), (0, 0));
    // Partners check in, but do not decide.
    let r = mine
        .post(
            &format!("/partner/bookings/{}/checkin", b.id),
            &[("public", "2"), ("op", "came")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location()
            .starts_with(&format!("/partner/sessions/{s}/checkin"))
    );
    assert_eq!(
        bookings::counts(app.db.conn(), s)
            .await
            .unwrap()
            .came_public,
        2
    );
    let r = mine
        .post(&format!("/team/bookings/{}/cancel", b.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status(&app, b.id).await, BookingStatus::Confirmed);
}

#[tokio::test]
async fn booking_rules_form_keeps_what_was_typed_and_saves() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        10,
        Settings::default(),
        vec![],
    )
    .await;
    let path = format!("/team/activities/{}/bookings/settings", f.activity);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"max_seats\""));
    let r = staff
        .post(
            &path,
            &[
                ("max_seats", "abc"),
                ("offer_hours", "24"),
                ("opens_date", "2026-09-01"),
                ("opens_time", "09h00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"abc\""));
    assert!(
        r.body
            .contains("<p class=\"field-error\" id=\"f-max_seats-error\">Saisissez un nombre.</p>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"09h00\""));
    assert_eq!(
        bookings::settings(app.db.conn(), f.activity).await.unwrap(),
        Settings::default()
    );
    let mode_field = format!("mode-{}", f.sessions[1]);
    let r = staff
        .post(
            &path,
            &[
                ("max_seats", "4"),
                ("offer_hours", "12"),
                ("reminder_days", ""),
                ("opens_date", "2026-09-01"),
                ("opens_time", "09:00"),
                ("approval", "1"),
                ("waitlist", "1"),
                (mode_field.as_str(), "external"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = bookings::settings(app.db.conn(), f.activity).await.unwrap();
    assert_eq!(
        (s.max_seats, s.offer_hours, s.reminder_days, s.approval),
        (4, 12, None, true)
    );
    assert_eq!(
        s.opens_at.unwrap().to_rfc3339(),
        "2026-09-01T07:00:00+00:00",
        "09:00 in Paris, summer time"
    );
    assert_eq!(
        sessions::find(app.db.conn(), f.sessions[1])
            .await
            .unwrap()
            .unwrap()
            .mode,
        Some(RegistrationMode::External)
    );
    // Interns read and change the rules; volunteers only read them.
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(volunteer.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        volunteer.post(&path, &[("max_seats", "2")]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_larger_capacity_offers_places_to_the_waiting_list() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        2,
        Settings::default(),
        vec![],
    )
    .await;
    let s = f.sessions[0];
    book(&app, s, &seats("Alice", 2)).await;
    let b = book(&app, s, &seats("Bob", 2)).await;
    assert_eq!(b.status, BookingStatus::Waitlisted);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{s}"),
            &[("capacity", "4"), ("status", "scheduled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status(&app, b.id).await, BookingStatus::Offered);
    assert!(
        mails_to(&app, &b.email)
            .await
            .iter()
            .any(|s| s.starts_with("Des places se sont libérées"))
    );
}

#[tokio::test]
async fn a_persons_bookings_can_be_exported_and_erased() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        2,
        Settings::default(),
        vec![],
    )
    .await;
    let s = f.sessions[0];
    let a = book(&app, s, &seats("Alice", 2)).await;
    let b = book(&app, s, &seats("Bob", 2)).await;
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(
        staff.get("/team/bookings/person").await.status,
        StatusCode::OK
    );
    let r = staff
        .post("/team/bookings/person", &[("email", "pas-une-adresse")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"pas-une-adresse\""));
    let r = staff
        .post("/team/bookings/person", &[("email", "Alice@Example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Voyage au planétarium"));
    let r = staff
        .post("/team/bookings/person/export", &[("email", &a.email)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["bookings"][0]["name"], "Alice");
    // Without the confirmation box, nothing is erased.
    let r = staff
        .post("/team/bookings/person/erase", &[("email", &a.email)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&app, a.id).await, BookingStatus::Confirmed);
    let r = staff
        .post(
            "/team/bookings/person/erase",
            &[("email", &a.email), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let erased = bookings::find(app.db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(erased.status, BookingStatus::Cancelled);
    assert!(erased.name.is_empty() && erased.email.is_empty());
    assert_eq!(status(&app, b.id).await, BookingStatus::Offered);
    // Interns may not open a person's data.
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(
        intern.get("/team/bookings/person").await.status,
        StatusCode::FORBIDDEN
    );
}
