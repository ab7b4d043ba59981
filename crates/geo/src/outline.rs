//! The outlines of départements (`data/outlines.tsv`), parsed once, and the
//! plane geometry the maps need: point in polygon and clipping a segment to
//! a polygon. Coordinates are `(longitude, latitude)` in WGS 84 degrees.

use std::collections::HashMap;
use std::sync::LazyLock;

const OUTLINES_TSV: &str = include_str!("../data/outlines.tsv");

/// A ring of `(longitude, latitude)` points.
type Ring = Vec<(f64, f64)>;

/// The rings of each département, in the order of the file.
static OUTLINES: LazyLock<HashMap<&'static str, Vec<Ring>>> = LazyLock::new(|| {
    let mut outlines: HashMap<&'static str, Vec<Ring>> = HashMap::new();
    for line in OUTLINES_TSV.lines().skip(1).filter(|l| !l.is_empty()) {
        let fields: Vec<&'static str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "malformed embedded outline line");
        let ring = fields[2]
            .split(' ')
            .map(|pair| {
                let (lon, lat) = pair.split_once(',').expect("a lon,lat pair");
                (
                    lon.parse().expect("embedded longitude is a number"),
                    lat.parse().expect("embedded latitude is a number"),
                )
            })
            .collect();
        outlines.entry(fields[0]).or_default().push(ring);
    }
    outlines
});

/// The outline of a département as rings of `(longitude, latitude)` points
/// (WGS 84), each closed (its last point is its first), read with the
/// even-odd rule (a point is inside when an odd number of rings surround
/// it: holes and islands alike). `None` when no outline is shipped for
/// this département (only Isère, 38, for now: see `data/README.md`).
///
/// ```
/// let isere = maillage_geo::outline("38").unwrap();
/// assert!(maillage_geo::rings_contain(isere, (5.7245, 45.1885))); // Grenoble
/// assert!(maillage_geo::outline("99").is_none());
/// ```
pub fn outline(departement: &str) -> Option<&'static [Vec<(f64, f64)>]> {
    OUTLINES.get(departement).map(Vec::as_slice)
}

/// Whether `point` lies inside `rings` (even-odd rule; a ring need not be
/// closed). Points exactly on an edge may fall either way.
pub fn rings_contain(rings: &[Vec<(f64, f64)>], point: (f64, f64)) -> bool {
    let (x, y) = point;
    let mut inside = false;
    for ring in rings {
        for (a, b) in edges(ring) {
            if (a.1 > y) != (b.1 > y) {
                let at = a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0);
                if x < at {
                    inside = !inside;
                }
            }
        }
    }
    inside
}

/// The edges of a ring, the closing one included (a zero-length closing
/// edge, when the ring is already closed, is harmless).
fn edges(ring: &[(f64, f64)]) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
    ring.iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(a, b)| (*a, *b))
}

/// The parts of the segment `a`–`b` that lie inside `rings`: the segment is
/// cut where it crosses a ring, and the pieces whose middle is inside are
/// kept (touching pieces merged).
pub(crate) fn clip_segment(
    rings: &[Vec<(f64, f64)>],
    a: (f64, f64),
    b: (f64, f64),
) -> Vec<[(f64, f64); 2]> {
    let mut cuts = vec![0.0, 1.0];
    let d = (b.0 - a.0, b.1 - a.1);
    for ring in rings {
        for (p, q) in edges(ring) {
            let e = (q.0 - p.0, q.1 - p.1);
            let denom = cross(d, e);
            if denom.abs() < 1e-18 {
                continue; // parallel: crossing a parallel edge changes nothing
            }
            let ap = (p.0 - a.0, p.1 - a.1);
            let t = cross(ap, e) / denom;
            let u = cross(ap, d) / denom;
            if (0.0..=1.0).contains(&u) && t > 0.0 && t < 1.0 {
                cuts.push(t);
            }
        }
    }
    cuts.sort_by(f64::total_cmp);
    let at = |t: f64| (a.0 + d.0 * t, a.1 + d.1 * t);
    let mut out: Vec<[(f64, f64); 2]> = Vec::new();
    let mut open: Option<f64> = None;
    for w in cuts.windows(2) {
        let (t0, t1) = (w[0], w[1]);
        if t1 - t0 < 1e-12 {
            continue;
        }
        let inside = rings_contain(rings, at((t0 + t1) / 2.0));
        match (inside, open) {
            (true, None) => open = Some(t0),
            (false, Some(start)) => {
                out.push([at(start), at(t0)]);
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push([at(start), b]);
    }
    out
}

fn cross(u: (f64, f64), v: (f64, f64)) -> f64 {
    u.0 * v.1 - u.1 * v.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<Vec<(f64, f64)>> {
        vec![vec![
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ]]
    }

    #[test]
    fn a_point_is_inside_a_square_and_outside_its_hole() {
        let mut rings = square();
        assert!(rings_contain(&rings, (1.0, 1.0)));
        assert!(!rings_contain(&rings, (3.0, 1.0)));
        rings.push(vec![(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)]);
        assert!(!rings_contain(&rings, (1.0, 1.0)));
        assert!(rings_contain(&rings, (0.25, 1.0)));
    }

    #[test]
    fn a_segment_is_clipped_to_the_square() {
        let rings = square();
        assert_eq!(
            clip_segment(&rings, (-1.0, 1.0), (3.0, 1.0)),
            vec![[(0.0, 1.0), (2.0, 1.0)]]
        );
        assert_eq!(
            clip_segment(&rings, (0.5, 0.5), (1.0, 1.5)),
            vec![[(0.5, 0.5), (1.0, 1.5)]]
        );
        assert!(clip_segment(&rings, (3.0, 0.0), (4.0, 5.0)).is_empty());
    }
}
