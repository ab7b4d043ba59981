//! Rate limiting of booking submissions per client address, in memory (each
//! instance counts its own requests). A fixed window per address: at most
//! `max` submissions per `per`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `max` requests per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub per: Duration,
}

impl RateLimit {
    /// Reads `off`, or `N/s`, `N/min`, `N/h` (for `MAILLAGE_RATE_LIMIT`).
    pub fn parse(s: &str) -> Result<Option<RateLimit>, String> {
        let s = s.trim().to_ascii_lowercase();
        if matches!(s.as_str(), "off" | "none" | "0") {
            return Ok(None);
        }
        let (n, unit) = s
            .split_once('/')
            .ok_or_else(|| format!("rate limit {s:?}: expected off or N/s, N/min, N/h"))?;
        let max: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("rate limit {s:?}: {n:?} is not a number"))?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "m" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            other => return Err(format!("rate limit {s:?}: unknown unit {other:?}")),
        };
        if max == 0 {
            return Ok(None);
        }
        Ok(Some(RateLimit { max, per }))
    }
}

#[derive(Debug, Default)]
pub struct Limiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// Counts a request from `key`; `Err(seconds to wait)` when over the limit.
    pub fn check(&self, limit: Option<RateLimit>, key: &str, now: Instant) -> Result<(), u64> {
        let Some(limit) = limit else {
            return Ok(());
        };
        let mut map = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < limit.per);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.per {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            let wait = limit.per.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_limits() {
        assert_eq!(RateLimit::parse("off"), Ok(None));
        let l = RateLimit::parse("2/min").unwrap();
        assert_eq!(
            l,
            Some(RateLimit {
                max: 2,
                per: Duration::from_secs(60)
            })
        );
        assert!(RateLimit::parse("lots").is_err());
        assert!(RateLimit::parse("3/week").is_err());
        let lim = Limiter::default();
        let t = Instant::now();
        assert!(lim.check(l, "1.2.3.4", t).is_ok());
        assert!(lim.check(l, "1.2.3.4", t).is_ok());
        assert_eq!(lim.check(l, "1.2.3.4", t), Err(60));
        assert!(lim.check(l, "5.6.7.8", t).is_ok());
        assert!(lim.check(l, "1.2.3.4", t + Duration::from_secs(61)).is_ok());
        assert!(lim.check(None, "1.2.3.4", t).is_ok());
    }
}
