//! Bodies are read only once the route is known, within the route's limit:
//! a large upload to any other path is refused before it is read, and an
//! upload route refuses one declared larger than it takes.

use crate::util::TestApp;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const CHUNK: usize = 64 * 1024;
const BIG: usize = 24 * 1024 * 1024;

/// A multipart body of `size` bytes, counting what the server pulls.
fn counted_body(size: usize, pulled: &Arc<AtomicUsize>) -> Body {
    let pulled = pulled.clone();
    let chunks = size.div_ceil(CHUNK);
    Body::from_stream(futures_util::stream::iter(0..chunks).map(move |_| {
        pulled.fetch_add(CHUNK, Ordering::SeqCst);
        Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; CHUNK]))
    }))
}

fn upload(path: &str, size: usize, declared: bool, pulled: &Arc<AtomicUsize>) -> Request<Body> {
    let mut b = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX");
    if declared {
        b = b.header(header::CONTENT_LENGTH, size.to_string());
    }
    b.body(counted_body(size, pulled)).unwrap()
}

#[tokio::test]
async fn a_large_body_to_any_path_is_refused_before_it_is_read() {
    let app = TestApp::new().await;
    let mut c = app.client();
    // The browser's CSRF cookie, as a real form would have.
    c.get("/login").await;
    for path in [
        "/robots.txt",
        "/",
        "/login",
        "/nowhere",
        "/appel/any-call/repondre",
        "/team/import",
        "/api/v1/sessions/1/bookings",
    ] {
        let pulled = Arc::new(AtomicUsize::new(0));
        let r = c.send(upload(path, BIG, true, &pulled)).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{path}: body read");
    }
}

#[tokio::test]
async fn an_undeclared_body_is_not_read_off_its_route_nor_past_the_limit() {
    let app = TestApp::new().await;
    let mut c = app.client();
    c.get("/login").await;
    // No route: never read.
    for path in ["/robots.txt", "/nowhere"] {
        let pulled = Arc::new(AtomicUsize::new(0));
        let r = c.send(upload(path, BIG, false, &pulled)).await;
        assert!(
            matches!(
                r.status,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            ),
            "{path}: {}",
            r.status
        );
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{path}: body read");
    }
    // A guarded upload route, anonymous: refused by its guard, unread.
    let pulled = Arc::new(AtomicUsize::new(0));
    let r = c.send(upload("/team/import", BIG, false, &pulled)).await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert_eq!(pulled.load(Ordering::SeqCst), 0);
    // An ordinary form route: read up to its 2 MiB, not further.
    let pulled = Arc::new(AtomicUsize::new(0));
    let r = c.send(upload("/login", BIG, false, &pulled)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let read = pulled.load(Ordering::SeqCst);
    assert!(
        read <= maillage_web::BODY_LIMIT + 2 * CHUNK,
        "{read} bytes read"
    );
}
