//! Who sees what of the planning, route by route: every planning route of
//! the team space, asked by an intern and a volunteer about a project they
//! do not work on (its plan, its meeting, its task, the meeting's attendee
//! and item), answers 403 where the role table refuses and 404 otherwise,
//! and the lists leave it out; about the project they work on, they read
//! its plan and meeting and change their own task only. A partner sees the
//! meetings of their organisation and the tasks shared with it, nothing of
//! another's.

use crate::util::{Client, TestApp};
use axum::http::{Method, StatusCode};
use maillage_db::planning::meetings::{self, Action, MeetingData, Who};
use maillage_db::planning::tasks;
use maillage_db::records::Audited;
use maillage_db::testing;
use maillage_domain::Role;
use maillage_domain::authz::allows;
use maillage_domain::planning::Outcome;

/// A meeting of `project` with one item whose action goes to `to`
/// (shared with `org` if given); (meeting, item, attendee, task).
async fn meeting(
    app: &TestApp,
    project: i64,
    title: &str,
    people: &[(i64, Option<i64>)],
    to: i64,
    org: Option<i64>,
) -> (i64, i64, i64, i64) {
    let now = maillage_db::now();
    let tx = app.db.write().await.unwrap();
    let m = meetings::insert(
        &tx,
        &MeetingData {
            project_id: Some(project),
            series: None,
            title: title.into(),
            starts_at: now,
            ends_at: now + chrono::Duration::hours(1),
            venue_id: None,
            online_url: None,
        },
        now,
    )
    .await
    .unwrap();
    for (u, o) in people {
        let _: Audited<bool> = meetings::add_attendee(&tx, &m, Who::User(*u), *o)
            .await
            .unwrap();
    }
    let actor = maillage_db::audit::Actor::system("test");
    let item = maillage_db::records::write(&tx, &actor, now, async |tx, _| {
        meetings::add_item(tx, &m, "Point unique").await
    })
    .await
    .map_err(|e: maillage_db::DbErr| e)
    .unwrap();
    let action = Action {
        title: format!("Action de {title}"),
        assignee: to,
        due_on: chrono::NaiveDate::from_ymd_opt(2027, 5, 1).unwrap(),
        organisation_id: org,
        shared: org.is_some(),
    };
    let _: Audited<_> = meetings::record_minutes(
        &tx,
        &m,
        &item,
        None,
        Some(Outcome::Action),
        Some(&action),
        now,
    )
    .await
    .unwrap();
    let _ = meetings::minutes_sent(&tx, &m, 1, now).await.unwrap();
    let attendee = meetings::attendees(&tx, m.id).await.unwrap()[0].id;
    tx.commit().await.unwrap();
    let task = tasks::of_meetings(app.db.conn(), &[m.id]).await.unwrap()[0].id;
    (m.id, item.id, attendee, task)
}

async fn ask(c: &mut Client, method: &Method, path: &str) -> crate::util::Resp {
    if *method == Method::GET {
        c.get(path).await
    } else {
        c.post(path, &[]).await
    }
}

#[tokio::test]
async fn interns_and_volunteers_reach_only_their_projects_partners_only_their_organisation() {
    let app = TestApp::new().await;
    let p = testing::project(
        app.db.conn(),
        &testing::project_data("fete-2027", "Fête de la science 2027", 2027),
    )
    .await;
    let q = testing::project(
        app.db.conn(),
        &testing::project_data("jam-2027", "Game Jam 2027", 2027),
    )
    .await;
    let (_, staff) = app.signed_in_as("coord@example.org", Role::Staff).await;
    let (mut intern, i) = app
        .signed_in_as("stagiaire@example.org", Role::Intern)
        .await;
    let (mut volunteer, v) = app
        .signed_in_as("benevole@example.org", Role::Volunteer)
        .await;
    let (mut partner, pa) = app
        .signed_in_as("casemate@example.org", Role::Partner)
        .await;
    let (mut other, _) = app.signed_in_as("autre@example.org", Role::Partner).await;
    // Their project: a meeting they attend, an action each.
    let (mp, _, _, ti) = meeting(
        &app,
        p.id,
        "Réunion Fête",
        &[(i.id, None), (v.id, None), (pa.id, pa.organisation_id)],
        i.id,
        None,
    )
    .await;
    let (_, _, _, tv) = meeting(&app, p.id, "Réunion bénévoles", &[(v.id, None)], v.id, None).await;
    let (_, _, _, ta) = meeting(
        &app,
        p.id,
        "Réunion partenaires",
        &[(pa.id, pa.organisation_id)],
        pa.id,
        pa.organisation_id,
    )
    .await;
    // Another project, nobody of theirs on it.
    let (mq, item, attendee, tq) = meeting(
        &app,
        q.id,
        "Réunion Jam",
        &[(staff.id, None)],
        staff.id,
        None,
    )
    .await;

    let planning = |path: &str| {
        [
            "/team/projects/{id}/plan",
            "/team/tasks",
            "/team/meetings",
            "/api/v1/tasks",
            "/api/v1/projects/{slug}/tasks",
        ]
        .iter()
        .any(|p| path.starts_with(p))
    };
    let routes: Vec<_> = maillage_web::route_table()
        .into_iter()
        .filter(|r| planning(r.path))
        .collect();
    assert!(routes.len() >= 18, "{}", routes.len());
    let lists = [
        "/team/tasks",
        "/team/meetings",
        "/team/meetings/new",
        "/team/tasks/new",
    ];
    for (role, c) in [
        (Role::Intern, &mut intern),
        (Role::Volunteer, &mut volunteer),
    ] {
        for r in &routes {
            if r.path.starts_with("/api/") {
                assert!(!allows(role, r.action), "{role} {}", r.path);
                continue;
            }
            let id = if r.path.starts_with("/team/projects") {
                q.id
            } else if r.path.starts_with("/team/tasks/{id}") {
                tq
            } else {
                mq
            };
            let path = r
                .path
                .replace("{id}", &id.to_string())
                .replace("{attendee}", &attendee.to_string())
                .replace("{item}", &item.to_string())
                .replace("{line}", "1")
                .replace("{user}", "1")
                .replace("{on}", "1");
            let resp = ask(c, &r.method, &path).await;
            let listed =
                lists.contains(&r.path) || (r.method == Method::POST && r.path == "/team/meetings");
            let expected = if !allows(role, r.action) {
                StatusCode::FORBIDDEN
            } else if r.method == Method::POST && r.path == "/team/meetings" {
                StatusCode::UNPROCESSABLE_ENTITY
            } else if listed {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(resp.status, expected, "{role} {} {path}", r.method);
            if listed && resp.status == StatusCode::OK {
                assert!(!resp.body.contains("Réunion Jam"), "{role} {path}");
                assert!(
                    !resp.body.contains("Action de Réunion Jam"),
                    "{role} {path}"
                );
            }
        }
        // Their own project: its plan and meeting, their own task.
        assert_eq!(
            c.get(&format!("/team/projects/{}/plan", p.id)).await.status,
            StatusCode::OK,
            "{role}"
        );
        assert_eq!(
            c.get(&format!("/team/meetings/{mp}")).await.status,
            StatusCode::OK,
            "{role}"
        );
        assert_eq!(
            c.get(&format!("/team/meetings/{mp}/invite.ics"))
                .await
                .status,
            StatusCode::OK,
            "{role}"
        );
        let (mine, theirs) = if role == Role::Intern {
            (ti, tv)
        } else {
            (tv, ti)
        };
        let r = c
            .post(
                &format!("/team/tasks/{mine}/status"),
                &[("status", "in_progress")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{role}");
        let r = c
            .post(
                &format!("/team/tasks/{theirs}/status"),
                &[("status", "done")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{role}");
    }
    // The other tasks did not move.
    for t in [tq, ta] {
        assert!(
            tasks::find(app.db.conn(), t)
                .await
                .unwrap()
                .unwrap()
                .status
                .is_open()
        );
    }

    // Partners: their organisation's meetings and shared tasks only.
    let home = partner.get("/partner").await;
    assert!(
        home.body.contains("Action de Réunion partenaires"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("Action de Réunion Fête"));
    assert_eq!(
        partner.get(&format!("/partner/meetings/{mp}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        partner.get(&format!("/partner/meetings/{mq}")).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = partner.get(&format!("/partner/meetings/{mp}")).await;
    assert!(
        !theirs.body.contains("Action de Réunion Fête"),
        "an action not shared stays with the team"
    );
    assert_eq!(
        other.get(&format!("/partner/meetings/{mp}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!other.get("/partner").await.body.contains("Réunion"));
    for r in &routes {
        let path = r
            .path
            .replace("{id}", &mp.to_string())
            .replace("{slug}", "fete-2027")
            .replace("{attendee}", "1")
            .replace("{item}", "1");
        if !path.starts_with("/api/") {
            assert_eq!(
                ask(&mut partner, &r.method, &path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
}
