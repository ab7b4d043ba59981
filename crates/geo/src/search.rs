//! Search by name, postcode or INSEE code.

use std::collections::BinaryHeap;

use maillage_domain::text::fold;

use crate::Commune;
use crate::data::{Data, INDEX_BITS, Names, data, names, word_offsets};

/// Search by name (accent-, case- and hyphen-insensitive, "st"/"ste" read as
/// "saint"/"sainte", every query word must match the start of a word of the
/// name, in order: "pont de claix" and "pont claix" find Le Pont-de-Claix,
/// "st egreve" finds Saint-Égrève), by postcode ("38800" → the communes of
/// that postcode) or by INSEE code ("38317", "2A004").
///
/// Ranking: the exact name (or the commune of that INSEE code) first, then
/// names starting with the query (or the communes of that postcode), then the
/// rest; ties by population, largest first, then by INSEE code. An empty or
/// blank query finds nothing. At most `limit` communes are returned.
pub fn search(query: &str, limit: usize) -> Vec<&'static Commune> {
    run(query, limit, None)
}

/// [`search`] restricted to the communes of one département (e.g. "38").
pub fn search_in(departement: &str, query: &str, limit: usize) -> Vec<&'static Commune> {
    run(query, limit, Some(departement))
}

/// The searchable form of a name or query: folded (lower case, no accents,
/// punctuation as single spaces), with the words "st" and "ste" spelt out.
pub(crate) fn normalize(text: &str) -> String {
    let folded = fold(text);
    if !folded.split(' ').any(|w| w == "st" || w == "ste") {
        return folded;
    }
    let mut out = String::with_capacity(folded.len() + 8);
    for word in folded.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            word => word,
        });
    }
    out
}

fn run(query: &str, limit: usize, departement: Option<&str>) -> Vec<&'static Commune> {
    if limit == 0 {
        return Vec::new();
    }
    let d = data();
    let mut top = TopK::new(limit);
    if let Some(code) = as_code(query) {
        let code = std::str::from_utf8(&code).unwrap_or_default();
        let in_scope = |i: usize| departement.is_none_or(|dep| d.communes[i].departement == dep);
        let by_insee = d.commune_index(code).filter(|&i| in_scope(i));
        if let Some(i) = by_insee {
            top.push(key(d, 0, i));
        }
        for &(_, i) in d.postcode_range(code) {
            let i = i as usize;
            if Some(i) != by_insee && in_scope(i) {
                top.push(key(d, 1, i));
            }
        }
        return top.finish(d);
    }

    let query = normalize(query);
    let n = names();
    if query.is_empty() || query.split(' ').count() > n.max_words {
        return Vec::new();
    }
    match departement {
        Some(departement) => {
            for &i in d.departement_members(departement) {
                consider(d, n, &query, i as usize, &mut top);
            }
        }
        None => {
            // The names equal to the query, then the largest of those starting with it.
            let (equal, prefixed) = n.names_starting_with(&query);
            for position in equal.clone() {
                top.push(key(d, 0, n.by_name[position] as usize));
            }
            let wanted = limit.saturating_sub(top.len());
            if wanted > 0 {
                let mut taken = 0;
                n.by_name_keys.ascending(equal.end..prefixed.end, |k| {
                    top.push(RANK_PREFIX | k);
                    taken += 1;
                    taken < wanted
                });
            }
            if top.len() < limit {
                // Room left: the other matching names, among those that have a
                // word starting with the rarest query word.
                let rarest = query
                    .split(' ')
                    .map(|word| (word, n.words_starting_with(word)))
                    .min_by_key(|(_, entries)| entries.len());
                if let Some((word, entries)) = rarest {
                    for &(i, offset) in entries {
                        let name = n.names[i as usize];
                        if name.starts_with(query.as_str()) || !matches(name, &query) {
                            continue;
                        }
                        // A name may have several words starting with `word`: take it at the first.
                        let first = word_offsets(name).find(|&o| name[o..].starts_with(word));
                        if first == Some(usize::from(offset)) {
                            top.push(key(d, 2, i as usize));
                        }
                    }
                }
            }
        }
    }
    top.finish(d)
}

/// Rank commune `i` if its name matches the (normalized) query.
fn consider(d: &Data, n: &Names, query: &str, i: usize, top: &mut TopK) {
    let name = n.names[i];
    if !matches(name, query) {
        return;
    }
    let rank = if name == query {
        0
    } else if name.starts_with(query) {
        1
    } else {
        2
    };
    top.push(key(d, rank, i));
}

/// Whether every word of the query starts a word of the name, in order
/// (both normalized: words separated by single spaces).
fn matches(name: &str, query: &str) -> bool {
    let mut words = name.split(' ');
    query
        .split(' ')
        .all(|q| words.by_ref().any(|w| w.starts_with(q)))
}

/// A query that is an INSEE code or a postcode: five digits, or "2A"/"2B"
/// and three digits (upper-cased).
fn as_code(query: &str) -> Option<[u8; 5]> {
    let mut code: [u8; 5] = query.trim().as_bytes().try_into().ok()?;
    code[1] = code[1].to_ascii_uppercase();
    let digits = |b: &[u8]| b.iter().all(u8::is_ascii_digit);
    let corsica = code[0] == b'2' && matches!(code[1], b'A' | b'B') && digits(&code[2..]);
    (digits(&code) || corsica).then_some(code)
}

/// The rank of names starting with the query, in the sort key.
const RANK_PREFIX: u64 = 1 << 56;

/// Sort key: rank (0: exact, 1: starts with the query, 2: other), then
/// population (largest first), then INSEE order.
fn key(d: &Data, rank: u8, i: usize) -> u64 {
    (u64::from(rank) << 56) | d.keys[i]
}

/// The `limit` smallest keys seen, in a max-heap.
struct TopK {
    heap: BinaryHeap<u64>,
    limit: usize,
}

impl TopK {
    fn new(limit: usize) -> Self {
        TopK {
            heap: BinaryHeap::with_capacity(limit.min(64)),
            limit,
        }
    }

    fn len(&self) -> usize {
        self.heap.len()
    }

    fn push(&mut self, key: u64) {
        if self.heap.len() < self.limit {
            self.heap.push(key);
        } else if let Some(mut largest) = self.heap.peek_mut()
            && key < *largest
        {
            *largest = key;
        }
    }

    /// The communes, best first. (The vector of keys is reused in place.)
    fn finish(self, d: &'static Data) -> Vec<&'static Commune> {
        let mask = (1u64 << INDEX_BITS) - 1;
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|k| &d.communes[(k & mask) as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_saints() {
        assert_eq!(normalize("St-Égrève"), "saint egreve");
        assert_eq!(normalize("ste marie"), "sainte marie");
        assert_eq!(normalize("Stella"), "stella");
        assert_eq!(normalize("  "), "");
    }

    #[test]
    fn matches_word_prefixes_in_order() {
        assert!(matches("le pont de claix", "pont claix"));
        assert!(matches("le pont de claix", "pont de claix"));
        assert!(matches("le pont de claix", "le p d c"));
        assert!(!matches("le pont de claix", "claix pont"));
        assert!(!matches("le pont de claix", "ont"));
        assert!(!matches("claix", "claix claix"));
    }

    #[test]
    fn recognizes_codes() {
        assert_eq!(as_code(" 38800 "), Some(*b"38800"));
        assert_eq!(as_code("2a004"), Some(*b"2A004"));
        assert_eq!(as_code("3880"), None);
        assert_eq!(as_code("38a00"), None);
        assert_eq!(as_code("éééé"), None);
    }

    #[test]
    fn keeps_the_smallest_keys() {
        let mut top = TopK::new(3);
        for k in [5, 1, 9, 3, 7, 2] {
            top.push(k);
        }
        assert_eq!(top.heap.into_sorted_vec(), vec![1, 2, 3]);
    }
}
