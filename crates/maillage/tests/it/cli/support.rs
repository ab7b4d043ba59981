//! Running the binary: `serve` in the background with a minimal HTTP
//! client, and one-off commands.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const BIN: &str = env!("CARGO_BIN_EXE_maillage");

/// What chooses the language of a run; the tests set it themselves.
const LANGUAGE_VARIABLES: [&str; 4] = ["MAILLAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The binary with the language of `env` only (`("MAILLAGE_LANG", "en")`,
/// `("LANG", "fr_FR.UTF-8")`…), whatever the environment of the tests.
pub fn command(env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(BIN);
    for v in LANGUAGE_VARIABLES {
        c.env_remove(v);
    }
    c.envs(env.iter().copied()).env("MAILLAGE_LOG", "warn");
    c
}

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub stdout: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `maillage serve` on a free port and waits for its "listening"
/// line (in English).
pub fn serve(url: &str, dir: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = command(&[("MAILLAGE_LANG", "en")])
        .args(["serve", "--bind", "127.0.0.1:0", "--database", url])
        .args(extra)
        .env("MAILLAGE_MAIL_DIR", dir.join("mail"))
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

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A minimal HTTP/1.1 client (one request per connection).
pub async fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookies: &str,
    body: Option<&str>,
) -> Reply {
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

pub fn cookie_value(r: &Reply, name: &str) -> Option<String> {
    r.header("set-cookie").into_iter().find_map(|c| {
        c.strip_prefix(&format!("{name}="))
            .map(|v| v.split(';').next().unwrap().to_owned())
    })
}

pub fn encode(s: &str) -> String {
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
pub async fn login(addr: &str, email: &str, password: &str) -> String {
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

pub fn demo_accounts(lines: &[String]) -> Vec<(String, String, String)> {
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

/// Runs the binary in English.
pub fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    run_env(&[("MAILLAGE_LANG", "en")], args, stdin)
}

/// Runs the binary with the language of `env` (see [`command`]).
pub fn run_env(env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = command(env)
        .args(args)
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

/// Runs the binary with `args` and `--database url`.
pub fn run_db(url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    run(&[args, &["--database", url]].concat(), stdin)
}

/// `maillage user add` of `email`, `name` and `role`, the password on
/// standard input.
pub fn user_add(url: &str, who: [&str; 3], extra: &[&str], stdin: &str) -> (bool, String, String) {
    let [email, name, role] = who;
    let args = [
        &[
            "user", "add", "--email", email, "--name", name, "--role", role,
        ][..],
        extra,
    ]
    .concat();
    run_db(url, &args, Some(stdin))
}
