//! `maillage-load`: keeps N HTTP/1.1 keep-alive connections busy for a while
//! and reports throughput, status codes, errors and latency percentiles.
//! Every request is accounted for: an answer with its status, or an error.

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

#[derive(Parser, Clone)]
#[command(about = "HTTP load generator")]
struct Args {
    /// Target URL (http only), e.g. http://127.0.0.1:8080/ ; several are used in turn.
    #[arg(long = "url", required = true)]
    urls: Vec<String>,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds to run (ignored when --requests is given).
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Send exactly this many requests in total, then stop.
    #[arg(long)]
    requests: Option<usize>,
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// Request body (for POST); `{n}` is replaced by the request number.
    #[arg(long)]
    body: Option<String>,
    #[arg(long, default_value = "application/json")]
    content_type: String,
    /// Extra header `Name: value` (repeatable).
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Print one JSON line instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Default)]
struct Stats {
    latencies_us: Vec<u64>,
    statuses: BTreeMap<u16, u64>,
    errors: BTreeMap<String, u64>,
    bytes: u64,
}

struct Target {
    authority: String,
    host: String,
    path: String,
}

fn parse(url: &str) -> Target {
    let rest = url.strip_prefix("http://").expect("only http:// URLs");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    Target {
        host: authority.clone(),
        authority,
        path: path.to_owned(),
    }
}

async fn worker(
    args: Arc<Args>,
    targets: Arc<Vec<Target>>,
    deadline: Instant,
    budget: Arc<AtomicUsize>,
) -> Stats {
    let mut stats = Stats::default();
    let mut sender = None;
    let mut i = 0usize;
    loop {
        let n = match args.requests {
            Some(total) => {
                let n = budget.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                n
            }
            None => {
                if Instant::now() >= deadline {
                    break;
                }
                budget.fetch_add(1, Ordering::Relaxed)
            }
        };
        let t = &targets[i % targets.len()];
        i += 1;
        if sender.is_none() {
            match TcpStream::connect(&t.authority).await {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    match hyper::client::conn::http1::handshake(TokioIo::new(stream)).await {
                        Ok((s, conn)) => {
                            tokio::spawn(conn);
                            sender = Some(s);
                        }
                        Err(e) => {
                            *stats.errors.entry(format!("handshake: {e}")).or_default() += 1;
                            continue;
                        }
                    }
                }
                Err(e) => {
                    *stats.errors.entry(format!("connect: {e}")).or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let s = sender.as_mut().expect("connected");
        let body = args
            .body
            .as_ref()
            .map(|b| b.replace("{n}", &n.to_string()))
            .unwrap_or_default();
        let mut req = Request::builder()
            .method(args.method.as_str())
            .uri(&t.path)
            .header("host", &t.host);
        if args.body.is_some() {
            req = req.header("content-type", &args.content_type);
        }
        for h in &args.headers {
            if let Some((k, v)) = h.split_once(':') {
                req = req.header(k.trim(), v.trim());
            }
        }
        let req = req.body(Full::new(Bytes::from(body))).expect("request");
        let started = Instant::now();
        match s.send_request(req).await {
            Ok(res) => {
                let status = res.status().as_u16();
                match res.into_body().collect().await {
                    Ok(b) => {
                        stats.bytes += b.to_bytes().len() as u64;
                        stats
                            .latencies_us
                            .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
                        *stats.statuses.entry(status).or_default() += 1;
                    }
                    Err(e) => {
                        *stats.errors.entry(format!("body: {e}")).or_default() += 1;
                        sender = None;
                    }
                }
            }
            Err(e) => {
                *stats.errors.entry(format!("request: {e}")).or_default() += 1;
                sender = None;
            }
        }
    }
    stats
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let idx = (((sorted.len() - 1) as f64) * p).round() as usize;
    #[allow(clippy::cast_precision_loss)]
    let v = sorted[idx] as f64 / 1000.0;
    v
}

#[tokio::main]
async fn main() {
    let args = Arc::new(Args::parse());
    let targets = Arc::new(args.urls.iter().map(|u| parse(u)).collect::<Vec<_>>());
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.duration);
    let budget = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..args.connections)
        .map(|_| {
            tokio::spawn(worker(
                args.clone(),
                targets.clone(),
                deadline,
                budget.clone(),
            ))
        })
        .collect();
    let mut all = Stats::default();
    for h in handles {
        let s = h.await.expect("worker");
        all.latencies_us.extend(s.latencies_us);
        all.bytes += s.bytes;
        for (k, v) in s.statuses {
            *all.statuses.entry(k).or_default() += v;
        }
        for (k, v) in s.errors {
            *all.errors.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let answered = all.latencies_us.len();
    let errors: u64 = all.errors.values().sum();
    #[allow(clippy::cast_precision_loss)]
    let rps = answered as f64 / elapsed;
    let (p50, p90, p99, max) = (
        percentile(&all.latencies_us, 0.5),
        percentile(&all.latencies_us, 0.9),
        percentile(&all.latencies_us, 0.99),
        percentile(&all.latencies_us, 1.0),
    );
    if args.json {
        let statuses: Vec<String> = all
            .statuses
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        println!(
            "{{\"requests\":{answered},\"errors\":{errors},\"seconds\":{elapsed:.3},\"rps\":{rps:.1},\"p50_ms\":{p50:.3},\"p90_ms\":{p90:.3},\"p99_ms\":{p99:.3},\"max_ms\":{max:.3},\"status\":{{{}}}}}",
            statuses.join(",")
        );
    } else {
        println!(
            "requests answered : {answered} in {elapsed:.2} s ({rps:.0} req/s), {} connections",
            args.connections
        );
        println!("latency (ms)      : p50 {p50:.2}  p90 {p90:.2}  p99 {p99:.2}  max {max:.2}");
        println!("statuses          : {:?}", all.statuses);
        println!("errors            : {errors} {:?}", all.errors);
        #[allow(clippy::cast_precision_loss)]
        let mb = all.bytes as f64 / 1e6;
        println!("body bytes        : {mb:.1} MB");
    }
    if errors > 0 {
        std::process::exit(1);
    }
}
