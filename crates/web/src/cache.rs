//! Rendered public pages and API answers, kept while the programme does not
//! change. Each entry remembers the programme version it was made at; the
//! version lives in the database (bumped by every change, in the change's
//! transaction), so every instance drops stale entries on its own.

use bytes::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept at most, and their total size; past either, the oldest
/// half is dropped. (A national programme has thousands of filter pages —
/// one per commune — in French and in English.)
const MAX_ENTRIES: usize = 32_768;
const MAX_BYTES: usize = 96 << 20;

#[derive(Clone)]
pub struct Cached {
    pub content_type: &'static str,
    pub body: Bytes,
}

struct Entry {
    version: i64,
    stamp: u64,
    made: Instant,
    value: Cached,
}

#[derive(Default)]
pub struct PageCache {
    /// Entries, the last stamp given, and the bytes held.
    inner: Mutex<(HashMap<String, Entry>, u64, usize)>,
}

impl PageCache {
    /// The entry for `key` made at `version`, if any.
    pub fn get(&self, key: &str, version: i64) -> Option<Cached> {
        self.get_fresh(key, version, Duration::MAX).map(|(v, _)| v)
    }

    /// The entry for `key` made at `version` less than `max_age` ago (pages
    /// showing places left, which change without a new version), with the
    /// stamp [`put`](Self::put) gave it.
    pub fn get_fresh(&self, key: &str, version: i64, max_age: Duration) -> Option<(Cached, u64)> {
        self.get_aged(key, version)
            .filter(|(_, _, age)| *age < max_age)
            .map(|(v, stamp, _)| (v, stamp))
    }

    /// The entry for `key` made at `version`, its stamp, and how long ago
    /// it was made (or last confirmed by [`touch`](Self::touch)).
    pub fn get_aged(&self, key: &str, version: i64) -> Option<(Cached, u64, Duration)> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.0.get(key)
            .filter(|e| e.version == version)
            .map(|e| (e.value.clone(), e.stamp, e.made.elapsed()))
    }

    /// Confirms the entry of `key` with `stamp` as still right now (nothing
    /// it shows changed since it was made).
    pub fn touch(&self, key: &str, stamp: u64) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = g.0.get_mut(key).filter(|e| e.stamp == stamp) {
            e.made = Instant::now();
        }
    }

    /// Keeps `value`; returns its stamp, unique in this cache.
    pub fn put(&self, key: String, version: i64, value: Cached) -> u64 {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1 += 1;
        let stamp = g.1;
        let key_len = key.len();
        let size = key_len + value.body.len();
        if g.0.len() >= MAX_ENTRIES || g.2 + size > MAX_BYTES {
            let mut stamps: Vec<u64> = g.0.values().map(|e| e.stamp).collect();
            stamps.sort_unstable();
            let cut = stamps.get(stamps.len() / 2).copied().unwrap_or(0);
            g.0.retain(|_, e| e.stamp > cut);
            g.2 = g.0.iter().map(|(k, e)| k.len() + e.value.body.len()).sum();
        }
        g.2 += size;
        if let Some(old) = g.0.insert(
            key,
            Entry {
                version,
                stamp,
                made: Instant::now(),
                value,
            },
        ) {
            g.2 -= key_len + old.value.body.len();
        }
        stamp
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes held (keys and bodies).
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_follow_the_version_and_stay_bounded() {
        let c = PageCache::default();
        let v = |s: &'static str| Cached {
            content_type: "text/html",
            body: Bytes::from_static(s.as_bytes()),
        };
        c.put("a".into(), 1, v("one"));
        assert_eq!(c.get("a", 1).unwrap().body, "one");
        assert!(c.get("a", 2).is_none(), "a new version misses");
        assert!(
            c.get_fresh("a", 1, Duration::ZERO).is_none(),
            "an entry older than asked misses"
        );
        assert!(c.get_fresh("a", 1, Duration::from_secs(60)).is_some());
        for i in 0..(MAX_ENTRIES + 10) {
            c.put(format!("k{i}"), 1, v("x"));
        }
        assert!(c.len() <= MAX_ENTRIES);
        assert!(
            c.get(&format!("k{}", MAX_ENTRIES + 9), 1).is_some(),
            "recent entries stay"
        );
    }

    #[test]
    fn the_bytes_held_stay_bounded_and_replacing_an_entry_counts_once() {
        let c = PageCache::default();
        let big = Bytes::from(vec![b'x'; 2 << 20]);
        let page = |b: &Bytes| Cached {
            content_type: "text/html",
            body: b.clone(),
        };
        c.put("same".into(), 1, page(&big));
        c.put("same".into(), 2, page(&big));
        assert_eq!(c.bytes(), 4 + (2 << 20));
        for i in 0..100 {
            c.put(format!("p{i}"), 1, page(&big));
            assert!(c.bytes() <= MAX_BYTES, "{} bytes", c.bytes());
        }
        assert!(c.get("p99", 1).is_some(), "the newest entry stays");
        assert!(c.get("p0", 1).is_none(), "the oldest went");
        let held: usize = (0..100)
            .filter(|i| c.get(&format!("p{i}"), 1).is_some())
            .count();
        assert!(held * (2 << 20) <= MAX_BYTES && held >= 10, "{held} kept");
    }
}
