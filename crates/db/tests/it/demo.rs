use maillage_db::audit::{self, AuditFilter};
use maillage_db::demo::{self, Outcome};
use maillage_db::organisations::{self, Filter};
use maillage_db::venues;
use maillage_db::{PageRequest, people, users};
use maillage_domain::directory::{OrgKind, SpaceKind};
use maillage_domain::{Email, Role};
use std::collections::BTreeSet;

#[tokio::test]
async fn demo_loads_once_with_one_account_per_role() {
    let db = crate::db().await;
    let Outcome::Loaded(accounts) = demo::load(&db).await.unwrap() else {
        panic!("empty database must load");
    };
    let roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
    for r in Role::ALL {
        assert!(roles.contains(&r), "{r:?}");
    }
    for a in &accounts {
        let (u, hash) = users::credentials(db.conn(), &Email::parse(&a.email).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(hash.unwrap().verify(&a.password));
        assert_eq!(u.organisation_id.is_some(), u.role == Role::Partner);
        if let Some(org) = u.organisation_id {
            let org = organisations::find(db.conn(), org).await.unwrap().unwrap();
            assert_eq!(org.name(), "Les Petits Débrouillards Auvergne-Rhône-Alpes");
            assert_eq!(org.kind, OrgKind::Association);
        }
    }
    assert!(matches!(
        demo::load(&db).await.unwrap(),
        Outcome::NotEmpty { users: 5 }
    ));
}

#[tokio::test]
async fn demo_directory_is_a_network_across_isere() {
    let db = crate::db().await;
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
    let c = db.conn();

    let orgs = organisations::list_all_matching(c, &Filter::default())
        .await
        .unwrap();
    assert!(orgs.len() >= 80, "{} organisations", orgs.len());
    let kinds: BTreeSet<OrgKind> = orgs.iter().map(|o| o.kind).collect();
    for k in OrgKind::ALL {
        assert!(kinds.contains(k), "no organisation of kind {k:?}");
    }
    let communes: BTreeSet<&str> = orgs
        .iter()
        .filter_map(|o| o.data.commune_insee.as_deref())
        .collect();
    assert!(communes.iter().all(|c| c.starts_with("38")), "{communes:?}");
    assert!(communes.len() >= 60, "{} communes", communes.len());
    let tds = organisations::find_by_name(c, "Territoire de Sciences")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tds.kind, OrgKind::Museum);
    assert_eq!(tds.data.commune_insee.as_deref(), Some("38185"));

    let people = people::count(c).await.unwrap();
    assert!(people >= 150, "{people} people");
    let members = people::members_of(c, tds.id).await.unwrap();
    assert!(members.iter().all(|(_, f)| f.is_some()));
    assert!(members.len() >= 10);

    let all_venues = venues::list_all_matching(c, &venues::Filter::default())
        .await
        .unwrap();
    assert!(all_venues.len() >= 25, "{} venues", all_venues.len());
    let venue = |name: &str| {
        all_venues
            .iter()
            .find(|v| v.data.name == name)
            .unwrap_or_else(|| panic!("no venue {name}"))
    };
    let casemate = venue("La Casemate");
    assert_eq!(casemate.data.commune_insee.as_deref(), Some("38185"));
    assert_eq!(casemate.data.organisation_id, Some(tds.id));
    let kinds: Vec<SpaceKind> = casemate.spaces.iter().map(|s| s.data.kind).collect();
    assert!(kinds.contains(&SpaceKind::FabLab) && kinds.contains(&SpaceKind::MediaLab));
    let cosmocite = venue("Cosmocité");
    assert_eq!(cosmocite.data.commune_insee.as_deref(), Some("38317"));
    assert_eq!(cosmocite.data.organisation_id, Some(tds.id));
    let kinds: Vec<SpaceKind> = cosmocite.spaces.iter().map(|s| s.data.kind).collect();
    for k in [
        SpaceKind::Planetarium,
        SpaceKind::ImmersiveRoom,
        SpaceKind::Belvedere,
        SpaceKind::ExhibitionFloor,
    ] {
        assert!(kinds.contains(&k), "Cosmocité has no {k:?}");
    }
    assert!(
        cosmocite
            .spaces
            .iter()
            .any(|s| s.data.name == "Plateau jeunes publics (dès 3 ans)")
    );

    // One audit entry per record created.
    for (entity, at_least) in [("organisation", orgs.len()), ("person", 150), ("venue", 25)] {
        let page = audit::list(
            c,
            &AuditFilter {
                entity_type: Some(entity.into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert!(page.total >= at_least as u64, "{entity}: {}", page.total);
    }
}

/// The programme is laid out relative to the day of loading: last
/// October's Fête de la science and the one before, and projects open for
/// booking in the coming months.
#[tokio::test]
async fn demo_programme_is_relative_to_today() {
    use chrono::{Datelike, TimeDelta};
    use chrono_tz::Europe::Paris;
    use maillage_db::programme::{activities, projects};
    use maillage_domain::programme::{
        ActivityStatus, Audience, Format, ProjectKind, ProjectStatus, SchoolLevel,
    };

    let db = crate::db().await;
    let started = std::time::Instant::now();
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
    eprintln!("demo loaded in {:?}", started.elapsed());
    let c = db.conn();
    let now = maillage_db::now();
    let today = now.with_timezone(&Paris).date_naive();

    let all_festivals = projects::of_kind(c, ProjectKind::Festival).await.unwrap();
    assert_eq!(all_festivals.len(), 3, "two editions and the next one");
    let next = all_festivals.last().unwrap();
    assert_eq!(next.data.status, ProjectStatus::Draft, "in preparation");
    assert!(next.data.starts_on > today);
    let festivals: Vec<_> = all_festivals
        .iter()
        .filter(|p| p.data.ends_on < today)
        .cloned()
        .collect();
    assert_eq!(
        festivals.len(),
        2,
        "two past editions of the Fête de la science"
    );
    let (earlier, latest) = (&festivals[0], &festivals[1]);
    for p in [earlier, latest] {
        assert_eq!(p.data.status, ProjectStatus::Published);
        assert_eq!(p.data.starts_on.month(), 10, "{}", p.data.name);
        assert!(p.data.ends_on < today, "{} is past", p.data.name);
        let full = projects::find(c, p.id).await.unwrap().unwrap();
        assert!(full.partners.len() >= 5, "{} partners", full.partners.len());
    }
    assert!(earlier.data.ends_on < latest.data.starts_on);
    assert_eq!(
        latest.data.starts_on.year(),
        earlier.data.starts_on.year() + 1
    );
    // The most recent past October: less than a year and a half ago.
    assert!((today - latest.data.ends_on).num_days() < 400);

    let stats = |list: &[activities::Activity]| {
        let published = list
            .iter()
            .filter(|a| a.status == ActivityStatus::Published)
            .count();
        let sessions: usize = list.iter().map(|a| a.sessions.len()).sum();
        let communes: BTreeSet<String> = list
            .iter()
            .filter(|a| a.status.is_public())
            .filter_map(|a| a.venue.as_ref()?.commune_insee.clone())
            .collect();
        (published, sessions, communes)
    };
    let latest_list = activities::of_project(c, latest.id).await.unwrap();
    let (published, sessions, communes) = stats(&latest_list);
    eprintln!(
        "latest edition: {} activities ({published} published), {sessions} sessions, {} communes",
        latest_list.len(),
        communes.len()
    );
    assert!(published >= 200, "{published} published activities");
    assert!(sessions >= 400, "{sessions} sessions");
    assert!(communes.len() >= 60, "{} communes", communes.len());
    assert!(communes.iter().all(|c| c.starts_with("38")));
    for a in &latest_list {
        let (first, last) = (
            latest.data.starts_on,
            latest.data.ends_on + TimeDelta::days(1),
        );
        for s in &a.sessions {
            let day = s.data.starts_at.with_timezone(&Paris).date_naive();
            assert!(day >= first && day < last, "{} on {day}", a.data.title);
        }
    }
    let villages: Vec<&activities::Activity> = latest_list
        .iter()
        .filter(|a| a.format == Format::Village)
        .collect();
    assert!(villages.len() >= 5, "{} villages", villages.len());
    for v in &villages {
        let children = activities::public_children(c, v.id).await.unwrap();
        assert!(
            children.len() >= 3,
            "{}: {} children",
            v.data.title,
            children.len()
        );
    }
    let formats: BTreeSet<Format> = latest_list.iter().map(|a| a.format).collect();
    assert!(formats.len() >= 8, "{formats:?}");
    let levels: BTreeSet<SchoolLevel> = latest_list
        .iter()
        .flat_map(|a| a.data.levels.iter().copied())
        .collect();
    assert_eq!(levels.len(), SchoolLevel::ALL.len(), "{levels:?}");
    assert!(latest_list.iter().any(|a| !a.data.free));
    assert!(latest_list.iter().any(|a| a.data.min_age.is_some()));
    assert!(latest_list.iter().all(|a| !a.organisers.is_empty()));
    assert!(latest_list.iter().any(|a| !a.speakers.is_empty()));

    let earlier_list = activities::of_project(c, earlier.id).await.unwrap();
    let (published_before, _, communes_before) = stats(&earlier_list);
    assert!(published_before >= 120, "{published_before}");
    assert!(communes_before.len() >= 45, "{}", communes_before.len());
    assert!(
        communes_before.difference(&communes).count() >= 3,
        "communes lost"
    );
    assert!(
        communes.difference(&communes_before).count() >= 3,
        "communes gained"
    );

    // The public programme finds them through the index, by commune.
    let page = activities::list(
        c,
        &activities::Filter {
            project_id: Some(latest.id),
            communes: Some(vec!["38185".into()]),
            public_only: true,
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert!(page.total >= 10, "{} in Grenoble", page.total);

    // Space Buzz: planetarium sessions for collège classes at Cosmocité.
    let buzz = projects::of_kind(c, ProjectKind::SchoolProgramme)
        .await
        .unwrap();
    assert_eq!(buzz.len(), 1);
    let buzz_list = activities::of_project(c, buzz[0].id).await.unwrap();
    let planetarium: Vec<&activities::Activity> = buzz_list
        .iter()
        .filter(|a| {
            a.status == ActivityStatus::Published
                && a.data.title.to_lowercase().contains("planétarium")
                && a.data.audiences.contains(&Audience::School)
                && a.data.levels.contains(&SchoolLevel::College)
                && a.venue.as_ref().and_then(|v| v.commune_insee.as_deref()) == Some("38317")
                && a.sessions.iter().any(|s| s.data.starts_at > now)
        })
        .collect();
    assert!(
        planetarium.len() >= 2,
        "{} planetarium activities",
        planetarium.len()
    );
    let future: usize = planetarium
        .iter()
        .map(|a| a.sessions.iter().filter(|s| s.data.starts_at > now).count())
        .sum();
    assert!(future >= 20, "{future} future planetarium sessions");
    let page = activities::list(
        c,
        &activities::Filter {
            query: Some("planétarium".into()),
            level: Some(SchoolLevel::College),
            communes: Some(vec!["38317".into()]),
            from: Some(today),
            to: Some(today + TimeDelta::days(120)),
            public_only: true,
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert!(
        page.total >= 2,
        "{} found by the public filters",
        page.total
    );

    // Every upcoming project, published, with future sessions.
    for kind in [
        ProjectKind::TalkSeries,
        ProjectKind::SchoolProgramme,
        ProjectKind::GameJam,
        ProjectKind::Editathon,
        ProjectKind::Residency,
        ProjectKind::Forum,
    ] {
        let list = projects::of_kind(c, kind).await.unwrap();
        assert_eq!(list.len(), 1, "{kind:?}");
        let p = projects::find(c, list[0].id).await.unwrap().unwrap();
        assert_eq!(p.data.status, ProjectStatus::Published);
        assert!(
            p.data.starts_on > today,
            "{kind:?} starts {}",
            p.data.starts_on
        );
        assert!(p.data.ends_on >= p.data.starts_on);
        assert!(p.partners.len() >= 3, "{kind:?}");
        let acts = activities::of_project(c, p.id).await.unwrap();
        assert!(!acts.is_empty(), "{kind:?}");
        assert!(
            acts.iter()
                .all(|a| a.sessions.iter().all(|s| s.data.starts_at > now)),
            "{kind:?}"
        );
    }
    let cult = projects::of_kind(c, ProjectKind::TalkSeries).await.unwrap();
    let evenings = activities::of_project(c, cult[0].id).await.unwrap();
    assert!(evenings.len() >= 6);
    let months: BTreeSet<u32> = evenings
        .iter()
        .flat_map(|a| &a.sessions)
        .map(|s| s.data.starts_at.with_timezone(&Paris).month())
        .collect();
    assert!(months.len() >= 6, "one evening a month: {months:?}");

    // All sessions end after they start; local times are whole quarter
    // hours in Paris (DST applied).
    for p in projects::list(c, false).await.unwrap() {
        for a in activities::of_project(c, p.id).await.unwrap() {
            for s in &a.sessions {
                assert!(s.data.ends_at > s.data.starts_at, "{}", a.data.title);
                let local = s.data.starts_at.with_timezone(&Paris);
                assert!(
                    local.format("%M").to_string().parse::<u32>().unwrap() % 15 == 0
                        && (8..=21)
                            .contains(&local.format("%H").to_string().parse::<u32>().unwrap()),
                    "{} at {local}",
                    a.data.title
                );
            }
        }
    }
    assert!(matches!(
        demo::load(&db).await.unwrap(),
        Outcome::NotEmpty { .. }
    ));
}

/// The demo writes its activities in multi-row statements; saving one
/// again through the editor's storage function changes nothing, neither
/// the activity nor its search tokens and facets.
#[tokio::test]
async fn demo_activities_are_stored_as_the_editor_stores_them() {
    use maillage_db::programme::{activities, projects};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ConnectionTrait, Order};

    let db = crate::db().await;
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
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

    let db = crate::db().await;
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
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

#[tokio::test]
async fn demo_has_calls_submissions_and_a_questionnaire_with_responses() {
    use maillage_db::forms::{self, calls, questionnaires, submissions, uploads};
    use maillage_domain::forms::review::Status;
    use maillage_domain::forms::{FileKind, Purpose};

    let db = crate::db().await;
    let started = std::time::Instant::now();
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
    eprintln!("demo loaded in {:?}", started.elapsed());
    let c = db.conn();
    let now = maillage_db::now();

    // Both calls are open now and close in a few weeks.
    let open = calls::open(c, now).await.unwrap();
    assert_eq!(open.len(), 2, "{open:?}");
    for call in &open {
        let weeks = (call.data.closes_at - now).num_days();
        assert!(
            (14..=40).contains(&weeks),
            "{}: {weeks} days",
            call.data.title
        );
    }
    let fds = calls::find_by_slug(c, demo::forms::PARTICIPATION_CALL)
        .await
        .unwrap()
        .unwrap();
    let list = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(fds.id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let statuses: Vec<Status> = list.iter().map(|s| s.status).collect();
    for st in [
        Status::Accepted,
        Status::Rejected,
        Status::Submitted,
        Status::UnderReview,
    ] {
        assert!(statuses.contains(&st), "{st:?} in {statuses:?}");
    }
    let accepted = list.iter().find(|s| s.status == Status::Accepted).unwrap();
    let activity = maillage_db::programme::activities::find(c, accepted.activity_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(activity.data.project_id, fds.data.project_id);
    assert_eq!(activity.data.title, "Les secrets des glaciers alpins");

    // The internship: three applications, each with two PDFs.
    let stage = calls::find_by_slug(c, demo::forms::INTERNSHIP_CALL)
        .await
        .unwrap()
        .unwrap();
    let form = forms::find(c, stage.data.form_id).await.unwrap().unwrap();
    let text = form.version.schema.to_json();
    assert!(
        text.contains("35 heures") && text.contains("4,35"),
        "{text}"
    );
    let apps = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(stage.id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(apps.len(), 3);
    for a in &apps {
        assert_ne!(a.status, Status::Draft);
        let files = uploads::of_submission(c, a.id).await.unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| f.kind == FileKind::Pdf));
        assert_eq!(a.answers.uploads().len(), 2);
    }

    // The questionnaires of the past festival and of the edition before
    // it, newest first: a few hundred responses each.
    let listed = questionnaires::list(c).await.unwrap();
    assert_eq!(listed.len(), 2);
    let q = &listed[0];
    assert!((300..=400).contains(&q.responses), "{}", q.responses);
    assert!(
        (200..300).contains(&listed[1].responses),
        "{}",
        listed[1].responses
    );
    assert_ne!(q.project_id, listed[1].project_id);
    let f = forms::find(c, q.id).await.unwrap().unwrap();
    assert_eq!(f.data.purpose, Purpose::Questionnaire);
    assert!(f.data.anonymous);
    let results = questionnaires::results(c, q.id, &Default::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(results.responses, q.responses as u64);
    let nps = results.questions.iter().find(|r| r.key == "nps").unwrap();
    assert!(nps.nps.is_some());
    let mut days = std::collections::BTreeSet::new();
    let mut with_activity = 0;
    questionnaires::stream(c, q.id, &Default::default(), true, |r| {
        days.insert(r.day);
        with_activity += usize::from(r.activity_id.is_some() && r.commune_insee.is_some());
    })
    .await
    .unwrap();
    assert!(days.len() >= 4, "{days:?}");
    assert!(with_activity > 300, "{with_activity}");
}
