//! The programme editor of the team space: projects with partners, activity
//! forms that keep what was typed, sessions across daylight-saving changes,
//! series, bulk publish and cancel, conflict warnings, reconduction, and who
//! may read or edit.

use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::venues::{self, SpaceData, VenueData};
use maillage_db::{now, organisations};
use maillage_domain::Role;
use maillage_domain::directory::SpaceKind;
use maillage_domain::programme::{
    ActivityStatus, Format, ProjectKind, ProjectStatus, SessionStatus,
};

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn project(app: &TestApp, slug: &str, year: i32, status: ProjectStatus) -> i64 {
    projects::insert(
        app.db.conn(),
        &ProjectData {
            slug: slug.into(),
            name: format!("Fête de la science {year}"),
            kind: ProjectKind::Festival,
            starts_on: NaiveDate::from_ymd_opt(year, 10, 3).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(year, 10, 31).unwrap(),
            description: None,
            lead_user_id: None,
            status,
        },
        now(),
    )
    .await
    .unwrap()
    .id
}

async fn activity(app: &TestApp, project: i64, title: &str, place: (i64, Option<i64>)) -> i64 {
    let c = app.db.conn();
    activities::insert(
        c,
        &ActivityData {
            project_id: project,
            slug: activities::free_slug(c, project, title, None)
                .await
                .unwrap(),
            title: title.into(),
            format: Some(Format::Workshop),
            venue_id: Some(place.0),
            space_id: place.1,
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap()
    .id
}

/// Cosmocité with its planetarium and its immersive room.
async fn cosmocite(app: &TestApp) -> (i64, i64, i64) {
    let c = app.db.conn();
    let v = venues::insert(
        c,
        &VenueData {
            name: "Cosmocité".into(),
            commune_insee: Some("38317".into()),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    let space = |name: &str, kind| SpaceData {
        name: name.into(),
        kind,
        capacity: Some(80),
        notes: None,
    };
    let planetarium = venues::add_space(
        c,
        v.id,
        &space("Planétarium", SpaceKind::Planetarium),
        now(),
    )
    .await
    .unwrap();
    let immersive = venues::add_space(
        c,
        v.id,
        &space("Salle immersive", SpaceKind::ImmersiveRoom),
        now(),
    )
    .await
    .unwrap();
    (v.id, planetarium, immersive)
}

async fn find(app: &TestApp, id: i64) -> Activity {
    activities::find(app.db.conn(), id).await.unwrap().unwrap()
}

#[tokio::test]
async fn projects_are_created_with_partners_and_bad_input_is_kept() {
    let app = TestApp::new().await;
    organisations::create(app.db.conn(), "La Casemate", now())
        .await
        .unwrap();
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff.get("/team/programme/projects/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let bad = [
        ("name", "Fête de la science <2026>"),
        ("slug", "Pas Un Slug"),
        ("kind", "festival"),
        ("status", "draft"),
        ("starts_on", "2026-10-10"),
        ("ends_on", "2026-10-01"),
        ("description", "Une **fête**"),
        ("lead", ""),
        ("partner_org", "Casemate inconnue"),
        ("partner_role", "funder"),
    ];
    let r = staff.post("/team/programme/projects", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&escaped("Fête de la science <2026>")));
    assert!(r.body.contains("value=\"Pas Un Slug\""));
    assert!(r.body.contains("value=\"Casemate inconnue\""));
    assert!(
        r.body.contains("Lettres minuscules sans accent"),
        "slug error"
    );
    assert!(r.body.contains("La fin doit venir après le début."));
    assert!(
        r.body
            .contains(&escaped("Organisation introuvable dans l'annuaire"))
    );
    assert!(r.body.contains("aria-invalid=\"true\""));

    let good = [
        ("name", "Fête de la science 2026"),
        ("slug", ""),
        ("kind", "festival"),
        ("status", "published"),
        ("starts_on", "2026-10-02"),
        ("ends_on", "12/10/2026"),
        ("description", "Une **fête**"),
        ("lead", ""),
        ("partner_org", "la casemate"),
        ("partner_role", "funder"),
        ("partner_org", ""),
        ("partner_role", "organiser"),
    ];
    let r = staff.post("/team/programme/projects", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = projects::find_by_slug(app.db.conn(), "fete-de-la-science-2026")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.location(), format!("/team/programme/projects/{}", p.id));
    assert_eq!(
        p.data.ends_on,
        NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()
    );
    assert_eq!(p.partners.len(), 1);
    assert_eq!(p.partners[0].organisation_name, "La Casemate");
    let page = staff.get(r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("La Casemate — Financeur"));
    assert!(page.body.contains("<strong>fête</strong>"));

    // The same slug twice is refused.
    let r = staff.post("/team/programme/projects", &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cette valeur est déjà utilisée."));

    // Edit: rename, remove the partner.
    let edit = staff
        .get(&format!("/team/programme/projects/{}/edit", p.id))
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"La Casemate\""));
    let r = staff
        .post(
            &format!("/team/programme/projects/{}", p.id),
            &[
                ("name", "FDS 2026"),
                ("slug", "fete-de-la-science-2026"),
                ("kind", "festival"),
                ("status", "published"),
                ("starts_on", "2026-10-02"),
                ("ends_on", "2026-10-12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = projects::find(app.db.conn(), p.id).await.unwrap().unwrap();
    assert_eq!(p.data.name, "FDS 2026");
    assert!(p.partners.is_empty());
    let list = staff.get("/team/programme").await;
    assert!(list.body.contains("FDS 2026"));
}

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
    assert!(preview.body.contains("8 séance(s) seront créées"));
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
    assert!(p.body.contains("4 séance(s) seront créées"), "{}", p.body);

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
    assert!(week.body.contains("2 séance(s) en chevauchement"));
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

#[tokio::test]
async fn reconduction_copies_an_activity_as_a_draft() {
    let app = TestApp::new().await;
    let old = project(&app, "fds-2024", 2024, ProjectStatus::Archived).await;
    let new = project(&app, "fds-2025", 2025, ProjectStatus::Published).await;
    let (venue, planetarium, _) = cosmocite(&app).await;
    let a = activity(&app, old, "Ciel d'automne", (venue, Some(planetarium))).await;
    activities::set_status(app.db.conn(), &[a], ActivityStatus::Published, now())
        .await
        .unwrap();
    sessions::insert(
        app.db.conn(),
        a,
        &SessionData {
            starts_at: paris(2024, 10, 11, 10, 0),
            ends_at: paris(2024, 10, 11, 11, 0),
            capacity: None,
            status: SessionStatus::Scheduled,
        },
        now(),
    )
    .await
    .unwrap();
    let mut intern = app.signed_in(Role::Intern).await;
    let page = intern.get(&format!("/team/programme/activities/{a}")).await;
    assert!(
        page.body
            .contains(&format!("<option value=\"{new}\" selected>")),
        "the next edition is proposed"
    );
    let r = intern
        .post(
            &format!("/team/programme/activities/{a}/copy"),
            &[("project", &old.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = intern
        .post(
            &format!("/team/programme/activities/{a}/copy"),
            &[("project", &new.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let copies = activities::of_project(app.db.conn(), new).await.unwrap();
    assert_eq!(copies.len(), 1);
    let copy = &copies[0];
    assert_eq!(
        r.location(),
        format!("/team/programme/activities/{}", copy.id)
    );
    assert_eq!(copy.status, ActivityStatus::Draft);
    assert_eq!(copy.data.title, "Ciel d'automne");
    assert_eq!(copy.data.space_id, Some(planetarium));
    assert!(copy.sessions.is_empty());
    assert_eq!(find(&app, a).await.status, ActivityStatus::Published);
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

#[tokio::test]
async fn deleting_needs_a_confirmation_and_the_right_role() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2024", 2024, ProjectStatus::Archived).await;
    let (venue, planetarium, _) = cosmocite(&app).await;
    let a = activity(&app, pid, "Ciel d'automne", (venue, Some(planetarium))).await;
    let b = activity(&app, pid, "Robots", (venue, None)).await;
    let mut intern = app.signed_in(Role::Intern).await;
    let r = intern
        .post(
            &format!("/team/programme/activities/{a}/delete"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = intern.get(&format!("/team/programme/activities/{a}")).await;
    assert!(!page.body.contains("/delete\" class=\"form\""));

    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .post(&format!("/team/programme/activities/{a}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cochez la case de confirmation"));
    let r = staff
        .post(
            &format!("/team/programme/activities/{a}/delete"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/team/programme/projects/{pid}"));
    assert!(activities::find(app.db.conn(), a).await.unwrap().is_none());

    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/delete"),
            &[("confirm", "fds-2025")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("saisissez exactement son adresse courte"));
    let r = staff
        .post(
            &format!("/team/programme/projects/{pid}/delete"),
            &[("confirm", "fds-2024")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(projects::find(app.db.conn(), pid).await.unwrap().is_none());
    assert!(activities::find(app.db.conn(), b).await.unwrap().is_none());
}
