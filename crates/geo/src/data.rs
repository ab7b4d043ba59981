//! The embedded TSV files, parsed once into `'static` tables and indexes.

use std::ops::Range;
use std::sync::LazyLock;

use crate::tree::MinTree;
use crate::{Commune, Departement, Epci, Region};

const COMMUNES_TSV: &str = include_str!("../data/communes.tsv");
const EPCI_TSV: &str = include_str!("../data/epci.tsv");
const DEPARTEMENTS_TSV: &str = include_str!("../data/departements.tsv");
const REGIONS_TSV: &str = include_str!("../data/regions.tsv");

/// Commune indexes are packed in the low bits of the search keys.
pub(crate) const INDEX_BITS: u32 = 24;

pub(crate) struct Data {
    /// Sorted by INSEE code.
    pub communes: Vec<Commune>,
    /// Each commune's sort key among equals: population (largest first), then
    /// index, packed as `(u32::MAX - population) << INDEX_BITS | index`.
    pub keys: Vec<u64>,
    /// (postcode, commune index), sorted.
    pub postcodes: Vec<(&'static str, u32)>,
    /// Indexes of the communes that have an EPCI, sorted by (EPCI, index).
    pub by_epci: Vec<u32>,
    /// Indexes of all communes, sorted by (département, index).
    pub by_departement: Vec<u32>,
    /// Sorted by SIREN.
    pub epcis: Vec<Epci>,
    /// Sorted by code.
    pub departements: Vec<Departement>,
    /// Sorted by code.
    pub regions: Vec<Region>,
    /// Commune index + 1 by [`slot`] of its INSEE code (0: none), so that
    /// finding a commune by code is one array read.
    pub by_code: Vec<u32>,
}

/// The indexes of the communes' names, built on the first search by name
/// (finding a commune by code, postcode, EPCI or département does without).
pub(crate) struct Names {
    /// The searchable form of each commune's name, same order as
    /// `Data::communes` (see [`crate::search::normalize`]: "le pont de
    /// claix", "saint egreve").
    pub names: Vec<&'static str>,
    /// Commune indexes sorted by searchable name, so the names starting with
    /// a given text are one contiguous range.
    pub by_name: Vec<u32>,
    /// The keys in `by_name` order, to take the largest communes of a range first.
    pub by_name_keys: MinTree,
    /// Every word start of every name: (commune index, byte offset in its
    /// name), sorted by the rest of the name from that offset, so the words
    /// starting with a given prefix are one contiguous range.
    pub words: Vec<(u32, u16)>,
    /// The largest number of words in a name.
    pub max_words: usize,
}

/// Where an INSEE code goes in [`Data::by_code`]: five digits are their
/// number; Corsica's "2A…" and "2B…" come after 99999. Anything else has
/// no slot.
fn slot(insee: &str) -> Option<usize> {
    let b = insee.as_bytes();
    if b.len() != 5 || !b[2..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let rest =
        usize::from(b[2] - b'0') * 100 + usize::from(b[3] - b'0') * 10 + usize::from(b[4] - b'0');
    match (b[0], b[1]) {
        (b'2', b'A') => Some(100_000 + rest),
        (b'2', b'B') => Some(101_000 + rest),
        (x, y) if x.is_ascii_digit() && y.is_ascii_digit() => {
            Some(usize::from(x - b'0') * 10_000 + usize::from(y - b'0') * 1000 + rest)
        }
        _ => None,
    }
}

static DATA: LazyLock<Data> = LazyLock::new(Data::load);
static NAMES: LazyLock<Names> = LazyLock::new(|| Names::load(data()));

pub(crate) fn data() -> &'static Data {
    &DATA
}

pub(crate) fn names() -> &'static Names {
    &NAMES
}

impl Data {
    fn load() -> Data {
        let mut communes: Vec<Commune> = rows(COMMUNES_TSV, 9).map(parse_commune).collect();
        communes.sort_unstable_by(|a, b| a.insee.cmp(b.insee));
        assert!(
            communes.len() < 1 << INDEX_BITS,
            "too many communes for the search keys"
        );

        let keys: Vec<u64> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let population = c.population.unwrap_or(0);
                (u64::from(u32::MAX - population) << INDEX_BITS) | i as u64
            })
            .collect();
        let mut postcodes: Vec<(&'static str, u32)> = communes
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.postcodes.iter().map(move |&p| (p, index(i))))
            .collect();
        postcodes.sort_unstable();

        let mut by_epci: Vec<u32> = (0..communes.len())
            .filter(|&i| communes[i].epci.is_some())
            .map(index)
            .collect();
        by_epci.sort_by_key(|&i| communes[i as usize].epci);

        let mut by_departement: Vec<u32> = (0..communes.len()).map(index).collect();
        by_departement.sort_by_key(|&i| communes[i as usize].departement);

        let mut epcis: Vec<Epci> = rows(EPCI_TSV, 3)
            .map(|f| Epci {
                siren: f[0],
                name: f[1],
                kind: f[2],
            })
            .collect();
        epcis.sort_unstable_by(|a, b| a.siren.cmp(b.siren));

        let mut departements: Vec<Departement> = rows(DEPARTEMENTS_TSV, 3)
            .map(|f| Departement {
                code: f[0],
                name: f[1],
                region: f[2],
            })
            .collect();
        departements.sort_unstable_by(|a, b| a.code.cmp(b.code));

        let mut regions: Vec<Region> = rows(REGIONS_TSV, 2)
            .map(|f| Region {
                code: f[0],
                name: f[1],
            })
            .collect();
        regions.sort_unstable_by(|a, b| a.code.cmp(b.code));

        let mut by_code = vec![0u32; 102_000];
        for (i, c) in communes.iter().enumerate() {
            let at = slot(c.insee).expect("an INSEE code of five characters");
            by_code[at] = u32::try_from(i + 1).expect("fewer communes than u32::MAX");
        }
        Data {
            by_code,
            communes,
            keys,
            postcodes,
            by_epci,
            by_departement,
            epcis,
            departements,
            regions,
        }
    }

    pub fn commune_index(&self, insee: &str) -> Option<usize> {
        let i = *self.by_code.get(slot(insee)?)?;
        (i > 0).then(|| i as usize - 1)
    }

    pub fn postcode_range(&self, postcode: &str) -> &[(&'static str, u32)] {
        let start = self.postcodes.partition_point(|&(p, _)| p < postcode);
        let len = self.postcodes[start..].partition_point(|&(p, _)| p == postcode);
        &self.postcodes[start..start + len]
    }

    pub fn epci_members(&self, siren: &str) -> &[u32] {
        let key = |i: &u32| self.communes[*i as usize].epci.unwrap_or_default();
        let start = self.by_epci.partition_point(|i| key(i) < siren);
        let len = self.by_epci[start..].partition_point(|i| key(i) == siren);
        &self.by_epci[start..start + len]
    }

    pub fn departement_members(&self, code: &str) -> &[u32] {
        let key = |i: &u32| self.communes[*i as usize].departement;
        let start = self.by_departement.partition_point(|i| key(i) < code);
        let len = self.by_departement[start..].partition_point(|i| key(i) == code);
        &self.by_departement[start..start + len]
    }
}

impl Names {
    fn load(d: &Data) -> Names {
        let communes = &d.communes;
        let keys = &d.keys;
        // Searchable names, all in one buffer that lives as long as the program.
        let mut buffer = String::with_capacity(COMMUNES_TSV.len() / 4);
        let mut ends = Vec::with_capacity(communes.len());
        for c in communes {
            buffer.push_str(&crate::search::normalize(c.name));
            ends.push(buffer.len());
        }
        let buffer: &'static str = buffer.leak();
        let mut names = Vec::with_capacity(communes.len());
        let mut start = 0;
        for end in ends {
            names.push(&buffer[start..end]);
            start = end;
        }

        let mut by_name: Vec<u32> = (0..communes.len()).map(index).collect();
        by_name.sort_unstable_by(|&a, &b| names[a as usize].cmp(names[b as usize]).then(a.cmp(&b)));
        let by_name_keys = MinTree::new(
            &by_name
                .iter()
                .map(|&i| keys[i as usize])
                .collect::<Vec<_>>(),
        );

        let mut words = Vec::new();
        let mut max_words = 0;
        for (i, name) in names.iter().enumerate() {
            let mut count = 0;
            for offset in word_offsets(name) {
                let offset = u16::try_from(offset).expect("commune name under 64 KiB");
                words.push((index(i), offset));
                count += 1;
            }
            max_words = max_words.max(count);
        }
        words.sort_unstable_by(|&(a, oa), &(b, ob)| {
            names[a as usize][oa as usize..]
                .cmp(&names[b as usize][ob as usize..])
                .then(a.cmp(&b))
        });

        Names {
            names,
            by_name,
            by_name_keys,
            words,
            max_words,
        }
    }

    /// The positions in `by_name` of the names equal to `text`, and of those
    /// starting with it (the equal ones first).
    pub fn names_starting_with(&self, text: &str) -> (Range<usize>, Range<usize>) {
        let name = |&i: &u32| self.names[i as usize];
        let start = self.by_name.partition_point(|i| name(i) < text);
        let rest = &self.by_name[start..];
        let equal = rest.partition_point(|i| name(i) == text);
        let prefixed = rest.partition_point(|i| name(i).starts_with(text));
        (start..start + equal, start..start + prefixed)
    }

    /// The entries of `words` whose word starts with `prefix` (one word, no space).
    pub fn words_starting_with(&self, prefix: &str) -> &[(u32, u16)] {
        let rest = |&(i, o): &(u32, u16)| &self.names[i as usize][o as usize..];
        let start = self.words.partition_point(|e| rest(e) < prefix);
        let len = self.words[start..].partition_point(|e| rest(e).starts_with(prefix));
        &self.words[start..start + len]
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).expect("index fits in u32")
}

/// Byte offsets of the words of a normalized name (words separated by one space).
pub(crate) fn word_offsets(name: &str) -> impl Iterator<Item = usize> + '_ {
    let after_spaces = name.match_indices(' ').map(|(i, _)| i + 1);
    (!name.is_empty())
        .then_some(0)
        .into_iter()
        .chain(after_spaces)
}

/// The data lines of an embedded TSV file (header skipped), split into fields.
fn rows(tsv: &'static str, columns: usize) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(move |line| {
            let fields: Vec<&'static str> = line.split('\t').collect();
            assert_eq!(fields.len(), columns, "malformed embedded line: {line:?}");
            fields
        })
}

fn parse_commune(f: Vec<&'static str>) -> Commune {
    let optional = |s: &'static str| (!s.is_empty()).then_some(s);
    let number = |s: &'static str| -> Option<f64> {
        optional(s).map(|s| s.parse().expect("embedded coordinate is a number"))
    };
    Commune {
        insee: f[0],
        name: f[1],
        postcodes: f[2].split(',').filter(|p| !p.is_empty()).collect(),
        departement: f[3],
        region: f[4],
        epci: optional(f[5]),
        population: optional(f[6]).map(|s| s.parse().expect("embedded population is a number")),
        lat: number(f[7]),
        lon: number(f[8]),
    }
}
