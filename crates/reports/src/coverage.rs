//! Coverage (maillage) of a département by a project: the communes and EPCI
//! reached, the population living there and its share, the communes never
//! reached, and what changed since the previous edition.

use maillage_db::reports::CommuneFigures;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// One commune reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    pub insee: &'static str,
    pub name: &'static str,
    pub epci: Option<&'static str>,
    pub population: u32,
    pub figures: CommuneFigures,
}

/// One commune of the département the project did not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReached {
    pub insee: &'static str,
    pub name: &'static str,
    pub population: u32,
}

/// An EPCI of the département, with how many of its communes were reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpciCoverage {
    pub siren: &'static str,
    pub name: &'static str,
    pub communes: usize,
    pub reached: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The département measured (code and name).
    pub departement: &'static str,
    pub departement_name: &'static str,
    /// Communes of the département reached, by name.
    pub reached: Vec<Reached>,
    pub communes_total: usize,
    pub population_reached: u64,
    pub population_total: u64,
    /// Communes of the département not reached this edition, most populated
    /// first.
    pub never_reached: Vec<NotReached>,
    pub epcis: Vec<EpciCoverage>,
    /// Communes reached outside the département.
    pub outside: Vec<&'static str>,
    /// Compared with the previous edition: communes reached now and not
    /// then, and the other way round.
    pub gained: Vec<&'static str>,
    pub lost: Vec<&'static str>,
}

impl Coverage {
    /// The share of the département's population living in a commune
    /// reached (0 to 1).
    pub fn population_share(&self) -> f64 {
        if self.population_total == 0 {
            0.0
        } else {
            self.population_reached as f64 / self.population_total as f64
        }
    }
}

/// The département most of the communes reached belong to (the smallest
/// code on a tie), if any.
pub fn main_departement(figures: &BTreeMap<String, CommuneFigures>) -> Option<&'static str> {
    let mut count: BTreeMap<&'static str, usize> = BTreeMap::new();
    for insee in figures.keys() {
        if let Some(c) = maillage_geo::commune(insee) {
            *count.entry(c.departement).or_default() += 1;
        }
    }
    count
        .into_iter()
        .max_by(|(a, x), (b, y)| x.cmp(y).then(b.cmp(a)))
        .map(|(d, _)| d)
}

/// What coverage needs of a département's reference data, worked out once
/// per process: its communes most populated first (the order of the
/// communes never reached), the rank of each commune in the order of names
/// (the order of the communes reached), its population, and its EPCIs in
/// the order of names with their number of communes there.
struct Reference {
    by_population: Vec<&'static maillage_geo::Commune>,
    name_rank: HashMap<&'static str, u32>,
    population: u64,
    epcis: Vec<(&'static maillage_geo::Epci, usize)>,
}

/// The codes of every département that has communes, in order.
fn departements() -> &'static [&'static str] {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut codes: Vec<&'static str> = maillage_geo::communes()
            .iter()
            .map(|c| c.departement)
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    })
}

fn reference(departement: &str) -> Option<&'static Reference> {
    static ALL: OnceLock<HashMap<&'static str, Reference>> = OnceLock::new();
    ALL.get_or_init(|| {
        departements()
            .iter()
            .map(|&d| {
                let communes = maillage_geo::communes_of_departement(d);
                let mut by_name: Vec<(String, &'static str)> = communes
                    .iter()
                    .map(|c| (maillage_domain::text::fold(c.name), c.insee))
                    .collect();
                by_name.sort_unstable();
                let name_rank = by_name
                    .into_iter()
                    .enumerate()
                    .map(|(i, (_, insee))| (insee, i as u32))
                    .collect();
                let mut by_population = communes.clone();
                by_population.sort_by(|a, b| {
                    b.population
                        .unwrap_or(0)
                        .cmp(&a.population.unwrap_or(0))
                        .then(a.name.cmp(b.name))
                });
                let mut members: BTreeMap<&'static str, usize> = BTreeMap::new();
                for c in &communes {
                    if let Some(e) = c.epci {
                        *members.entry(e).or_default() += 1;
                    }
                }
                let mut epcis: Vec<(&'static maillage_geo::Epci, usize)> = members
                    .into_iter()
                    .filter_map(|(siren, n)| maillage_geo::epci(siren).map(|e| (e, n)))
                    .collect();
                epcis.sort_by_cached_key(|(e, _)| maillage_domain::text::fold(e.name));
                let population = communes
                    .iter()
                    .map(|c| u64::from(c.population.unwrap_or(0)))
                    .sum();
                (
                    d,
                    Reference {
                        by_population,
                        name_rank,
                        population,
                        epcis,
                    },
                )
            })
            .collect()
    })
    .get(departement)
}

/// Coverage of `departement` by the figures of a project, compared with
/// those of the previous edition when given. Only the communes the project
/// reached are looked at one by one; the rest is the département's
/// reference data, ordered once per process.
pub fn compute(
    departement: &'static str,
    figures: &BTreeMap<String, CommuneFigures>,
    previous: Option<&BTreeMap<String, CommuneFigures>>,
) -> Coverage {
    let empty = Reference {
        by_population: Vec::new(),
        name_rank: HashMap::new(),
        population: 0,
        epcis: Vec::new(),
    };
    let r = reference(departement).unwrap_or(&empty);
    let hit = |m: &BTreeMap<String, CommuneFigures>, insee: &str| {
        m.get(insee).is_some_and(|f| f.activities > 0)
    };
    // An INSEE code starts with the code of its département ("38185",
    // "2A004", "97411"): the communes of the département reached are a
    // range of the figures, and those elsewhere the rest.
    let mut reached = Vec::new();
    let mut outside = Vec::new();
    let mut epci_reached: HashMap<&'static str, usize> = HashMap::new();
    // The communes reached, by address in the reference table (each
    // commune is one static record): the others are a set lookup away.
    let mut reached_at: Vec<usize> = Vec::new();
    for (insee, f) in figures.iter().filter(|(_, f)| f.activities > 0) {
        let Some(c) = maillage_geo::commune(insee) else {
            continue;
        };
        if c.departement != departement {
            outside.push(c.insee);
            continue;
        }
        if let Some(e) = c.epci {
            *epci_reached.entry(e).or_default() += 1;
        }
        reached_at.push(address(c));
        reached.push(Reached {
            insee: c.insee,
            name: c.name,
            epci: c.epci,
            population: c.population.unwrap_or(0),
            figures: f.clone(),
        });
    }
    reached.sort_by_cached_key(|x| r.name_rank.get(x.insee).copied().unwrap_or(u32::MAX));
    reached_at.sort_unstable();
    let population_reached = reached.iter().map(|x| u64::from(x.population)).sum();
    let never_reached = r
        .by_population
        .iter()
        .filter(|&&c| reached_at.binary_search(&address(c)).is_err())
        .map(|c| NotReached {
            insee: c.insee,
            name: c.name,
            population: c.population.unwrap_or(0),
        })
        .collect();
    // Gained and lost within the département, in the order of the codes.
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    if let Some(p) = previous {
        let inside = |m: &'_ BTreeMap<String, CommuneFigures>| {
            m.iter()
                .filter(|(_, f)| f.activities > 0)
                .filter_map(|(insee, _)| maillage_geo::commune(insee))
                .filter(|c| c.departement == departement)
                .map(|c| c.insee)
                .collect::<Vec<_>>()
        };
        gained = inside(figures).into_iter().filter(|i| !hit(p, i)).collect();
        lost = inside(p).into_iter().filter(|i| !hit(figures, i)).collect();
    }
    let epcis = r
        .epcis
        .iter()
        .map(|(e, communes)| EpciCoverage {
            siren: e.siren,
            name: e.name,
            communes: *communes,
            reached: epci_reached.get(e.siren).copied().unwrap_or(0),
        })
        .collect();
    Coverage {
        departement,
        departement_name: maillage_geo::departement(departement).map_or("", |d| d.name),
        reached,
        communes_total: r.by_population.len(),
        population_reached,
        population_total: r.population,
        never_reached,
        epcis,
        outside,
        gained,
        lost,
    }
}

/// Where a commune's record lives: its identity in the reference table.
fn address(c: &'static maillage_geo::Commune) -> usize {
    std::ptr::from_ref(c) as usize
}

/// Coverage of every département at once (a national programme): the
/// figures are split by département in one pass, so each département
/// only looks at its own communes.
pub fn national(
    figures: &BTreeMap<String, CommuneFigures>,
    previous: Option<&BTreeMap<String, CommuneFigures>>,
) -> Vec<Coverage> {
    fn split(
        figures: &BTreeMap<String, CommuneFigures>,
    ) -> BTreeMap<&'static str, BTreeMap<String, CommuneFigures>> {
        let mut out: BTreeMap<&'static str, BTreeMap<String, CommuneFigures>> = BTreeMap::new();
        for (insee, f) in figures {
            if let Some(c) = maillage_geo::commune(insee) {
                out.entry(c.departement)
                    .or_default()
                    .insert(insee.clone(), f.clone());
            }
        }
        out
    }
    let now = split(figures);
    let before = previous.map(split);
    let empty = BTreeMap::new();
    departements()
        .iter()
        .map(|&d| {
            let b = before.as_ref().map(|b| b.get(d).unwrap_or(&empty));
            compute(d, now.get(d).unwrap_or(&empty), b)
        })
        .collect()
}

/// Coverage of a project, in the département most of its communes belong
/// to (or `departement`), compared with `previous` (another project, the
/// edition before) when given.
pub async fn of_project(
    c: &impl maillage_db::ConnectionTrait,
    project: i64,
    departement: Option<&str>,
    previous: Option<i64>,
) -> Result<Option<Coverage>, maillage_db::DbErr> {
    let (figures, before) =
        tokio::try_join!(maillage_db::reports::by_commune(c, project), async {
            match previous {
                Some(p) => maillage_db::reports::by_commune(c, p).await.map(Some),
                None => Ok(None),
            }
        })?;
    let dept = match departement {
        Some(d) => maillage_geo::departement(d).map(|d| d.code),
        None => main_departement(&figures),
    };
    Ok(dept.map(|d| compute(d, &figures, before.as_ref())))
}
