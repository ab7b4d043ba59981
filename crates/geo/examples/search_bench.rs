//! Times `maillage_geo::search` on 20,000 varied queries (full names,
//! prefixes, several words, "st" abbreviations, postcodes, INSEE codes and
//! misses) and prints the percentiles of one call in microseconds, overall
//! and by kind of query, then the same for `search_in("38", …)`.
//!
//! cargo run --release -p maillage-geo --example search_bench

use std::hint::black_box;
use std::time::{Duration, Instant};

const QUERIES: usize = 20_000;

/// The kind of each query, by `n % 10`.
const KINDS: [&str; 10] = [
    "full name",
    "full name",
    "upper case",
    "prefix 1-4",
    "prefix 4-9",
    "some words",
    "st/ste",
    "postcode",
    "insee",
    "miss",
];

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

fn prefix(s: &str, chars: usize) -> String {
    s.chars().take(chars).collect()
}

fn main() {
    let start = Instant::now();
    let communes = maillage_geo::communes();
    println!(
        "loaded {} communes in {:.1} ms (first use)",
        communes.len(),
        start.elapsed().as_secs_f64() * 1e3
    );

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut queries = Vec::with_capacity(QUERIES);
    for n in 0..QUERIES {
        let c = &communes[rng.below(communes.len())];
        let kind = n % 10;
        let query = match kind {
            0 | 1 => c.name.to_string(),
            2 => c.name.to_uppercase(),
            3 => prefix(c.name, 1 + rng.below(4)),
            4 => prefix(c.name, 4 + rng.below(6)),
            5 => {
                // Every other word, e.g. "pont claix".
                let words: Vec<&str> = c.name.split(['-', ' ', '\'']).collect();
                words
                    .iter()
                    .step_by(2)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            6 => c.name.replace("Saint-", "St ").replace("Sainte-", "Ste "),
            7 => c.postcodes.first().copied().unwrap_or("00000").to_string(),
            8 => c.insee.to_string(),
            _ => match rng.below(4) {
                0 => format!("{}zq", prefix(c.name, 3)),
                1 => "xqzwv".to_string(),
                2 => format!("{:05}", rng.below(100_000)),
                _ => "le la les de du".to_string(),
            },
        };
        queries.push((KINDS[kind], query));
    }

    // Warm up, then time each call.
    for (_, q) in queries.iter().take(1_000) {
        black_box(maillage_geo::search(q, 10));
    }
    let mut times: Vec<(&str, Duration)> = Vec::with_capacity(QUERIES);
    let mut found = 0usize;
    let total = Instant::now();
    for (kind, q) in &queries {
        let t = Instant::now();
        let result = maillage_geo::search(black_box(q), 10);
        times.push((kind, t.elapsed()));
        found += usize::from(!result.is_empty());
        black_box(result);
    }
    let total = total.elapsed();
    println!(
        "{QUERIES} queries ({found} with results) in {:.1} ms",
        total.as_secs_f64() * 1e3
    );
    report(
        "search(q, 10), all",
        times.iter().map(|&(_, t)| t).collect(),
    );
    let mut kinds = KINDS.to_vec();
    kinds.dedup();
    for kind in kinds {
        let some = times.iter().filter(|&&(k, _)| k == kind).map(|&(_, t)| t);
        report(&format!("  {kind}"), some.collect());
    }

    // The same queries within Isère.
    let mut times = Vec::with_capacity(QUERIES);
    for (_, q) in &queries {
        let t = Instant::now();
        black_box(maillage_geo::search_in("38", black_box(q), 10));
        times.push(t.elapsed());
    }
    report("search_in(38, q, 10)", times);
}

/// Prints the percentiles of some durations in microseconds.
fn report(label: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let micros = |q: f64| {
        let i = ((times.len() - 1) as f64 * q).round() as usize;
        times[i].as_secs_f64() * 1e6
    };
    println!(
        "{label:<20} µs: p50 {:>7.1}  p90 {:>7.1}  p99 {:>7.1}  max {:>7.1}  ({} queries)",
        micros(0.50),
        micros(0.90),
        micros(0.99),
        micros(1.0),
        times.len()
    );
}
