//! The team's lists on a phone (issue #16): staff at the door or on the
//! move read a session's bookings and its check-in, a project's bookings
//! and activities, the calls and their answers, the directory, the forms
//! and questionnaires and their inbox at 390 px without scrolling sideways;
//! at 1366 px neither the pages nor their tables scroll sideways; axe-core
//! on two of them at the phone's width.
//!
//! `E2E_SCREENSHOTS=<folder>` saves what the phone showed of each page.

use maillage_db::bookings;
use maillage_db::demo::forms::PARTICIPATION_CALL;
use maillage_db::forms::calls;
use maillage_db::programme::{activities, projects};
use maillage_db::{people, venues};
use maillage_domain::Role;
use maillage_domain::booking::{BookingKind, BookingStatus};
use maillage_e2e::{Browser, PHONE_WIDTH, Site, TEAM_WIDTH};
use std::collections::BTreeMap;

/// The busiest records of the demo season: where the lists are longest.
struct Busiest {
    /// The session with the most bookings, and one with a class awaiting
    /// approval (its row has every button).
    sessions: Vec<i64>,
    project: i64,
    activity: i64,
    call: i64,
    organisation: i64,
    venue: i64,
}

async fn busiest(site: &Site) -> Busiest {
    let c = site.db.conn();
    // (bookings, session, activity, project), the largest.
    let mut most = (0, 0, 0, 0);
    let mut pending_class = (0, 0);
    for p in projects::list(c, false).await.unwrap() {
        for a in activities::of_project(c, p.id).await.unwrap() {
            let ids: Vec<i64> = a.sessions.iter().map(|s| s.id).collect();
            for (s, list) in bookings::of_sessions(c, &ids).await.unwrap() {
                if list.len() > most.0 {
                    most = (list.len(), s, a.id, p.id);
                }
                let pending = list
                    .iter()
                    .any(|b| b.kind == BookingKind::Group && b.status == BookingStatus::Pending);
                if pending && list.len() > pending_class.0 {
                    pending_class = (list.len(), s);
                }
            }
        }
    }
    assert!(most.0 > 0 && pending_class.0 > 0, "the demo has bookings");
    let call = calls::find_by_slug(c, PARTICIPATION_CALL)
        .await
        .unwrap()
        .expect("the demo's call");
    let mut members: BTreeMap<i64, usize> = BTreeMap::new();
    for p in people::list_all_matching(c, &Default::default())
        .await
        .unwrap()
    {
        for m in p.memberships {
            *members.entry(m.organisation_id).or_default() += 1;
        }
    }
    let organisation = members
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(id, _)| *id)
        .expect("members");
    let venue = venues::list_all_matching(c, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|v| v.spaces.len())
        .expect("venues")
        .id;
    Busiest {
        sessions: vec![most.1, pending_class.1],
        project: most.3,
        activity: most.2,
        call: call.id,
        organisation,
        venue,
    }
}

#[tokio::test]
async fn the_team_lists_fit_a_phone() {
    let site = Site::start().await;
    let x = busiest(&site).await;
    let mut pages = vec![
        "/team".to_owned(),
        "/team/bookings".to_owned(),
        format!("/team/projects/{}/bookings", x.project),
        "/team/programme/projects".to_owned(),
        format!("/team/programme/projects/{}", x.project),
        format!("/team/programme/activities/{}", x.activity),
        "/team/calls".to_owned(),
        format!("/team/calls/{}/submissions", x.call),
        "/team/organisations".to_owned(),
        format!("/team/organisations/{}", x.organisation),
        "/team/people".to_owned(),
        "/team/venues".to_owned(),
        format!("/team/venues/{}", x.venue),
        "/team/forms".to_owned(),
        "/team/questionnaires".to_owned(),
    ];
    for s in &x.sessions {
        pages.push(format!("/team/sessions/{s}/bookings"));
        pages.push(format!("/team/sessions/{s}/checkin"));
    }
    let shots = std::env::var_os("E2E_SCREENSHOTS").map(std::path::PathBuf::from);

    // Without JavaScript, as every flow works.
    let b = Browser::launch(false).await;
    b.resize(PHONE_WIDTH, 844).await;
    b.login(&site, Role::Staff).await;
    for p in &pages {
        b.goto(&site.url(p)).await;
        assert!(
            b.path().await.starts_with(p.as_str()),
            "{p}: not signed in?"
        );
        if let Some(dir) = &shots {
            let name = p.trim_start_matches('/').replace('/', "_");
            b.screenshot(&dir.join(format!("{name}-{PHONE_WIDTH}.png")))
                .await;
        }
    }
    let wide = b.overflowing_at(PHONE_WIDTH).await;
    assert!(wide.is_empty(), "team pages wider than a phone: {wide:#?}");
    // At the team's width, no list scrolls sideways in its box either.
    b.resize(TEAM_WIDTH, 900).await;
    let mut boxed = Vec::new();
    for p in &pages {
        b.goto(&site.url(p)).await;
        boxed.extend(
            b.scrolling_tables()
                .await
                .into_iter()
                .map(|t| format!("{p}: {t}")),
        );
        if let Some(dir) = &shots {
            let name = p.trim_start_matches('/').replace('/', "_");
            b.screenshot(&dir.join(format!("{name}-{TEAM_WIDTH}.png")))
                .await;
        }
    }
    assert!(
        boxed.is_empty(),
        "tables scrolling at {TEAM_WIDTH} px: {boxed:#?}"
    );
    // The pages themselves at the team's width: checked as every browser
    // closes.
    b.close().await;

    // axe-core needs JavaScript: the lists used at the door, on a phone.
    let js = Browser::launch(true).await;
    js.resize(PHONE_WIDTH, 844).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url(&format!("/team/sessions/{}/bookings", x.sessions[1])))
        .await;
    js.assert_accessible("a session's bookings on a phone")
        .await;
    // The menu is folded on a phone with JavaScript, and unfolds.
    assert!(
        js.texts("nav.main-nav details.nav-fold[open]")
            .await
            .is_empty()
    );
    js.nav_to("/team/season").await;
    js.goto(&site.url(&format!("/team/projects/{}/bookings", x.project)))
        .await;
    js.assert_accessible("a project's bookings on a phone")
        .await;
    js.quit().await;
}
