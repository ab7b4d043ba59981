//! `report`: the bilan of a project.

use super::support::*;
use maillage_db::testing::TestDb;

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
    let slug = past.data.slug.as_str();
    let report = |args: &[&str]| run_db(url, &[&["report", "--project"], args].concat(), None);
    let (ok, _, err) = report(&[slug, "--format", "json", "--output", out_s]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["project"]["slug"], slug);
    assert!(json["coverage"]["communes_reached"].as_u64().unwrap() > 60);

    let xlsx = dir.path().join("bilan.xlsx");
    let (ok, _, err) = report(&[
        slug,
        "--format",
        "xlsx",
        "--lang",
        "en",
        "--output",
        xlsx.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let table = maillage_tabular::read_xlsx(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(table.headers[0], "Indicator");

    let (ok, _, err) = report(&["nope", "--format", "json"]);
    assert!(!ok);
    assert!(err.contains("nope"), "{err}");
    let (ok, _, err) = report(&[slug, "--lang", "de"]);
    assert!(!ok);
    assert!(err.contains("--lang"), "{err}");
}
