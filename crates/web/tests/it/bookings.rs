//! Bookings from the public side: the storm of concurrent requests over real
//! HTTP (one instance and two instances on one database), the waiting list
//! and its e-mails, the API's refusals as documented, the forms without
//! JavaScript, and housekeeping run by several instances.

use crate::programme_api::{BOOKINGS, Doc};
use crate::util::{Client, Resp, TestApp, escaped};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::TimeDelta;
use http_body_util::BodyExt;
use maillage_db::bookings::{self, Settings};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects;
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::{self, BookableFixture};
use maillage_db::{Db, now, organisations};
use maillage_domain::booking::BookingStatus;
use maillage_domain::directory::OrgKind;
use maillage_domain::programme::{ActivityStatus, RegistrationMode, SessionStatus};
use maillage_web::{AppState, Config};
use serde_json::{Value, json};
use std::net::SocketAddr;

/// A published activity with one session of `capacity` places, ten days
/// from now.
pub async fn fixture(
    db: &Db,
    mode: RegistrationMode,
    capacity: i32,
    settings: Option<Settings>,
) -> BookableFixture {
    testing::bookable(
        db,
        testing::Bookable {
            mode,
            capacity,
            settings,
            ..Default::default()
        },
    )
    .await
}

async fn post_json(c: &mut Client, path: &str, body: &Value) -> Resp {
    c.send(
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn parse(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

fn no_limit(app: &TestApp) -> AppState {
    let mut config: Config = (*app.state.config).clone();
    config.rate_limit = None;
    AppState::new(app.db.db.clone(), config)
}

/// Serves an instance on a real socket, as `maillage serve` does.
async fn serve(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = maillage_web::router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

/// One HTTP/1.1 request on its own connection.
async fn http(addr: SocketAddr, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, addr.to_string())
        .header(header::CONTENT_TYPE, "application/json")
        .body(http_body_util::Full::new(bytes::Bytes::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        )))
        .unwrap();
    let res = sender.send_request(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, v)
}

/// Fires `n` booking requests at once over HTTP, alternating between the
/// instances; checks the places booked equal the capacity exactly, the rest
/// wait in order, and nothing failed.
async fn storm(app: &TestApp, instances: &[SocketAddr], n: usize, capacity: i32) {
    let f = fixture(&app.db, RegistrationMode::Booking, capacity, None).await;
    let path = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut handles = Vec::new();
    for i in 0..n {
        let addr = instances[i % instances.len()];
        let path = path.clone();
        handles.push(tokio::spawn(async move {
            http(
                addr,
                Method::POST,
                &path,
                Some(json!({"name": format!("Visiteur {i}"), "email": format!("v{i}@example.org"), "seats": 1})),
            )
            .await
        }));
    }
    let mut created = 0;
    let mut waiting = Vec::new();
    for h in handles {
        let (status, body) = h.await.unwrap();
        match status {
            201 => {
                assert_eq!(body["status"], "confirmed");
                created += 1;
            }
            202 => {
                assert_eq!(body["status"], "waitlisted", "{body}");
                waiting.push((
                    body["id"].as_i64().unwrap(),
                    body["position"].as_u64().unwrap(),
                ));
            }
            other => panic!("status {other}: {body}"),
        }
    }
    assert_eq!(created, capacity as usize);
    assert_eq!(waiting.len(), n - capacity as usize);
    // Positions were given in the order the bookings were recorded: sorted
    // by id they run 1, 2, 3… with no gap or repeat.
    waiting.sort_unstable();
    let positions: Vec<u64> = waiting.iter().map(|(_, p)| *p).collect();
    let expected: Vec<u64> = (1..=waiting.len() as u64).collect();
    assert_eq!(positions, expected);
    // The session says the same, on every instance.
    for addr in instances {
        let (status, s) = http(
            *addr,
            Method::GET,
            &format!("/api/v1/sessions/{}", f.session()),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(s["capacity"], capacity);
        assert_eq!(s["booked"], capacity);
        assert_eq!(s["available"], 0);
        assert_eq!(s["waitlisted"], (n - capacity as usize) as i64);
    }
    let list = bookings::of_session(app.db.conn(), f.session())
        .await
        .unwrap();
    let held: i32 = list
        .iter()
        .filter(|b| b.status.holds_places())
        .map(|b| b.seats)
        .sum();
    assert_eq!(held, capacity);
    // Every booker got an e-mail.
    assert_eq!(
        maillage_db::outbox::counts(app.db.conn())
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum::<u64>(),
        n as u64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundreds_of_concurrent_bookings_over_http_fill_the_capacity_exactly() {
    let app = TestApp::new().await;
    let addr = serve(no_limit(&app)).await;
    storm(&app, &[addr], 300, 20).await;
}

/// Two instances, each with its own pool, on one database (on PostgreSQL:
/// the row lock is what keeps them from overbooking).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_sharing_the_database_never_overbook() {
    let app = TestApp::new().await;
    let a = serve(no_limit(&app)).await;
    let other = app.db.second_instance().await;
    let mut config: Config = (*app.state.config).clone();
    config.rate_limit = None;
    let b = serve(AppState::new(other, config)).await;
    storm(&app, &[a, b], 300, 25).await;
}

fn mails_to<'a>(outbox: &'a [maillage_db::outbox::Message], to: &str) -> Vec<&'a str> {
    outbox
        .iter()
        .filter(|m| m.to_addr == to)
        .map(|m| m.subject.as_str())
        .collect()
}

/// The example: a 3-seat booking is cancelled while a party of 4
/// waits before a party of 2 and one of 3: the 2 is offered the places by
/// e-mail; when its offer runs out, the places go to the 3.
#[tokio::test]
async fn cancelled_places_go_to_the_first_waiting_party_that_fits_and_the_offer_moves_on() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 6, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut secret = String::new();
    for (name, seats, expected) in [
        ("Alice", 3, 201),
        ("Bruno", 3, 201),
        ("Four", 4, 202),
        ("Two", 2, 202),
        ("Three", 3, 202),
    ] {
        let r = post_json(
            &mut c,
            &api,
            &json!({"name": format!("{name} Martin"), "email": format!("{}@example.org", name.to_lowercase()), "seats": seats}),
        )
        .await;
        assert_eq!(r.status.as_u16(), expected, "{name}: {}", r.body);
        if name == "Alice" {
            let url = parse(&r)["manage_url"].as_str().unwrap().to_owned();
            secret = url.rsplit('/').next().unwrap().to_owned();
        }
    }
    let form = c.get(&f.form()).await;
    assert!(form.body.contains("Places disponibles : 0 sur 6."));
    assert!(
        form.body
            .contains("M&#39;inscrire sur la liste d&#39;attente"),
        "{}",
        form.body
    );
    let out = app.outbox().await;
    assert_eq!(
        mails_to(&out, "three@example.org"),
        ["Liste d'attente : Voyage au planétarium"]
    );
    assert!(
        out.iter()
            .find(|m| m.to_addr == "alice@example.org")
            .unwrap()
            .ics
            .as_deref()
            .unwrap()
            .contains("BEGIN:VEVENT")
    );

    // Alice cancels from her personal page (the box must be ticked).
    let manage = format!("/reservation/{secret}");
    let r = c.get(&manage).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Voyage au planétarium"));
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    let r = c.post(&format!("{manage}/annuler"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cochez la case pour confirmer"));
    let r = c
        .post(&format!("{manage}/annuler"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    assert!(
        mails_to(&out, "alice@example.org")
            .contains(&"Réservation annulée : Voyage au planétarium")
    );
    assert!(
        mails_to(&out, "two@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
    assert_eq!(
        mails_to(&out, "four@example.org").len(),
        1,
        "only the waiting-list e-mail"
    );
    assert_eq!(mails_to(&out, "three@example.org").len(), 1);
    let offer = out
        .iter()
        .find(|m| m.to_addr == "two@example.org" && m.subject.starts_with("Des places"))
        .unwrap();
    assert!(
        offer.body_text.contains("/reservation/"),
        "{}",
        offer.body_text
    );

    // Nobody answers; a day later the offer runs out and moves on to the 3.
    let later = now() + TimeDelta::hours(25);
    let h = maillage_web::bookings_housekeeping(&app.state, later)
        .await
        .unwrap();
    assert_eq!((h.expired, h.offered), (1, 1));
    let out = app.outbox().await;
    assert!(
        mails_to(&out, "two@example.org").contains(&"Places non acceptées : Voyage au planétarium")
    );
    assert!(
        mails_to(&out, "three@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
    assert_eq!(mails_to(&out, "four@example.org").len(), 1);
    // Another instance's housekeeping at the same time sends nothing more.
    let second = AppState::new(app.db.db.clone(), (*app.state.config).clone());
    let again = maillage_web::bookings_housekeeping(&second, later)
        .await
        .unwrap();
    assert_eq!(again, maillage_web::Housekeeping::default());

    // The 3 accepts from its link.
    let three = bookings::of_email(app.db.conn(), "three@example.org")
        .await
        .unwrap()
        .remove(0);
    assert_eq!(three.status, BookingStatus::Offered);
    let r = c
        .post(&format!("/reservation/{}/accepter", three.secret), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let three = bookings::find(app.db.conn(), three.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(three.status, BookingStatus::Confirmed);
    let s = parse(&c.get(&format!("/api/v1/sessions/{}", f.session())).await);
    assert_eq!(
        (
            s["booked"].as_i64(),
            s["available"].as_i64(),
            s["waitlisted"].as_i64()
        ),
        (Some(6), Some(0), Some(4))
    );
}

#[tokio::test]
async fn the_api_refuses_clearly_and_answers_as_documented() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let ok = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 2}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    doc.check(BOOKINGS, &ok);
    assert!(ok.header("location").contains("/reservation/"));
    // Partners' pages may call it from their own origin.
    assert_eq!(ok.header("access-control-allow-origin"), "*");
    let preflight = c
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri(&api)
                .header("origin", "https://www.la-casemate.example")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("POST")
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .contains("Content-Type")
    );

    let too_many = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 7}),
    )
    .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    doc.check(BOOKINGS, &too_many);
    assert_eq!(parse(&too_many)["code"], "too_many_seats");

    let invalid = post_json(
        &mut c,
        &api,
        &json!({"name": "", "email": "not-an-address", "seats": 1}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    doc.check(BOOKINGS, &invalid);
    let fields: Vec<String> = parse(&invalid)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["name", "email"]);

    let garbage = c
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(&api)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"name\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    doc.check(BOOKINGS, &garbage);

    let missing = post_json(
        &mut c,
        "/api/v1/sessions/999999/bookings",
        &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    doc.check(BOOKINGS, &missing);

    // A session of free entry is not booked here; a past one is closed.
    let free = fixture(&app.db, RegistrationMode::None, 10, None).await;
    let r = post_json(
        &mut c,
        &format!("/api/v1/sessions/{}/bookings", free.session()),
        &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    doc.check(BOOKINGS, &r);
    assert_eq!(parse(&r)["code"], "not_bookable");
    let closed = fixture(
        &app.db,
        RegistrationMode::Booking,
        10,
        Some(Settings {
            closes_at: Some(now() - TimeDelta::hours(1)),
            ..Settings::default()
        }),
    )
    .await;
    let r = post_json(
        &mut c,
        &format!("/api/v1/sessions/{}/bookings", closed.session()),
        &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(parse(&r)["code"], "closed");
    doc.check(BOOKINGS, &r);
    let s = c
        .get(&format!("/api/v1/sessions/{}", closed.session()))
        .await;
    assert_eq!(parse(&s)["booking"]["open"], false);

    // A draft activity's sessions do not exist for the public.
    let t = now();
    let p = projects::find_by_slug(app.db.conn(), &f.project_slug)
        .await
        .unwrap()
        .unwrap();
    let draft = activities::insert(
        app.db.conn(),
        &ActivityData {
            project_id: p.id,
            slug: "brouillon".into(),
            title: "Brouillon".into(),
            registration: Some(RegistrationMode::Booking),
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let ds = sessions::insert(
        app.db.conn(),
        draft.id,
        &SessionData {
            starts_at: t + TimeDelta::days(3),
            ends_at: t + TimeDelta::days(3) + TimeDelta::hours(1),
            capacity: Some(5),
            status: SessionStatus::Scheduled,
        },
        t,
    )
    .await
    .unwrap();
    let r = post_json(
        &mut c,
        &format!("/api/v1/sessions/{}/bookings", ds.id),
        &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_rate_limit_applies_per_address_and_can_be_turned_off() {
    let mut app = TestApp::new().await;
    let mut config: Config = (*app.state.config).clone();
    config.rate_limit = maillage_web::ratelimit::RateLimit::parse("2/min").unwrap();
    app.state = AppState::new(app.db.db.clone(), config);
    app.app = maillage_web::router(app.state.clone());
    let f = fixture(&app.db, RegistrationMode::Booking, 50, None).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut c = app.client();
    for i in 0..2 {
        let r = post_json(
            &mut c,
            &api,
            &json!({"name": "Ada Lovelace", "email": format!("a{i}@example.org"), "seats": 1}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "a3@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.header("retry-after").is_empty());
    assert_eq!(parse(&r)["code"], "rate_limited");
    // The form says it in words, keeping what was typed.
    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Ada Lovelace"),
                ("email", "a4@example.org"),
                ("seats", "1"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de réservations"));
    assert!(r.body.contains("a4@example.org"));
    // Another address is not limited.
    let mut other = app.client();
    other.ip = "198.51.100.9".into();
    let r = post_json(
        &mut other,
        &api,
        &json!({"name": "Ada Lovelace", "email": "a5@example.org", "seats": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // `off`: no limit.
    assert_eq!(maillage_web::ratelimit::RateLimit::parse("off"), Ok(None));
}

#[tokio::test]
async fn the_seat_form_keeps_what_was_typed_refuses_robots_and_leads_to_the_personal_page() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    // The activity page links each session's form.
    let page = c
        .get(&format!("/p/{}/a/{}", f.project_slug, f.activity_slug))
        .await;
    assert!(page.body.contains(&f.form()), "{}", page.body);
    let form = c.get(&f.form()).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Places disponibles : 10 sur 10."));
    assert!(form.body.contains("anonymisées 12 mois après la séance"));
    assert!(form.body.contains("<label for=\"f-seats\">"));

    let r = c
        .post(
            &f.form(),
            &[("name", "Zoé d'Arc"), ("email", "zoe@"), ("seats", "9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&escaped("Zoé d'Arc")), "typed name kept");
    assert!(r.body.contains("value=\"zoe@\""));
    assert!(r.body.contains("id=\"f-email-error\""));
    assert!(r.body.contains("Saisissez une valeur entre 1 et 6."));
    assert!(r.body.contains("Cochez cette case pour réserver"));

    // The honeypot: nothing is booked.
    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("seats", "1"),
                ("consent", "1"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bookings::of_email(app.db.conn(), "bot@example.org")
            .await
            .unwrap()
            .is_empty()
    );

    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Zoé d'Arc"),
                ("email", "zoe@example.org"),
                ("phone", "04 76 44 88 80"),
                ("seats", "3"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let manage = r.location().to_owned();
    assert!(manage.starts_with("/reservation/") && manage.ends_with("?fait=confirmed"));
    let page = c.get(&manage).await;
    assert!(
        page.body
            .contains("Réservation confirmée. Un e-mail de confirmation vous a été envoyé.")
    );
    assert!(page.body.contains("3 place(s)"));
    let base = manage.split('?').next().unwrap();
    let ics = c.get(&format!("{base}/seance.ics")).await;
    assert!(ics.body.contains("SUMMARY:Voyage au planétarium"));
    // Fewer seats, then too many.
    let r = c.post(&format!("{base}/places"), &[("seats", "2")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.post(&format!("{base}/places"), &[("seats", "7")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("6 places au plus par réservation."));
    assert!(r.body.contains("value=\"7\""));
    let zoe = bookings::of_email(app.db.conn(), "zoe@example.org")
        .await
        .unwrap();
    assert_eq!(zoe[0].seats, 2);
    assert_eq!(zoe[0].phone.as_deref(), Some("04 76 44 88 80"));
    // A made-up link is a plain 404.
    assert_eq!(
        c.get("/reservation/nope").await.status,
        StatusCode::NOT_FOUND
    );

    // In English.
    let mut en = app.client();
    en.headers.push(("accept-language".into(), "en".into()));
    let form = en.get(&f.form()).await;
    assert!(
        form.body.contains("Places available: 8 of 10."),
        "{}",
        form.body
    );
    assert!(form.body.contains("Number of places"));
}

#[tokio::test]
async fn a_class_books_with_its_school_and_waits_for_approval() {
    let app = TestApp::new().await;
    let f = fixture(
        &app.db,
        RegistrationMode::Groups,
        35,
        Some(Settings {
            approval: true,
            one_group: true,
            ..Settings::default()
        }),
    )
    .await;
    let school = organisations::create(app.db.conn(), "École Jean Jaurès", now())
        .await
        .unwrap();
    let mut data = school.data.clone();
    data.kind = Some(OrgKind::School);
    data.commune_insee = Some("38185".into());
    organisations::update(app.db.conn(), school.id, &data, now())
        .await
        .unwrap();
    let mut c = app.client();
    let form = c.get(&f.form()).await;
    assert!(
        form.body.contains("École Jean Jaurès, Grenoble (38000)"),
        "{}",
        form.body
    );
    assert!(form.body.contains("Une seule classe par séance."));
    assert!(form.body.contains("CM2"));

    let r = c
        .post(
            &f.form(),
            &[
                ("organisation_id", ""),
                ("name", "Claire Dupont"),
                ("email", "claire.dupont@example.org"),
                ("pupils", "40"),
                ("adults", "3"),
                ("class_level", "cm2"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-organisation_id-error\""),
        "school required"
    );
    assert!(
        r.body.contains("id=\"f-phone-error\""),
        "phone required for a class"
    );
    assert!(r.body.contains("value=\"40\""));

    let id = school.id.to_string();
    let r = c
        .post(
            &f.form(),
            &[
                ("organisation_id", &id),
                ("name", "Claire Dupont"),
                ("email", "claire.dupont@example.org"),
                ("phone", "04 76 00 00 00"),
                ("pupils", "40"),
                ("adults", "3"),
                ("class_level", "cm2"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("La séance compte 35 places en tout"));

    let r = c
        .post(
            &f.form(),
            &[
                ("organisation_id", &id),
                ("name", "Claire Dupont"),
                ("email", "claire.dupont@example.org"),
                ("phone", "04 76 00 00 00"),
                ("pupils", "26"),
                ("adults", "3"),
                ("class_level", "cm2"),
                ("needs", "Un élève en fauteuil"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("?fait=pending"));
    let b = bookings::of_email(app.db.conn(), "claire.dupont@example.org")
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (b.status, b.seats, b.pupils, b.adults),
        (BookingStatus::Pending, 29, 26, 3)
    );
    assert_eq!(b.school_name.as_deref(), Some("École Jean Jaurès"));
    assert_eq!(b.school_commune.as_deref(), Some("38185"));
    let out = app.outbox().await;
    assert_eq!(
        mails_to(&out, "claire.dupont@example.org"),
        ["Demande de réservation reçue : Voyage au planétarium"]
    );
    // A second class waits: one class per session.
    let r = c
        .post(
            &f.form(),
            &[
                ("school_name", "Collège Fantin-Latour"),
                ("school_commune", "Grenoble"),
                ("name", "Marc Petit"),
                ("email", "marc.petit@example.org"),
                ("phone", "04 76 11 11 11"),
                ("pupils", "5"),
                ("class_level", "6e"),
                ("consent", "1"),
            ],
        )
        .await;
    assert!(
        r.location().ends_with("?fait=waitlisted"),
        "{}",
        r.location()
    );

    // Staff add the typed school to the directory: it is linked, and the
    // next teacher finds it in the list.
    let marc = bookings::of_email(app.db.conn(), "marc.petit@example.org")
        .await
        .unwrap()
        .remove(0);
    assert_eq!(marc.organisation_id, None);
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let page = staff
        .get(&format!("/team/sessions/{}/bookings", f.session()))
        .await;
    let action = format!("/team/bookings/{}/school", marc.id);
    assert!(page.body.contains(&action), "{}", page.body);
    let r = staff.post(&action, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let marc = bookings::find(app.db.conn(), marc.id)
        .await
        .unwrap()
        .unwrap();
    let org = organisations::find(app.db.conn(), marc.organisation_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.kind, OrgKind::School);
    assert_eq!(org.data.commune_insee.as_deref(), Some("38185"));
    assert!(
        c.get(&f.form())
            .await
            .body
            .contains("Collège Fantin-Latour, Grenoble")
    );
    // Twice is refused, not duplicated.
    let r = staff.post(&action, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn reminders_go_out_once_with_two_instances() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 2, "locale": "en"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let due = now() + TimeDelta::days(8) + TimeDelta::minutes(5);
    let second = AppState::new(app.db.db.clone(), (*app.state.config).clone());
    let (a, b) = tokio::join!(
        maillage_web::bookings_housekeeping(&app.state, due),
        maillage_web::bookings_housekeeping(&second, due)
    );
    assert_eq!(a.unwrap().reminders + b.unwrap().reminders, 1);
    let out = app.outbox().await;
    let subjects = mails_to(&out, "ada@example.org");
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Reminder: Voyage au planétarium")),
        "{subjects:?}"
    );
}

/// Optional e-mail confirmation: the places are held 30 minutes until the
/// link is used; unconfirmed, they are released and offered on.
#[tokio::test]
async fn places_wait_thirty_minutes_for_the_address_to_be_confirmed() {
    let app = TestApp::new().await;
    let f = fixture(
        &app.db,
        RegistrationMode::Booking,
        2,
        Some(Settings {
            confirm_email: true,
            ..Settings::default()
        }),
    )
    .await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(parse(&r)["status"], "unconfirmed");
    let r = post_json(
        &mut c,
        &api,
        &json!({"name": "Bob Martin", "email": "bob@example.org", "seats": 2}),
    )
    .await;
    assert_eq!(parse(&r)["status"], "waitlisted");
    let out = app.outbox().await;
    assert_eq!(
        mails_to(&out, "ada@example.org"),
        ["Confirmez votre réservation : Voyage au planétarium"]
    );

    // Ada confirms within the half hour.
    let ada = bookings::of_email(app.db.conn(), "ada@example.org")
        .await
        .unwrap()
        .remove(0);
    let page = c.get(&format!("/reservation/{}", ada.secret)).await;
    assert!(page.body.contains("Confirmer ma réservation"));
    let r = c
        .post(&format!("/reservation/{}/confirmer", ada.secret), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bookings::find(app.db.conn(), ada.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        BookingStatus::Confirmed
    );
    assert!(
        mails_to(&app.outbox().await, "ada@example.org")
            .contains(&"Réservation confirmée : Voyage au planétarium")
    );
    // Confirming twice is refused with a message, not an error page.
    let r = c
        .post(&format!("/reservation/{}/confirmer", ada.secret), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ne peut plus être modifiée"));

    // Carl never confirms: 31 minutes later the places go to the next.
    let other = fixture(
        &app.db,
        RegistrationMode::Booking,
        2,
        Some(Settings {
            confirm_email: true,
            ..Settings::default()
        }),
    )
    .await;
    let api = format!("/api/v1/sessions/{}/bookings", other.session());
    post_json(
        &mut c,
        &api,
        &json!({"name": "Carl Petit", "email": "carl@example.org", "seats": 2}),
    )
    .await;
    post_json(
        &mut c,
        &api,
        &json!({"name": "Dora Blanc", "email": "dora@example.org", "seats": 1}),
    )
    .await;
    let h = maillage_web::bookings_housekeeping(&app.state, now() + TimeDelta::minutes(31))
        .await
        .unwrap();
    assert_eq!((h.expired, h.offered), (1, 1));
    let out = app.outbox().await;
    assert!(
        mails_to(&out, "carl@example.org")
            .contains(&"Réservation non confirmée : Voyage au planétarium")
    );
    assert!(
        mails_to(&out, "dora@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
}

/// Deleting a session, or an activity, with live bookings is refused: the
/// bookings would be lost. Once they are cancelled, it goes.
#[tokio::test]
async fn sessions_with_live_bookings_are_not_deleted() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}/delete", f.session()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Cette séance a 1 réservation(s) en cours"),
        "{}",
        r.body
    );
    let r = staff
        .post(
            &format!("/team/programme/activities/{}/delete", f.activity_id),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("l&#39;animation n&#39;a pas été supprimée"),
        "{}",
        r.body
    );
    assert!(
        sessions::find(app.db.conn(), f.session())
            .await
            .unwrap()
            .is_some()
    );
    let ada = bookings::of_email(app.db.conn(), "ada@example.org")
        .await
        .unwrap()
        .remove(0);
    let r = c
        .post(
            &format!("/reservation/{}/annuler", ada.secret),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}/delete", f.session()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        sessions::find(app.db.conn(), f.session())
            .await
            .unwrap()
            .is_none()
    );
}

/// Cancelling a session cancels its live bookings, and tells each booker.
#[tokio::test]
async fn a_cancelled_session_tells_its_bookers() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 2, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    for (name, seats) in [("ada", 2), ("bob", 1)] {
        post_json(&mut c, &api, &json!({"name": format!("{name} Martin"), "email": format!("{name}@example.org"), "seats": seats})).await;
    }
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}", f.session()),
            &[("capacity", "2"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    for who in ["ada@example.org", "bob@example.org"] {
        assert!(
            mails_to(&out, who).contains(&"Séance annulée : Voyage au planétarium"),
            "{who}"
        );
    }
    let counts = bookings::counts(app.db.conn(), f.session()).await.unwrap();
    assert_eq!((counts.held, counts.waitlisted), (0, 0));
    // Saving it again sends nothing more.
    staff
        .post(
            &format!("/team/programme/sessions/{}", f.session()),
            &[("capacity", "2"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(app.outbox().await.len(), out.len());
}

/// A lost link: the bookings still to come made with an address are sent to
/// it; the page says the same whatever the address.
#[tokio::test]
async fn lost_links_are_sent_to_the_address_that_booked() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    post_json(
        &mut c,
        &api,
        &json!({"name": "Ada Lovelace", "email": "ada@example.org", "seats": 2}),
    )
    .await;
    let form = c.get("/reservation").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<label for=\"f-email\">"));
    let r = c
        .post("/reservation", &[("email", "pas une adresse")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"pas une adresse\""));
    let before = app.outbox().await.len();
    let r = c
        .post("/reservation", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Si des réservations à venir existent pour cette adresse")
    );
    assert_eq!(
        app.outbox().await.len(),
        before,
        "nothing sent to a stranger"
    );
    let r = c
        .post("/reservation", &[("email", "ADA@example.org")])
        .await;
    assert!(
        r.body
            .contains("Si des réservations à venir existent pour cette adresse")
    );
    let out = app.outbox().await;
    let links = out
        .iter()
        .find(|m| m.subject == "Vos réservations sur Maillage")
        .unwrap();
    assert_eq!(links.to_addr, "ada@example.org");
    let ada = bookings::of_email(app.db.conn(), "ada@example.org")
        .await
        .unwrap()
        .remove(0);
    assert!(
        links
            .body_text
            .contains(&format!("/reservation/{}", ada.secret))
    );
    assert!(links.body_text.contains("Voyage au planétarium"));
}
