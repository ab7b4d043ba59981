//! The feeds read by Python's `icalendar` package (PyPI), through
//! `tests/python_check.py`, when it is installed (`pip install icalendar`);
//! skipped with a note otherwise. `tests/it/parse.rs` always runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{now, programme};
use chrono::{DateTime, Utc};
use maillage_ical::{Calendar, render};
use serde_json::Value;

fn python_icalendar_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "note: Python's icalendar package is not installed (pip install icalendar); \
             skipping the Python cross-check"
        );
    }
    found
}

/// Runs the script on `body`; returns its JSON lines (calendar first).
fn python_read(body: &str, name: &str) -> Vec<Value> {
    let path =
        std::env::temp_dir().join(format!("maillage-ical-{}-{name}.ics", std::process::id()));
    std::fs::write(&path, body).unwrap();
    let script: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python_check.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "python_check.py failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn instant(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

#[test]
fn python_icalendar_reads_the_programme() {
    if !python_icalendar_available() {
        return;
    }
    let (calendar, expected) = programme();
    let lines = python_read(&render(&calendar, now()), "programme");
    let (head, events) = lines.split_first().unwrap();
    eprintln!("Python icalendar {}", head["icalendar"]);
    assert_eq!(
        head["calendar"],
        "Fête de la science — Isère, programme 2025"
    );
    assert_eq!(head["timezones"], serde_json::json!(["Europe/Paris"]));
    assert_eq!(events.len(), expected.len());
    for (event, want) in events.iter().zip(&expected) {
        let uid = want.uid;
        assert_eq!(event["uid"], uid);
        assert_eq!(event["summary"].as_str(), want.summary, "{uid}");
        assert_eq!(event["description"].as_str(), want.description, "{uid}");
        assert_eq!(event["location"].as_str(), want.location, "{uid}");
        assert_eq!(event["status"], want.status, "{uid}");
        assert_eq!(event["sequence"], want.sequence, "{uid}");
        assert_eq!(
            event["categories"],
            serde_json::json!(want.categories),
            "{uid}"
        );
        // Resolved through the IANA zone, and through the file's VTIMEZONE.
        assert_eq!(instant(&event["start"]), Some(want.start), "{uid}");
        assert_eq!(
            instant(&event["start_own_vtimezone"]),
            Some(want.start),
            "{uid}"
        );
        assert_eq!(instant(&event["end"]), want.end, "{uid}");
        assert_eq!(instant(&event["end_own_vtimezone"]), want.end, "{uid}");
    }
}

#[test]
fn python_icalendar_reads_an_empty_calendar() {
    if !python_icalendar_available() {
        return;
    }
    let calendar = Calendar {
        name: "Aucune séance".to_owned(),
        description: None,
        url: None,
        events: vec![],
    };
    let lines = python_read(&render(&calendar, now()), "empty");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["calendar"], "Aucune séance");
}
