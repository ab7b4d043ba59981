//! The binary as a user runs it: `serve --demo`, two instances on one
//! database, the administration commands. Runs on the test backend
//! (SQLite, or PostgreSQL with MAILLAGE_TEST_DATABASE_URL).

use maillage_db::testing::TestDb;
use maillage_db::{Backend, api_tokens};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_maillage");

struct Server {
    child: Child,
    addr: String,
    stdout: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `maillage serve` on a free port and waits for its "listening" line.
fn serve(url: &str, dir: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0", "--database", url])
        .args(extra)
        .env("MAILLAGE_MAIL_DIR", dir.join("mail"))
        .env("MAILLAGE_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start maillage");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stdout = Vec::new();
    let addr = loop {
        let line = lines.next().expect("server exited early").unwrap();
        stdout.push(line.clone());
        if let Some(rest) = line.strip_prefix("Maillage listening on http://") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    Server {
        child,
        addr,
        stdout,
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A minimal HTTP/1.1 client (one request per connection).
async fn http(addr: &str, method: &str, path: &str, cookies: &str, body: Option<&str>) -> Reply {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookies.is_empty() {
        req.push_str(&format!("Cookie: {cookies}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn cookie_value(r: &Reply, name: &str) -> Option<String> {
    r.header("set-cookie").into_iter().find_map(|c| {
        c.strip_prefix(&format!("{name}="))
            .map(|v| v.split(';').next().unwrap().to_owned())
    })
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Signs in through the login form; returns the cookie header to reuse.
async fn login(addr: &str, email: &str, password: &str) -> String {
    let page = http(addr, "GET", "/login", "", None).await;
    let csrf = cookie_value(&page, "mlg_csrf").expect("csrf cookie");
    let form = format!(
        "_csrf={}&email={}&password={}",
        encode(&csrf),
        encode(email),
        encode(password)
    );
    let r = http(
        addr,
        "POST",
        "/login",
        &format!("mlg_csrf={csrf}"),
        Some(&form),
    )
    .await;
    assert_eq!(r.status, 303, "login: {}", r.body);
    let session = cookie_value(&r, "mlg_session").expect("session cookie");
    format!("mlg_session={session}")
}

fn demo_accounts(lines: &[String]) -> Vec<(String, String, String)> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("demo login: "))
        .map(|rest| {
            let (email, rest) = rest.split_once(" / ").unwrap();
            let (password, role) = rest.split_once(" (").unwrap();
            (
                email.to_owned(),
                password.to_owned(),
                role.trim_end_matches(')').to_owned(),
            )
        })
        .collect()
}

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

fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("MAILLAGE_LOG", "warn")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

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
    let (ok, out, err) = run(&["migrate", "--database", url], None);
    assert!(ok, "{err}");
    assert!(out.contains("up to date"));
    // Password from standard input.
    let (ok, out, err) = run(
        &[
            "user",
            "add",
            "--database",
            url,
            "--email",
            "ada@example.org",
            "--name",
            "Ada",
            "--role",
            "staff",
        ],
        Some("a long enough password\n"),
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "created ada@example.org (staff)");
    // Generated and printed once (empty standard input).
    let (ok, out, _) = run(
        &[
            "user",
            "add",
            "--database",
            url,
            "--email",
            "p@example.org",
            "--name",
            "P",
            "--role",
            "partner",
            "--organisation",
            "Cosmocité",
        ],
        Some(""),
    );
    assert!(ok);
    assert!(out.contains("with password: "), "{out}");
    let (ok, _, err) = run(
        &[
            "user",
            "add",
            "--database",
            url,
            "--email",
            "ada@example.org",
            "--name",
            "A",
            "--role",
            "staff",
        ],
        Some(""),
    );
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let (ok, _, err) = run(
        &[
            "user",
            "add",
            "--database",
            url,
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "king",
        ],
        Some(""),
    );
    assert!(!ok);
    assert!(err.contains("--role"), "{err}");
    let (ok, _, err) = run(
        &[
            "user",
            "add",
            "--database",
            url,
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "staff",
        ],
        Some("short\n"),
    );
    assert!(!ok);
    assert!(err.contains("too_short"), "{err}");

    let (ok, out, err) = run(
        &[
            "token",
            "create",
            "--database",
            url,
            "--email",
            "ada@example.org",
        ],
        None,
    );
    assert!(ok, "{err}");
    let token = out.trim();
    assert_eq!(out.lines().count(), 1, "the token alone");
    let (_, owner) = api_tokens::authenticate(db.conn(), token)
        .await
        .unwrap()
        .expect("valid token");
    assert_eq!(owner.email, "ada@example.org");
    let (ok, _, err) = run(
        &[
            "token",
            "create",
            "--database",
            url,
            "--email",
            "nobody@example.org",
        ],
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
    let (ok, _, err) = run(
        &[
            "import",
            "organisations",
            bad_s,
            "--dry-run",
            "--database",
            url,
        ],
        None,
    );
    assert!(!ok, "problems give a non-zero exit status");
    for line in [":2: ", ":3: ", ":4: "] {
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
    let (ok, out, err) = run(
        &[
            "import",
            "organisations",
            good_s,
            "--dry-run",
            "--database",
            url,
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("2 row(s) checked"));
    assert_eq!(
        maillage_db::organisations::count(db.conn()).await.unwrap(),
        0,
        "a dry run imports nothing"
    );
    let (ok, out, err) = run(
        &["import", "organisations", good_s, "--database", url],
        None,
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "imported 2 organisations");
    let (ok, out, _) = run(
        &[
            "export",
            "organisations",
            "--format",
            "csv",
            "--database",
            url,
        ],
        None,
    );
    assert!(ok);
    assert!(out.contains("Médiathèque B") && out.contains("38317"));
    let xlsx = dir.path().join("orgs.xlsx");
    let (ok, _, err) = run(
        &[
            "export",
            "organisations",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
            "--database",
            url,
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
    use maillage_domain::programme::{ProjectKind, ProjectStatus};
    let db = TestDb::new().await;
    let url = db.url();
    let project = projects::insert(
        db.conn(),
        &projects::ProjectData {
            slug: "jazz".into(),
            name: "Jazz".into(),
            kind: ProjectKind::Festival,
            starts_on: chrono::NaiveDate::from_ymd_opt(2012, 1, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Published,
        },
        maillage_db::now(),
    )
    .await
    .unwrap();
    let file = format!(
        "{}/../../../shared/data/openagenda/tcheque-events.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, _, err) = run(&["import", "openagenda", &file, "--database", url], None);
    assert!(!ok, "the project is required");
    assert!(err.contains("--project"), "{err}");
    let (ok, _, err) = run(
        &[
            "import",
            "openagenda",
            &file,
            "--project",
            "nope",
            "--database",
            url,
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("no project with the slug « nope »"), "{err}");
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
        out.contains("205 created") && out.contains("dry run"),
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
    assert!(out.contains("205 created, 0 updated, 0 unchanged"), "{out}");
    let (ok, out, _) = run(&args, None);
    assert!(ok);
    assert!(out.contains("0 created, 0 updated, 205 unchanged"), "{out}");
    let (ok, out, err) = run(
        &[
            "export",
            "openagenda",
            "--project",
            "jazz",
            "--database",
            url,
        ],
        None,
    );
    assert!(ok, "{err}");
    let parsed = maillage_openagenda::parse(out.as_bytes()).unwrap();
    assert_eq!(parsed.events.len(), 205);
    assert!(parsed.skipped.is_empty());
}

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
    let (ok, _, err) = run(
        &[
            "report",
            "--project",
            &past.data.slug,
            "--format",
            "json",
            "--output",
            out_s,
            "--database",
            url,
        ],
        None,
    );
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["project"]["slug"], past.data.slug.as_str());
    assert!(json["coverage"]["communes_reached"].as_u64().unwrap() > 60);

    let xlsx = dir.path().join("bilan.xlsx");
    let (ok, _, err) = run(
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
            "--database",
            url,
        ],
        None,
    );
    assert!(ok, "{err}");
    let table = maillage_tabular::read_xlsx(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(table.headers[0], "Indicator");

    let (ok, _, err) = run(
        &[
            "report",
            "--project",
            "nope",
            "--format",
            "json",
            "--database",
            url,
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("nope"), "{err}");
    let (ok, _, err) = run(
        &[
            "report",
            "--project",
            &past.data.slug,
            "--lang",
            "de",
            "--database",
            url,
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("--lang"), "{err}");
}
