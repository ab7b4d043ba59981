//! `serve`: the demo, two instances on one database, SIGTERM.

use super::support::*;
use maillage_db::testing::TestDb;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test]
async fn serve_demo_answers_and_the_demo_accounts_sign_in() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let server = serve(db.url(), dir.path(), &["--demo"]);
    let accounts = demo_accounts(&server.stdout);
    let roles: Vec<&str> = accounts.iter().map(|a| a.2.as_str()).collect();
    assert_eq!(
        roles,
        ["admin", "staff", "intern", "volunteer", "partner"],
        "{:?}",
        server.stdout
    );
    for (email, _, role) in &accounts {
        assert_eq!(email, &format!("{role}@example.org"));
    }
    let a = &server.addr;
    assert_eq!(http(a, "GET", "/", "", None).await.status, 200);
    eprintln!("start to first answer: {:?}", started.elapsed());
    assert_eq!(http(a, "GET", "/healthz", "", None).await.status, 200);
    let metrics = http(a, "GET", "/metrics", "", None).await;
    assert!(
        metrics
            .body
            .contains("# TYPE maillage_http_requests_total counter")
    );
    let anon = http(a, "GET", "/team", "", None).await;
    assert_eq!(anon.status, 303);
    assert_eq!(anon.header("location"), ["/login?next=/team"]);
    for (email, password, role) in &accounts {
        let cookie = login(a, email, password).await;
        let team = http(a, "GET", "/team", &cookie, None).await.status;
        if role == "partner" {
            assert_eq!(team, 403);
            assert_eq!(http(a, "GET", "/partner", &cookie, None).await.status, 200);
        } else {
            assert_eq!(team, 200, "{role}");
        }
    }
    drop(server);

    // On a database that is no longer empty, the demo is not loaded again.
    let again = serve(db.url(), dir.path(), &["--demo"]);
    assert!(
        again
            .stdout
            .iter()
            .any(|l| l.starts_with("demo not loaded")),
        "{:?}",
        again.stdout
    );
    assert!(demo_accounts(&again.stdout).is_empty());
}

/// Two `serve` processes on one database share sessions.
#[tokio::test]
async fn two_instances_share_sessions() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let one = serve(db.url(), dir.path(), &["--demo"]);
    let two = serve(db.url(), dir.path(), &[]);
    let (email, password, _) = demo_accounts(&one.stdout)
        .into_iter()
        .find(|a| a.2 == "staff")
        .unwrap();
    let cookie = login(&one.addr, &email, &password).await;
    assert_eq!(
        http(&two.addr, "GET", "/team", &cookie, None).await.status,
        200
    );
    assert_eq!(
        http(&two.addr, "GET", "/team", "mlg_session=forged", None)
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut server = serve(db.url(), dir.path(), &[]);
    assert_eq!(
        http(&server.addr, "GET", "/healthz", "", None).await.status,
        200
    );
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
