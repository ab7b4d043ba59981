//! Administration commands: migrations, users, tokens, backups.

use super::support::*;
use maillage_db::testing::TestDb;
use maillage_db::{Backend, api_tokens};

#[tokio::test]
async fn unknown_database_scheme_is_refused() {
    let (ok, _, err) = run(
        &["migrate", "--database", "mysql://root@localhost/maillage"],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("unsupported database URL scheme \"mysql\""),
        "{err}"
    );
}

#[tokio::test]
async fn user_add_token_create_and_migrate() {
    let db = TestDb::new().await;
    let url = db.url();
    let (ok, out, err) = run_db(url, &["migrate"], None);
    assert!(ok, "{err}");
    assert!(out.contains("up to date"));
    // Password from standard input.
    let (ok, out, err) = user_add(
        url,
        ["ada@example.org", "Ada", "staff"],
        &[],
        "a long enough password\n",
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "created ada@example.org (staff)");
    // Generated and printed once (empty standard input).
    let (ok, out, _) = user_add(
        url,
        ["p@example.org", "P", "partner"],
        &["--organisation", "Cosmocité"],
        "",
    );
    assert!(ok);
    assert!(out.contains("with password: "), "{out}");
    let (ok, _, err) = user_add(url, ["ada@example.org", "A", "staff"], &[], "");
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let (ok, _, err) = user_add(url, ["x@example.org", "X", "king"], &[], "");
    assert!(!ok);
    assert!(err.contains("--role"), "{err}");
    let (ok, _, err) = user_add(url, ["y@example.org", "Y", "staff"], &[], "short\n");
    assert!(!ok);
    assert!(err.contains("refused: At least"), "{err}");

    let (ok, out, err) = run_db(
        url,
        &["token", "create", "--email", "ada@example.org"],
        None,
    );
    assert!(ok, "{err}");
    let token = out.trim();
    assert_eq!(out.lines().count(), 1, "the token alone");
    let (_, owner) = api_tokens::authenticate(db.conn(), token, maillage_db::now())
        .await
        .unwrap()
        .expect("valid token");
    assert_eq!(owner.email, "ada@example.org");
    let (ok, _, err) = run_db(
        url,
        &["token", "create", "--email", "nobody@example.org"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("no user"), "{err}");
}

#[tokio::test]
async fn backup_makes_a_consistent_copy_or_points_to_pg_dump() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.db");
    let target_s = target.to_str().unwrap();
    let (ok, out, err) = run(&["backup", "--database", db.url(), target_s], None);
    if db.backend() == Backend::Postgres {
        assert!(!ok);
        assert!(err.contains("pg_dump"), "{err}");
        return;
    }
    assert!(ok, "{err}");
    assert!(out.contains("backup written"));
    let (ok, _, err) = run(&["backup", "--database", db.url(), target_s], None);
    assert!(!ok);
    assert!(err.contains("already exists"));
    // The copy is a working database at the current schema.
    let copy = format!("sqlite://{target_s}");
    let (ok, out, _) = run(&["migrate", "--database", &copy], None);
    assert!(ok);
    assert!(out.contains("up to date"), "{out}");
}
