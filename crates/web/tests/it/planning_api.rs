//! The planning API: every task and a project's tasks for a team token,
//! filtered by assignee, status and lateness, by pages whose `next` keeps
//! the filters; answers checked against the OpenAPI document; partners',
//! volunteers' and anonymous requests refused; bad parameters named.

use crate::programme_api::Doc;
use crate::util::{Client, Resp, TestApp};
use axum::http::StatusCode;
use chrono::{Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::planning::{tasks, templates};
use maillage_db::testing::{self, task};
use maillage_db::{api_tokens, audit::Actor, now, records};
use maillage_domain::Role;
use maillage_domain::planning::{Anchor, Offset, TaskStatus};
use serde_json::Value;

const TASKS: &str = "/api/v1/tasks";
const PROJECT_TASKS: &str = "/api/v1/projects/{slug}/tasks";

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

async fn token(app: &TestApp, email: &str, role: Role) -> (i64, String) {
    let u = app.user(email, role).await;
    let (_, secret) = api_tokens::create(app.db.conn(), u.id, "api", now())
        .await
        .unwrap();
    (u.id, secret)
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

/// An answer of `path` (a documented path), checked against the document.
async fn get(c: &mut Client, doc: &Doc, path: &str, url: &str, token: &str) -> Resp {
    let r = c.api_get(url, token).await;
    doc.check(path, &r);
    r
}

struct Plan {
    zoe: i64,
    ada: i64,
    late: i64,
    template: i64,
}

/// Two projects and a task of the team: a late one assigned to Zoé and
/// Ada, one due soon, one done late, one made from a template (J−60), one
/// undated of the team.
async fn plan(app: &TestApp) -> Plan {
    let c = app.db.conn();
    let zoe = testing::user_named(c, "zoe@example.org", "Zoé", Role::Staff).await;
    let ada = testing::user_named(c, "ada@example.org", "Ada", Role::Intern).await;
    let year = today().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    let fete = testing::project(
        c,
        &testing::project_data("fete", "Fête de la science", year),
    )
    .await;
    let jam = testing::project(c, &testing::project_data("jam", "Game Jam", year)).await;
    let t = today();
    let late = task(
        c,
        Some(fete.id),
        "Réserver les salles",
        TaskStatus::InProgress,
        Some(t - Days::new(3)),
        &[zoe.id, ada.id],
    )
    .await;
    task(
        c,
        Some(fete.id),
        "Imprimer",
        TaskStatus::Todo,
        Some(t + Days::new(2)),
        &[ada.id],
    )
    .await;
    task(
        c,
        Some(jam.id),
        "Jury",
        TaskStatus::Done,
        Some(t - Days::new(10)),
        &[ada.id],
    )
    .await;
    task(c, None, "Ranger le local", TaskStatus::Waiting, None, &[]).await;
    let tx = app.db.write().await.unwrap();
    let actor = Actor::system("test");
    let template = records::write(&tx, &actor, now(), async |tx, now| {
        templates::create(
            tx,
            "Festival",
            None,
            &[templates::NewTask {
                title: "Bilan aux financeurs".into(),
                anchor: Anchor::End,
                offset: Offset(30),
            }],
            now,
        )
        .await
    })
    .await
    .map_err(|e: maillage_db::DbErr| e)
    .unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::apply_template(tx, &jam, &template, now).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let template = tasks::of_project(c, jam.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.template_task_id.is_some())
        .unwrap()
        .id;
    Plan {
        zoe: zoe.id,
        ada: ada.id,
        late,
        template,
    }
}

#[tokio::test]
async fn the_team_lists_tasks_with_filters() {
    let app = TestApp::new().await;
    let p = plan(&app).await;
    let (_, staff) = token(&app, "staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;

    let all = get(&mut c, &doc, TASKS, TASKS, &staff).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.header("cache-control"), "no-store");
    let all = all.json();
    assert_eq!(
        titles(&all),
        [
            "Jury",
            "Réserver les salles",
            "Imprimer",
            "Bilan aux financeurs",
            "Ranger le local"
        ],
        "soonest due first, undated last"
    );
    assert!(all["next"].is_null());
    let late = &all["items"][1];
    assert_eq!(late["id"], p.late);
    assert_eq!(late["status"], "in_progress");
    assert_eq!(late["late"], true);
    assert_eq!(late["project"]["slug"], "fete");
    assert_eq!(late["project"]["name"], "Fête de la science");
    assert!(late["project"]["id"].as_i64().unwrap() > 0);
    assert_eq!(
        late["due_on"],
        (today() - Days::new(3)).format("%Y-%m-%d").to_string()
    );
    assert_eq!(late["assignees"][0]["name"], "Ada");
    assert_eq!(late["assignees"][0]["id"], p.ada);
    assert_eq!(late["assignees"][1]["id"], p.zoe);
    assert!(late["template_offset_days"].is_null());
    assert_eq!(all["items"][0]["late"], false, "done is never late");
    let made = &all["items"][3];
    assert_eq!(made["id"], p.template);
    assert_eq!(made["template_offset_days"], 30);
    let team = &all["items"][4];
    assert!(team["project"].is_null() && team["due_on"].is_null());
    assert_eq!(team["assignees"], serde_json::json!([]));

    let list = async |c: &mut Client, path: &str, url: &str| {
        let r = get(c, &doc, path, url, &staff).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
        titles(&r.json())
    };
    assert_eq!(
        list(&mut c, TASKS, &format!("{TASKS}?assignee={}", p.zoe)).await,
        ["Réserver les salles"]
    );
    assert_eq!(
        list(
            &mut c,
            TASKS,
            &format!("{TASKS}?assignee={}&status=done", p.ada)
        )
        .await,
        ["Jury"]
    );
    assert_eq!(
        list(&mut c, TASKS, &format!("{TASKS}?status=Terminée")).await,
        ["Jury"],
        "a label is read too"
    );
    assert_eq!(
        list(&mut c, TASKS, &format!("{TASKS}?late=true")).await,
        ["Réserver les salles"]
    );
    assert_eq!(
        list(&mut c, TASKS, &format!("{TASKS}?late=0&status=todo")).await,
        ["Imprimer", "Bilan aux financeurs"]
    );
    assert!(
        list(&mut c, TASKS, &format!("{TASKS}?assignee=999999"))
            .await
            .is_empty()
    );
    // A project's tasks.
    assert_eq!(
        list(&mut c, PROJECT_TASKS, "/api/v1/projects/fete/tasks").await,
        ["Réserver les salles", "Imprimer"]
    );
    assert_eq!(
        list(
            &mut c,
            PROJECT_TASKS,
            "/api/v1/projects/jam/tasks?late=false"
        )
        .await,
        ["Jury", "Bilan aux financeurs"]
    );
    let r = get(
        &mut c,
        &doc,
        PROJECT_TASKS,
        "/api/v1/projects/nope/tasks",
        &staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn pages_follow_next_with_the_same_filters() {
    let app = TestApp::new().await;
    let p = plan(&app).await;
    let c = app.db.conn();
    let t = today();
    let mut made = Vec::new();
    for i in 0..57u64 {
        made.push(
            task(
                c,
                None,
                &format!("Tâche {i:02}"),
                TaskStatus::Todo,
                Some(t + Days::new(20 + i)),
                &[p.zoe],
            )
            .await,
        );
    }
    task(
        c,
        None,
        "Pas à Zoé",
        TaskStatus::Todo,
        Some(t + Days::new(30)),
        &[p.ada],
    )
    .await;
    let (_, staff) = token(&app, "staff@example.org", Role::Staff).await;
    let mut client = app.client();
    let doc = Doc::load(&mut client).await;
    let mut url = format!("{TASKS}?assignee={}&status=todo", p.zoe);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = get(&mut client, &doc, TASKS, &url, &staff).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
        let v = r.json();
        let items = v["items"].as_array().unwrap();
        assert!(items.len() <= 50);
        seen.extend(items.iter().map(|t| t["id"].as_i64().unwrap()));
        pages += 1;
        match v["next"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with("http://localhost:8080/api/v1/tasks?"),
                    "{next}"
                );
                assert!(
                    next.contains(&format!("assignee={}", p.zoe)) && next.contains("status=todo")
                );
                url = next.trim_start_matches("http://localhost:8080").to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, made, "each of Zoé's tasks to do once, in order");
}

#[tokio::test]
async fn partners_volunteers_interns_and_anonymous_are_refused() {
    let app = TestApp::new().await;
    plan(&app).await;
    let (_, partner) = token(&app, "partner@example.org", Role::Partner).await;
    let (_, volunteer) = token(&app, "volunteer@example.org", Role::Volunteer).await;
    let (_, intern) = token(&app, "intern@example.org", Role::Intern).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    for (path, url) in [
        (TASKS, TASKS),
        (PROJECT_TASKS, "/api/v1/projects/fete/tasks"),
    ] {
        let r = c.get(url).await;
        doc.check(path, &r);
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{url}");
        // Interns and volunteers see only the plans they work on, in the
        // team space; the whole team's tasks are for admins and staff.
        for secret in [&partner, &volunteer, &intern] {
            let r = get(&mut c, &doc, path, url, secret).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{url}");
            assert!(r.json()["items"].is_null());
        }
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_by_name() {
    let app = TestApp::new().await;
    plan(&app).await;
    let (_, staff) = token(&app, "staff@example.org", Role::Staff).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    for (path, base) in [
        (TASKS, TASKS),
        (PROJECT_TASKS, "/api/v1/projects/fete/tasks"),
    ] {
        for (query, names) in [
            ("status=finished", vec!["status"]),
            ("assignee=abc", vec!["assignee"]),
            ("assignee=0", vec!["assignee"]),
            ("late=maybe", vec!["late"]),
            ("page=0", vec!["page"]),
            (
                "status=x&late=yes&assignee=-2",
                vec!["assignee", "late", "status"],
            ),
        ] {
            let url = format!("{base}?{query}");
            let r = get(&mut c, &doc, path, &url, &staff).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{url}: {}", r.body);
            assert_eq!(r.header("content-type"), "application/problem+json");
            let mut named: Vec<String> = r.json()["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap().to_owned())
                .collect();
            named.sort();
            assert_eq!(named, names, "{url}");
        }
    }
}
