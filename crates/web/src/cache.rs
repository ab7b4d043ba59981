//! Rendered public pages and API answers, kept while the programme does not
//! change. Each entry remembers the programme version it was made at; the
//! version lives in the database (bumped by every change, in the change's
//! transaction), so every instance drops stale entries on its own.

use bytes::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;

/// Entries kept at most; past this, the oldest half is dropped.
const MAX_ENTRIES: usize = 4096;

#[derive(Clone)]
pub struct Cached {
    pub content_type: &'static str,
    pub body: Bytes,
}

struct Entry {
    version: i64,
    stamp: u64,
    value: Cached,
}

#[derive(Default)]
pub struct PageCache {
    inner: Mutex<(HashMap<String, Entry>, u64)>,
}

impl PageCache {
    /// The entry for `key` made at `version`, if any.
    pub fn get(&self, key: &str, version: i64) -> Option<Cached> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.0.get(key)
            .filter(|e| e.version == version)
            .map(|e| e.value.clone())
    }

    pub fn put(&self, key: String, version: i64, value: Cached) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1 += 1;
        let stamp = g.1;
        if g.0.len() >= MAX_ENTRIES {
            let mut stamps: Vec<u64> = g.0.values().map(|e| e.stamp).collect();
            stamps.sort_unstable();
            let cut = stamps[stamps.len() / 2];
            g.0.retain(|_, e| e.stamp > cut);
        }
        g.0.insert(
            key,
            Entry {
                version,
                stamp,
                value,
            },
        );
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        for i in 0..(MAX_ENTRIES + 10) {
            c.put(format!("k{i}"), 1, v("x"));
        }
        assert!(c.len() <= MAX_ENTRIES);
        assert!(
            c.get(&format!("k{}", MAX_ENTRIES + 9), 1).is_some(),
            "recent entries stay"
        );
    }
}
