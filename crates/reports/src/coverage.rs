//! Coverage (maillage) of a département by a project: the communes and EPCI
//! reached, the population living there and its share, the communes never
//! reached, and what changed since the previous edition.

use maillage_db::reports::CommuneFigures;
use std::collections::BTreeMap;

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
    /// Communes of the département never reached, most populated first.
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

/// Coverage of `departement` by the figures of a project, compared with
/// those of the previous edition when given.
pub fn compute(
    departement: &'static str,
    figures: &BTreeMap<String, CommuneFigures>,
    previous: Option<&BTreeMap<String, CommuneFigures>>,
) -> Coverage {
    let communes = maillage_geo::communes_of_departement(departement);
    let mut reached = Vec::new();
    let mut never_reached = Vec::new();
    let mut population_reached = 0u64;
    let mut population_total = 0u64;
    let mut epcis: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for c in &communes {
        let population = c.population.unwrap_or(0);
        population_total += u64::from(population);
        let hit = figures.get(c.insee).filter(|f| f.activities > 0);
        if let Some(epci) = c.epci {
            let e = epcis.entry(epci).or_default();
            e.0 += 1;
            if hit.is_some() {
                e.1 += 1;
            }
        }
        match hit {
            Some(f) => {
                population_reached += u64::from(population);
                reached.push(Reached {
                    insee: c.insee,
                    name: c.name,
                    epci: c.epci,
                    population,
                    figures: f.clone(),
                });
            }
            None => never_reached.push(NotReached {
                insee: c.insee,
                name: c.name,
                population,
            }),
        }
    }
    reached.sort_by_cached_key(|r| (maillage_domain::text::fold(r.name), r.insee));
    never_reached.sort_by(|a, b| b.population.cmp(&a.population).then(a.name.cmp(b.name)));
    // Communes reached elsewhere: an INSEE code starts with the code of its
    // département ("38185", "2A004", "97411"), so no lookup is needed for
    // those inside.
    let outside = figures
        .iter()
        .filter(|(insee, f)| f.activities > 0 && !insee.starts_with(departement))
        .filter_map(|(insee, _)| maillage_geo::commune(insee).map(|c| c.insee))
        .collect();
    // Gained and lost within the département.
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    if let Some(p) = previous {
        let hit = |m: &BTreeMap<String, CommuneFigures>, insee: &str| {
            m.get(insee).is_some_and(|f| f.activities > 0)
        };
        for c in &communes {
            match (hit(figures, c.insee), hit(p, c.insee)) {
                (true, false) => gained.push(c.insee),
                (false, true) => lost.push(c.insee),
                _ => {}
            }
        }
    }
    let mut epcis: Vec<EpciCoverage> = epcis
        .into_iter()
        .filter_map(|(siren, (communes, reached))| {
            maillage_geo::epci(siren).map(|e| EpciCoverage {
                siren: e.siren,
                name: e.name,
                communes,
                reached,
            })
        })
        .collect();
    epcis.sort_by_cached_key(|e| maillage_domain::text::fold(e.name));
    Coverage {
        departement,
        departement_name: maillage_geo::departement(departement).map_or("", |d| d.name),
        reached,
        communes_total: communes.len(),
        population_reached,
        population_total,
        never_reached,
        epcis,
        outside,
        gained,
        lost,
    }
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
    let mut departements: Vec<&'static str> = maillage_geo::communes()
        .iter()
        .map(|c| c.departement)
        .collect();
    departements.sort_unstable();
    departements.dedup();
    departements
        .into_iter()
        .map(|d| {
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
    let figures = maillage_db::reports::by_commune(c, project).await?;
    let before = match previous {
        Some(p) => Some(maillage_db::reports::by_commune(c, p).await?),
        None => None,
    };
    let dept = match departement {
        Some(d) => maillage_geo::departement(d).map(|d| d.code),
        None => main_departement(&figures),
    };
    Ok(dept.map(|d| compute(d, &figures, before.as_ref())))
}
