//! The drawing aids of maps: the outline of a département and the
//! approximate boundaries of its EPCIs.

use maillage_geo::{
    cell_edges, commune, communes_of_departement, epci_boundaries, outline, rings_contain,
};

fn position(insee: &str) -> (f64, f64) {
    let c = commune(insee).unwrap();
    (c.lon.unwrap(), c.lat.unwrap())
}

#[test]
fn isere_has_an_outline_around_grenoble_and_not_lyon() {
    let rings = outline("38").expect("Isère's outline is shipped");
    assert_eq!(rings.len(), 1);
    let ring = &rings[0];
    assert!(ring.len() > 500, "{} points", ring.len());
    // Closed, or closable: the last point is the first, or close to it.
    let (first, last) = (ring[0], ring[ring.len() - 1]);
    assert!((first.0 - last.0).abs() < 0.01 && (first.1 - last.1).abs() < 0.01);
    // Within the extent of Isère.
    for &(lon, lat) in ring {
        assert!(
            (4.7..=6.4).contains(&lon) && (44.6..=45.9).contains(&lat),
            "{lon},{lat}"
        );
    }
    assert!(rings_contain(rings, position("38185")), "Grenoble");
    assert!(!rings_contain(rings, (4.8357, 45.7640)), "Lyon");
    assert!(!rings_contain(rings, position("69266")), "Villeurbanne");
    assert!(!rings_contain(rings, position("73065")), "Chambéry");
    // Nearly every commune of Isère lies inside (the coordinates are
    // those of a post office, which may sit on the other side of a limit).
    let communes = communes_of_departement("38");
    let inside = communes
        .iter()
        .filter(|c| rings_contain(rings, (c.lon.unwrap(), c.lat.unwrap())))
        .count();
    assert!(
        inside * 100 >= communes.len() * 98,
        "{inside} of {}",
        communes.len()
    );
}

#[test]
fn an_unknown_departement_has_no_outline() {
    assert!(outline("99").is_none());
    assert!(outline("").is_none());
    // Not shipped (yet).
    assert!(outline("69").is_none());
}

#[test]
fn isere_epci_boundaries_lie_inside_and_separate_epcis_only() {
    let rings = outline("38").unwrap();
    let edges = cell_edges("38");
    let boundaries = epci_boundaries("38");
    assert!(!boundaries.is_empty());
    // Neighbours of the same EPCI are not separated: most cell edges are
    // not boundaries.
    assert!(
        boundaries.len() * 3 < edges.len(),
        "{} boundaries of {} edges",
        boundaries.len(),
        edges.len()
    );
    for [a, b] in boundaries.iter().chain(edges.iter().map(|e| &e.segment)) {
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let near = [
            (0.0, 0.0),
            (1e-6, 0.0),
            (-1e-6, 0.0),
            (0.0, 1e-6),
            (0.0, -1e-6),
        ]
        .iter()
        .any(|d| rings_contain(rings, (middle.0 + d.0, middle.1 + d.1)));
        assert!(near, "{middle:?} outside Isère");
    }
    // Grenoble and Saint-Martin-d'Hères (both Grenoble-Alpes Métropole)
    // are neighbours, with no boundary between them.
    let (grenoble, smh) = (commune("38185").unwrap(), commune("38421").unwrap());
    assert_eq!(grenoble.epci, smh.epci);
    let between: Vec<_> = edges
        .iter()
        .filter(|e| e.communes == ["38185", "38421"])
        .collect();
    assert!(!between.is_empty(), "neighbours");
    for e in between {
        assert!(!boundaries.contains(&e.segment));
    }
    // Every boundary separates two communes of different EPCIs.
    for segment in boundaries {
        let e = edges.iter().find(|e| e.segment == *segment).unwrap();
        let [x, y] = e.communes.map(|c| commune(c).unwrap().epci);
        assert_ne!(x, y, "{:?}", e.communes);
    }
    // Computed once.
    assert!(std::ptr::eq(boundaries, epci_boundaries("38")));
}

#[test]
fn a_departement_without_outline_is_clipped_to_its_communes() {
    // The Rhône has no shipped outline: its boundaries stay within the
    // extent of its communes.
    let communes = communes_of_departement("69");
    let (lon, lat): (Vec<f64>, Vec<f64>) = communes
        .iter()
        .filter_map(|c| Some((c.lon?, c.lat?)))
        .unzip();
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min) - 1e-9;
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max) + 1e-9;
    let boundaries = epci_boundaries("69");
    assert!(!boundaries.is_empty());
    for p in boundaries.iter().flatten() {
        assert!((min(&lon)..=max(&lon)).contains(&p.0) && (min(&lat)..=max(&lat)).contains(&p.1));
    }
    assert!(epci_boundaries("XX").is_empty());
    assert!(cell_edges("XX").is_empty());
}
