//! Test harness: an application on a fresh database and a browser-like
//! client that keeps cookies and sends the CSRF token with forms.

mod client;

pub use client::{Client, Resp};

use axum::Router;
use axum::http::StatusCode;
use maillage_db::testing::TestDb;
use maillage_db::users::{self, NewUser, User};
use maillage_db::{PageRequest, demo, organisations, outbox};
use maillage_domain::{Email, Locale, Password, Role};
use maillage_web::{AppState, Config};
use std::collections::BTreeMap;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub app: Router,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_base_url("http://localhost:8080").await
    }

    pub async fn with_base_url(base: &str) -> TestApp {
        let db = TestDb::new().await;
        let mut config = Config::new(base);
        config.trust_proxy = 1;
        // Slowing down sign-ins is a wait; the tests check what is refused.
        config.login_slowdown = std::time::Duration::ZERO;
        let state = AppState::new(db.db.clone(), config);
        let app = maillage_web::router(state.clone());
        TestApp { db, state, app }
    }

    /// An application on a database holding the demo season.
    pub async fn with_demo() -> TestApp {
        let app = TestApp::new().await;
        demo::load(&app.db).await.unwrap();
        app
    }

    /// The same database and configuration, the router rebuilt from
    /// `change`d settings.
    pub fn reconfigure(&mut self, change: impl FnOnce(&mut Config)) {
        let mut config: Config = (*self.state.config).clone();
        change(&mut config);
        self.state = AppState::new(self.db.db.clone(), config);
        self.app = maillage_web::router(self.state.clone());
    }

    /// Another instance of the application on the same database.
    pub fn second_instance(&self) -> Router {
        let state = AppState::new(self.db.db.clone(), (*self.state.config).clone());
        maillage_web::router(state)
    }

    /// A user with [`PASSWORD`].
    pub async fn user(&self, email: &str, role: Role) -> User {
        let tx = self.db.write().await.unwrap();
        let org = if role == Role::Partner {
            Some(
                organisations::create(&tx, "La Casemate", maillage_db::now())
                    .await
                    .unwrap()
                    .id,
            )
        } else {
            None
        };
        let u = users::create(
            &tx,
            NewUser {
                email: &Email::parse(email).unwrap(),
                name: &format!("Test {role}"),
                role,
                organisation_id: org,
                password: Some(Password::new(PASSWORD).unwrap().hash()),
                locale: Locale::Fr,
            },
            maillage_db::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        u
    }

    pub fn client(&self) -> Client {
        Client {
            app: self.app.clone(),
            cookies: BTreeMap::new(),
            ip: "203.0.113.7".into(),
            headers: Vec::new(),
        }
    }

    /// A client signed in as a new user of `role`.
    pub async fn signed_in(&self, role: Role) -> Client {
        self.signed_in_as(&format!("{}@example.org", role.as_str()), role)
            .await
            .0
    }

    /// A client signed in as a new user of `role` with this address.
    pub async fn signed_in_as(&self, email: &str, role: Role) -> (Client, User) {
        let user = self.user(email, role).await;
        let mut c = self.client();
        let r = c.login(email, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login as {role}: {}",
            r.body
        );
        (c, user)
    }

    pub async fn outbox(&self) -> Vec<outbox::Message> {
        outbox::list(self.db.conn(), None, PageRequest::new(1, 200))
            .await
            .unwrap()
            .items
    }

    /// The messages queued to `to`, oldest first.
    pub async fn mails_to(&self, to: &str) -> Vec<outbox::Message> {
        let mut list: Vec<_> = self
            .outbox()
            .await
            .into_iter()
            .filter(|m| m.to_addr == to)
            .collect();
        list.sort_by_key(|m| m.id);
        list
    }

    /// Asserts a message whose subject starts with `prefix` was queued to `to`.
    pub async fn assert_mailed(&self, to: &str, prefix: &str) {
        let subjects = self.subjects_to(to).await;
        assert!(
            subjects.iter().any(|s| s.starts_with(prefix)),
            "no \"{prefix}…\" to {to}: {subjects:?}"
        );
    }

    /// The subjects of the messages queued to `to`.
    pub async fn subjects_to(&self, to: &str) -> Vec<String> {
        self.mails_to(to)
            .await
            .into_iter()
            .map(|m| m.subject)
            .collect()
    }
}

/// The subjects of the messages of `outbox` to `to`, in its order.
pub fn subjects<'a>(outbox: &'a [outbox::Message], to: &str) -> Vec<&'a str> {
    outbox
        .iter()
        .filter(|m| m.to_addr == to)
        .map(|m| m.subject.as_str())
        .collect()
}

/// La Casemate: a museum in Grenoble with an address, in the public
/// directory.
pub fn casemate() -> organisations::OrganisationData {
    organisations::OrganisationData {
        name: "La Casemate".into(),
        kind: Some(maillage_domain::directory::OrgKind::Museum),
        commune_insee: Some("38185".into()),
        email: Some("contact@example.org".into()),
        public_listing: true,
        ..Default::default()
    }
}

/// The JSON-LD script of a page.
pub fn json_ld(body: &str) -> serde_json::Value {
    let start = body
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).expect("valid JSON")
}

/// The content of a page's `<meta property=…>`.
pub fn meta(body: &str, property: &str) -> Option<String> {
    let tag = format!("<meta property=\"{property}\" content=\"");
    let i = body.find(&tag)? + tag.len();
    Some(body[i..].split('"').next()?.to_owned())
}

/// Asserts the page says `text`, its apostrophes written as they are or
/// escaped as askama writes them.
pub fn assert_says(body: &str, text: &str) {
    assert!(
        body.contains(text) || body.contains(&text.replace('\'', "&#39;")),
        "{text:?} not in {body}"
    );
}

/// HTML-escaped form of `s`, as askama writes it.
pub fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}
