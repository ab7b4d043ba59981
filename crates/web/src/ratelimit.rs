//! The setting of the booking limit per client address (`N/min`…). The
//! hits are counted in the database ([`maillage_db::ratelimit`], through
//! [`crate::shared::limits`]), so every instance shares them.

use std::time::Duration;

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

impl From<RateLimit> for maillage_db::ratelimit::Limit {
    fn from(l: RateLimit) -> Self {
        maillage_db::ratelimit::Limit {
            max: l.max,
            per: chrono::TimeDelta::from_std(l.per).unwrap_or(chrono::TimeDelta::hours(1)),
        }
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
    }
}
