//! `report`: the bilan of a project.

use crate::support::*;
use maillage_db::testing::TestDb;
use maillage_db::{Backend, api_tokens};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn report_writes_the_bilan_of_a_project() {
    use maillage_db::programme::projects;
    use maillage_domain::programme::ProjectKind;
    let db = TestDb::new().await;
    let url = db.url();
    maillage_db::demo::load(&db).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bilan.json");
    let out_s = out.to_str().unwrap();
    let (ok, _, err) = run_db(
        url,
        &[
            "report",
            "--project",
            &past.data.slug,
            "--format",
            "json",
            "--output",
            out_s,
        ],
        None,
    );
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["project"]["slug"], past.data.slug.as_str());
    assert!(json["coverage"]["communes_reached"].as_u64().unwrap() > 60);

    let xlsx = dir.path().join("bilan.xlsx");
    let (ok, _, err) = run_db(
        url,
        &[
            "report",
            "--project",
            &past.data.slug,
            "--format",
            "xlsx",
            "--lang",
            "en",
            "--output",
            xlsx.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    let table = maillage_tabular::read_xlsx(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(table.headers[0], "Indicator");

    let (ok, _, err) = run_db(
        url,
        &["report", "--project", "nope", "--format", "json"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("nope"), "{err}");
    let (ok, _, err) = run_db(
        url,
        &["report", "--project", &past.data.slug, "--lang", "de"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("--lang"), "{err}");
}
