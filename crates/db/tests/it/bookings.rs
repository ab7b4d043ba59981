use chrono::{DateTime, TimeDelta, Utc};
use maillage_db::bookings::{self, Booking, Refusal, Request, Settings};
use maillage_db::testing::{self, seats};
use maillage_db::{Db, now};
use maillage_domain::booking::{BookingKind, BookingStatus, ClassLevel};
use maillage_domain::programme::RegistrationMode;

/// A bookable session (see [`testing::bookable`]).
pub async fn session(
    db: &Db,
    mode: RegistrationMode,
    capacity: i32,
    settings: Option<Settings>,
) -> i64 {
    testing::bookable_session(db, mode, capacity, settings)
        .await
        .session()
}

async fn book(db: &Db, session: i64, req: &Request, at: DateTime<Utc>) -> Result<Booking, Refusal> {
    let tx = db.write().await.unwrap();
    let r = bookings::book(&tx, session, req, at).await.unwrap();
    tx.commit().await.unwrap();
    r
}

/// Hundreds of concurrent bookings on one session, from two pools (two
/// instances): the places booked equal the capacity exactly, and the rest
/// wait in the order their transactions committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_bookings_never_overflow_the_capacity() {
    let db = crate::db().await;
    let other = db.second_instance().await;
    let s = session(
        &db,
        RegistrationMode::Booking,
        25,
        Some(Settings {
            max_seats: 4,
            ..Settings::default()
        }),
    )
    .await;
    let mut handles = Vec::new();
    for i in 0..300 {
        let pool = if i % 2 == 0 {
            db.db.clone()
        } else {
            other.clone()
        };
        handles.push(tokio::spawn(async move {
            let req = seats(&format!("P{i}"), 1 + (i % 3));
            let tx = pool.write().await?;
            let r = bookings::book(&tx, s, &req, now()).await?;
            tx.commit().await?;
            Ok::<_, sea_orm::DbErr>(r)
        }));
    }
    let mut failures = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(Ok(_)) => {}
            other => {
                failures += 1;
                eprintln!("{other:?}");
            }
        }
    }
    assert_eq!(failures, 0);
    let list = bookings::of_session(db.conn(), s).await.unwrap();
    assert_eq!(list.len(), 300);
    let held: i32 = list
        .iter()
        .filter(|b| b.status == BookingStatus::Confirmed)
        .map(|b| b.seats)
        .sum();
    let counts = bookings::counts(db.conn(), s).await.unwrap();
    assert_eq!(i64::from(held), counts.held);
    assert!(held <= 25, "{held} places booked for 25");
    // Parties of 1 to 3 arrived until the session was full: it is full to
    // the last place unless the last places were smaller than every party
    // that came after.
    assert!(held >= 23, "only {held} of 25 booked");
    let waiting: Vec<&Booking> = list
        .iter()
        .filter(|b| b.status == BookingStatus::Waitlisted)
        .collect();
    assert_eq!(counts.waitlisted_entries as usize, waiting.len());
    for (i, w) in waiting.iter().enumerate() {
        assert_eq!(
            bookings::position(db.conn(), w).await.unwrap(),
            i as u64 + 1
        );
    }
    other.close().await.unwrap();
}

/// The example of the issue: a party of 4 waits before a party of 2; a
/// 3-seat booking is cancelled: the party of 2 is offered the places, by
/// order of those that fit; when its offer expires the places pass on.
#[tokio::test]
async fn freed_places_go_to_the_first_waiting_entry_that_fits_and_offers_expire() {
    let db = crate::db().await;
    let s = session(&db, RegistrationMode::Booking, 6, None).await;
    let t = now();
    let a = book(&db, s, &seats("Alice", 3), t).await.unwrap();
    let _b = book(&db, s, &seats("Bruno", 3), t).await.unwrap();
    let four = book(&db, s, &seats("Four", 4), t).await.unwrap();
    let two = book(&db, s, &seats("Two", 2), t).await.unwrap();
    let one = book(&db, s, &seats("One", 1), t).await.unwrap();
    assert_eq!(four.status, BookingStatus::Waitlisted);
    assert_eq!(bookings::position(db.conn(), &two).await.unwrap(), 2);
    assert_eq!(
        book(&db, s, &seats("Huge", 7), t).await,
        Err(Refusal::TooManySeats { max: 6 })
    );

    let tx = db.write().await.unwrap();
    let offered = bookings::cancel(&tx, &a, t).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    // 3 places free: the 4 does not fit, the 2 does, then the 1.
    let ids: Vec<i64> = offered.iter().map(|b| b.id).collect();
    assert_eq!(ids, vec![two.id, one.id]);
    let two = bookings::find(db.conn(), two.id).await.unwrap().unwrap();
    assert_eq!(two.status, BookingStatus::Offered);
    assert_eq!(two.offer_expires_at, Some(t + TimeDelta::hours(24)));
    assert_eq!(bookings::position(db.conn(), &four).await.unwrap(), 1);
    let counts = bookings::counts(db.conn(), s).await.unwrap();
    assert_eq!((counts.held, counts.offered), (6, 3));

    // The party of 1 accepts; the 2 lets its offer run out.
    let tx = db.write().await.unwrap();
    assert_eq!(
        bookings::accept_offer(&tx, &one, t + TimeDelta::hours(1))
            .await
            .unwrap(),
        Ok(BookingStatus::Confirmed)
    );
    tx.commit().await.unwrap();
    let tx = db.write().await.unwrap();
    let swept = bookings::sweep(&tx, t + TimeDelta::hours(23))
        .await
        .unwrap();
    assert!(swept.expired_offers.is_empty());
    let swept = bookings::sweep(&tx, t + TimeDelta::hours(25))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        swept
            .expired_offers
            .iter()
            .map(|b| b.id)
            .collect::<Vec<_>>(),
        vec![two.id]
    );
    // Two places free again: still too few for the 4, nobody else waits.
    assert!(swept.offered.is_empty());
    let late = book(&db, s, &seats("Late", 1), t + TimeDelta::hours(26))
        .await
        .unwrap();
    assert_eq!(late.status, BookingStatus::Confirmed);
    // Expired offers cannot be accepted.
    let tx = db.write().await.unwrap();
    assert!(
        bookings::accept_offer(&tx, &two, t + TimeDelta::hours(26))
            .await
            .unwrap()
            .is_err()
    );
    tx.commit().await.unwrap();
    // Bruno cancels: 4 places free, the party of 4 is offered them.
    let tx = db.write().await.unwrap();
    let bruno = bookings::of_session(&tx, s)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == "Bruno")
        .unwrap();
    let offered = bookings::cancel(&tx, &bruno, t + TimeDelta::hours(27))
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        offered.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![four.id]
    );
    // A second sweep by another instance changes nothing.
    let tx = db.write().await.unwrap();
    let again = bookings::sweep(&tx, t + TimeDelta::hours(27))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(again.expired_offers.is_empty() && again.offered.is_empty());
}

#[tokio::test]
async fn classes_wait_for_approval_and_one_class_fills_a_planetarium_slot() {
    let db = crate::db().await;
    let s = session(
        &db,
        RegistrationMode::Groups,
        40,
        Some(Settings {
            approval: true,
            one_group: true,
            ..Settings::default()
        }),
    )
    .await;
    let t = now();
    assert_eq!(
        book(&db, s, &seats("Solo", 1), t).await,
        Err(Refusal::WrongKind)
    );
    let class = |name: &str, pupils: i32| Request {
        kind: BookingKind::Group,
        pupils,
        adults: 3,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("38185".into()),
        class_level: Some(ClassLevel::Cm2),
        ..seats(name, 0)
    };
    let cm2 = book(&db, s, &class("Mme Martin", 26), t).await.unwrap();
    assert_eq!((cm2.status, cm2.seats), (BookingStatus::Pending, 29));
    // One class per session: the next one waits although 11 places remain.
    let ce1 = book(&db, s, &class("M. Petit", 8), t).await.unwrap();
    assert_eq!(ce1.status, BookingStatus::Waitlisted);
    assert_eq!(
        book(&db, s, &class("Trop", 38), t).await,
        Err(Refusal::LargerThanSession { capacity: 40 })
    );
    let tx = db.write().await.unwrap();
    assert_eq!(
        bookings::decide(&tx, &cm2, true, t).await.unwrap(),
        Some(vec![])
    );
    // Deciding twice does nothing.
    assert_eq!(bookings::decide(&tx, &cm2, false, t).await.unwrap(), None);
    tx.commit().await.unwrap();
    let counts = bookings::counts(db.conn(), s).await.unwrap();
    assert_eq!(
        (counts.confirmed, counts.groups, counts.waitlisted),
        (29, 1, 11)
    );
}

#[tokio::test]
async fn windows_check_in_reminders_and_anonymisation() {
    let db = crate::db().await;
    let t = now();
    let s = session(
        &db,
        RegistrationMode::Booking,
        10,
        Some(Settings {
            opens_at: Some(t + TimeDelta::days(1)),
            reminder_days: Some(2),
            ..Settings::default()
        }),
    )
    .await;
    assert_eq!(
        book(&db, s, &seats("Early", 1), t).await,
        Err(Refusal::NotYetOpen(t + TimeDelta::days(1)))
    );
    let day2 = t + TimeDelta::days(2);
    let a = book(&db, s, &seats("Ada", 2), day2).await.unwrap();
    let b = book(&db, s, &seats("Bob", 3), day2).await.unwrap();
    // The session starts at t + 10 days: closed from then on.
    assert_eq!(
        book(
            &db,
            s,
            &seats("Late", 1),
            t + TimeDelta::days(10) + TimeDelta::minutes(1)
        )
        .await,
        Err(Refusal::Closed)
    );
    // Reminders: due two days before, claimed once by two instances.
    let tx = db.write().await.unwrap();
    assert!(
        bookings::claim_reminders(&tx, t + TimeDelta::days(7), 100)
            .await
            .unwrap()
            .is_empty()
    );
    let first = bookings::claim_reminders(&tx, t + TimeDelta::days(8) + TimeDelta::minutes(1), 100)
        .await
        .unwrap();
    let second =
        bookings::claim_reminders(&tx, t + TimeDelta::days(8) + TimeDelta::minutes(2), 100)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(second.is_empty());

    // Check-in: Ada came with one person, Bob did not; two walk-ins.
    let end = t + TimeDelta::days(10) + TimeDelta::hours(1);
    let tx = db.write().await.unwrap();
    bookings::check_in(&tx, a.id, 0, 0, 2, end).await.unwrap();
    bookings::check_in(&tx, b.id, 0, 0, 0, end).await.unwrap();
    bookings::walk_in(&tx, s, 12, 2, 1, end).await.unwrap();
    tx.commit().await.unwrap();
    let c = bookings::counts(db.conn(), s).await.unwrap();
    assert_eq!((c.held, c.checked_in, c.no_shows, c.walk_ins), (5, 2, 1, 1));
    assert_eq!((c.came_pupils, c.came_adults, c.came_public), (12, 2, 3));

    // Anonymisation a year after: names and addresses go, from the audit
    // log too; counts stay.
    let tx = db.write().await.unwrap();
    let staff = maillage_db::audit::Actor::system("test");
    for (id, summary) in [(a.id, "Ada — Planétarium"), (b.id, "Bea — Planétarium")] {
        let change = maillage_db::audit::Change {
            action: "approve",
            entity_type: "booking",
            entity_id: id.to_string(),
            summary: format!("#{id} {summary}"),
            changes: serde_json::json!({"name": summary}),
        };
        maillage_db::audit::record(&tx, &staff, change, end)
            .await
            .unwrap();
    }
    let n = bookings::anonymise_ended_before(&tx, end + TimeDelta::minutes(1), end)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 2);
    let ada = bookings::find(db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!((ada.name.as_str(), ada.email.as_str()), ("", ""));
    assert!(ada.anonymised_at.is_some());
    assert!(
        bookings::of_email(db.conn(), "ada@example.org")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(bookings::counts(db.conn(), s).await.unwrap(), c);
    let log = maillage_db::audit::list(
        db.conn(),
        &maillage_db::audit::AuditFilter {
            entity_type: Some("booking".into()),
            ..Default::default()
        },
        maillage_db::PageRequest::new(1, 50),
    )
    .await
    .unwrap();
    assert_eq!(log.items.len(), 2);
    for e in &log.items {
        assert_eq!(e.summary, format!("#{}", e.entity_id));
        assert!(!e.changes.to_string().contains("Ada") && !e.changes.to_string().contains("Bea"));
    }
}

#[tokio::test]
async fn a_person_can_be_erased_and_seats_changed() {
    let db = crate::db().await;
    let s = session(&db, RegistrationMode::Booking, 4, None).await;
    let t = now();
    let a = book(&db, s, &seats("Ada", 3), t).await.unwrap();
    book(&db, s, &seats("Bea", 1), t).await.unwrap();
    let w = book(&db, s, &seats("Wait", 2), t).await.unwrap();
    assert_eq!(w.status, BookingStatus::Waitlisted);
    let tx = db.write().await.unwrap();
    assert_eq!(
        bookings::change_seats(&tx, &a, 5, t).await.unwrap(),
        Err(Refusal::LargerThanSession { capacity: 4 })
    );
    assert_eq!(
        bookings::change_seats(&tx, &a, 4, t).await.unwrap(),
        Err(Refusal::NotEnoughPlaces { available: 0 })
    );
    let offered = bookings::change_seats(&tx, &a, 1, t)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(offered.iter().map(|b| b.id).collect::<Vec<_>>(), vec![w.id]);
    assert_eq!(
        bookings::of_email(db.conn(), "ADA@example.org ")
            .await
            .unwrap()
            .len(),
        1
    );
    let tx = db.write().await.unwrap();
    let (n, _) = bookings::erase_email(&tx, "ada@example.org", t)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 1);
    let ada = bookings::find(db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(ada.status, BookingStatus::Cancelled);
    assert_eq!(ada.email, "");
}

/// The address is confirmed with the code made for the e-mail, kept as a
/// digest: the personal link's secret or another booking's code do not
/// confirm, and a code works once.
#[tokio::test]
async fn an_address_is_confirmed_only_with_its_own_code() {
    let db = crate::db().await;
    let settings = Settings {
        confirm_email: true,
        ..Settings::default()
    };
    let s = session(&db, RegistrationMode::Booking, 10, Some(settings)).await;
    let t = now();
    let a = book(&db, s, &seats("Ada", 2), t).await.unwrap();
    let b = book(&db, s, &seats("Bea", 1), t).await.unwrap();
    assert_eq!(a.status, BookingStatus::Unconfirmed);
    let code_a = a.confirm_code.clone().expect("a code for the e-mail");
    let code_b = b.confirm_code.clone().expect("a code for the e-mail");
    assert_ne!(code_a, code_b);
    // Read back, the booking does not carry its code.
    let read = bookings::find(db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(read.confirm_code, None);
    let tx = db.write().await.unwrap();
    for wrong in ["", "x", a.link_secret(), code_b.as_str()] {
        assert_eq!(
            bookings::confirm_address(&tx, &read, wrong, t)
                .await
                .unwrap(),
            Err(bookings::NotConfirmed::WrongCode),
            "{wrong}"
        );
    }
    assert_eq!(
        bookings::confirm_address(&tx, &read, &code_a, t)
            .await
            .unwrap(),
        Ok(BookingStatus::Confirmed)
    );
    tx.commit().await.unwrap();
    let read = bookings::find(db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(read.status, BookingStatus::Confirmed);
    let tx = db.write().await.unwrap();
    assert_eq!(
        bookings::confirm_address(&tx, &read, &code_a, t)
            .await
            .unwrap(),
        Err(bookings::NotConfirmed::NotWaiting)
    );
    // Once its hold ran out, the right code no longer confirms.
    let late = bookings::find(db.conn(), b.id).await.unwrap().unwrap();
    assert_eq!(
        bookings::confirm_address(&tx, &late, &code_b, t + TimeDelta::hours(1))
            .await
            .unwrap(),
        Err(bookings::NotConfirmed::NotWaiting)
    );
}
