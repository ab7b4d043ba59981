//! Approximate borders between the communes of a département, and between
//! its EPCIs, from the communes' positions alone: the Voronoi diagram of
//! the communes (each commune's cell is the area closer to it than to any
//! other commune), computed from a Delaunay triangulation (Bowyer–Watson)
//! in a plane where a degree of longitude is shortened by the cosine of
//! the latitude. No surveyed limit of commune or EPCI is shipped: these
//! lines are a drawing aid, not the legal limits.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use crate::outline::{clip_segment, outline};
use crate::{Commune, communes_of_departement, departement};

/// A piece of the border between the Voronoi cells of two neighbouring
/// communes, clipped to the département (see [`cell_edges`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellEdge {
    /// The INSEE codes of the two communes, in ascending order.
    pub communes: [&'static str; 2],
    /// The two ends, `(longitude, latitude)` in WGS 84 degrees.
    pub segment: [(f64, f64); 2],
}

struct Cells {
    edges: Vec<CellEdge>,
    epci: Vec<[(f64, f64); 2]>,
}

/// Computed once per département, kept for the life of the process (at
/// most one entry per département).
static CACHE: LazyLock<Mutex<HashMap<&'static str, &'static Cells>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn cells(code: &str) -> Option<&'static Cells> {
    let d = departement(code)?;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cells = cache
        .entry(d.code)
        .or_insert_with(|| Box::leak(Box::new(compute(d.code))));
    Some(*cells)
}

/// The Voronoi diagram of the communes of a département (those with
/// coordinates; communes at the very same position share one cell), as the
/// pieces of border between neighbouring cells, clipped to the
/// département's [`outline`](crate::outline) when one is shipped, else to
/// the convex hull of its communes. Empty for an unknown département.
///
/// These borders are **approximated** from the communes' positions: they
/// are not the surveyed limits of the communes.
pub fn cell_edges(departement: &str) -> &'static [CellEdge] {
    cells(departement).map_or(&[], |c| c.edges.as_slice())
}

/// The approximate boundaries between the EPCIs of a département: the
/// pieces of [`cell_edges`] that separate two communes of different EPCIs
/// (a commune without an EPCI is separated from every neighbour), as
/// segments of `(longitude, latitude)` points. Computed once per
/// département.
///
/// These boundaries are **approximated** from the communes' positions
/// (Voronoi cells), not the surveyed limits of the EPCIs: draw them as a
/// guide, and say so.
///
/// ```
/// assert!(!maillage_geo::epci_boundaries("38").is_empty());
/// assert!(maillage_geo::epci_boundaries("XX").is_empty());
/// ```
pub fn epci_boundaries(departement: &str) -> &'static [[(f64, f64); 2]] {
    cells(departement).map_or(&[], |c| c.epci.as_slice())
}

fn compute(code: &'static str) -> Cells {
    let communes = communes_of_departement(code);
    // One site per distinct position.
    let mut sites: Vec<(&'static Commune, (f64, f64))> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in communes {
        if let (Some(lon), Some(lat)) = (c.lon, c.lat)
            && seen.insert((lon.to_bits(), lat.to_bits()))
        {
            sites.push((c, (lon, lat)));
        }
    }
    if sites.len() < 3 {
        return Cells {
            edges: Vec::new(),
            epci: Vec::new(),
        };
    }
    let n = sites.len() as f64;
    let lon0 = sites.iter().map(|s| s.1.0).sum::<f64>() / n;
    let lat0 = sites.iter().map(|s| s.1.1).sum::<f64>() / n;
    let k = lat0.to_radians().cos();
    let to_plane = |(lon, lat): (f64, f64)| ((lon - lon0) * k, lat - lat0);
    let to_lonlat = |(x, y): (f64, f64)| (x / k + lon0, y + lat0);
    let points: Vec<(f64, f64)> = sites.iter().map(|s| to_plane(s.1)).collect();

    let hull;
    let region: &[Vec<(f64, f64)>] = match outline(code) {
        Some(rings) => rings,
        None => {
            hull = vec![convex_hull(sites.iter().map(|s| s.1).collect())];
            &hull
        }
    };
    let span = points
        .iter()
        .fold(0.0f64, |m, p| m.max(p.0.abs()).max(p.1.abs()));

    let mut edges = Vec::new();
    for (a, b, from, to) in voronoi(&points, span * 10.0) {
        let (ca, cb) = (sites[a].0, sites[b].0);
        let pair = if ca.insee < cb.insee {
            [ca.insee, cb.insee]
        } else {
            [cb.insee, ca.insee]
        };
        for segment in clip_segment(region, to_lonlat(from), to_lonlat(to)) {
            edges.push(CellEdge {
                communes: pair,
                segment,
            });
        }
    }
    let epci_of = |insee: &str| crate::commune(insee).and_then(|c| c.epci);
    let epci = edges
        .iter()
        .filter(|e| {
            let (x, y) = (epci_of(e.communes[0]), epci_of(e.communes[1]));
            x.is_none() || x != y
        })
        .map(|e| e.segment)
        .collect();
    Cells { edges, epci }
}

/// A triangle of the triangulation, with its circumcircle.
#[derive(Clone, Copy)]
struct Triangle {
    v: [usize; 3],
    centre: (f64, f64),
    radius2: f64,
}

impl Triangle {
    fn new(v: [usize; 3], p: &[(f64, f64)]) -> Triangle {
        let (a, b, c) = (p[v[0]], p[v[1]], p[v[2]]);
        let d = 2.0 * (a.0 * (b.1 - c.1) + b.0 * (c.1 - a.1) + c.0 * (a.1 - b.1));
        if d.abs() < 1e-300 {
            // Three aligned points: a circle through them is infinite.
            return Triangle {
                v,
                centre: (0.0, 0.0),
                radius2: f64::INFINITY,
            };
        }
        let (a2, b2, c2) = (
            a.0 * a.0 + a.1 * a.1,
            b.0 * b.0 + b.1 * b.1,
            c.0 * c.0 + c.1 * c.1,
        );
        let ux = (a2 * (b.1 - c.1) + b2 * (c.1 - a.1) + c2 * (a.1 - b.1)) / d;
        let uy = (a2 * (c.0 - b.0) + b2 * (a.0 - c.0) + c2 * (b.0 - a.0)) / d;
        let radius2 = (a.0 - ux).powi(2) + (a.1 - uy).powi(2);
        Triangle {
            v,
            centre: (ux, uy),
            radius2,
        }
    }
}

/// The Delaunay triangulation of `points` (distinct), by Bowyer–Watson:
/// triangles as indexes into `points`.
fn delaunay(points: &[(f64, f64)]) -> Vec<Triangle> {
    let n = points.len();
    let span = points
        .iter()
        .fold(1e-9f64, |m, p| m.max(p.0.abs()).max(p.1.abs()));
    // A triangle far larger than the points, removed at the end.
    let mut all = points.to_vec();
    let big = span * 1000.0;
    all.extend([(-big, -big), (big, -big), (0.0, big)]);
    let mut triangles = vec![Triangle::new([n, n + 1, n + 2], &all)];
    for i in 0..n {
        let p = all[i];
        let (bad, kept): (Vec<Triangle>, Vec<Triangle>) = triangles
            .into_iter()
            .partition(|t| (p.0 - t.centre.0).powi(2) + (p.1 - t.centre.1).powi(2) < t.radius2);
        // The border of the cavity: edges of exactly one bad triangle.
        let mut count: HashMap<(usize, usize), usize> = HashMap::new();
        for t in &bad {
            for e in triangle_edges(t.v) {
                *count.entry(e).or_default() += 1;
            }
        }
        triangles = kept;
        for t in &bad {
            for (a, b) in triangle_edges(t.v) {
                if count[&(a, b)] == 1 {
                    triangles.push(Triangle::new([a, b, i], &all));
                }
            }
        }
    }
    triangles.retain(|t| t.v.iter().all(|&v| v < n));
    triangles
}

/// The edges of a triangle, each as (smaller index, larger index).
fn triangle_edges(v: [usize; 3]) -> [(usize, usize); 3] {
    let e = |a: usize, b: usize| (a.min(b), a.max(b));
    [e(v[0], v[1]), e(v[1], v[2]), e(v[2], v[0])]
}

/// An edge of the Voronoi diagram: the indexes of the two points it
/// separates, and its two ends.
type VoronoiEdge = (usize, usize, (f64, f64), (f64, f64));

/// The edges of the Voronoi diagram of `points`: for each pair of
/// neighbours (a, b), the segment joining the circumcentres of the two
/// triangles on either side of a–b; on the hull, where there is one
/// triangle, a segment of length `ray` from its circumcentre, away from the
/// points.
fn voronoi(points: &[(f64, f64)], ray: f64) -> Vec<VoronoiEdge> {
    let triangles = delaunay(points);
    let mut sides: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::new();
    for (ti, t) in triangles.iter().enumerate() {
        for (j, e) in triangle_edges(t.v).into_iter().enumerate() {
            // The vertex opposite edge j is the one not in it.
            let opposite = t.v[(j + 2) % 3];
            sides.entry(e).or_default().push((ti, opposite));
        }
    }
    let mut keys: Vec<(usize, usize)> = sides.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::with_capacity(keys.len());
    for (a, b) in keys {
        match sides[&(a, b)].as_slice() {
            [(t1, _), (t2, _)] => {
                out.push((a, b, triangles[*t1].centre, triangles[*t2].centre));
            }
            [(t, opposite)] => {
                let (pa, pb, po) = (points[a], points[b], points[*opposite]);
                let mut normal = (pb.1 - pa.1, pa.0 - pb.0);
                let middle = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
                if normal.0 * (po.0 - middle.0) + normal.1 * (po.1 - middle.1) > 0.0 {
                    normal = (-normal.0, -normal.1);
                }
                let length = normal.0.hypot(normal.1);
                if length == 0.0 {
                    continue;
                }
                let c = triangles[*t].centre;
                let end = (c.0 + normal.0 / length * ray, c.1 + normal.1 / length * ray);
                out.push((a, b, c, end));
            }
            _ => {}
        }
    }
    out
}

/// The convex hull of points (monotone chain), closed.
fn convex_hull(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let turn = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f64, f64)> = Vec::new();
    for pass in [false, true] {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &(f64, f64)>> = if pass {
            Box::new(points.iter().rev())
        } else {
            Box::new(points.iter())
        };
        for &p in ordered {
            while hull.len() >= start + 2
                && turn(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    if let Some(&first) = hull.first() {
        hull.push(first);
    }
    hull
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_and_its_centre_make_four_triangles() {
        let points = [(0.0, 0.0), (2.0, 0.1), (2.1, 2.0), (0.1, 2.1), (1.0, 1.0)];
        let t = delaunay(&points);
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|t| t.v.contains(&4)));
        // Four inner edges, four hull edges.
        assert_eq!(voronoi(&points, 10.0).len(), 8);
    }

    #[test]
    fn isere_is_triangulated_with_empty_circles() {
        let points: Vec<(f64, f64)> = crate::communes_of_departement("38")
            .iter()
            .map(|c| ((c.lon.unwrap() - 5.5) * 0.7, c.lat.unwrap() - 45.2))
            .collect();
        let triangles = delaunay(&points);
        // Euler: a triangulation of n points, h on the hull, has 2n - 2 - h
        // triangles.
        let h = convex_hull(points.clone()).len() - 1;
        assert_eq!(triangles.len(), 2 * points.len() - 2 - h);
        for t in &triangles {
            for (i, p) in points.iter().enumerate() {
                let d2 = (p.0 - t.centre.0).powi(2) + (p.1 - t.centre.1).powi(2);
                assert!(t.v.contains(&i) || d2 >= t.radius2 * (1.0 - 1e-9));
            }
        }
    }

    #[test]
    fn every_departement_is_triangulated() {
        for d in &crate::data().departements {
            let mut points: Vec<(f64, f64)> = crate::communes_of_departement(d.code)
                .iter()
                .filter_map(|c| Some((c.lon?, c.lat?)))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            points.dedup();
            if points.len() < 3 {
                continue;
            }
            let (x, y) = points[0];
            let k = y.to_radians().cos();
            let points: Vec<(f64, f64)> = points.iter().map(|p| ((p.0 - x) * k, p.1 - y)).collect();
            let h = convex_hull(points.clone()).len() - 1;
            let triangles = delaunay(&points);
            assert_eq!(triangles.len(), 2 * points.len() - 2 - h, "{}", d.code);
            assert!(
                triangles.iter().all(|t| t.radius2.is_finite()),
                "{}",
                d.code
            );
        }
    }

    #[test]
    fn the_hull_of_a_square_and_its_centre_is_the_square() {
        let hull = convex_hull(vec![
            (0.0, 0.0),
            (1.0, 1.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (0.0, 2.0),
        ]);
        assert_eq!(hull.len(), 5);
        assert!(!hull.contains(&(1.0, 1.0)));
        assert_eq!(hull.first(), hull.last());
    }
}
