//! Structured logs on standard error: human-readable by default, JSON with
//! `MAILLAGE_LOG_FORMAT=json`; the filter comes from `MAILLAGE_LOG`
//! (e.g. `info`, `debug`, `maillage_web=debug,info`).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_env("MAILLAGE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("MAILLAGE_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
