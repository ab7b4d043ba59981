//! The embedded reference data and the search, against known facts.

use maillage_geo::{
    Commune, by_postcode, commune, communes, communes_of_departement, communes_of_epci,
    departement, epci, epcis, region, search, search_in,
};

fn codes(found: &[&Commune]) -> Vec<&'static str> {
    found.iter().map(|c| c.insee).collect()
}

#[test]
fn counts() {
    let all = communes();
    assert!(
        (34_800..=35_100).contains(&all.len()),
        "{} communes",
        all.len()
    );
    assert!(
        all.windows(2).all(|w| w[0].insee < w[1].insee),
        "sorted by INSEE, no duplicate"
    );
    assert!(epcis().len() > 1_200);
    assert!(epcis().windows(2).all(|w| w[0].siren < w[1].siren));
    // Every EPCI a commune points to exists, and its members point back to it.
    for c in all {
        if let Some(siren) = c.epci {
            assert!(epci(siren).is_some(), "{}: unknown EPCI {siren}", c.insee);
        }
        assert!(departement(c.departement).is_some(), "{}", c.insee);
        assert!(region(c.region).is_some(), "{}", c.insee);
    }
    for e in epcis() {
        let members = communes_of_epci(e.siren);
        assert!(!members.is_empty(), "{} has no member", e.siren);
        assert!(members.iter().all(|c| c.epci == Some(e.siren)));
    }
}

#[test]
fn isere() {
    let isere = communes_of_departement("38");
    assert_eq!(isere.len(), 512);
    assert_eq!(departement("38").map(|d| d.name), Some("Isère"));
    assert_eq!(
        region(departement("38").unwrap().region).map(|r| r.name),
        Some("Auvergne-Rhône-Alpes")
    );
    for c in isere {
        assert_eq!(c.departement, "38");
        assert!(c.insee.starts_with("38"));
        assert!(
            c.population.is_some_and(|p| p > 0),
            "{} {}",
            c.insee,
            c.name
        );
        let siren = c
            .epci
            .unwrap_or_else(|| panic!("{} {} has no EPCI", c.insee, c.name));
        assert!(
            epcis().iter().any(|e| e.siren == siren),
            "{}: {siren}",
            c.insee
        );
        let (lat, lon) = (c.lat.unwrap(), c.lon.unwrap());
        assert!(
            (44.6..46.0).contains(&lat),
            "{} {} lat {lat}",
            c.insee,
            c.name
        );
        assert!(
            (4.7..6.4).contains(&lon),
            "{} {} lon {lon}",
            c.insee,
            c.name
        );
        assert!(!c.postcodes.is_empty(), "{}", c.insee);
    }
}

#[test]
fn lookups() {
    let grenoble = commune("38185").unwrap();
    assert_eq!(grenoble.name, "Grenoble");
    assert_eq!(grenoble.postcodes, ["38000", "38100"]);
    assert_eq!(grenoble.region, "84");
    assert!(grenoble.population.unwrap() > 150_000);
    let metro = epci(grenoble.epci.unwrap()).unwrap();
    assert_eq!(metro.name, "Grenoble-Alpes-Métropole");
    assert_eq!(metro.kind, "METRO");
    assert_eq!(communes_of_epci(metro.siren).len(), 49);

    let claix = commune("38317").unwrap();
    assert_eq!(claix.name, "Le Pont-de-Claix");
    // 38800 serves Champagnier too.
    assert_eq!(codes(&by_postcode("38800")), ["38068", "38317"]);
    assert!(codes(&by_postcode("38000")).contains(&"38185"));

    assert_eq!(commune("2A004").map(|c| c.name), Some("Ajaccio"));
    assert_eq!(commune("99999"), None);
    assert_eq!(commune(""), None);
    assert_eq!(commune("2B033").map(|c| c.name), Some("Bastia"));
    for bad in [
        "2C004", "2A04", "2A0045", "3818A", "A8185", "38 85", "９7411",
    ] {
        assert_eq!(commune(bad), None, "{bad}");
    }
    // Every commune is found by its own code, and only it.
    for c in communes() {
        assert!(std::ptr::eq(commune(c.insee).unwrap(), c), "{}", c.insee);
    }
    assert!(by_postcode("").is_empty());
    assert!(by_postcode("00000").is_empty());
    assert_eq!(epci("nope"), None);
    assert!(communes_of_epci("").is_empty());
    assert!(communes_of_departement("").is_empty());
    assert_eq!(departement("2A").map(|d| d.name), Some("Corse-du-Sud"));
    assert_eq!(region("99"), None);
}

#[test]
fn search_by_name() {
    for query in [
        "pont de claix",
        "Pont-de-Claix",
        "PONT DE CLAIX",
        "pont claix",
        "le pont-de-claix",
    ] {
        let found = search(query, 10);
        assert_eq!(
            found.first().map(|c| c.insee),
            Some("38317"),
            "{query:?}: {:?}",
            codes(&found)
        );
    }
    for query in [
        "st egreve",
        "saint egreve",
        "Saint-Égrève",
        "ST-EGREVE",
        "st eg",
    ] {
        let found = search(query, 10);
        assert_eq!(
            found.first().map(|c| c.insee),
            Some("38382"),
            "{query:?}: {:?}",
            codes(&found)
        );
    }
    let found = search("grenoble", 10);
    assert_eq!(found[0].insee, "38185");
    assert_eq!(found[0].name, "Grenoble");
    // Prefixes rank names that start with the query, largest first.
    let found = search("greno", 10);
    assert_eq!(found[0].insee, "38185");
    let found = search("paris", 5);
    assert_eq!(found[0].insee, "75056");
    let found = search("lyon", 5);
    assert_eq!(found[0].insee, "69123");
    // Exact name before bigger communes that merely start with it.
    let found = search("claix", 10);
    assert_eq!(found[0].name, "Claix");
    assert!(codes(&found).contains(&"38317"));
    // Words must come in order.
    assert!(!codes(&search("claix pont", 10)).contains(&"38317"));
    // Limit.
    assert_eq!(search("saint", 7).len(), 7);
    assert!(search("grenoble", 0).is_empty());
    assert!(search("xqzwv", 10).is_empty());
}

#[test]
fn search_ranking_is_by_population() {
    let found = search("saint", 50);
    assert_eq!(found.len(), 50);
    assert!(found.iter().all(|c| c.name.starts_with("Saint")));
    let populations: Vec<u32> = found.iter().map(|c| c.population.unwrap_or(0)).collect();
    assert!(
        populations.windows(2).all(|w| w[0] >= w[1]),
        "{populations:?}"
    );
}

#[test]
fn search_by_code() {
    // Both communes of 38800, the largest first.
    let found = search("38800", 10);
    assert_eq!(codes(&found), ["38317", "38068"]);
    let found = search("38317", 10);
    assert_eq!(found[0].insee, "38317");
    let found = search(" 38000 ", 10);
    assert_eq!(found[0].insee, "38185");
    // A postcode shared by several communes: all of them, largest first.
    let shared = by_postcode("38730");
    assert!(shared.len() > 1);
    assert_eq!(commune("38730"), None);
    let found = search("38730", 100);
    assert_eq!(found.len(), shared.len());
    assert!(found.windows(2).all(|w| w[0].population >= w[1].population));
    // Both an INSEE code (Eyzin-Pinet) and a postcode (Saint-Marcellin and others):
    // the commune of that code first, then the communes of that postcode.
    let found = search("38160", 100);
    assert_eq!(found[0].name, "Eyzin-Pinet");
    assert_eq!(found.len(), 1 + by_postcode("38160").len());
    assert!(found[1..].iter().all(|c| c.postcodes.contains(&"38160")));
    assert_eq!(search("2a004", 10)[0].name, "Ajaccio");
    assert!(search("00000", 10).is_empty());
}

#[test]
fn search_in_a_departement() {
    let found = search_in("38", "saint", 600);
    assert!(found.len() > 50);
    assert!(found.iter().all(|c| c.departement == "38"));
    assert_eq!(
        found[0].name, "Saint-Martin-d'Hères",
        "the largest Saint- of Isère"
    );
    assert_eq!(found[1].name, "Saint-Égrève");
    assert_eq!(search_in("38", "pont claix", 5)[0].insee, "38317");
    assert_eq!(search_in("38", "38800", 5)[0].insee, "38317");
    assert!(search_in("73", "38800", 5).is_empty());
    assert!(search_in("73", "pont de claix", 5).is_empty());
    assert!(search_in("nope", "grenoble", 5).is_empty());
    assert!(search_in("38", "", 5).is_empty());
}

#[test]
fn search_edge_cases() {
    let long = "a".repeat(10_000);
    let long_words = "grenoble ".repeat(1_200);
    let mixed = "é-".repeat(5_000);
    for query in [
        "",
        " ",
        "     ",
        "\t\n",
        "-",
        "'",
        "!!!",
        "-- ' ,; .",
        long.as_str(),
        long_words.as_str(),
        mixed.as_str(),
        "東京",
        "Москва",
        "αθήνα",
        "🙂",
        "\u{0}",
        "38",
        "388",
        "3880",
        "388000",
        "st",
        "ste",
    ] {
        let found = search(query, 10);
        assert!(found.len() <= 10);
        let _ = search_in("38", query, 10);
        if query.trim().is_empty() || !query.chars().any(char::is_alphanumeric) {
            assert!(found.is_empty(), "{query:?}: {:?}", codes(&found));
        }
    }
    assert!(search(&long, 10).is_empty());
    assert!(search(&long_words, 10).is_empty());
    assert!(search("東京", 10).is_empty());
    // "st" alone reads "saint".
    assert!(search("st", 10).iter().all(|c| c.name.starts_with("Saint")));
    assert_eq!(search("st", 10).len(), 10);
    assert_eq!(search("grenoble", usize::MAX)[0].insee, "38185");
}
