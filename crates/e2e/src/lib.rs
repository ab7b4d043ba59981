//! Browser test harness: Maillage served on a real port (in process, on the
//! test database, with the demo season) and driven by real headless Chromium
//! through ChromeDriver, with axe-core for accessibility checks.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and axe-core installed
//! with `npm ci` in `crates/e2e`. A missing piece is a failure, never a skip.
//! `.ci/run` installs them; locally: `cargo test -p maillage-e2e`.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use maillage_db::demo::{self, DemoAccount, Outcome};
use maillage_db::testing::TestDb;
use maillage_domain::Role;
use maillage_web::{AppState, Config};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Maillage with the demo season.
pub struct Site {
    pub base: String,
    pub db: TestDb,
    pub accounts: Vec<DemoAccount>,
    server: tokio::task::JoinHandle<()>,
}

impl Site {
    pub async fn start() -> Site {
        let db = TestDb::new().await;
        let Outcome::Loaded(accounts) = demo::load(&db).await.expect("demo") else {
            panic!("fresh database");
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let state = AppState::new(db.db.clone(), Config::new(&base));
        let app = maillage_web::router(state);
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Site {
            base,
            db,
            accounts,
            server,
        }
    }

    pub fn account(&self, role: Role) -> &DemoAccount {
        self.accounts
            .iter()
            .find(|a| a.role == role)
            .expect("demo account")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A headless Chromium session.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    /// Every address the browser was on, each once, in order: checked for
    /// their width when it closes.
    visited: std::sync::Mutex<Vec<String>>,
}

/// The widths pages must fit without scrolling sideways: the team's on a
/// laptop, the others on a phone.
pub const TEAM_WIDTH: u32 = 1366;
pub const PHONE_WIDTH: u32 = 390;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Launches ChromeDriver and a Chromium session; `javascript: false`
    /// checks the no-JavaScript paths.
    pub async fn launch(javascript: bool) -> Browser {
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&chromium).exists(),
            "Chromium not found at {chromium}: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        );
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin}: {e}; install Debian's chromium-driver")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "ChromeDriver did not start");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        // French first, as the users are.
        let mut prefs = json!({"intl.accept_languages": "fr-FR,fr"});
        if !javascript {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    "--lang=fr-FR",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
            }
        });
        let caps = match caps {
            Value::Object(m) => m,
            _ => unreachable!("a JSON object"),
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        Browser {
            client,
            driver,
            _profile: profile,
            visited: Default::default(),
        }
    }

    /// Resizes the window, e.g. to a phone's screen (390 × 844).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
    }

    /// Does the page fit the window's width (no horizontal scrolling)?
    pub async fn fits_width(&self) -> bool {
        self.client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
        self.visit().await;
    }

    /// Notes the current address for the width check.
    async fn visit(&self) {
        let Ok(url) = self.client.current_url().await else {
            return;
        };
        let mut list = self.visited.lock().unwrap_or_else(|p| p.into_inner());
        let s = url.to_string();
        if !list.contains(&s) {
            list.push(s);
        }
    }

    /// The width of the current page's content, in CSS pixels (more than
    /// the window's when it scrolls sideways).
    pub async fn scroll_width(&self) -> i64 {
        self.client
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_i64())
            .unwrap_or(0)
    }

    /// The tables of the current page that scroll sideways in their box
    /// (`.table-wrap`): their caption or first header, with their width.
    pub async fn scrolling_tables(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "return [...document.querySelectorAll('.table-wrap')] \
                   .filter(e => e.scrollWidth > e.clientWidth) \
                   .map(e => { const t = e.querySelector('caption, th'); \
                     return (t ? t.textContent.trim().slice(0, 60) : '') \
                       + ' (' + e.scrollWidth + ' px in ' + e.clientWidth + ')'; });",
                vec![],
            )
            .await
            .expect("measure the tables");
        serde_json::from_value(found).unwrap_or_default()
    }

    /// Saves the whole page as a PNG, at the window's width (to look at a
    /// layout): the window grows to the page's height for it.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let (width, height) = self.client.get_window_size().await.expect("window size");
        let (width, height) = (
            u32::try_from(width).unwrap_or(TEAM_WIDTH),
            u32::try_from(height).unwrap_or(900),
        );
        let page = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .and_then(|h| u32::try_from(h).ok())
            .unwrap_or(height);
        // The window's frame takes some of its height.
        self.resize(width, page.saturating_add(200).min(12_000))
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        self.resize(width, height).await;
        std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Goes back to every page visited and checks that none scrolls
    /// sideways: the team space's at [`TEAM_WIDTH`], the others at
    /// [`PHONE_WIDTH`]. Answers the addresses that do, with their width.
    pub async fn overflowing(&self) -> Vec<String> {
        self.check_widths(None).await
    }

    /// [`Browser::overflowing`] with every page at `width`, the team's
    /// too (their lists on a phone).
    pub async fn overflowing_at(&self, width: u32) -> Vec<String> {
        self.check_widths(Some(width)).await
    }

    async fn check_widths(&self, at: Option<u32>) -> Vec<String> {
        let list = self
            .visited
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut out = Vec::new();
        for url in list {
            let path = url
                .split_once("://")
                .map_or(url.as_str(), |(_, r)| &r[r.find('/').unwrap_or(r.len())..]);
            let team = path.starts_with("/team") || path.starts_with("/admin");
            let width = at.unwrap_or(if team { TEAM_WIDTH } else { PHONE_WIDTH });
            self.resize(width, 900).await;
            if self.client.goto(&url).await.is_err() {
                continue;
            }
            if !self.fits_width().await {
                let wide = self.scroll_width().await;
                out.push(format!("{path} ({wide} px at {width})"));
            }
        }
        out
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// The texts of every element matching `css`, in document order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap().trim().to_owned());
        }
        out
    }

    /// The address (path and query) of the first link in `main` whose text
    /// contains `text`.
    pub async fn link_with_text(&self, text: &str) -> String {
        let xpath = format!("//main//a[contains(normalize-space(.), '{text}')]");
        let href = self
            .client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no link to {text:?}: {e}"))
            .attr("href")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("the link to {text:?} has no href"));
        // ChromeDriver may answer with the resolved, absolute address.
        match href.split_once("://") {
            Some((_, rest)) => rest[rest.find('/').unwrap_or(rest.len())..].to_owned(),
            None => href,
        }
    }

    /// The language of the current page (`<html lang>`).
    pub async fn lang(&self) -> String {
        self.client
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// Sets the value of the form control matching `css` as a picker would
    /// (date and time inputs take what is typed in the browser's locale).
    pub async fn set(&self, css: &str, value: &str) {
        let done = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); \
                 if (!e) { return false; } e.value = arguments[1]; return true;",
                vec![json!(css), json!(value)],
            )
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        assert_eq!(done.as_bool(), Some(true), "{css}: no such control");
    }

    /// Answers yes to the page's confirmation dialogs (a dangerous button
    /// asks first when JavaScript runs).
    pub async fn accept_confirms(&self) {
        self.client
            .execute("window.confirm = () => true; return true;", vec![])
            .await
            .expect("replace window.confirm");
    }

    /// The current value of the form control matching `css` (what the
    /// page shows in it, not its `value` attribute in the source).
    pub async fn client_value(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Clicks something that loads a new page (a link, a submit button)
    /// and waits until the new document has loaded: the old document is
    /// marked first, so a page replaced by one at the same address counts.
    pub async fn submit(&self, css: &str) {
        self.client
            .execute("window.__maillageOldPage = true; return true;", vec![])
            .await
            .expect("mark the page");
        self.click(css).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let loaded = self
                .client
                .execute(
                    "return window.__maillageOldPage !== true && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if loaded {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Follows the main navigation's link to `href`, opening its group
    /// first when it is in one (a folded menu, as a user would).
    pub async fn nav_to(&self, href: &str) {
        // On a phone the menu is folded (by app.js): unfold it first.
        let folded = "nav.main-nav details.nav-fold:not([open]) > summary";
        if self.client.find(Locator::Css(folded)).await.is_ok() {
            self.click(folded).await;
        }
        let group = format!("nav.main-nav .nav-group > details:has(a[href='{href}']) > summary");
        if self.client.find(Locator::Css(&group)).await.is_ok() {
            self.click(&group).await;
        }
        self.click_to(&format!("nav.main-nav a[href='{href}']"), href)
            .await;
    }

    /// [`Browser::submit`], then checks the path of the new page.
    pub async fn click_to(&self, css: &str, path: &str) {
        self.submit(css).await;
        self.visit().await;
        let now = self.path().await;
        assert!(
            now.starts_with(path),
            "after clicking {css}: on {now}, expected {path}"
        );
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub async fn html(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Signs in through the login form.
    pub async fn login(&self, site: &Site, role: Role) {
        let a = site.account(role);
        self.goto(&site.url("/login")).await;
        self.fill("#f-email", &a.email).await;
        self.fill("#f-password", &a.password).await;
        self.submit("form.form button[type=submit]").await;
    }

    /// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and
    /// returns its violations.
    pub async fn axe(&self) -> Vec<Value> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/node_modules/axe-core/axe.min.js"
        );
        let source = std::fs::read_to_string(path)
            .unwrap_or_else(|_| panic!("{path} missing: run `npm ci` in crates/e2e"));
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                    .then(r => done(JSON.stringify(r.violations)))
                    .catch(e => done(JSON.stringify([{id: 'axe-error', description: String(e)}])));",
                vec![],
            )
            .await
            .expect("run axe");
        serde_json::from_str(result.as_str().unwrap_or("[]")).unwrap()
    }

    /// Fails the test when axe-core finds a violation on the current page.
    pub async fn assert_accessible(&self, what: &str) {
        let violations = self.axe().await;
        assert!(
            violations.is_empty(),
            "axe on {what}:\n{}",
            describe(&violations)
        );
    }

    /// Checks the width of every page visited ([`Browser::overflowing`]),
    /// then quits.
    pub async fn close(mut self) {
        let wide = self.overflowing().await;
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        assert!(wide.is_empty(), "pages wider than the screen: {wide:#?}");
    }

    /// Quits without the width check (a browser whose pages another
    /// checks).
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A readable list of axe violations.
pub fn describe(violations: &[Value]) -> String {
    violations
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .map(|n| {
                    n.iter()
                        .take(3)
                        .map(|n| n["html"].as_str().unwrap_or("").chars().take(120).collect())
                        .collect()
                })
                .unwrap_or_default();
            format!("{} ({}): {:?}", v["id"], v["help"], nodes)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
