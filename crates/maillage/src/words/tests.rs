//! The words' choices: language, plurals, typography.

use super::*;

#[test]
fn the_environment_chooses_the_language() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        from_env(move |k| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        })
    };
    assert_eq!(env(&[]), Locale::Fr);
    assert_eq!(env(&[("LANG", "en_GB.UTF-8")]), Locale::En);
    assert_eq!(env(&[("LANG", "C.UTF-8")]), Locale::Fr);
    assert_eq!(
        env(&[("LANG", "en_US"), ("LC_MESSAGES", "fr_FR")]),
        Locale::Fr
    );
    assert_eq!(
        env(&[("LC_ALL", "en"), ("LC_MESSAGES", "fr_FR")]),
        Locale::En
    );
    assert_eq!(env(&[("LC_ALL", ""), ("LANG", "en_US")]), Locale::En);
    assert!(parse_lang("de").unwrap_err().contains("fr ou en"));
    assert_eq!(parse_lang("en_GB.UTF-8"), Ok(Locale::En));
}

#[test]
fn plurals_and_typography() {
    let (fr, en) = (Words::new(Locale::Fr), Words::new(Locale::En));
    let path = Path::new("f.csv");
    assert_eq!(fr.imported(Kind::Venues, 1), "1 lieu importé");
    assert_eq!(fr.imported(Kind::Venues, 2), "2 lieux importés");
    assert_eq!(en.imported(Kind::Venues, 1), "1 venue imported");
    assert_eq!(en.imported(Kind::People, 2), "2 people imported");
    assert_eq!(
        fr.rows_checked(path, 1),
        "f.csv : 1 ligne vérifiée, aucun problème (essai : rien n'a été importé)"
    );
    assert_eq!(
        fr.rows_checked(path, 12),
        "f.csv : 12 lignes vérifiées, aucun problème (essai : rien n'a été importé)"
    );
    assert_eq!(
        en.rows_checked(path, 1),
        "f.csv: 1 row checked, no problem (dry run: nothing imported)"
    );
    let report = Report {
        created: 2,
        venues_created: 1,
        ..Report::default()
    };
    assert_eq!(
        fr.import_summary(&report, false, 5),
        "2 événements créés, 0 mis à jour, 0 inchangé, 0 écarté, 1 lieu créé en 5 ms"
    );
    assert_eq!(
        en.import_summary(&report, true, 5),
        "2 events created, 0 updated, 0 unchanged, 0 skipped, 1 venue created \
         (dry run: nothing imported)"
    );
    assert_eq!(
        fr.backup_written(path, 1),
        "copie écrite dans f.csv (1 octet)"
    );
    assert_eq!(
        fr.backup_written(path, 1_234_567),
        "copie écrite dans f.csv (1\u{202F}234\u{202F}567 octets)"
    );
    assert_eq!(fr.number(9999), "9999");
    assert_eq!(fr.number(123_456), "123\u{202F}456");
    assert_eq!(en.number(123_456), "123456");
    assert_eq!(
        en.demo_not_loaded(1).split(';').next(),
        Some("demo not loaded: the database already has 1 user")
    );
    assert!(fr.demo_not_loaded(5).contains("déjà 5 comptes ;"));
}

#[test]
fn passwords_are_not_printed() {
    assert_eq!(
        redacted("postgres://u:secret@db.example.org:5432/m"),
        "postgres://u:***@db.example.org:5432/m"
    );
    assert_eq!(redacted("postgres://u@h/m"), "postgres://u@h/m");
    assert_eq!(redacted("sqlite://a:b@c.db"), "sqlite://a:***@c.db");
    assert_eq!(redacted("sqlite://maillage.db"), "sqlite://maillage.db");
}
