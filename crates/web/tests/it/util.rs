//! Test harness: an application on a fresh database and a browser-like
//! client that keeps cookies and sends the CSRF token with forms.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use maillage_db::testing::TestDb;
use maillage_db::users::{self, NewUser, User};
use maillage_db::{PageRequest, organisations, outbox};
use maillage_domain::{Email, Locale, Password, Role};
use maillage_web::{AppState, Config};
use std::collections::BTreeMap;
use tower::ServiceExt;

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
        config.trust_proxy = true;
        let state = AppState::new(db.db.clone(), config);
        let app = maillage_web::router(state.clone());
        TestApp { db, state, app }
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
        let email = format!("{}@example.org", role.as_str());
        self.user(&email, role).await;
        let mut c = self.client();
        let r = c.login(&email, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login as {role}: {}",
            r.body
        );
        c
    }

    pub async fn outbox(&self) -> Vec<outbox::Message> {
        outbox::list(self.db.conn(), None, PageRequest::new(1, 200))
            .await
            .unwrap()
            .items
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as received (for files).
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.header("location")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

pub struct Client {
    pub app: Router,
    pub cookies: BTreeMap<String, String>,
    pub ip: String,
    pub headers: Vec<(String, String)>,
}

impl Client {
    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let mut req = req;
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        req.headers_mut()
            .insert("x-forwarded-for", self.ip.parse().unwrap());
        for (k, v) in &self.headers {
            req.headers_mut().insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let sc = sc.to_str().unwrap();
            let (pair, attrs) = sc.split_once(';').unwrap_or((sc, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// The CSRF token a page would carry (fetches a page with a form first
    /// if needed; pages shared caches keep set no cookie).
    pub async fn csrf(&mut self) -> String {
        if !self.cookies.contains_key("mlg_csrf") {
            self.get("/login").await;
        }
        self.cookies["mlg_csrf"].clone()
    }

    /// Posts a form as a browser would, with its CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields.
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts a multipart form (fields, then one file) with the CSRF token first.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Resp {
        let token = self.csrf().await;
        let boundary = "----maillage-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        for (k, v) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let (name, filename, bytes) = file;
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn api_get(&mut self, path: &str, token: &str) -> Resp {
        self.send(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }
}

/// HTML-escaped form of `s`, as askama writes it.
pub fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}
