//! Meetings from the team's side: a meeting planned with its agenda, its
//! attendees, minutes whose action becomes a task in its assignee's "my
//! tasks" and in their calendar feed (read back by an iCal parser), the
//! minutes e-mailed, the partner's view; bad input beside its field; who
//! sees what (interns and volunteers: their projects; partners: their
//! organisation's meetings and shared tasks).

use crate::util::TestApp;
use axum::http::StatusCode;
use icalendar::{CalendarComponent, Component, DatePerhapsTime};
use maillage_db::planning::{meetings, tasks};
use maillage_db::programme::projects::Project;
use maillage_db::testing;
use maillage_domain::Role;
use maillage_domain::planning::Outcome;

async fn project(app: &TestApp, slug: &str) -> Project {
    testing::project(
        app.db.conn(),
        &testing::project_data(slug, "Fête de la science 2027", 2027),
    )
    .await
}

/// Staff plan a meeting through the form; its id.
async fn plan(staff: &mut crate::util::Client, project: i64, title: &str) -> i64 {
    plan_on(staff, project, title, "2027-03-02").await
}

async fn plan_on(staff: &mut crate::util::Client, project: i64, title: &str, date: &str) -> i64 {
    let r = staff
        .post(
            "/team/meetings",
            &[
                ("title", title),
                ("series", "Comité de pilotage"),
                ("project", &project.to_string()),
                ("date", date),
                ("start", "9:30"),
                ("end", "11h"),
                ("online_url", "visio.example.org/copil"),
                ("agenda", "Programme imprimé\nVillages des sciences\n\n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_action_in_the_minutes_reaches_its_assignee_tasks_calendar_and_mailbox() {
    let app = TestApp::new().await;
    let p = project(&app, "fete-2027").await;
    let (mut staff, staff_user) = app.signed_in_as("coord@example.org", Role::Staff).await;
    let (mut intern, intern_user) = app
        .signed_in_as("stagiaire@example.org", Role::Intern)
        .await;
    let (mut partner, partner_user) = app
        .signed_in_as("casemate@example.org", Role::Partner)
        .await;
    let (mut other_partner, _) = app.signed_in_as("autre@example.org", Role::Partner).await;

    let id = plan(&mut staff, p.id, "Comité de pilotage de mars").await;
    let m = meetings::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(
        m.data.online_url.as_deref(),
        Some("https://visio.example.org/copil")
    );
    let items = meetings::items(app.db.conn(), id).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
        ["Programme imprimé", "Villages des sciences"]
    );
    let who = meetings::attendees(app.db.conn(), id).await.unwrap();
    assert_eq!(
        who.iter().map(|a| a.user_id).collect::<Vec<_>>(),
        [Some(staff_user.id)],
        "the planner attends"
    );

    // Before being invited, the intern does not see it.
    assert_eq!(
        intern.get(&format!("/team/meetings/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    for u in [&intern_user, &partner_user] {
        let r = staff
            .post(
                &format!("/team/meetings/{id}/attendees"),
                &[("who", &format!("u{}", u.id))],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = staff
        .post(
            &format!("/team/meetings/{id}/attendees"),
            &[("who", "u999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une des valeurs proposées."));

    // An action without anyone to do it is refused beside the field, the
    // minutes kept as typed.
    let item = items[0].id;
    let path = format!("/team/meetings/{id}/items/{item}");
    let r = staff
        .post(
            &path,
            &[
                ("minutes", "Textes à rendre <vite>"),
                ("outcome", "action"),
                ("due", "2027-04-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(&format!(r#"id="assignee-{item}-error""#)),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Textes à rendre &#60;vite&#62;"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="2027-04-15""#));
    let r = staff
        .post(&path, &[("outcome", "vote"), ("minutes", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        tasks::of_meetings(app.db.conn(), &[id])
            .await
            .unwrap()
            .is_empty()
    );

    // The action recorded: a task of the intern, due when said.
    let r = staff
        .post(
            &path,
            &[
                ("minutes", "Les textes arrivent trop tard chaque année."),
                ("outcome", "action"),
                ("action_title", "Relancer les partenaires pour leurs textes"),
                ("assignee", &intern_user.id.to_string()),
                ("due", "15/04/2027"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let made = tasks::of_meetings(app.db.conn(), &[id]).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].project_id, Some(p.id));
    assert_eq!(made[0].due_on, chrono::NaiveDate::from_ymd_opt(2027, 4, 15));
    let item_now = meetings::find_item(app.db.conn(), item)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item_now.outcome, Some(Outcome::Action));
    // A decision on the other item, and one action for the partner.
    let r = staff
        .post(
            &format!("/team/meetings/{id}/items/{}", items[1].id),
            &[
                ("minutes", "Douze villages cette année."),
                ("outcome", "action"),
                ("action_title", "Confirmer le village de Grenoble"),
                ("assignee", &partner_user.id.to_string()),
                ("due", "2027-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // In the intern's tasks, and on the meeting page they now see.
    let r = intern.get("/team/tasks").await;
    assert!(
        r.body
            .contains("Relancer les partenaires pour leurs textes"),
        "{}",
        r.body
    );
    let r = intern.get(&format!("/team/meetings/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Les textes arrivent trop tard chaque année.")
    );

    // In the intern's calendar feed, read back by a real parser.
    let r = intern.post("/account/calendar", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let start = r.body.find("/calendar/").unwrap();
    let end = start + r.body[start..].find('"').unwrap();
    let feed_path = r.body[start..end].to_owned();
    let anonymous = app.client().get(&feed_path).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(
        anonymous
            .header("content-type")
            .starts_with("text/calendar")
    );
    let cal: icalendar::Calendar = anonymous.body.parse().unwrap();
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let task = events
        .iter()
        .find(|e| {
            e.get_summary()
                .is_some_and(|s| s.contains("Relancer les partenaires"))
        })
        .expect("the task in the feed");
    assert_eq!(
        task.get_start(),
        Some(DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(2027, 4, 15).unwrap()
        ))
    );
    assert!(
        events
            .iter()
            .any(|e| e.get_summary() == Some("Comité de pilotage de mars"))
    );
    // Revoked, the address stops.
    let r = intern.post("/account/calendar/revoke", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().get(&feed_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get("/calendar/nope.ics").await.status,
        StatusCode::NOT_FOUND
    );

    // The invitation and the minutes by e-mail, to each attendee.
    let r = staff
        .post(&format!("/team/meetings/{id}/invite"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.assert_mailed(
        "stagiaire@example.org",
        "Invitation : Comité de pilotage de mars",
    )
    .await;
    let ics = staff.get(&format!("/team/meetings/{id}/invite.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    let parsed: icalendar::Calendar = ics.body.parse().unwrap();
    assert_eq!(
        parsed
            .components
            .iter()
            .filter(|c| matches!(c, CalendarComponent::Event(_)))
            .count(),
        1
    );

    // Before the minutes are sent, the partner sees the agenda only.
    let r = partner.get(&format!("/partner/meetings/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Programme imprimé"));
    assert!(!r.body.contains("Douze villages"));
    let r = staff.post(&format!("/team/meetings/{id}/send"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mails = app.mails_to("casemate@example.org").await;
    let minutes = mails
        .iter()
        .find(|m| m.subject == "Compte rendu : Comité de pilotage de mars")
        .expect("the minutes");
    assert!(
        minutes
            .body_text
            .contains("Confirmer le village de Grenoble"),
        "{}",
        minutes.body_text
    );
    assert!(
        minutes.body_text.contains("/partner/meetings/"),
        "{}",
        minutes.body_text
    );
    assert!(
        app.mails_to("stagiaire@example.org")
            .await
            .iter()
            .any(|m| m.body_text.contains("Relancer les partenaires"))
    );

    // The partner sees the minutes and the action given to them, not the
    // intern's; another organisation sees nothing.
    let r = partner.get(&format!("/partner/meetings/{id}")).await;
    assert!(r.body.contains("Douze villages cette année."));
    assert!(r.body.contains("Confirmer le village de Grenoble"));
    assert!(!r.body.contains("Relancer les partenaires"));
    let home = partner.get("/partner").await;
    assert!(
        home.body.contains("Confirmer le village de Grenoble"),
        "{}",
        home.body
    );
    assert_eq!(
        other_partner
            .get(&format!("/partner/meetings/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !other_partner
            .get("/partner")
            .await
            .body
            .contains("Confirmer le village")
    );
    // Partners never reach the team's meeting pages.
    assert_eq!(
        partner.get(&format!("/team/meetings/{id}")).await.status,
        StatusCode::FORBIDDEN
    );

    // The next meeting of the series takes up the open actions.
    let next = plan_on(&mut staff, p.id, "Comité de pilotage d'avril", "2027-04-06").await;
    let r = staff.get(&format!("/team/meetings/{next}")).await;
    assert!(r.body.contains("Actions reprises des réunions précédentes"));
    assert!(
        r.body
            .contains("Relancer les partenaires pour leurs textes")
    );
    // The project's plan, its page and the partner organisation's page list
    // its meetings.
    let r = staff.get(&format!("/team/projects/{}/plan", p.id)).await;
    assert!(r.body.contains(&format!("/team/meetings/{next}")));
    let r = staff
        .get(&format!("/team/programme/projects/{}", p.id))
        .await;
    assert!(r.body.contains(&format!("/team/meetings/{next}")));
    let org = partner_user.organisation_id.unwrap();
    let r = staff.get(&format!("/team/organisations/{org}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("/team/meetings/{id}")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_meeting_form_refuses_bad_input_beside_its_fields() {
    let app = TestApp::new().await;
    let (mut staff, _) = app.signed_in_as("coord@example.org", Role::Staff).await;
    let r = staff
        .post(
            "/team/meetings",
            &[
                ("title", ""),
                ("date", "31/02/2027"),
                ("start", "14:00"),
                ("end", "midi"),
                ("project", "424242"),
                ("online_url", "pas une adresse"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["title", "date", "end", "project", "online_url"] {
        assert!(
            r.body.contains(&format!(r#"id="f-{field}-error""#)),
            "{field}: {}",
            r.body
        );
    }
    assert!(r.body.contains(r#"value="pas une adresse""#));
    let r = staff
        .post(
            "/team/meetings",
            &[
                ("title", "Point d'équipe"),
                ("date", "2027-03-02"),
                ("start", "11:00"),
                ("end", "10:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-end-error""#));
    assert!(
        meetings::list(app.db.conn(), &Default::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn interns_and_volunteers_see_and_update_only_what_they_work_on() {
    let app = TestApp::new().await;
    let p = project(&app, "fete-2027").await;
    let q = project(&app, "soirees-2027").await;
    let (mut staff, _) = app.signed_in_as("coord@example.org", Role::Staff).await;
    let (mut volunteer, vol) = app
        .signed_in_as("benevole@example.org", Role::Volunteer)
        .await;
    let (mut intern, _) = app
        .signed_in_as("stagiaire@example.org", Role::Intern)
        .await;
    let id = plan(&mut staff, p.id, "Réunion des bénévoles").await;
    let item = meetings::items(app.db.conn(), id).await.unwrap()[0].id;
    staff
        .post(
            &format!("/team/meetings/{id}/attendees"),
            &[("who", &format!("u{}", vol.id))],
        )
        .await;
    let r = staff
        .post(
            &format!("/team/meetings/{id}/items/{item}"),
            &[
                ("outcome", "action"),
                ("assignee", &vol.id.to_string()),
                ("due", "2027-09-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = tasks::of_meetings(app.db.conn(), &[id]).await.unwrap()[0].id;
    // A task of the project not assigned to the volunteer.
    let other = {
        let tx = app.db.write().await.unwrap();
        let t = tasks::insert(
            &tx,
            &tasks::NewTask {
                project_id: Some(p.id),
                title: "Commander les affiches".into(),
                ..Default::default()
            },
            maillage_db::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        t.id
    };

    // The volunteer sees the plan of their project, not another's.
    assert_eq!(
        volunteer
            .get(&format!("/team/projects/{}/plan", p.id))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        volunteer
            .get(&format!("/team/projects/{}/plan", q.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        volunteer.get(&format!("/team/meetings/{id}")).await.status,
        StatusCode::OK
    );
    assert!(
        volunteer
            .get("/team/tasks")
            .await
            .body
            .contains("Programme imprimé")
    );
    // They update their own task, not someone else's.
    let r = volunteer
        .post(&format!("/team/tasks/{mine}/status"), &[("status", "done")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = volunteer
        .post(
            &format!("/team/tasks/{other}/status"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Volunteers neither plan meetings nor write minutes; no team week.
    assert_eq!(
        volunteer.get("/team/meetings/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        volunteer
            .post(
                &format!("/team/meetings/{id}/items"),
                &[("title", "Divers")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The intern, on no project yet, sees neither plan nor meeting, and
    // the meetings list is empty for them.
    assert_eq!(
        intern
            .get(&format!("/team/projects/{}/plan", p.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        intern.get(&format!("/team/meetings/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        intern
            .post(
                &format!("/team/meetings/{id}/items"),
                &[("title", "Divers")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !intern
            .get("/team/meetings")
            .await
            .body
            .contains("Réunion des bénévoles")
    );
    // The intern plans a meeting of their own: they attend it, so they see it.
    let own = plan(&mut intern, q.id, "Point Soirées").await;
    assert_eq!(
        intern.get(&format!("/team/meetings/{own}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        intern
            .get(&format!("/team/projects/{}/plan", q.id))
            .await
            .status,
        StatusCode::OK
    );
}
