//! Prometheus metrics: requests by route and status, a latency histogram
//! per route, the database pool, and the e-mail outbox.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

pub struct Metrics {
    inner: Mutex<Inner>,
    started: Instant,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            inner: Mutex::new(Inner::default()),
            started: Instant::now(),
        }
    }
}

impl Metrics {
    pub fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *g.requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        let h = g.latency.entry(route.to_owned()).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    /// The text exposition format, with the gauges passed in.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut s = String::new();
        s.push_str(
            "# HELP maillage_http_requests_total HTTP requests by route, method and status.\n",
        );
        s.push_str("# TYPE maillage_http_requests_total counter\n");
        for ((route, method, status), n) in &g.requests {
            let _ = writeln!(
                s,
                "maillage_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        s.push_str("# HELP maillage_http_request_duration_seconds Time to answer, by route.\n");
        s.push_str("# TYPE maillage_http_request_duration_seconds histogram\n");
        for (route, h) in &g.latency {
            let r = escape(route);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "maillage_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                s,
                "maillage_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                s,
                "maillage_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                s,
                "maillage_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                h.count
            );
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                s,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP maillage_uptime_seconds Seconds since the process started.\n# TYPE maillage_uptime_seconds gauge\nmaillage_uptime_seconds {}",
            self.started.elapsed().as_secs_f64()
        );
        s
    }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The method as a label: the standard ones, anything else `other`, so
/// that a client cannot create a series per made-up method.
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Times every request and logs it.
pub async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method()).to_owned();
    let res = next.run(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    st.metrics.record(&route, &method, status, elapsed);
    if status >= 500 {
        tracing::warn!(%method, %route, status, ms = elapsed * 1000.0, "request failed");
    } else {
        tracing::debug!(%method, %route, status, ms = elapsed * 1000.0, "request");
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.record("/team", "GET", 200, 0.003);
        m.record("/team", "GET", 200, 0.2);
        let t = m.render(&[("maillage_db_pool_size", "Open connections.", 3.0)]);
        assert!(t.contains(
            "maillage_http_requests_total{route=\"/team\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(t.contains(
            "maillage_http_request_duration_seconds_bucket{route=\"/team\",le=\"0.005\"} 1"
        ));
        assert!(t.contains(
            "maillage_http_request_duration_seconds_bucket{route=\"/team\",le=\"+Inf\"} 2"
        ));
        assert!(t.contains("maillage_db_pool_size 3"));
    }
}
