//! Bulk publishing and cancelling, and overlapping sessions flagged.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::now;
use maillage_db::programme::activities::{self};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::paris;
use maillage_domain::Role;
use maillage_domain::programme::{ActivityStatus, ProjectStatus, SessionStatus};

#[tokio::test]
async fn bulk_publish_and_cancel_and_who_may_do_it() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2025", 2025, ProjectStatus::Published).await;
    let (venue, planetarium, _) = cosmocite(&app).await;
    let a = activity(&app, pid, "Ciel d'automne", (venue, Some(planetarium))).await;
    let b = activity(&app, pid, "Robots en fête", (venue, None)).await;
    let c = activity(&app, pid, "Atelier resté brouillon", (venue, None)).await;
    let mut visitor = app.client();
    let public = visitor.get("/p/fds-2025").await;
    assert!(!public.body.contains("Robots en fête"));

    let mut volunteer = app.signed_in(Role::Volunteer).await;
    let page = volunteer
        .get(&format!("/team/programme/projects/{pid}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Robots en fête"));
    assert!(
        !page.body.contains("name=\"ids\""),
        "no bulk form for a volunteer"
    );
    let (sa, sb) = (a.to_string(), b.to_string());
    let r = volunteer
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "publish"), ("ids", &sa)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = volunteer
        .get(&format!("/team/programme/activities/{a}/edit"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = volunteer
        .get(&format!("/team/programme/activities/{a}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("/sessions\" class=\"form\""));

    let mut intern = app.signed_in(Role::Intern).await;
    let r = intern
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "publish"), ("ids", &sa)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "bulk is for staff");
    // Nor can an intern publish one activity through its form: the choice
    // is refused beside the field, what was typed is kept.
    let url = format!("/team/programme/projects/{pid}/activities");
    let mut fields = vec![
        ("title", "Nuit des étoiles filantes"),
        ("format", "planetarium"),
        ("audiences", "families"),
        ("place", ""),
        ("registration", "none"),
        ("status", "published"),
        ("parent", ""),
    ];
    let r = intern.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"f-status-error\""), "{}", r.body);
    assert!(r.body.contains("Seule l"));
    assert!(r.body.contains("Nuit des étoiles filantes"));
    fields.retain(|(k, _)| *k != "status");
    fields.push(("status", "submitted"));
    let r = intern.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut partner = app.signed_in(Role::Partner).await;
    assert_eq!(
        partner.get("/team/programme").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        partner
            .get(&format!("/team/programme/activities/{a}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = visitor
        .get(&format!("/team/programme/projects/{pid}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));

    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get(&format!("/team/programme/projects/{pid}")).await;
    assert!(page.body.contains(&format!("name=\"ids\" value=\"{a}\"")));
    // Nothing ticked: a message, nothing changes.
    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "publish")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cochez au moins une animation."));
    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "publish"), ("ids", &sa), ("ids", &sb)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(find(&app, a).await.status, ActivityStatus::Published);
    assert_eq!(find(&app, b).await.status, ActivityStatus::Published);
    assert_eq!(find(&app, c).await.status, ActivityStatus::Draft);
    let public = visitor.get("/p/fds-2025").await;
    assert!(public.body.contains("Robots en fête"), "{}", public.body);
    assert!(public.body.contains(&escaped("Ciel d'automne")));
    assert!(!public.body.contains("Atelier resté brouillon"));

    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "cancel"), ("ids", &sb), ("status", "published")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        format!("/team/programme/projects/{pid}?status=published")
    );
    assert_eq!(find(&app, b).await.status, ActivityStatus::Cancelled);
    let filtered = staff
        .get(&format!("/team/programme/projects/{pid}?status=cancelled"))
        .await;
    assert!(filtered.body.contains("Robots en fête"));
    assert!(!filtered.body.contains(&escaped("Ciel d'automne")));
    // An activity of another project is not touched.
    let other = project(&app, "autre", 2024, ProjectStatus::Draft).await;
    let d = activity(&app, other, "Ailleurs", (venue, None)).await;
    let sd = d.to_string();
    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/bulk"),
            &[("op", "publish"), ("ids", &sd)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(find(&app, d).await.status, ActivityStatus::Draft);
}

#[tokio::test]
async fn overlapping_sessions_in_one_space_are_flagged() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2025", 2025, ProjectStatus::Published).await;
    let (venue, planetarium, immersive) = cosmocite(&app).await;
    let a = activity(&app, pid, "Ciel d'automne", (venue, Some(planetarium))).await;
    let b = activity(&app, pid, "Planètes géantes", (venue, Some(planetarium))).await;
    let c = activity(&app, pid, "Voyage immersif", (venue, Some(immersive))).await;
    sessions::insert(
        app.db.conn(),
        a,
        &SessionData {
            starts_at: paris(2025, 10, 11, 10, 0),
            ends_at: paris(2025, 10, 11, 11, 0),
            capacity: None,
            status: SessionStatus::Scheduled,
            venue_id: None,
        },
        now(),
    )
    .await
    .unwrap();
    let mut staff = app.signed_in(Role::Staff).await;
    let overlap = [
        ("s_date", "2025-10-11"),
        ("s_start", "10:30"),
        ("s_end", "11:30"),
    ];
    // In another space: no warning.
    let r = staff
        .post(
            &format!("/team/programme/activities/{c}/sessions"),
            &overlap,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = staff.get(r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Conflit de planning"));
    // In the same space: saved, with a warning naming the other activity.
    let r = staff
        .post(
            &format!("/team/programme/activities/{b}/sessions"),
            &overlap,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("added="));
    assert_eq!(find(&app, b).await.sessions.len(), 1);
    let page = staff.get(r.location()).await;
    assert!(page.body.contains("Conflit de planning"), "{}", page.body);
    assert!(page.body.contains(&escaped("La séance ajoutée chevauche")));
    assert!(page.body.contains(&escaped("Ciel d'automne")));
    // The other activity shows it too.
    let page = staff.get(&format!("/team/programme/activities/{a}")).await;
    assert!(page.body.contains("Planètes géantes"));
    assert!(page.body.contains("Conflit de planning"));

    // The planning: week and day views, per venue and per space.
    let week = staff
        .get(&format!(
            "/team/programme/venues/{venue}/planning?date=2025-10-11"
        ))
        .await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(
        week.body
            .contains("<caption>Cosmocité — semaine du lundi 6 octobre 2025</caption>"),
        "{}",
        week.body
    );
    assert!(week.body.contains("<th scope=\"col\">"));
    assert!(week.body.contains("2 séances en chevauchement"));
    assert!(week.body.contains("Voyage immersif"));
    assert!(week.body.contains("10:30–11:30"));
    let day = staff
        .get(&format!(
            "/team/programme/venues/{venue}/planning?view=day&date=2025-10-11&space={immersive}"
        ))
        .await;
    assert_eq!(day.status, StatusCode::OK);
    assert!(day.body.contains("Voyage immersif"));
    assert!(!day.body.contains("Planètes géantes"));
    assert!(!day.body.contains("en chevauchement"));
    let other_day = staff
        .get(&format!(
            "/team/programme/venues/{venue}/planning?view=day&date=2025-10-12"
        ))
        .await;
    assert!(other_day.body.contains("Aucune séance."));
    // Cancelling one of them removes the warning.
    let bs = find(&app, b).await.sessions[0].id;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{bs}"),
            &[("capacity", ""), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = staff.get(&format!("/team/programme/activities/{a}")).await;
    assert!(!page.body.contains("Conflit de planning"));
    // A village des sciences and an activity under it share their place.
    let village = activity(
        &app,
        pid,
        "Village des sciences",
        (venue, Some(planetarium)),
    )
    .await;
    let child = activity(&app, pid, "Atelier du village", (venue, Some(planetarium))).await;
    let stand = activity(&app, pid, "Stand du village", (venue, Some(planetarium))).await;
    for id in [child, stand] {
        let mut d = find(&app, id).await.data;
        d.parent_id = Some(village);
        activities::update(app.db.conn(), id, &d, now())
            .await
            .unwrap();
    }
    for (id, (h1, h2)) in [(village, (9, 18)), (child, (14, 15)), (stand, (14, 16))] {
        sessions::insert(
            app.db.conn(),
            id,
            &SessionData {
                starts_at: paris(2025, 10, 12, h1, 0),
                ends_at: paris(2025, 10, 12, h2, 0),
                capacity: None,
                status: SessionStatus::Scheduled,
                venue_id: None,
            },
            now(),
        )
        .await
        .unwrap();
    }
    let page = staff
        .get(&format!("/team/programme/activities/{child}"))
        .await;
    assert!(page.body.contains("Village des sciences"));
    assert!(!page.body.contains("Conflit de planning"));
    let index = staff.get("/team/programme/planning").await;
    assert!(
        index
            .body
            .contains(&format!("/team/programme/venues/{venue}/planning"))
    );
}
