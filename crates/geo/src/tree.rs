//! A static segment tree of sort keys: the keys of a range of positions,
//! smallest first, in O(log n) per key, without looking at the others.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

pub(crate) struct MinTree {
    /// Number of leaves (a power of two, at least one).
    size: usize,
    /// `nodes[1]` is the root, node `k` has children `2k` and `2k + 1`,
    /// the leaves are `nodes[size..]`; each node holds the smallest key below it.
    nodes: Vec<u64>,
}

impl MinTree {
    pub fn new(keys: &[u64]) -> Self {
        let size = keys.len().next_power_of_two();
        let mut nodes = vec![u64::MAX; 2 * size];
        nodes[size..size + keys.len()].copy_from_slice(keys);
        for k in (1..size).rev() {
            nodes[k] = nodes[2 * k].min(nodes[2 * k + 1]);
        }
        MinTree { size, nodes }
    }

    /// Calls `emit` with the keys at positions `range`, smallest first, until
    /// it returns `false` or the range is exhausted.
    pub fn ascending(&self, range: Range<usize>, mut emit: impl FnMut(u64) -> bool) {
        let (mut l, mut r) = (
            range.start + self.size,
            range.end.min(self.size) + self.size,
        );
        let mut heap = BinaryHeap::with_capacity(64);
        // The nodes that exactly cover the range.
        while l < r {
            if l & 1 == 1 {
                heap.push(Reverse((self.nodes[l], l)));
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                heap.push(Reverse((self.nodes[r], r)));
            }
            l >>= 1;
            r >>= 1;
        }
        while let Some(Reverse((key, node))) = heap.pop() {
            if key == u64::MAX {
                break;
            }
            if node >= self.size {
                if !emit(key) {
                    return;
                }
            } else {
                heap.push(Reverse((self.nodes[2 * node], 2 * node)));
                heap.push(Reverse((self.nodes[2 * node + 1], 2 * node + 1)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MinTree;

    #[test]
    fn yields_a_range_in_order() {
        let keys = [50, 10, 40, 30, 20, 60, 5];
        let tree = MinTree::new(&keys);
        for start in 0..=keys.len() {
            for end in start..=keys.len() {
                let mut expected = keys[start..end].to_vec();
                expected.sort_unstable();
                let mut got = Vec::new();
                tree.ascending(start..end, |k| {
                    got.push(k);
                    true
                });
                assert_eq!(got, expected, "{start}..{end}");
            }
        }
        let mut first_two = Vec::new();
        tree.ascending(0..7, |k| {
            first_two.push(k);
            first_two.len() < 2
        });
        assert_eq!(first_two, [5, 10]);
        MinTree::new(&[]).ascending(0..0, |_| panic!("empty"));
    }
}
