//! Storms of concurrent booking requests over real HTTP, on one instance
//! and on two sharing the database; housekeeping run by several instances.

use super::*;
use crate::util::{TestApp, subjects};
use axum::http::{Method, Request, StatusCode, header};
use chrono::TimeDelta;
use http_body_util::BodyExt;
use maillage_db::bookings::{self};
use maillage_db::now;
use maillage_domain::programme::RegistrationMode;
use maillage_web::{AppState, Config};
use serde_json::{Value, json};
use std::net::SocketAddr;

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

#[tokio::test]
async fn reminders_go_out_once_with_two_instances() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = c.post_json(
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
    let subjects = subjects(&out, "ada@example.org");
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Reminder: Voyage au planétarium")),
        "{subjects:?}"
    );
}
