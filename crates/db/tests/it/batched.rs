//! The batched writers (`activities::insert_many`,
//! `questionnaires::respond_many`) store exactly what the one-row
//! functions store.

use chrono::{DateTime, NaiveDate, Utc};
use maillage_db::forms;
use maillage_db::forms::questionnaires::{self, Filter as Responses, NewResponse, Refused};
use maillage_db::programme::activities::{self, Activity, ActivityData, Filter};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::venues::{self, VenueData};
use maillage_db::{Db, PageRequest, now, organisations, people};
use maillage_domain::directory::Theme;
use maillage_domain::forms::{Answer, Answers};
use maillage_domain::programme::{ActivityStatus, Audience, Format, SchoolLevel, SessionStatus};

fn paris(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    maillage_db::testing::paris(2025, m, d, h, 0)
}

fn session(d: u32, h: u32, capacity: Option<i32>) -> SessionData {
    SessionData {
        starts_at: paris(10, d, h),
        ends_at: paris(10, d, h + 1),
        capacity,
        status: SessionStatus::Scheduled,
        venue_id: None,
    }
}

async fn project(db: &Db, slug: &str) -> i64 {
    crate::programme::project(db, slug).await.id
}

/// What an activity is, without what differs between two copies of it.
fn comparable(a: &Activity) -> impl PartialEq + std::fmt::Debug {
    let sessions: Vec<SessionData> = a.sessions.iter().map(|s| s.data.clone()).collect();
    let mut data = a.data.clone();
    data.project_id = 0;
    data.parent_id = data.parent_id.map(|_| 0);
    (
        data,
        a.organisers.clone(),
        a.speakers.clone(),
        a.venue.clone(),
        sessions,
        a.first_starts_at,
        (a.format, a.status, a.registration),
    )
}

#[tokio::test]
async fn activities_written_together_are_stored_as_one_by_one() {
    let db = crate::db().await;
    let (c, t) = (db.conn(), now());
    let org = organisations::create(c, "Territoire de Sciences", t)
        .await
        .unwrap();
    let other = organisations::create(c, "Muséum de Grenoble", t)
        .await
        .unwrap();
    let in_pont_de_claix = VenueData {
        name: "Cosmocité".into(),
        commune_insee: Some("38317".into()),
        ..VenueData::default()
    };
    let venue = venues::insert(c, &in_pont_de_claix, t).await.unwrap();
    let mut speakers = Vec::new();
    for last in ["Reeves", "Curie"] {
        let p = people::PersonData {
            last_name: last.into(),
            ..Default::default()
        };
        speakers.push(people::insert(c, &p, t).await.unwrap().id);
    }
    let data = |project: i64, parent: Option<i64>| {
        vec![
            (
                ActivityData {
                    project_id: project,
                    parent_id: parent,
                    slug: "planetarium".into(),
                    title: "Voyage au planétarium".into(),
                    format: Some(Format::Planetarium),
                    audiences: vec![Audience::School, Audience::Families, Audience::School],
                    levels: vec![SchoolLevel::College],
                    themes: vec![Theme::Physics, Theme::Astronomy, Theme::Physics],
                    organisations: vec![other.id, org.id, other.id],
                    speakers: vec![speakers[1], speakers[0], speakers[1]],
                    venue_id: Some(venue.id),
                    free: true,
                    status: Some(ActivityStatus::Published),
                    ..Default::default()
                },
                vec![session(9, 10, Some(90)), session(7, 14, None)],
            ),
            (
                ActivityData {
                    project_id: project,
                    parent_id: parent,
                    slug: "atelier".into(),
                    title: "Atelier robots".into(),
                    format: Some(Format::Workshop),
                    ..Default::default()
                },
                vec![],
            ),
            (
                ActivityData {
                    project_id: project,
                    parent_id: parent,
                    slug: "exposition".into(),
                    title: "Exposition des glaciers".into(),
                    format: Some(Format::Exhibition),
                    themes: vec![Theme::Earth],
                    organisations: vec![org.id],
                    status: Some(ActivityStatus::Published),
                    ..Default::default()
                },
                vec![session(11, 10, None)],
            ),
        ]
    };

    // One by one, as the editor writes them.
    let one_by_one = project(&db, "un-par-un").await;
    let mut singles = Vec::new();
    for (d, list) in data(one_by_one, None) {
        let a = activities::insert(c, &d, t).await.unwrap();
        sessions::insert_many(c, a.id, &list, t).await.unwrap();
        singles.push(activities::find(c, a.id).await.unwrap().unwrap());
    }

    // Together, under a parent written in an earlier batch.
    let together = project(&db, "ensemble").await;
    let village = ActivityData {
        project_id: together,
        slug: "village".into(),
        title: "Village des sciences".into(),
        ..Default::default()
    };
    let parent = activities::insert_many(c, &[(&village, &[])], t)
        .await
        .unwrap();
    let batch = data(together, Some(parent[0]));
    let list: Vec<(&ActivityData, &[SessionData])> =
        batch.iter().map(|(d, s)| (d, s.as_slice())).collect();
    let ids = activities::insert_many(c, &list, t).await.unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids.is_sorted() && ids[0] > parent[0], "{parent:?} {ids:?}");
    for (id, single) in ids.iter().zip(&singles) {
        let a = activities::find(c, *id).await.unwrap().unwrap();
        assert_eq!(a.data.project_id, together);
        assert_eq!(a.data.parent_id, Some(parent[0]));
        let mut single = single.clone();
        single.data.parent_id = Some(0);
        assert_eq!(comparable(&a), comparable(&single), "{}", a.data.slug);
    }
    let planetarium = activities::find(c, ids[0]).await.unwrap().unwrap();
    assert_eq!(planetarium.data.speakers, vec![speakers[1], speakers[0]]);
    assert_eq!(planetarium.first_starts_at, Some(paris(10, 7, 14)));

    // The index finds the same activities in both projects.
    let found = |project: i64, f: Filter| async move {
        let f = Filter {
            project_id: Some(project),
            ..f
        };
        let page = activities::list(c, &f, PageRequest::default())
            .await
            .unwrap();
        page.items
            .iter()
            .map(|a| a.data.slug.clone())
            .collect::<Vec<_>>()
    };
    let filters = || {
        [
            Filter {
                query: Some("planetarium reeves".into()),
                ..Default::default()
            },
            Filter {
                communes: Some(vec!["38317".into()]),
                ..Default::default()
            },
            Filter {
                theme: Some(Theme::Earth),
                public_only: true,
                ..Default::default()
            },
            Filter {
                from: NaiveDate::from_ymd_opt(2025, 10, 11),
                to: NaiveDate::from_ymd_opt(2025, 10, 11),
                ..Default::default()
            },
            Filter {
                status: Some(ActivityStatus::Draft),
                query: Some("robots".into()),
                ..Default::default()
            },
        ]
    };
    for (a, b) in filters().into_iter().zip(filters()) {
        let (singly, batched) = (found(one_by_one, a).await, found(together, b).await);
        assert_eq!(singly.len(), 1, "{singly:?}");
        assert_eq!(singly, batched);
    }
}

const RATING: &str = r#"{"items":[{"type":"field","key":"rating","label":"Note","required":true,
    "kind":{"type":"scale","min":1,"max":5}}]}"#;

async fn questionnaire(db: &Db, one_per_link: bool) -> forms::Form {
    crate::forms::questionnaire(db, RATING, one_per_link).await
}

fn response(rating: f64, commune: &str, link: Option<&'static str>) -> NewResponse<'static> {
    let mut answers = Answers::default();
    answers.insert("rating", Answer::Number(rating));
    NewResponse {
        answers,
        commune_insee: Some(commune.into()),
        link_token: link,
        ..Default::default()
    }
}

#[tokio::test]
async fn responses_written_together_are_recorded_as_one_by_one() {
    let db = crate::db().await;
    let c = db.conn();
    let form = questionnaire(&db, false).await;
    // A late evening in Paris is the next day in UTC: the day is Paris's.
    let list = vec![
        (response(5.0, "38185", None), paris(10, 4, 23)),
        (response(4.0, "38185", None), paris(10, 5, 12)),
        (response(2.0, "38317", None), paris(10, 5, 16)),
    ];
    let recorded = questionnaires::respond_many(c, form.id, &list)
        .await
        .unwrap();
    assert_eq!(recorded, Ok(3));
    let one = questionnaires::respond(c, form.id, &list[0].0, paris(10, 4, 23))
        .await
        .unwrap();
    assert!(one.is_ok());
    let count = |f: Responses| async move { questionnaires::count(c, form.id, &f).await.unwrap() };
    assert_eq!(count(Responses::default()).await, 4);
    let day = |d: u32| NaiveDate::from_ymd_opt(2025, 10, d);
    let on = |d: u32| Responses {
        from: day(d),
        to: day(d),
        ..Default::default()
    };
    assert_eq!(count(on(4)).await, 2);
    assert_eq!(count(on(5)).await, 2);
    let in_pont_de_claix = Responses {
        commune_insee: Some("38317".into()),
        ..Default::default()
    };
    assert_eq!(count(in_pont_de_claix).await, 1);

    // One response per link: a link that answered is skipped, even twice
    // in the same batch; a response without a link refuses the batch.
    let linked = questionnaire(&db, true).await;
    let issued = forms::links::issue(c, linked.id, 4, now()).await.unwrap();
    let t: Vec<&'static str> = issued
        .into_iter()
        .map(|t| &*Box::leak(t.into_boxed_str()))
        .collect();
    let (a, b, cc, d) = (t[0], t[1], t[2], t[3]);
    questionnaires::respond(c, linked.id, &response(3.0, "38185", Some(a)), now())
        .await
        .unwrap()
        .unwrap();
    let list = vec![
        (response(5.0, "38185", Some(a)), now()),
        (response(4.0, "38185", Some(b)), now()),
        (response(1.0, "38185", Some(b)), now()),
        (response(2.0, "38185", Some(cc)), now()),
    ];
    let recorded = questionnaires::respond_many(c, linked.id, &list)
        .await
        .unwrap();
    assert_eq!(recorded, Ok(2));
    let without = vec![
        (response(4.0, "38185", Some(d)), now()),
        (response(4.0, "38185", None), now()),
    ];
    let refused = questionnaires::respond_many(c, linked.id, &without)
        .await
        .unwrap();
    assert_eq!(refused, Err(Refused::LinkRequired));
    // A link nobody issued refuses the batch too.
    let made_up = vec![
        (response(4.0, "38185", Some(d)), now()),
        (response(4.0, "38185", Some("made-up")), now()),
    ];
    let refused = questionnaires::respond_many(c, linked.id, &made_up)
        .await
        .unwrap();
    assert_eq!(refused, Err(Refused::LinkRequired));
    let total = questionnaires::count(c, linked.id, &Responses::default())
        .await
        .unwrap();
    assert_eq!(total, 3, "nothing written from a refused batch");
    let missing = questionnaires::respond_many(c, linked.id + 100, &list)
        .await
        .unwrap();
    assert_eq!(missing, Err(Refused::NotFound));
}
