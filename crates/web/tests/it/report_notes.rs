//! What the team writes in a bilan: a commentary and highlights per
//! section, shown on the page and in the PDF, the workbook and the API;
//! bad input refused beside its field with what was typed kept; unknown
//! sections and roles without the right refused.

use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::programme::projects::{self, Project};
use maillage_db::{api_tokens, demo, report_notes};
use maillage_domain::Role;
use maillage_domain::programme::ProjectKind;
use serde_json::Value;

async fn demo_app() -> (TestApp, Project) {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(app.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .expect("a past festival");
    (app, past)
}

#[tokio::test]
async fn the_team_comments_a_section_and_every_output_carries_it() {
    let (app, past) = demo_app().await;
    let id = past.id;
    let (mut intern, _) = app.signed_in_as("redac@example.org", Role::Intern).await;
    let page = intern.get(&format!("/team/projects/{id}/report")).await;
    assert!(page.body.contains(&format!(
        r#"action="/team/projects/{id}/report/notes/formats""#
    )));

    let r = intern
        .post(
            &format!("/team/projects/{id}/report/notes/formats"),
            &[
                (
                    "commentary",
                    "Les ateliers dominent encore.\n\nLes conférences reculent <b>nettement</b>.",
                ),
                (
                    "highlights",
                    "- 62 ateliers\n- Un village des sciences à Vienne",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/team/projects/{id}/report#formats"));
    let page = intern.get(&format!("/team/projects/{id}/report")).await;
    assert!(page.body.contains("<p>Les ateliers dominent encore.</p>"));
    // Typed markup is text.
    assert!(page.body.contains(&escaped("<b>nettement</b>")));
    assert!(
        page.body
            .contains("<li>Un village des sciences à Vienne</li>")
    );

    // The PDF, the workbook and the API carry it.
    let b = maillage_reports::bilan::of_project(app.db.conn(), past.clone(), maillage_db::now())
        .await
        .unwrap();
    let doc = maillage_reports::pdf::document(&b, maillage_domain::Locale::Fr);
    let boxes = maillage_pdf::text_boxes(&doc).unwrap();
    assert!(
        boxes
            .iter()
            .any(|t| t.text.contains("Les ateliers dominent"))
    );
    assert!(boxes.iter().any(|t| t.text.contains("Temps forts")));
    assert_eq!(maillage_pdf::overprinted(&doc).unwrap(), []);
    let r = intern
        .get(&format!("/team/projects/{id}/report/xlsx"))
        .await;
    // The commentary comes first in the workbook.
    let notes = maillage_tabular::read_xlsx(&r.bytes).unwrap();
    assert!(notes.rows[0].cells[1].starts_with("Les ateliers dominent"));
    assert!(notes.rows[0].cells[2].contains("62 ateliers"));
    let u = app.user("api@example.org", Role::Staff).await;
    let secret = api_tokens::create(app.db.conn(), u.id, "t", maillage_db::now())
        .await
        .unwrap()
        .1;
    let mut api = app.client();
    let r = api
        .api_get(
            &format!("/api/v1/projects/{}/report", past.data.slug),
            &secret,
        )
        .await;
    let json: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["notes"]["formats"]["highlights"][0], "62 ateliers");

    // Emptied: removed.
    let r = intern
        .post(
            &format!("/team/projects/{id}/report/notes/formats"),
            &[("commentary", "  "), ("highlights", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let notes = report_notes::of_project(app.db.conn(), id).await.unwrap();
    assert!(notes.is_empty());
}

#[tokio::test]
async fn a_refused_note_comes_back_beside_its_fields_as_typed() {
    let (app, past) = demo_app().await;
    let id = past.id;
    let (mut staff, _) = app.signed_in_as("bilan@example.org", Role::Staff).await;
    let nine = "un\ndeux\ntrois\nquatre\ncinq\nsix\nsept\nhuit\nneuf";
    let r = staff
        .post(
            &format!("/team/projects/{id}/report/notes/audiences"),
            &[
                ("commentary", "Un public très familial."),
                ("highlights", nine),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Beside the field, named in the summary, the form open with both
    // texts kept.
    assert!(
        r.body.contains(r#"id="f-audiences-highlights-error""#),
        "{}",
        r.body
    );
    assert!(r.body.contains("Au plus 8 lignes."));
    assert!(r.body.contains("Temps forts\u{a0}: Au plus 8 lignes."));
    assert!(r.body.contains(">Un public très familial.</textarea>"));
    assert!(r.body.contains("neuf</textarea>"));
    assert!(r.body.contains(r#"<details class="note-form" open>"#));
    assert!(
        report_notes::of_project(app.db.conn(), id)
            .await
            .unwrap()
            .is_empty()
    );

    // A section the bilan does not have, a malformed one, another project.
    for section in ["nope", "formats-99", "..%2Fx"] {
        let r = staff
            .post(
                &format!("/team/projects/{id}/report/notes/{section}"),
                &[("commentary", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{section}");
    }
    let r = staff
        .post(
            "/team/projects/999999/report/notes/formats",
            &[("commentary", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A volunteer may not write (nor read) bilans.
    let (mut v, _) = app.signed_in_as("v@example.org", Role::Volunteer).await;
    let r = v
        .post(
            &format!("/team/projects/{id}/report/notes/formats"),
            &[("commentary", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        report_notes::of_project(app.db.conn(), id)
            .await
            .unwrap()
            .is_empty()
    );
}
