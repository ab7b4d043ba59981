//! How long a bilan takes to render.
//!
//! `cargo run --release -p maillage-pdf --example pdf_bench [-- N [ROWS]]`
//!
//! Renders N (default 100) French bilans of about six pages (ROWS communes,
//! default 120, plus key figures, two more tables, two SVG charts), each one
//! slightly different from the last as a server's would be, and prints the
//! first (cold) time, then p50 / p90 / max per document and the PDF's size.
//! With `PDF_BENCH_OUT=file.pdf`, the first document is also written there.

#[path = "../tests/it/sample.rs"]
mod sample;

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let rows: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(120);

    let start = Instant::now();
    let first = maillage_pdf::render(&sample::bilan(rows, 0)).expect("renders");
    let cold = start.elapsed();
    if let Some(path) = std::env::var_os("PDF_BENCH_OUT") {
        std::fs::write(&path, &first).expect("the PDF is written");
    }
    let pages = lopdf::Document::load_mem(&first)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);

    let mut times: Vec<Duration> = Vec::with_capacity(n);
    let mut sizes: Vec<usize> = Vec::with_capacity(n);
    for i in 0..n {
        // A different document each time: typst's caches may not simply
        // replay the previous one.
        let doc = sample::bilan(rows, u32::try_from(i).unwrap_or(0) + 1);
        let start = Instant::now();
        let pdf = maillage_pdf::render(&doc).expect("renders");
        times.push(start.elapsed());
        sizes.push(pdf.len());
    }
    times.sort();
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let size = sizes.iter().sum::<usize>() / sizes.len().max(1);
    println!(
        "{n} bilans of {pages} pages ({rows} commune rows): first (cold) {:.1} ms, \
         p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms; {:.0} KiB each",
        ms(cold),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(1.0)),
        size as f64 / 1024.0,
    );
}
