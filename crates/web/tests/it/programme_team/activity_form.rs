//! The activity form: what was typed kept, sessions in Paris time, in
//! English too.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use maillage_db::programme::activities::{self};
use maillage_db::programme::sessions::{self};
use maillage_db::{now, organisations};
use maillage_domain::Role;
use maillage_domain::programme::{ProjectStatus, SessionStatus};

#[tokio::test]
async fn activity_form_keeps_input_and_sessions_follow_paris_time() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2025", 2025, ProjectStatus::Published).await;
    let (venue, planetarium, _) = cosmocite(&app).await;
    organisations::create(app.db.conn(), "Planète Sciences", now())
        .await
        .unwrap();
    let mut staff = app.signed_in(Role::Staff).await;
    let form = staff
        .get(&format!("/team/programme/projects/{pid}/activities/new"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Cosmocité › Planétarium"));
    let place = format!("s:{planetarium}");
    let mut fields = vec![
        ("title", "Voyage <au> planétarium"),
        ("summary", "Les étoiles d'automne"),
        ("description", "## Au programme\n\nLe ciel"),
        ("format", "planetarium"),
        ("audiences", "families"),
        ("levels", "college"),
        ("min_age", "sept"),
        ("themes", "astronomy"),
        ("organisers", "Planète Sciences"),
        ("place", place.as_str()),
        ("wheelchair", "1"),
        ("registration", "external"),
        ("registration_url", ""),
        ("status", "draft"),
        ("parent", ""),
    ];
    let url = format!("/team/programme/projects/{pid}/activities");
    let r = staff.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&escaped("Voyage <au> planétarium")));
    assert!(r.body.contains("value=\"sept\""));
    assert!(r.body.contains("Saisissez un nombre."));
    assert!(
        r.body
            .contains("Indiquez le lien d&#39;inscription externe.")
            || r.body
                .contains(&escaped("Indiquez le lien d'inscription externe."))
    );
    assert!(r.body.contains(&format!("value=\"{place}\" selected")));
    assert!(r.body.contains("value=\"college\" checked"));

    fields.retain(|(k, _)| *k != "min_age" && *k != "registration_url");
    fields.push(("min_age", "11"));
    fields.push(("registration_url", "https://example.org/inscription"));
    let r = staff.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = activities::of_project(app.db.conn(), pid).await.unwrap();
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!(r.location(), format!("/team/programme/activities/{}", a.id));
    assert_eq!(a.data.venue_id, Some(venue));
    assert_eq!(a.data.space_id, Some(planetarium));
    assert_eq!(a.data.min_age, Some(11));
    assert!(a.data.access.wheelchair);
    assert_eq!(a.organisers.len(), 1);
    assert_eq!(a.data.slug, "voyage-au-planetarium");
    let id = a.id;

    // A series across the end of summer time (26 October 2025).
    let series_url = format!("/team/programme/activities/{id}/series");
    let series = [
        ("r_from", "2025-10-24"),
        ("r_to", "2025-10-27"),
        ("r_times", "10:00, 14h"),
        ("r_duration", "60"),
        ("r_capacity", "40"),
    ];
    let preview = staff.post(&series_url, &series).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("8 séances seront créées"));
    assert!(
        find(&app, id).await.sessions.is_empty(),
        "a preview creates nothing"
    );
    let mut confirm = series.to_vec();
    confirm.push(("confirm", "1"));
    let r = staff.post(&series_url, &confirm).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = find(&app, id).await;
    assert_eq!(a.sessions.len(), 8);
    let starts: Vec<DateTime<Utc>> = a.sessions.iter().map(|s| s.data.starts_at).collect();
    assert_eq!(starts[0], utc("2025-10-24T08:00:00Z"));
    assert_eq!(starts[1], utc("2025-10-24T12:00:00Z"));
    assert_eq!(starts[6], utc("2025-10-27T09:00:00Z"));
    assert_eq!(starts[7], utc("2025-10-27T13:00:00Z"));
    assert_eq!(a.sessions[6].data.ends_at, utc("2025-10-27T10:00:00Z"));
    assert_eq!(a.sessions[0].data.capacity, Some(40));

    // Weekdays only: from Friday to Monday leaves two days.
    let mut weekdays = series.to_vec();
    weekdays.push(("r_weekdays", "1"));
    let p = staff.post(&series_url, &weekdays).await;
    assert!(p.body.contains("4 séances seront créées"), "{}", p.body);

    // One session in the spring-forward gap is refused, what was typed kept.
    let add = format!("/team/programme/activities/{id}/sessions");
    let r = staff
        .post(
            &add,
            &[
                ("s_date", "2026-03-29"),
                ("s_start", "02:30"),
                ("s_end", "04:00"),
                ("s_capacity", ""),
                ("s_status", "scheduled"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains(&escaped("02:30 n'existe pas le 29/03/2026 à Paris"))
    );
    assert!(r.body.contains("value=\"2026-03-29\""));
    assert_eq!(find(&app, id).await.sessions.len(), 8);
    // A series through the gap is refused too.
    let r = staff
        .post(
            &series_url,
            &[
                ("r_from", "2026-03-28"),
                ("r_to", "2026-03-30"),
                ("r_times", "02:15"),
                ("r_duration", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains(&escaped("02:15 n'existe pas le 29/03/2026"))
    );

    // The hour that happens twice in autumn is the first one (summer time).
    let r = staff
        .post(
            &add,
            &[
                ("s_date", "2025-10-26"),
                ("s_start", "02:30"),
                ("s_end", "03:30"),
                ("s_capacity", "12"),
                ("s_status", "full"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = find(&app, id).await;
    let s = a
        .sessions
        .iter()
        .find(|s| s.data.capacity == Some(12))
        .unwrap();
    assert_eq!(s.data.starts_at, utc("2025-10-26T00:30:00Z"));
    assert_eq!(s.data.ends_at, utc("2025-10-26T02:30:00Z"));
    assert_eq!(s.data.status, SessionStatus::Full);

    // Change a session's capacity and status, delete one.
    let first = a.sessions[0].id;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{first}"),
            &[("capacity", "abc"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Saisissez un nombre."));
    let r = staff
        .post(
            &format!("/team/programme/sessions/{first}"),
            &[("capacity", "25"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let s = sessions::find(app.db.conn(), first).await.unwrap().unwrap();
    assert_eq!(s.data.capacity, Some(25));
    assert_eq!(s.data.status, SessionStatus::Cancelled);
    let r = staff
        .post(&format!("/team/programme/sessions/{first}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(find(&app, id).await.sessions.len(), 8);

    // The page shows the sessions in Paris time.
    let page = staff.get(&format!("/team/programme/activities/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("lundi 27 octobre 2025, 10:00–11:00"));

    // Edit keeps the values and saves changes.
    let edit = staff
        .get(&format!("/team/programme/activities/{id}/edit"))
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("Planète Sciences"));
    let mut fields = fields.clone();
    fields.retain(|(k, _)| *k != "title");
    fields.push(("title", "Voyage au planétarium"));
    let r = staff
        .post(&format!("/team/programme/activities/{id}"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(find(&app, id).await.data.title, "Voyage au planétarium");
}

#[tokio::test]
async fn the_editor_speaks_english_too() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2026", 2026, ProjectStatus::Draft).await;
    let (venue, planetarium, _) = cosmocite(&app).await;
    let a = activity(&app, pid, "Spring sky", (venue, Some(planetarium))).await;
    let mut staff = app.signed_in(Role::Staff).await;
    staff
        .headers
        .push(("accept-language".into(), "en-GB,en;q=0.9".into()));
    let r = staff.get("/team/programme").await;
    assert!(r.body.contains("New project"), "{}", r.body);
    let r = staff
        .post(
            &format!("/team/programme/activities/{a}/sessions"),
            &[
                ("s_date", "2026-03-29"),
                ("s_start", "2:10"),
                ("s_end", "3:30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("02:10 does not exist on 29/03/2026 in Paris")
    );
    let r = staff
        .post(
            &format!("/team/programme/activities/{a}/series"),
            &[
                ("r_from", "2026-04-10"),
                ("r_to", "2026-04-01"),
                ("r_times", "10:00, noon"),
                ("r_duration", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"10:00, noon\""));
    assert!(r.body.contains("Invalid time"), "{}", r.body);
    let r = staff
        .get(&format!(
            "/team/programme/venues/{venue}/planning?view=day&date=2026-03-29"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No sessions."));
}
