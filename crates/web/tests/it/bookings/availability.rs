//! Places where the public looks: programme and activity pages say how many
//! places are left, "Complet — liste d'attente" or "Sur demande (classes)"
//! per session, from the page cache, and never show a full session open.

use super::*;
use crate::util::TestApp;
use maillage_db::bookings::Settings;
use maillage_domain::programme::RegistrationMode;

fn activity_page(f: &BookableFixture) -> String {
    format!("/p/{}/a/{}", f.project_slug, f.activity_slug)
}

#[tokio::test]
async fn pages_show_places_left_and_a_full_session_at_once() {
    let app = TestApp::new().await;
    let f = testing::bookable(
        &app.db,
        testing::Bookable {
            capacity: 4,
            sessions: 2,
            ..Default::default()
        },
    )
    .await;
    let mut c = app.client();
    let page = c.get(&activity_page(&f)).await;
    assert_eq!(page.body.matches("4 places").count(), 2, "{}", page.body);
    let list = c.get(&format!("/p/{}", f.project_slug)).await;
    assert!(list.body.contains("4 places"), "{}", list.body);
    book(&app, f.session(), &testing::seats("Awa Diallo", 3)).await;
    // The cached page may lag on the figure, never on the session filling.
    book(&app, f.session(), &testing::seats("Léo Martin", 1)).await;
    for url in [activity_page(&f), format!("/p/{}", f.project_slug)] {
        let r = c.get(&url).await;
        assert!(
            r.body.contains("Complet — liste d&#39;attente"),
            "{url}: {}",
            r.body
        );
        assert!(r.body.contains("4 places"), "the other session stays open");
    }
    let page = c.get(&activity_page(&f)).await;
    assert!(
        page.body
            .contains("S&#39;inscrire sur la liste d&#39;attente")
    );
    // In English.
    c.headers.push(("accept-language".into(), "en".into()));
    let en = c.get(&activity_page(&f)).await;
    assert!(en.body.contains("Full — waiting list"), "{}", en.body);
    assert!(en.body.contains("4 places left"));
}

#[tokio::test]
async fn without_a_waiting_list_a_full_session_has_no_booking_link() {
    let app = TestApp::new().await;
    let f = fixture(
        &app.db,
        RegistrationMode::Booking,
        2,
        Some(Settings {
            waitlist: false,
            ..Settings::default()
        }),
    )
    .await;
    let mut c = app.client();
    assert!(c.get(&activity_page(&f)).await.body.contains(&f.form()));
    book(&app, f.session(), &testing::seats("Awa Diallo", 2)).await;
    let page = c.get(&activity_page(&f)).await;
    assert!(
        page.body
            .contains("— <span class=\"places is-full\">Complet</span>"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(&f.form()),
        "no booking link on a full session"
    );
}

#[tokio::test]
async fn a_teacher_sees_which_class_slots_are_free() {
    let app = TestApp::new().await;
    let f = testing::bookable(
        &app.db,
        testing::Bookable {
            mode: RegistrationMode::Groups,
            capacity: 30,
            sessions: 2,
            settings: Some(Settings {
                one_group: true,
                approval: true,
                waitlist: false,
                ..Settings::default()
            }),
            ..Default::default()
        },
    )
    .await;
    let mut c = app.client();
    let page = c.get(&activity_page(&f)).await;
    assert_eq!(
        page.body.matches("Créneau libre").count(),
        2,
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("Sur demande (classes)").count(), 2);
    // A request awaiting approval holds the slot.
    book(&app, f.session(), &class("Mme Perrin", 24, 3)).await;
    let page = c.get(&activity_page(&f)).await;
    assert_eq!(
        page.body.matches("Créneau libre").count(),
        1,
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("places is-full").count(), 1);
}

#[tokio::test]
async fn a_cached_page_is_kept_while_no_booking_changes_and_refreshed_when_one_does() {
    let mut app = TestApp::new().await;
    // Every cached copy is old enough to be questioned.
    app.reconfigure(|c| c.places_ttl = std::time::Duration::ZERO);
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let first = c.get(&activity_page(&f)).await;
    assert!(first.body.contains("10 places"));
    // No booking changed: the same copy (its validator says so).
    let again = c.get(&activity_page(&f)).await;
    assert_eq!(again.header("etag"), first.header("etag"));
    // A booking that leaves places: the figure follows.
    book(&app, f.session(), &testing::seats("Awa Diallo", 3)).await;
    let after = c.get(&activity_page(&f)).await;
    assert!(after.body.contains("7 places"), "{}", after.body);
    assert_ne!(after.header("etag"), first.header("etag"));
}
