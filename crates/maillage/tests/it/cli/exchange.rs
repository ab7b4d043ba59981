//! Imports and exports: the directory, OpenAgenda.

use super::support::*;
use maillage_db::testing::TestDb;

#[tokio::test]
async fn import_and_export_from_the_command_line() {
    let db = TestDb::new().await;
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Nom;SIRET;Commune\nA;123;Grenoble\nB;;Atlantis\n;;Voiron\n",
    )
    .unwrap();
    let bad_s = bad.to_str().unwrap();
    let (ok, _, err) = run_db(url, &["import", "organisations", bad_s, "--dry-run"], None);
    assert!(!ok, "problems give a non-zero exit status");
    for line in [", line 2, ", ", line 3, ", ", line 4, "] {
        assert!(err.contains(line), "{line} in {err}");
    }
    assert!(err.contains("nothing was imported"));
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "Nom;Type;Commune\nClub A;association;Grenoble\nMédiathèque B;library;Le Pont-de-Claix\n",
    )
    .unwrap();
    let good_s = good.to_str().unwrap();
    let (ok, out, err) = run_db(url, &["import", "organisations", good_s, "--dry-run"], None);
    assert!(ok, "{err}");
    assert!(out.contains("2 rows checked"), "{out}");
    assert_eq!(
        maillage_db::organisations::count(db.conn()).await.unwrap(),
        0,
        "a dry run imports nothing"
    );
    let (ok, out, err) = run_db(url, &["import", "organisations", good_s], None);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "2 organisations imported");
    let (ok, out, _) = run_db(url, &["export", "organisations", "--format", "csv"], None);
    assert!(ok);
    assert!(out.contains("Médiathèque B") && out.contains("38317"));
    let xlsx = dir.path().join("orgs.xlsx");
    let (ok, _, err) = run_db(
        url,
        &[
            "export",
            "organisations",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    let table = maillage_tabular::read(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(table.rows.len(), 2);
}

#[tokio::test]
async fn openagenda_import_and_export_from_the_command_line() {
    use maillage_db::programme::{activities, projects};
    let db = TestDb::new().await;
    let url = db.url();
    let project = maillage_db::testing::project(
        db.conn(),
        &projects::ProjectData {
            starts_on: chrono::NaiveDate::from_ymd_opt(2012, 1, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(),
            ..maillage_db::testing::project_data("jazz", "Jazz", 2012)
        },
    )
    .await;
    let file = format!(
        "{}/../../../shared/data/openagenda/tcheque-events.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, _, err) = run_db(url, &["import", "openagenda", &file], None);
    assert!(!ok, "the project is required");
    assert!(err.contains("--project"), "{err}");
    let (ok, _, err) = run_db(
        url,
        &["import", "openagenda", &file, "--project", "nope"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("no project with the slug “nope”"), "{err}");
    let args = [
        "import",
        "openagenda",
        &file,
        "--project",
        "jazz",
        "--database",
        url,
    ];
    let (ok, out, err) = run(&[&args[..], &["--dry-run"]].concat(), None);
    assert!(ok, "{err}");
    assert!(
        out.contains("205 events created") && out.contains("dry run"),
        "{out}"
    );
    assert!(
        activities::of_project(db.conn(), project.id)
            .await
            .unwrap()
            .is_empty(),
        "a dry run imports nothing"
    );
    let (ok, out, err) = run(&args, None);
    assert!(ok, "{err}");
    assert!(
        out.contains("205 events created, 0 updated, 0 unchanged"),
        "{out}"
    );
    let (ok, out, _) = run(&args, None);
    assert!(ok);
    assert!(
        out.contains("0 events created, 0 updated, 205 unchanged"),
        "{out}"
    );
    let (ok, out, err) = run_db(url, &["export", "openagenda", "--project", "jazz"], None);
    assert!(ok, "{err}");
    let parsed = maillage_openagenda::parse(out.as_bytes()).unwrap();
    assert_eq!(parsed.events.len(), 205);
    assert!(parsed.skipped.is_empty());
}
