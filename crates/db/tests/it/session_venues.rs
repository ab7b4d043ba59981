//! A session held elsewhere than its activity: filters, the venue planning,
//! the public venues and the bilan's communes follow the session's place.

use maillage_db::programme::activities::{self, Filter};
use maillage_db::programme::public_venues;
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::{self, paris};
use maillage_db::venues::{self, VenueData};
use maillage_db::{PageRequest, bookings, now, reports};
use maillage_domain::programme::SessionStatus;

#[tokio::test]
async fn a_touring_activity_is_found_counted_and_planned_where_each_session_is() {
    let db = crate::db().await;
    let c = db.conn();
    let t = now();
    let p = testing::project(
        c,
        &testing::project_data("fds-2025", "Fête de la science", 2025),
    )
    .await;
    let venue = |name: &'static str, insee: &'static str| {
        let db = db.clone();
        async move {
            venues::insert(
                db.conn(),
                &VenueData {
                    name: name.into(),
                    commune_insee: Some(insee.into()),
                    ..Default::default()
                },
                now(),
            )
            .await
            .unwrap()
        }
    };
    let voiron = venue("Médiathèque Philippe Sollers", "38563").await;
    let vif = venue("Médiathèque de Vif", "38545").await;
    let a = activities::insert(
        c,
        &maillage_db::programme::activities::ActivityData {
            venue_id: Some(voiron.id),
            ..testing::published_activity(p.id, "expo-climat", "Exposition : le climat change")
        },
        t,
    )
    .await
    .unwrap();
    let day = |d, venue_id| SessionData {
        starts_at: paris(2025, 10, d, 10, 0),
        ends_at: paris(2025, 10, d, 17, 0),
        capacity: None,
        status: SessionStatus::Scheduled,
        venue_id,
    };
    sessions::insert_many(
        c,
        a.id,
        &[day(6, None), day(8, Some(vif.id)), day(9, Some(vif.id))],
        t,
    )
    .await
    .unwrap();
    let a = activities::find(c, a.id).await.unwrap().unwrap();
    let places: Vec<&str> = a
        .sessions
        .iter()
        .map(|s| a.venue_of(s).unwrap().data.name.as_str())
        .collect();
    assert_eq!(
        places,
        [
            "Médiathèque Philippe Sollers",
            "Médiathèque de Vif",
            "Médiathèque de Vif"
        ]
    );
    assert_eq!(a.venues().len(), 2);

    // Filters: in each commune.
    for insee in ["38563", "38545"] {
        let found = activities::list(
            c,
            &Filter {
                communes: Some(vec![insee.into()]),
                public_only: true,
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(found.total, 1, "{insee}");
    }
    // Words: the other venue's name finds it.
    let found = activities::list(
        c,
        &Filter {
            query: Some("vif".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 1);

    // The venue planning of Vif shows its two sessions, Voiron its one.
    let from = paris(2025, 10, 1, 0, 0);
    let to = paris(2025, 10, 31, 0, 0);
    assert_eq!(
        sessions::at_venue(c, vif.id, from, to).await.unwrap().len(),
        2
    );
    assert_eq!(
        sessions::at_venue(c, voiron.id, from, to)
            .await
            .unwrap()
            .len(),
        1
    );

    // The public venues: both.
    let listed = public_venues::list(c, &public_venues::Filter::default(), None, 50)
        .await
        .unwrap();
    let mut names: Vec<&str> = listed.items.iter().map(|v| v.data.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["Médiathèque Philippe Sollers", "Médiathèque de Vif"]
    );

    // The bilan: one activity in each commune, its sessions and who came where.
    bookings::walk_in(c, a.sessions[0].id, 0, 0, 12, t)
        .await
        .unwrap();
    bookings::walk_in(c, a.sessions[1].id, 20, 2, 0, t)
        .await
        .unwrap();
    bookings::walk_in(c, a.sessions[2].id, 0, 0, 7, t)
        .await
        .unwrap();
    let figures = reports::by_commune(c, p.id).await.unwrap();
    let voiron_f = &figures["38563"];
    let vif_f = &figures["38545"];
    assert_eq!(
        (
            voiron_f.activities,
            voiron_f.sessions,
            voiron_f.attendance()
        ),
        (1, 1, 12)
    );
    assert_eq!(
        (vif_f.activities, vif_f.sessions, vif_f.attendance()),
        (1, 2, 29)
    );

    // Moving the session back to the activity's venue moves it everywhere.
    let s = &a.sessions[2];
    sessions::update(
        c,
        s.id,
        &SessionData {
            venue_id: None,
            ..s.data.clone()
        },
        t,
    )
    .await
    .unwrap();
    let figures = reports::by_commune(c, p.id).await.unwrap();
    assert_eq!(figures["38563"].sessions, 2);
    assert_eq!(figures["38545"].sessions, 1);
}
