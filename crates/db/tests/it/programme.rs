use chrono::NaiveDate;
use maillage_db::organisations;
use maillage_db::programme::activities::{self, ActivityData, Filter};
use maillage_db::programme::projects::{self};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::paris;
use maillage_db::venues::{self, VenueData};
use maillage_db::{Db, PageRequest, counters, now, people, testing};
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, PartnerRole, SchoolLevel, SessionStatus,
};

pub(crate) async fn project(db: &Db, slug: &str) -> projects::Project {
    testing::project(
        db.conn(),
        &testing::project_data(slug, "Fête de la science 2025", 2025),
    )
    .await
}

#[tokio::test]
async fn activities_sessions_filters_and_the_programme_version() {
    let db = crate::db().await;
    let t = now();
    let p = project(&db, "fds-2025").await;
    let v0 = counters::get(db.conn(), counters::PROGRAMME).await.unwrap();
    let org = organisations::create(db.conn(), "Territoire de Sciences", t)
        .await
        .unwrap();
    projects::set_partners(
        db.conn(),
        p.id,
        &[
            (org.id, PartnerRole::Organiser),
            (org.id, PartnerRole::Organiser),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        projects::find_by_slug(db.conn(), "fds-2025")
            .await
            .unwrap()
            .unwrap()
            .partners
            .len(),
        1
    );
    let cosmo = venues::insert(
        db.conn(),
        &VenueData {
            name: "Cosmocité".into(),
            commune_insee: Some("38317".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let speaker = people::insert(
        db.conn(),
        &people::PersonData {
            first_name: Some("Hubert".into()),
            last_name: "Reeves".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let planetarium = activities::insert(
        db.conn(),
        &ActivityData {
            project_id: p.id,
            slug: "voyage-planetarium".into(),
            title: "Voyage au planétarium".into(),
            summary: Some("Les étoiles d'automne".into()),
            format: Some(Format::Planetarium),
            audiences: vec![Audience::School, Audience::Families],
            levels: vec![SchoolLevel::College, SchoolLevel::Lycee],
            themes: vec![Theme::Astronomy],
            organisations: vec![org.id],
            speakers: vec![speaker.id],
            venue_id: Some(cosmo.id),
            free: true,
            status: Some(ActivityStatus::Published),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let draft = activities::insert(
        db.conn(),
        &ActivityData {
            project_id: p.id,
            slug: "atelier".into(),
            title: "Atelier robots".into(),
            format: Some(Format::Workshop),
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert_many(
        db.conn(),
        planetarium.id,
        &[
            SessionData {
                starts_at: paris(2025, 10, 9, 10, 0),
                ends_at: paris(2025, 10, 9, 11, 0),
                capacity: Some(90),
                status: SessionStatus::Scheduled,
                venue_id: None,
            },
            SessionData {
                starts_at: paris(2025, 10, 7, 14, 0),
                ends_at: paris(2025, 10, 7, 15, 0),
                capacity: None,
                status: SessionStatus::Scheduled,
                venue_id: None,
            },
        ],
        t,
    )
    .await
    .unwrap();
    assert!(
        counters::get(db.conn(), counters::PROGRAMME).await.unwrap() > v0,
        "changes bump the version"
    );

    let a = activities::find_by_slug(db.conn(), p.id, "voyage-planetarium")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.sessions.len(), 2);
    assert_eq!(
        a.sessions[0].data.starts_at,
        paris(2025, 10, 7, 14, 0),
        "sessions in time order"
    );
    assert_eq!(a.first_starts_at, Some(paris(2025, 10, 7, 14, 0)));
    assert_eq!(
        a.organisers,
        vec![(org.id, "Territoire de Sciences".to_owned())]
    );
    assert_eq!(a.speakers[0].1, "Hubert Reeves");
    assert_eq!(
        a.venue.as_ref().unwrap().data.commune_insee.as_deref(),
        Some("38317")
    );
    assert_eq!(
        a.data.levels,
        vec![SchoolLevel::College, SchoolLevel::Lycee]
    );

    let find = |f: Filter| {
        let db = db.db.clone();
        async move {
            activities::list(db.conn(), &f, PageRequest::default())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|a| a.data.title)
                .collect::<Vec<_>>()
        }
    };
    let public = Filter {
        project_id: Some(p.id),
        public_only: true,
        ..Default::default()
    };
    assert_eq!(
        find(public.clone()).await,
        ["Voyage au planétarium"],
        "drafts are not public"
    );
    assert_eq!(
        find(Filter {
            query: Some("planetarium".into()),
            ..public.clone()
        })
        .await
        .len(),
        1,
        "accent-insensitive"
    );
    assert_eq!(
        find(Filter {
            query: Some("reeves".into()),
            ..public.clone()
        })
        .await
        .len(),
        1,
        "by speaker"
    );
    assert_eq!(
        find(Filter {
            communes: Some(vec!["38317".into()]),
            level: Some(SchoolLevel::College),
            ..public.clone()
        })
        .await
        .len(),
        1
    );
    assert!(
        find(Filter {
            level: Some(SchoolLevel::Maternelle),
            ..public.clone()
        })
        .await
        .is_empty()
    );
    let day = |d| NaiveDate::from_ymd_opt(2025, 10, d).unwrap();
    assert_eq!(
        find(Filter {
            from: Some(day(9)),
            to: Some(day(9)),
            ..public.clone()
        })
        .await
        .len(),
        1
    );
    assert!(
        find(Filter {
            from: Some(day(10)),
            to: Some(day(12)),
            ..public.clone()
        })
        .await
        .is_empty()
    );
    assert!(
        find(Filter {
            from: Some(day(12)),
            to: Some(day(10)),
            ..public.clone()
        })
        .await
        .is_empty(),
        "reversed range"
    );
    // One end alone is open: from a day on, up to a day.
    for (from, to, n) in [
        (Some(day(8)), None, 1),
        (Some(day(10)), None, 0),
        (None, Some(day(7)), 1),
        (None, Some(day(6)), 0),
        (Some(day(1)), Some(day(31)), 1),
    ] {
        let found = find(Filter {
            from,
            to,
            ..public.clone()
        })
        .await;
        assert_eq!(found.len(), n, "{from:?} → {to:?}");
    }
    assert_eq!(
        find(Filter {
            project_id: Some(p.id),
            ..Default::default()
        })
        .await
        .len(),
        2
    );

    // Renaming the venue re-indexes its activities.
    venues::update(
        db.conn(),
        cosmo.id,
        &VenueData {
            name: "Cosmocité — planétarium".into(),
            commune_insee: Some("38185".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    assert!(
        find(Filter {
            communes: Some(vec!["38317".into()]),
            ..public.clone()
        })
        .await
        .is_empty()
    );
    assert_eq!(
        find(Filter {
            communes: Some(vec!["38185".into()]),
            ..public.clone()
        })
        .await
        .len(),
        1
    );

    // Bulk publish, delete a session, delete an activity.
    activities::set_status(db.conn(), &[draft.id], ActivityStatus::Published, t)
        .await
        .unwrap();
    assert_eq!(find(public.clone()).await.len(), 2);
    let s = a.sessions[0].id;
    assert!(sessions::delete(db.conn(), s).await.unwrap());
    let a = activities::find(db.conn(), a.id).await.unwrap().unwrap();
    assert_eq!(a.first_starts_at, Some(paris(2025, 10, 9, 10, 0)));
    assert!(
        find(Filter {
            from: Some(day(7)),
            to: Some(day(7)),
            ..public.clone()
        })
        .await
        .is_empty()
    );
    assert!(activities::delete(db.conn(), draft.id).await.unwrap());
    assert_eq!(find(public).await.len(), 1);
}

#[tokio::test]
async fn slugs_reconduction_and_merges_keep_programme_links() {
    let db = crate::db().await;
    let t = now();
    let p24 = project(&db, "fds-2024").await;
    let p25 = project(&db, "fds-2025").await;
    let a = activities::insert(
        db.conn(),
        &ActivityData {
            project_id: p24.id,
            slug: "club-astro".into(),
            title: "Club astro".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    assert_eq!(
        activities::free_slug(db.conn(), p24.id, "Club astro", None)
            .await
            .unwrap(),
        "club-astro-2"
    );
    assert_eq!(
        activities::free_slug(db.conn(), p25.id, "Club astro", None)
            .await
            .unwrap(),
        "club-astro"
    );
    sessions::insert(
        db.conn(),
        a.id,
        &SessionData {
            starts_at: paris(2024, 10, 5, 10, 0),
            ends_at: paris(2024, 10, 5, 12, 0),
            capacity: None,
            status: SessionStatus::Scheduled,
            venue_id: None,
        },
        t,
    )
    .await
    .unwrap();
    let copy = activities::copy_to_project(db.conn(), a.id, p25.id, t)
        .await
        .unwrap();
    assert_eq!(copy.data.project_id, p25.id);
    assert_eq!(copy.status, ActivityStatus::Draft);
    assert!(copy.sessions.is_empty(), "sessions are not copied");
    assert_eq!(copy.data.slug, "club-astro");

    // Merging organisations and people moves programme links too.
    let o1 = organisations::create(db.conn(), "Club A", t).await.unwrap();
    let o2 = organisations::create(db.conn(), "Club A bis", t)
        .await
        .unwrap();
    let p1 = people::insert(
        db.conn(),
        &people::PersonData {
            last_name: "Curie".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let p2 = people::insert(
        db.conn(),
        &people::PersonData {
            last_name: "Curie".into(),
            first_name: Some("Marie".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let mut d = copy.data.clone();
    d.organisations = vec![o1.id, o2.id];
    d.speakers = vec![p2.id];
    activities::update(db.conn(), copy.id, &d, t).await.unwrap();
    projects::set_partners(db.conn(), p25.id, &[(o2.id, PartnerRole::Funder)])
        .await
        .unwrap();
    organisations::merge(db.conn(), o1.id, o2.id, t)
        .await
        .unwrap();
    people::merge(db.conn(), p1.id, p2.id, t).await.unwrap();
    let after = activities::find(db.conn(), copy.id).await.unwrap().unwrap();
    assert_eq!(after.data.organisations, vec![o1.id]);
    assert_eq!(after.data.speakers, vec![p1.id]);
    assert_eq!(
        projects::find(db.conn(), p25.id)
            .await
            .unwrap()
            .unwrap()
            .partners[0]
            .organisation_id,
        o1.id
    );
    assert!(projects::delete(db.conn(), p24.id).await.unwrap());
    assert!(
        activities::find(db.conn(), a.id).await.unwrap().is_none(),
        "activities go with their project"
    );
}

/// Databases indexed before the `pv:` facet existed get it from migration 5:
/// a project's public programme is then found through it as before.
#[tokio::test]
async fn the_public_project_facet_is_added_to_activities_indexed_before_it() {
    use maillage_db::ConnectionTrait;
    use maillage_db::migrate::MIGRATIONS;
    let db = crate::db().await;
    let t = now();
    let p = project(&db, "fds-old").await;
    let mut ids = Vec::new();
    for (slug, status) in [
        ("public", ActivityStatus::Published),
        ("draft", ActivityStatus::Draft),
    ] {
        let a = activities::insert(
            db.conn(),
            &ActivityData {
                project_id: p.id,
                slug: slug.into(),
                title: format!("Atelier {slug}"),
                status: Some(status),
                ..Default::default()
            },
            t,
        )
        .await
        .unwrap();
        ids.push(a.id);
    }
    let public = Filter {
        project_id: Some(p.id),
        public_only: true,
        ..Default::default()
    };
    let found = |page: maillage_db::Page<activities::Activity>| {
        page.items.iter().map(|a| a.id).collect::<Vec<_>>()
    };
    let all = PageRequest::new(1, 50);
    assert_eq!(
        found(activities::list(db.conn(), &public, all).await.unwrap()),
        vec![ids[0]]
    );
    // As an index written by the previous version: no `pv:` token.
    let c = db.conn();
    let backend = c.get_database_backend();
    c.execute_unprepared("DELETE FROM search_tokens WHERE token LIKE 'pv:%'")
        .await
        .unwrap();
    assert!(
        found(activities::list(c, &public, all).await.unwrap()).is_empty(),
        "the public programme is read from the pv: facet"
    );
    let m5 = MIGRATIONS.iter().find(|m| m.version == 5).unwrap();
    assert_eq!(m5.name, "public_project_facet");
    for statement in (m5.statements)() {
        c.execute_raw(statement.build(&backend)).await.unwrap();
    }
    assert_eq!(
        found(activities::list(c, &public, all).await.unwrap()),
        vec![ids[0]],
        "only the public activity gets the facet"
    );
}
