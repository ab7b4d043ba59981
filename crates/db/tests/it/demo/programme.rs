//! The demo programme, laid out relative to the day of loading.

use super::loaded_demo;
use maillage_db::PageRequest;
use maillage_db::demo::{self, Outcome};
use std::collections::BTreeSet;

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

    let db = loaded_demo().await;
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
            .filter_map(|a| a.venue.as_ref()?.data.commune_insee.clone())
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
                && a.venue
                    .as_ref()
                    .and_then(|v| v.data.commune_insee.as_deref())
                    == Some("38317")
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
