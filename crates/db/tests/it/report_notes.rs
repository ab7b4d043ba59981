//! What the team writes in a bilan: kept per edition and section, changed,
//! removed when emptied, each change in the audit log, on both engines.

use crate::programme::project;
use maillage_db::audit::{self, Actor, AuditFilter};
use maillage_db::records;
use maillage_db::report_notes;
use maillage_db::{DbErr, PageRequest, now};
use maillage_domain::report::SectionNote;

fn n(commentary: &str, highlights: &[&str]) -> SectionNote {
    SectionNote {
        commentary: commentary.into(),
        highlights: highlights.iter().map(|h| h.to_string()).collect(),
    }
}

async fn set(db: &maillage_db::Db, project: i64, section: &str, note: SectionNote) {
    let tx = db.write().await.unwrap();
    records::write(&tx, &Actor::system("test"), now(), async |tx, now| {
        report_notes::set(tx, project, "Fête 2026", section, &note, now).await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn notes_are_kept_per_edition_and_section_and_audited() {
    let db = crate::db().await;
    let this = project(&db, "fete-2026").await.id;
    let last = project(&db, "fete-2025").await.id;
    set(
        &db,
        this,
        "formats",
        n("Des ateliers avant tout.", &["62 ateliers"]),
    )
    .await;
    set(
        &db,
        this,
        "questionnaire-2",
        n("", &["Un public conquis", "NPS +33"]),
    )
    .await;
    set(&db, last, "formats", n("L'an dernier.", &[])).await;

    let notes = report_notes::of_project(db.conn(), this).await.unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(
        notes["formats"],
        n("Des ateliers avant tout.", &["62 ateliers"])
    );
    assert_eq!(
        notes["questionnaire-2"].highlights,
        ["Un public conquis", "NPS +33"]
    );
    let before = report_notes::of_project(db.conn(), last).await.unwrap();
    assert_eq!(before["formats"].commentary, "L'an dernier.");

    // Changed, unchanged (nothing recorded), then emptied: removed.
    set(
        &db,
        this,
        "formats",
        n("Des ateliers, surtout.", &["62 ateliers"]),
    )
    .await;
    set(
        &db,
        this,
        "formats",
        n("Des ateliers, surtout.", &["62 ateliers"]),
    )
    .await;
    set(&db, this, "formats", SectionNote::default()).await;
    let notes = report_notes::of_project(db.conn(), this).await.unwrap();
    assert!(!notes.contains_key("formats"));
    // The other edition's note is untouched.
    let before = report_notes::of_project(db.conn(), last).await.unwrap();
    assert_eq!(before.len(), 1);

    let log = audit::list(db.conn(), &AuditFilter::default(), PageRequest::new(1, 50))
        .await
        .unwrap()
        .items;
    let actions: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.entity_type == "report_note")
        .map(|e| (e.action.as_str(), e.summary.as_str()))
        .collect();
    // Newest first: delete, update (the unchanged write left nothing), and
    // the three creations.
    assert_eq!(
        actions,
        [
            ("delete", "Fête 2026 — formats"),
            ("update", "Fête 2026 — formats"),
            ("create", "Fête 2026 — formats"),
            ("create", "Fête 2026 — questionnaire-2"),
            ("create", "Fête 2026 — formats"),
        ]
    );
}
