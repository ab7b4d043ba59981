//! Projects with partners, reconduction, deletion and who may do it.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use chrono::NaiveDate;
use maillage_db::programme::activities::{self};
use maillage_db::programme::projects::{self};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::paris;
use maillage_db::{now, organisations};
use maillage_domain::Role;
use maillage_domain::programme::{ActivityStatus, ProjectStatus, SessionStatus};

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
            venue_id: None,
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
            &[("project", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez un projet de la liste."));
    // Within its own project: the same stand in another village.
    let r = intern
        .post(
            &format!("/team/programme/activities/{a}/copy"),
            &[("project", &old.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let same = activities::of_project(app.db.conn(), old).await.unwrap();
    assert_eq!(same.len(), 2);
    assert_ne!(same[0].data.slug, same[1].data.slug, "a slug of its own");
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
