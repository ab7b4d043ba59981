//! Rétroplanning templates edited by staff: created, renamed, tasks added,
//! edited, moved and removed, deleted; bad input comes back beside its
//! field as typed (422) in the reader's language; interns, volunteers and
//! partners are refused; a template edited then applied to a project gives
//! the edited due dates.

use crate::util::{Client, TestApp, escaped};
use axum::http::StatusCode;
use chrono::Days;
use maillage_db::audit::{self, AuditFilter};
use maillage_db::planning::{tasks, templates};
use maillage_db::{PageRequest, testing};
use maillage_domain::planning::{Anchor, Offset};
use maillage_domain::programme::ProjectKind;
use maillage_domain::{Locale, Role};
use maillage_web::i18n::messages;

/// Creates a template through its form; its id.
async fn create(c: &mut Client, name: &str, kind: &str) -> i64 {
    let r = c
        .post("/team/plan-templates", &[("name", name), ("kind", kind)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .strip_prefix("/team/plan-templates/")
        .unwrap()
        .parse()
        .unwrap()
}

/// Adds a task through its form; its id (from the redirect's anchor).
async fn add(c: &mut Client, id: i64, title: &str, offset: &str, anchor: &str) -> i64 {
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks"),
            &[("title", title), ("offset", offset), ("anchor", anchor)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let prefix = format!("/team/plan-templates/{id}#task-");
    r.location().strip_prefix(&prefix).unwrap().parse().unwrap()
}

async fn titles(app: &TestApp, id: i64) -> Vec<String> {
    templates::find(app.db.conn(), id)
        .await
        .unwrap()
        .unwrap()
        .tasks
        .into_iter()
        .map(|t| t.title)
        .collect()
}

#[tokio::test]
async fn staff_create_edit_order_and_delete_a_template() {
    let app = TestApp::new().await;
    let (mut c, _) = app
        .signed_in_as("coordination@example.org", Role::Staff)
        .await;
    let fr = messages(Locale::Fr);

    let r = c.get("/team/plan-templates").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&escaped(fr.plt_none)));
    // The kinds by their names, never their codes.
    assert!(
        r.body
            .contains(r#"<option value="game_jam">Game jam</option>"#)
    );

    // A name is needed; the kind chosen is kept.
    let r = c
        .post(
            "/team/plan-templates",
            &[("name", "  "), ("kind", "residency")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="f-name-error">{}</p>"#,
        escaped(fr.err_required)
    )));
    assert!(r.body.contains(r#"<option value="residency" selected>"#));
    let r = c
        .post(
            "/team/plan-templates",
            &[("name", "Jam"), ("kind", "party")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-kind-error""#));
    assert!(r.body.contains(r#"value="Jam""#));
    assert!(templates::list(app.db.conn()).await.unwrap().is_empty());

    let id = create(&mut c, "Game jam", "game_jam").await;
    let lab = add(
        &mut c,
        id,
        "Trouver le laboratoire partenaire",
        "J-150",
        "start",
    )
    .await;
    let open = add(&mut c, id, "Ouvrir les inscriptions", "-45", "start").await;
    let winners = add(&mut c, id, "Annoncer les lauréats", "J+2", "end").await;
    let r = c.get("/team/plan-templates").await;
    assert!(r.body.contains(&format!(
        r#"<a href="/team/plan-templates/{id}">Game jam</a>"#
    )));
    assert!(r.body.contains(r#"<td data-label="Tâches">3</td>"#));

    // The page: the tasks in order, milestones as plans write them, each
    // row's fields with ids of their own.
    let r = c.get(&format!("/team/plan-templates/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let at = |s: &str| r.body.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("Trouver le laboratoire") < at("Ouvrir les inscriptions"));
    assert!(at("Ouvrir les inscriptions") < at("Annoncer les lauréats"));
    for label in [
        "<td data-label=\"Échéance\">J\u{2212}150</td>",
        "J\u{2212}45",
        "J+2",
    ] {
        assert!(r.body.contains(label), "{label}");
    }
    assert!(r.body.contains(Anchor::End.label(Locale::Fr)));
    for t in [lab, open, winners] {
        for field in ["title", "offset", "anchor"] {
            assert_eq!(
                r.body.matches(&format!(r#"id="{field}-{t}""#)).count(),
                1,
                "{field}-{t}"
            );
        }
    }
    // The first task does not move up, the last does not move down.
    assert_eq!(r.body.matches(r#"name="direction" value="up""#).count(), 2);
    assert_eq!(
        r.body.matches(r#"name="direction" value="down""#).count(),
        2
    );

    // Bad input beside its field, as typed, nothing saved.
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks"),
            &[("title", ""), ("offset", "J-abc"), ("anchor", "start")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="new-title-error">{}</p>"#,
        escaped(fr.err_required)
    )));
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="new-offset-error">{}</p>"#,
        escaped(fr.plt_offset_invalid)
    )));
    assert!(r.body.contains(r#"value="J-abc""#));
    assert!(r.body.contains(r##"<a href="#new-offset">"##));
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{open}"),
            &[("title", "Ouvrir"), ("offset", "J-1000"), ("anchor", "end")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="offset-{open}-error">{}</p>"#,
        escaped(fr.plt_offset_range)
    )));
    assert!(r.body.contains(&format!(
        r#"id="offset-{open}" name="offset" type="text" value="J-1000""#
    )));
    assert!(r.body.contains(&format!(r#"id="task-{open}""#)));
    assert!(r.body.contains("<details open>"));
    assert_eq!(
        titles(&app, id).await,
        [
            "Trouver le laboratoire partenaire",
            "Ouvrir les inscriptions",
            "Annoncer les lauréats"
        ]
    );

    // Edited, moved, removed.
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{open}"),
            &[
                ("title", "Ouvrir les inscriptions des équipes"),
                ("offset", "J\u{2212}50"),
                ("anchor", "end"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/team/plan-templates/{id}#task-{open}")
    );
    let (_, t) = templates::find_task(app.db.conn(), open)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((t.anchor, t.offset), (Anchor::End, Offset(-50)));
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{winners}/move"),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{lab}/move"),
            &[("direction", "down")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        titles(&app, id).await,
        [
            "Annoncer les lauréats",
            "Trouver le laboratoire partenaire",
            "Ouvrir les inscriptions des équipes",
        ]
    );
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{lab}/move"),
            &[("direction", "sideways")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{lab}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        titles(&app, id).await,
        [
            "Annoncer les lauréats",
            "Ouvrir les inscriptions des équipes"
        ]
    );

    // Renamed, for any kind of project.
    let r = c
        .post(&format!("/team/plan-templates/{id}"), &[("name", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-name-error""#));
    let r = c
        .post(
            &format!("/team/plan-templates/{id}"),
            &[("name", "Scientific Game Jam"), ("kind", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = templates::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(
        (t.name.as_str(), t.project_kind),
        ("Scientific Game Jam", None)
    );
    let r = c.get(&format!("/team/plan-templates/{id}")).await;
    assert!(r.body.contains(&escaped(fr.plt_any_kind)));

    // Unknown ids, and a task of another template: 404.
    let other = create(&mut c, "Forum", "forum").await;
    let elsewhere = add(&mut c, other, "Réserver la salle", "J-90", "start").await;
    for (path, fields) in [
        (format!("/team/plan-templates/{}", other + 100), vec![]),
        (
            format!("/team/plan-templates/{id}/tasks/{elsewhere}"),
            vec![("title", "X"), ("offset", "J"), ("anchor", "start")],
        ),
        (
            format!("/team/plan-templates/{id}/tasks/{elsewhere}/move"),
            vec![("direction", "up")],
        ),
        (
            format!("/team/plan-templates/{id}/tasks/{lab}/delete"),
            vec![],
        ),
        (
            format!("/team/plan-templates/{}/delete", other + 100),
            vec![("confirm", "1")],
        ),
    ] {
        let r = c.post(&path, &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        c.get(&format!("/team/plan-templates/{}", other + 100))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Deleted once confirmed.
    let r = c
        .post(&format!("/team/plan-templates/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="confirm-error">{}</p>"#,
        escaped(fr.plt_delete_confirm_missing)
    )));
    assert!(templates::find(app.db.conn(), id).await.unwrap().is_some());
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/delete"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/team/plan-templates");
    assert!(templates::find(app.db.conn(), id).await.unwrap().is_none());

    // Every change is in the template's history.
    let filter = AuditFilter {
        entity_type: Some("plan_template".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let mut actions: Vec<String> = audit::list(app.db.conn(), &filter, PageRequest::new(1, 50))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "create",
            "add_task",
            "add_task",
            "add_task",
            "edit_task",
            "move_task",
            "move_task",
            "remove_task",
            "update",
            "delete"
        ]
    );
}

#[tokio::test]
async fn errors_speak_the_reader_s_language() {
    let app = TestApp::new().await;
    let (mut c, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    let en = messages(Locale::En);
    let id = create(&mut c, "Éditathon", "editathon").await;
    c.get("/lang/en?next=/").await;
    let r = c.get(&format!("/team/plan-templates/{id}")).await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains(&escaped(en.plt_no_tasks)));
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks"),
            &[
                ("title", "Book the room"),
                ("offset", "D+731"),
                ("anchor", "moon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&escaped(en.plt_offset_range)));
    assert!(r.body.contains(&format!(
        r#"<p class="field-error" id="new-anchor-error">{}</p>"#,
        escaped(en.err_invalid_choice)
    )));
    assert!(r.body.contains(r#"value="Book the room""#));
    add(&mut c, id, "Book the room", "D-30", "start").await;
    let r = c.get(&format!("/team/plan-templates/{id}")).await;
    assert!(r.body.contains("D\u{2212}30"));
    assert!(r.body.contains(Anchor::Start.label(Locale::En)));
}

#[tokio::test]
async fn interns_volunteers_and_partners_are_refused() {
    let app = TestApp::new().await;
    let (mut staff, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    let id = create(&mut staff, "Résidence", "residency").await;
    let task = add(&mut staff, id, "Accueillir la résidente", "J", "start").await;
    for role in [Role::Intern, Role::Volunteer, Role::Partner] {
        let mut c = app.signed_in(role).await;
        for path in [
            "/team/plan-templates".to_owned(),
            format!("/team/plan-templates/{id}"),
        ] {
            assert_eq!(
                c.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        for (path, fields) in [
            ("/team/plan-templates".to_owned(), vec![("name", "X")]),
            (format!("/team/plan-templates/{id}"), vec![("name", "X")]),
            (
                format!("/team/plan-templates/{id}/tasks"),
                vec![("title", "X"), ("offset", "J"), ("anchor", "start")],
            ),
            (
                format!("/team/plan-templates/{id}/tasks/{task}"),
                vec![("title", "X"), ("offset", "J"), ("anchor", "start")],
            ),
            (
                format!("/team/plan-templates/{id}/tasks/{task}/move"),
                vec![("direction", "up")],
            ),
            (
                format!("/team/plan-templates/{id}/tasks/{task}/delete"),
                vec![],
            ),
            (
                format!("/team/plan-templates/{id}/delete"),
                vec![("confirm", "1")],
            ),
        ] {
            let r = c.post(&path, &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role} {path}");
        }
    }
    let t = templates::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(t.name, "Résidence");
    assert_eq!(t.tasks.len(), 1);
    assert_eq!(t.tasks[0].title, "Accueillir la résidente");
    assert_eq!(templates::list(app.db.conn()).await.unwrap().len(), 1);
    // Admins may.
    let mut admin = app.signed_in(Role::Admin).await;
    assert_eq!(
        admin
            .get(&format!("/team/plan-templates/{id}"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_template_edited_then_applied_gives_the_edited_due_dates() {
    let app = TestApp::new().await;
    let (mut c, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    let mut data = testing::project_data("jam-2027", "Scientific Game Jam 2027", 2027);
    data.kind = ProjectKind::GameJam;
    let p = testing::project(app.db.conn(), &data).await;
    let (start, end) = (p.data.starts_on, p.data.ends_on);

    let id = create(&mut c, "Game jam", "game_jam").await;
    let theme = add(&mut c, id, "Trouver le thème", "J-150", "start").await;
    let meals = add(&mut c, id, "Prévoir les repas", "J-14", "start").await;
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{theme}"),
            &[
                ("title", "Trouver le laboratoire partenaire et le thème"),
                ("offset", "J-120"),
                ("anchor", "start"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .post(
            &format!("/team/plan-templates/{id}/tasks/{meals}"),
            &[("title", "Bilan"), ("offset", "+30"), ("anchor", "end")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The plan page links the templates for those who edit them.
    let r = c.get(&format!("/team/projects/{}/plan", p.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"<a href="/team/plan-templates">"#));
    let r = c
        .post(
            &format!("/team/projects/{}/plan/apply", p.id),
            &[("template", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan = tasks::of_project(app.db.conn(), p.id).await.unwrap();
    let got: Vec<(&str, Option<chrono::NaiveDate>)> =
        plan.iter().map(|t| (t.title.as_str(), t.due_on)).collect();
    assert_eq!(
        got,
        [
            (
                "Trouver le laboratoire partenaire et le thème",
                Some(start - Days::new(120))
            ),
            ("Bilan", Some(end + Days::new(30))),
        ]
    );
}
