//! Bookings, from the public side (the storm of concurrent requests over
//! real HTTP, the waiting list and its e-mails, the API's refusals as
//! documented, the forms without JavaScript, housekeeping run by several
//! instances) and from the team's and partners' (decisions, check-in,
//! exports, rules, a person's data).

mod api;
mod availability;
mod checkin;
mod partner;
mod public_forms;
mod rules;
mod sessions;
mod storm;
mod team;
mod typed_forms;
mod waiting_list;

use crate::util::{Client, Resp, TestApp};
use maillage_db::bookings::{self, Booking, Request, Settings};
use maillage_db::testing::{self, BookableFixture};
use maillage_db::{Db, now};
use maillage_domain::booking::{BookingKind, BookingStatus, ClassLevel};
use maillage_domain::programme::RegistrationMode;
use serde_json::json;

/// A published activity with one session of `capacity` places, ten days
/// from now.
pub async fn fixture(
    db: &Db,
    mode: RegistrationMode,
    capacity: i32,
    settings: Option<Settings>,
) -> BookableFixture {
    testing::bookable_session(db, mode, capacity, settings).await
}

/// The same with two sessions a day apart, organised by `organisers`.
async fn setup(
    app: &TestApp,
    mode: RegistrationMode,
    capacity: i32,
    settings: Settings,
    organisers: Vec<i64>,
) -> BookableFixture {
    testing::bookable(
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
    .await
}

/// Two sessions of `capacity` seats, under the default rules.
async fn seats_setup(app: &TestApp, capacity: i32) -> BookableFixture {
    setup(
        app,
        RegistrationMode::Booking,
        capacity,
        Settings::default(),
        vec![],
    )
    .await
}

/// Asks the API at `api` for `seats` places as `name` <`email`>.
async fn book_api(c: &mut Client, api: &str, name: &str, email: &str, seats: i32) -> Resp {
    c.post_json(api, &json!({"name": name, "email": email, "seats": seats}))
        .await
}

/// A class of `pupils` and `adults` from a Grenoble school.
fn class(name: &str, pupils: i32, adults: i32) -> Request {
    Request {
        kind: BookingKind::Group,
        pupils,
        adults,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("Grenoble".into()),
        class_level: Some(ClassLevel::Cm2),
        ..testing::seats(name, 0)
    }
}

/// Books through storage, as the forms do.
async fn book(app: &TestApp, session: i64, req: &Request) -> Booking {
    let tx = app.db.write().await.unwrap();
    let b = bookings::book(&tx, session, req, now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    b
}

async fn booking(app: &TestApp, id: i64) -> Booking {
    bookings::find(app.db.conn(), id).await.unwrap().unwrap()
}

/// The first booking made with `email`, with a personal link issued for
/// the test (the booker's own links are not stored in clear).
async fn booking_of(app: &TestApp, email: &str) -> Booking {
    let b = bookings::of_email(app.db.conn(), email)
        .await
        .unwrap()
        .remove(0);
    let secret = bookings::links::issue(app.db.conn(), b.id, maillage_db::now())
        .await
        .unwrap();
    Booking {
        secret: Some(secret),
        ..b
    }
}

async fn status(app: &TestApp, id: i64) -> BookingStatus {
    booking(app, id).await.status
}
