//! The demo's activities as the editor stores them, and its bookings.

use super::loaded_demo;

/// The demo writes its activities in multi-row statements; saving one
/// again through the editor's storage function changes nothing, neither
/// the activity nor its search tokens and facets.
#[tokio::test]
async fn demo_activities_are_stored_as_the_editor_stores_them() {
    use maillage_db::programme::{activities, projects};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ConnectionTrait, Order};

    let db = loaded_demo().await;
    let c = db.conn();
    let tokens = |id: i64| {
        let q = Query::select()
            .columns(["token", "sort_key"])
            .from("search_tokens")
            .and_where(Expr::col("entity").eq("activity"))
            .and_where(Expr::col("entity_id").eq(id))
            .order_by("token", Order::Asc)
            .take();
        async move {
            c.query_all(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|r| {
                    (
                        r.try_get::<String>("", "token").unwrap(),
                        r.try_get::<String>("", "sort_key").unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let mut checked = 0;
    // Published projects: the next festival's draft activity (an accepted
    // proposal) is not visible, so it has no `v` token.
    for p in projects::list(c, true).await.unwrap() {
        let list = activities::of_project(c, p.id).await.unwrap();
        for a in list.iter().step_by(17) {
            let before = tokens(a.id).await;
            assert!(before.iter().any(|(t, _)| t == "v"), "{}", a.data.title);
            let again = activities::update(c, a.id, &a.data, maillage_db::now())
                .await
                .unwrap();
            assert_eq!(again.data, a.data, "{}", a.data.title);
            assert_eq!(again.organisers, a.organisers);
            assert_eq!(again.speakers, a.speakers);
            assert_eq!(again.sessions, a.sessions);
            assert_eq!(again.first_starts_at, a.first_starts_at);
            assert_eq!(tokens(a.id).await, before, "{}", a.data.title);
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
}

/// The demo books its sessions: the past festival checked in at the door,
/// classes on the Space Buzz planetarium, waiting lists where sessions are
/// full, never more persons than a session holds.
#[tokio::test]
async fn demo_sessions_are_booked_within_their_capacity() {
    use maillage_db::bookings::{self, Counts};
    use maillage_db::programme::{activities, projects};
    use maillage_domain::booking::{BookingKind, BookingStatus};
    use maillage_domain::programme::{Format, ProjectKind};

    let db = loaded_demo().await;
    let c = db.conn();
    let now = maillage_db::now();

    let sessions_of = |list: &[activities::Activity]| -> Vec<i64> {
        list.iter()
            .flat_map(|a| a.sessions.iter().map(|s| s.id))
            .collect()
    };
    let sum = |counts: &std::collections::BTreeMap<i64, Counts>, f: fn(&Counts) -> i64| -> i64 {
        counts.values().map(f).sum()
    };

    // The past festival: checked in, with pupils, adults and the public.
    let festivals = projects::of_kind(c, ProjectKind::Festival).await.unwrap();
    let today = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let latest = festivals
        .iter()
        .filter(|p| p.data.ends_on < today)
        .max_by_key(|p| p.data.starts_on)
        .unwrap();
    let list = activities::of_project(c, latest.id).await.unwrap();
    let counts = bookings::counts_of(c, &sessions_of(&list)).await.unwrap();
    let (checked, pupils, adults, public, no_shows, walk_ins, groups) = (
        sum(&counts, |x| x.checked_in),
        sum(&counts, |x| x.came_pupils),
        sum(&counts, |x| x.came_adults),
        sum(&counts, |x| x.came_public),
        sum(&counts, |x| x.no_shows),
        sum(&counts, |x| x.walk_ins),
        sum(&counts, |x| x.groups),
    );
    eprintln!(
        "past festival: {} sessions booked, {checked} bookings checked in ({groups} classes), \
         {pupils} pupils, {adults} adults, {public} public, {no_shows} no-shows, {walk_ins} walk-ins",
        counts.values().filter(|x| x.bookings > 0).count()
    );
    assert!(checked >= 100, "{checked} checked in");
    assert!(pupils > 0 && adults > 0 && public > 0);
    assert!(no_shows > 0 && walk_ins > 0 && groups > 0);
    // Bookings were made before their sessions, classes with a level.
    let by_session = bookings::of_sessions(c, &sessions_of(&list)).await.unwrap();
    let starts: std::collections::BTreeMap<i64, chrono::DateTime<chrono::Utc>> = list
        .iter()
        .flat_map(|a| a.sessions.iter().map(|s| (s.id, s.data.starts_at)))
        .collect();
    for (s, l) in &by_session {
        for b in l.iter().filter(|b| b.kind != BookingKind::WalkIn) {
            assert!(
                b.created_at < starts[s],
                "booking {} after its session",
                b.id
            );
            assert!(b.email.ends_with("@example.org"), "{}", b.email);
            if b.kind == BookingKind::Group {
                assert!(b.class_level.is_some() && b.school_name.is_some());
            }
        }
    }
    // Where people booked, between half and all of the places were taken.
    let capacities: std::collections::BTreeMap<i64, Option<i32>> = list
        .iter()
        .filter(|a| a.format != Format::Village)
        .flat_map(|a| a.sessions.iter().map(|s| (s.id, s.data.capacity)))
        .collect();
    for (s, x) in &counts {
        if let (Some(Some(cap)), true) = (capacities.get(s), x.bookings > 0 && x.groups == 0) {
            assert!(
                x.held * 2 >= i64::from(*cap),
                "session {s}: {} of {cap}",
                x.held
            );
        }
    }

    // Space Buzz: classes booked on upcoming planetarium sessions, some
    // awaiting approval.
    let buzz = projects::of_kind(c, ProjectKind::SchoolProgramme)
        .await
        .unwrap();
    let list = activities::of_project(c, buzz[0].id).await.unwrap();
    let planetarium: Vec<i64> = list
        .iter()
        .filter(|a| a.format == Format::Planetarium)
        .flat_map(|a| a.sessions.iter())
        .filter(|s| s.data.starts_at > now)
        .map(|s| s.id)
        .collect();
    let counts = bookings::counts_of(c, &planetarium).await.unwrap();
    let with_class = counts.values().filter(|x| x.groups == 1).count();
    assert!(
        with_class >= 10,
        "{with_class} planetarium sessions with a class"
    );
    assert!(counts.values().any(|x| x.pending > 0));
    assert!(counts.values().any(|x| x.confirmed > 0));
    assert!(planetarium.len() > with_class, "some slots are still free");

    // Every session: never more persons than the capacity; at least one
    // upcoming session full with a waiting list, one offer pending.
    let mut all = Vec::new();
    for p in projects::list(c, false).await.unwrap() {
        all.extend(sessions_of(&activities::of_project(c, p.id).await.unwrap()));
    }
    let counts = bookings::counts_of(c, &all).await.unwrap();
    let mut full_with_list = 0;
    let mut open = 0;
    for s in &all {
        let place = bookings::bookable(c, *s).await.unwrap().unwrap();
        let x = counts.get(s).copied().unwrap_or_default();
        if let Some(cap) = place.capacity {
            assert!(x.held <= i64::from(cap), "session {s}: {} > {cap}", x.held);
            if place.starts_at > now && place.kind().is_some() {
                if x.held == i64::from(cap) && x.waitlisted_entries > 0 {
                    full_with_list += 1;
                } else if x.bookings > 0 && x.held < i64::from(cap) {
                    open += 1;
                }
            }
        }
    }
    assert!(
        full_with_list >= 1 && open >= 5,
        "{full_with_list} full, {open} open"
    );
    let offers: usize = bookings::of_sessions(c, &all)
        .await
        .unwrap()
        .values()
        .flatten()
        .filter(|b| b.status == BookingStatus::Offered && b.offer_expires_at > Some(now))
        .count();
    assert!(offers >= 1, "an offer pending");
}
