//! `maillage-load`: keeps N HTTP/1.1 keep-alive connections busy for a while
//! and reports throughput, status codes, errors and latency percentiles.
//! Every request is accounted for: an answer with its status, or an error.
//!
//! Several URLs (`--url`, repeated, or `--urls-file`) are requested in turn
//! across all connections (request n gets URL n mod count), and `{n}` in a
//! URL is replaced by the request number (a distinct URL for every request).
//! `--post-json TEMPLATE` POSTs a JSON body, `{n}` (or `{i}`) replaced by the
//! request number: with a list of URLs, bookings spread over many sessions.
//! Answers are counted by status and by class (2xx, 4xx, 5xx); a 5xx, like
//! an error, fails the run.
//! With `--pid`, the resident memory of that process (the server) is sampled
//! during the run.

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
    /// Target URL (http only), e.g. http://127.0.0.1:8080/ ; several are used
    /// in turn; `{n}` is replaced by the request number.
    #[arg(long = "url", required_unless_present = "urls_file")]
    urls: Vec<String>,
    /// A file of target URLs, one a line (added to `--url`).
    #[arg(long)]
    urls_file: Option<std::path::PathBuf>,
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
    /// POST this JSON body (sets the method and the body); `{n}` or `{i}` is
    /// replaced by the request number.
    #[arg(long, conflicts_with = "body")]
    post_json: Option<String>,
    #[arg(long, default_value = "application/json")]
    content_type: String,
    /// Extra header `Name: value` (repeatable).
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Print one JSON line instead of the table.
    #[arg(long)]
    json: bool,
    /// Samples the resident memory (VmRSS in /proc/PID/status) of this
    /// process every 50 ms during the run and reports its peak and VmHWM.
    #[arg(long)]
    pid: Option<u32>,
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
    /// Whether `path` holds `{n}`.
    numbered: bool,
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
        numbered: path.contains("{n}"),
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
        let t = &targets[n % targets.len()];
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
            .uri(if t.numbered {
                t.path.replace("{n}", &n.to_string())
            } else {
                t.path.clone()
            })
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

/// `VmRSS` and `VmHWM` of a process, in kB.
fn memory_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[tokio::main]
async fn main() {
    let mut args = Args::parse();
    if let Some(path) = &args.urls_file {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2)
        });
        args.urls.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    if args.urls.is_empty() {
        eprintln!("no URL to request");
        std::process::exit(2);
    }
    if let Some(json) = args.post_json.take() {
        args.method = "POST".into();
        args.content_type = "application/json".into();
        args.body = Some(json.replace("{i}", "{n}"));
    }
    let args = Arc::new(args);
    let targets = Arc::new(args.urls.iter().map(|u| parse(u)).collect::<Vec<_>>());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = args.pid.map(|pid| {
        let done = done.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            let mut hwm = 0;
            while !done.load(Ordering::Relaxed) {
                if let Some((rss, h)) = memory_kb(pid) {
                    peak = peak.max(rss);
                    hwm = h;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if let Some((rss, h)) = memory_kb(pid) {
                peak = peak.max(rss);
                hwm = h;
            }
            (peak, hwm)
        })
    });
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
    let class = |range: std::ops::RangeInclusive<u16>| -> u64 {
        all.statuses
            .iter()
            .filter(|(k, _)| range.contains(k))
            .map(|(_, v)| v)
            .sum()
    };
    let (c2, c3, c4, c5) = (
        class(200..=299),
        class(300..=399),
        class(400..=499),
        class(500..=599),
    );
    done.store(true, Ordering::Relaxed);
    let memory = match sampler {
        Some(s) => Some(s.await.expect("sampler")),
        None => None,
    };
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
        let memory = memory.map_or(String::new(), |(peak, hwm)| {
            format!(",\"rss_peak_kb\":{peak},\"rss_hwm_kb\":{hwm}")
        });
        println!(
            "{{\"requests\":{answered},\"errors\":{errors},\"seconds\":{elapsed:.3},\"rps\":{rps:.1},\"p50_ms\":{p50:.3},\"p90_ms\":{p90:.3},\"p99_ms\":{p99:.3},\"max_ms\":{max:.3},\"status\":{{{}}},\"class\":{{\"2xx\":{c2},\"3xx\":{c3},\"4xx\":{c4},\"5xx\":{c5}}}{memory}}}",
            statuses.join(",")
        );
    } else {
        println!(
            "requests answered : {answered} in {elapsed:.2} s ({rps:.0} req/s), {} connections",
            args.connections
        );
        println!("latency (ms)      : p50 {p50:.2}  p90 {p90:.2}  p99 {p99:.2}  max {max:.2}");
        println!("statuses          : {:?}", all.statuses);
        println!("by class          : 2xx {c2}  3xx {c3}  4xx {c4}  5xx {c5}");
        println!("errors            : {errors} {:?}", all.errors);
        #[allow(clippy::cast_precision_loss)]
        let mb = all.bytes as f64 / 1e6;
        println!("body bytes        : {mb:.1} MB");
        if let Some((peak, hwm)) = memory {
            #[allow(clippy::cast_precision_loss)]
            let (peak, hwm) = (peak as f64 / 1024.0, hwm as f64 / 1024.0);
            println!("server memory     : RSS peak {peak:.1} MB during the run, VmHWM {hwm:.1} MB");
        }
    }
    if errors > 0 || c5 > 0 {
        std::process::exit(1);
    }
}
