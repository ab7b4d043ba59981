//! What every handler can reach.

use crate::cache::PageCache;
use crate::metrics::Metrics;
use maillage_db::Db;
use std::sync::Arc;
use tokio::sync::Notify;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Public address, used in links sent by e-mail (no trailing slash).
    pub base_url: String,
    /// How many reverse proxies stand in front and append to
    /// `X-Forwarded-For` (0: the header is ignored). The client is the entry
    /// that many places from the right: what the client writes itself is
    /// on the left and never trusted.
    pub trust_proxy: u8,
    /// When set, `/metrics` requires `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Booking submissions allowed per client address (`None`: no limit).
    pub rate_limit: Option<crate::ratelimit::RateLimit>,
    /// The longest a sign-in is held back while an account or an address
    /// has failed many times (it slows guessing down; the right password
    /// still signs in).
    pub login_slowdown: std::time::Duration,
    /// Months after a session its bookings' personal data are anonymised.
    pub booking_retention_months: u32,
    /// How long a cached public page is served without asking whether a
    /// booking changed since (the places it shows may lag that much).
    pub places_ttl: std::time::Duration,
}

impl Config {
    pub fn new(base_url: &str) -> Config {
        Config {
            base_url: base_url.trim_end_matches('/').to_owned(),
            login_slowdown: std::time::Duration::from_secs(3),
            places_ttl: std::time::Duration::from_secs(5),
            trust_proxy: 0,
            metrics_token: None,
            rate_limit: Some(crate::ratelimit::RateLimit {
                max: 30,
                per: std::time::Duration::from_secs(60),
            }),
            booking_retention_months: 12,
        }
    }

    /// Cookies get the `Secure` attribute when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// Wakes the e-mail worker after a commit that queued a message.
    pub mail_wakeup: Arc<Notify>,
    /// Public programme pages and API answers, by programme version.
    pub pages: Arc<PageCache>,
    /// Sessions as booking pages and e-mails show them, by programme version.
    pub(crate) places: Arc<crate::features::PlaceCache>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            mail_wakeup: Arc::new(Notify::new()),
            pages: Arc::new(PageCache::default()),
            places: Arc::new(crate::features::PlaceCache::default()),
        }
    }
}
