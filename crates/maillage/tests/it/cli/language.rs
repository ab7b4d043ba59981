//! One language per run: `--lang`, `MAILLAGE_LANG`, else the locale of the
//! environment (LC_ALL, LC_MESSAGES, LANG), French by default; every line a
//! command prints follows it.

use super::support::*;
use maillage_db::testing::TestDb;

/// An OpenAgenda file with one event imported with a dropped timing, one
/// skipped (no timing), and one at a new venue whose end at midnight is
/// read as the end of the day.
const EVENTS: &str = r#"[
  {"uid": 1, "title": {"fr": "Atelier"}, "timings": [
    {"begin": "2024-10-05T14:00:00+02:00", "end": "2024-10-05T16:00:00+02:00"},
    {"begin": "demain", "end": "2024-10-05T16:00:00+02:00"}]},
  {"uid": 2, "title": {"fr": "Conférence"}, "timings": []},
  {"uid": 3, "title": "Concert", "timings": [
    {"begin": "2024-10-06T19:30:00+02:00", "end": "2024-10-06T00:00:00+02:00"}],
   "location": {"name": "Salle des fêtes", "city": "Voiron", "postalCode": "38500"}}
]"#;

/// Words only a French line has, and words only an English one has.
const FRENCH: [&str; 8] = [
    "créé",
    "écarté",
    "avertissement",
    "horaire",
    "entrée",
    "aucun",
    "lieu",
    "essai",
];
const ENGLISH: [&str; 8] = [
    "created",
    "skipped",
    "warning",
    "timing",
    "entry",
    "no project",
    "venue",
    "dry run",
];

/// Every line is in `lang`: French lines have a space before their colons
/// and none of the English words, and the converse.
fn all_in(lang: &str, text: &str) {
    let (own, other) = match lang {
        "fr" => (FRENCH, ENGLISH),
        _ => (ENGLISH, FRENCH),
    };
    assert!(!text.trim().is_empty());
    for line in text.lines() {
        for word in other {
            assert!(!line.contains(word), "{word:?} in a {lang} line: {line}");
        }
        assert!(
            own.iter().any(|w| line.contains(w)) || line.contains("«") || line.contains("“"),
            "a {lang} line without {lang} words: {line}"
        );
        // In French a space comes before a colon, in English none does.
        let french_colon = line.contains(" : ");
        let bare_colon = line.replace(" : ", "").contains(": ");
        match lang {
            "fr" => assert!(french_colon && !bare_colon, "colons of {line}"),
            _ => assert!(bare_colon && !french_colon, "colons of {line}"),
        }
    }
}

#[tokio::test]
async fn an_openagenda_import_speaks_the_language_of_the_run() {
    use maillage_db::programme::projects;
    let db = TestDb::new().await;
    let url = db.url();
    maillage_db::testing::project(
        db.conn(),
        &projects::ProjectData {
            starts_on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            ..maillage_db::testing::project_data("fete", "Fête", 2024)
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    std::fs::write(&file, EVENTS).unwrap();
    let file = file.to_str().unwrap();
    let import = |env: &[(&str, &str)], project: &str, extra: &[&str]| {
        let args = [
            &["import", "openagenda", file, "--project", project][..],
            extra,
            &["--database", url],
        ]
        .concat();
        run_env(env, &args, None)
    };

    // French: MAILLAGE_LANG, or the locale, or nothing at all.
    let (ok, out, err) = import(&[("MAILLAGE_LANG", "fr")], "fete", &["--dry-run"]);
    assert!(ok, "{err}");
    all_in("fr", &out);
    all_in("fr", &err);
    assert!(
        out.contains(
            "2 événements créés, 0 mis à jour, 0 inchangé, 1 écarté, 1 lieu créé \
             (essai : rien n'a été importé)"
        ),
        "{out}"
    );
    assert!(
        err.contains(" : entrée 2 (uid 2, « Conférence ») écartée : aucun horaire"),
        "{err}"
    );
    assert!(
        err.contains(
            " : avertissement, entrée 1 (uid 1) : un horaire a été écarté (le début « demain » \
             n'est pas une date et une heure)"
        ),
        "{err}"
    );
    assert!(
        err.contains("lu comme finissant le 07/10/2024 à 00:00"),
        "{err}"
    );
    for env in [&[("LANG", "fr_FR.UTF-8")][..], &[], &[("LC_ALL", "C")]] {
        let (ok, out, err) = import(env, "fete", &["--dry-run"]);
        assert!(ok, "{err}");
        all_in("fr", &out);
        all_in("fr", &err);
    }
    let (ok, out, err) = import(&[("MAILLAGE_LANG", "fr")], "nope", &[]);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        "maillage : aucun projet n'a l'identifiant « nope »"
    );

    // English: MAILLAGE_LANG, the locale (LC_MESSAGES before LANG), --lang.
    let (ok, out, err) = import(&[("MAILLAGE_LANG", "en")], "fete", &[]);
    assert!(ok, "{err}");
    all_in("en", &out);
    all_in("en", &err);
    assert!(
        out.contains("2 events created, 0 updated, 0 unchanged, 1 skipped, 1 venue created in "),
        "{out}"
    );
    assert!(
        err.contains(": entry 2 (uid 2, “Conférence”) skipped: no timings"),
        "{err}"
    );
    assert!(
        err.contains(
            ": warning, entry 1 (uid 1): a timing was dropped (begin \"demain\" is not a date \
             and time)"
        ),
        "{err}"
    );
    for (env, extra) in [
        (&[("LANG", "en_GB.UTF-8")][..], &[][..]),
        (
            &[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")],
            &[],
        ),
        (&[("MAILLAGE_LANG", "fr")], &["--lang", "en"]),
    ] {
        let (ok, out, err) = import(env, "fete", extra);
        assert!(ok, "{err}");
        all_in("en", &out);
        all_in("en", &err);
        assert!(
            out.contains("0 events created, 0 updated, 2 unchanged"),
            "{out}"
        );
    }
    let (ok, out, err) = import(&[("LANG", "en_GB.UTF-8")], "nope", &[]);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(err.trim(), "maillage: no project with the slug “nope”");
}

#[tokio::test]
async fn errors_and_directory_problems_speak_the_language_of_the_run() {
    let db = TestDb::new().await;
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Nom;Commune\nA;Grenoble\nB;Atlantis\n").unwrap();
    let bad = bad.to_str().unwrap();
    let missing = dir.path().join("missing.csv");
    let missing = missing.to_str().unwrap();
    let fr = [("MAILLAGE_LANG", "fr")];
    let en = [("LANG", "en_US.UTF-8")];

    let (ok, _, err) = run_env(&fr, &["import", "venues", bad, "--database", url], None);
    assert!(!ok);
    assert!(
        err.contains(", ligne 3, colonne « Commune » (« Atlantis ») : Commune introuvable"),
        "{err}"
    );
    assert!(
        err.contains("maillage : 1 problème dans 2 lignes de données ; rien n'a été importé"),
        "{err}"
    );
    let (ok, _, err) = run_env(&en, &["import", "venues", bad, "--database", url], None);
    assert!(!ok);
    assert!(
        err.contains(", line 3, column “Commune” (“Atlantis”): Commune not found"),
        "{err}"
    );
    assert!(
        err.contains("maillage: 1 problem in 2 data rows; nothing was imported"),
        "{err}"
    );

    // A missing file: words, then the system's message after a colon.
    let (ok, _, err) = run_env(&fr, &["import", "venues", missing, "--database", url], None);
    assert!(!ok);
    assert!(
        err.starts_with(&format!(
            "maillage : impossible de lire {missing} (fichier introuvable) : "
        )),
        "{err}"
    );
    let (ok, _, err) = run_env(&en, &["import", "venues", missing, "--database", url], None);
    assert!(!ok);
    assert!(
        err.starts_with(&format!(
            "maillage: cannot read {missing} (file not found): "
        )),
        "{err}"
    );

    // Accounts: a bad role, an unknown e-mail.
    let add = ["user", "add", "--email", "x@example.org", "--name", "X"];
    let (ok, _, err) = run_env(
        &fr,
        &[&add[..], &["--role", "roi", "--database", url]].concat(),
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("--role : rôle inconnu « roi » ; attendu : admin"),
        "{err}"
    );
    let token = [
        "token",
        "create",
        "--email",
        "nobody@example.org",
        "--database",
        url,
    ];
    let (ok, _, err) = run_env(&fr, &token, None);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "maillage : aucun compte n'a l'adresse nobody@example.org"
    );
    let (ok, _, err) = run_env(&en, &token, None);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "maillage: no user with e-mail nobody@example.org"
    );

    // A database that cannot be opened.
    let nowhere = format!("sqlite://{}/no/such/folder/m.db", dir.path().display());
    let (ok, _, err) = run_env(&fr, &["migrate", "--database", &nowhere], None);
    assert!(!ok);
    assert!(
        err.starts_with(&format!(
            "maillage : impossible d'ouvrir la base de données {nowhere} : "
        )),
        "{err}"
    );
    let (ok, _, err) = run_env(&en, &["migrate", "--database", &nowhere], None);
    assert!(!ok);
    assert!(
        err.starts_with(&format!("maillage: cannot open the database {nowhere}: ")),
        "{err}"
    );
    let (ok, _, err) = run_env(&fr, &["migrate", "--database", "mysql://root@h/m"], None);
    assert!(!ok);
    assert!(
        err.contains("adresse de base de données non prise en charge (\"mysql\")"),
        "{err}"
    );

    // An unknown language is refused in both.
    let (ok, _, err) = run_env(
        &[("MAILLAGE_LANG", "de")],
        &["migrate", "--database", url],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("langue attendue fr ou en / expected language fr or en"),
        "{err}"
    );
}

#[tokio::test]
async fn the_demo_accounts_are_printed_in_the_language_of_the_run() {
    let db = TestDb::new().await;
    let demo = |env: &[(&str, &str)]| run_env(env, &["demo", "--database", db.url()], None);
    let (ok, out, err) = demo(&[("MAILLAGE_LANG", "fr")]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "saison de démonstration chargée");
    assert!(
        lines[1].starts_with("compte de démo : admin@example.org / "),
        "{out}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("compte de démo : "))
    );
    let (ok, out, err) = demo(&[("LANG", "en_IE.UTF-8")]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("demo not loaded: the database already has ")
            && out.contains(" users; use an empty database"),
        "{out}"
    );
    let (ok, out, _) = demo(&[]);
    assert!(ok);
    assert!(
        out.starts_with("démo non chargée : la base de données a déjà ")
            && out.contains(" comptes ; chargez la démo"),
        "{out}"
    );
}
