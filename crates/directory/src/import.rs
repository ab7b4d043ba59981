//! Importing organisations, people and venues from CSV or XLSX files:
//! a dry run lists every problem by line and column and imports nothing;
//! the import itself happens in one transaction, all rows or none.

use crate::validate::{self, OrganisationInput, PersonInput, VenueInput, split_list};
use chrono::{DateTime, Utc};
use maillage_db::audit::{self, Actor, Change};
use maillage_db::imports::BatchKind;
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::venues::{self, Access, VenueData};
use maillage_db::{ConnectionTrait, DbErr};
use maillage_domain::FieldError;
use maillage_domain::field::single_line;
use maillage_tabular::{Row, Table};
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organisations,
    People,
    Venues,
}

/// A pending file stores its kind (`import_batches.kind`).
impl From<Kind> for BatchKind {
    fn from(k: Kind) -> BatchKind {
        match k {
            Kind::Organisations => BatchKind::Organisations,
            Kind::People => BatchKind::People,
            Kind::Venues => BatchKind::Venues,
        }
    }
}

impl From<BatchKind> for Kind {
    fn from(k: BatchKind) -> Kind {
        match k {
            BatchKind::Organisations => Kind::Organisations,
            BatchKind::People => Kind::People,
            BatchKind::Venues => Kind::Venues,
        }
    }
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Organisations, Kind::People, Kind::Venues];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Organisations => "organisations",
            Kind::People => "people",
            Kind::Venues => "venues",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// The columns a file may have, each with the header names accepted
    /// (French first; matching ignores case, accents, spaces and dashes).
    pub fn columns(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Kind::Organisations => &[
                (
                    "name",
                    &[
                        "nom",
                        "name",
                        "organisation",
                        "organization",
                        "raison sociale",
                    ],
                ),
                ("kind", &["type", "kind", "categorie", "category"]),
                ("siret", &["siret"]),
                ("uai", &["uai", "rne"]),
                ("address", &["adresse", "address"]),
                ("postcode", &["code postal", "postcode", "cp", "zip"]),
                (
                    "commune",
                    &["commune", "ville", "city", "code insee", "insee"],
                ),
                ("website", &["site web", "site", "website", "url"]),
                ("email", &["email", "e-mail", "courriel", "mail"]),
                ("phone", &["telephone", "phone", "tel"]),
                ("description", &["description", "presentation"]),
                ("themes", &["themes", "thematiques", "theme"]),
                (
                    "public_listing",
                    &["public", "annuaire public", "public listing", "visible"],
                ),
            ],
            Kind::People => &[
                (
                    "first_name",
                    &["prenom", "first name", "firstname", "given name"],
                ),
                (
                    "last_name",
                    &["nom", "last name", "lastname", "family name", "name"],
                ),
                ("email", &["email", "e-mail", "courriel", "mail"]),
                (
                    "phone",
                    &["telephone", "phone", "tel", "portable", "mobile"],
                ),
                ("gender", &["genre", "gender", "sexe"]),
                ("roles", &["roles", "role"]),
                (
                    "organisation",
                    &["organisation", "organization", "structure"],
                ),
                ("function", &["fonction", "function", "poste"]),
                ("notes", &["notes", "remarques", "commentaire"]),
            ],
            Kind::Venues => &[
                ("name", &["nom", "name", "lieu"]),
                ("address", &["adresse", "address"]),
                ("postcode", &["code postal", "postcode", "cp", "zip"]),
                (
                    "commune",
                    &["commune", "ville", "city", "code insee", "insee"],
                ),
                ("lat", &["latitude", "lat"]),
                ("lon", &["longitude", "lon", "lng"]),
                (
                    "public_transport",
                    &[
                        "transports",
                        "transport",
                        "transports en commun",
                        "public transport",
                    ],
                ),
                ("parking", &["stationnement", "parking"]),
                (
                    "wheelchair",
                    &["fauteuil", "fauteuil roulant", "pmr", "wheelchair"],
                ),
                (
                    "hearing_loop",
                    &["boucle magnetique", "boucle", "hearing loop"],
                ),
                ("visual", &["visuel", "deficience visuelle", "visual"]),
                (
                    "cognitive",
                    &["cognitif", "mental", "handicap mental", "cognitive"],
                ),
                (
                    "accessibility_notes",
                    &["accessibilite", "notes accessibilite", "accessibility"],
                ),
                ("description", &["description"]),
                (
                    "organisation",
                    &["organisation", "organization", "structure"],
                ),
            ],
        }
    }

    fn required(self) -> &'static str {
        match self {
            Kind::People => "last_name",
            _ => "name",
        }
    }
}

/// Why a cell or a row was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    Field(FieldError),
    /// A required column is missing from the header.
    MissingColumn,
    /// The organisation named does not exist (or several have that name).
    UnknownOrganisation,
    AmbiguousOrganisation,
    /// "oui"/"non" expected.
    NotYesNo,
}

/// A problem, by line and column (the column as written in the file).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub issue: Issue,
}

/// A likely duplicate of a row (not blocking).
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: usize,
    pub existing_id: i64,
    pub existing_name: String,
}

#[derive(Debug, Clone)]
enum Record {
    Organisation(OrganisationData),
    Person(PersonData, Option<i64>, Option<String>),
    Venue(VenueData),
}

/// The outcome of reading a file: records ready to import, or problems.
#[derive(Debug)]
pub struct Plan {
    pub kind: Kind,
    pub rows: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Warning>,
    records: Vec<(usize, Record)>,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

fn yes_no(v: &str) -> Result<bool, Issue> {
    match maillage_domain::text::fold(v).as_str() {
        "" | "non" | "no" | "n" | "0" | "false" | "faux" => Ok(false),
        "oui" | "yes" | "o" | "y" | "1" | "x" | "true" | "vrai" => Ok(true),
        _ => Err(Issue::NotYesNo),
    }
}

struct Columns<'t> {
    table: &'t Table,
    found: Vec<(&'static str, Option<usize>)>,
}

impl Columns<'_> {
    fn index(&self, field: &str) -> Option<usize> {
        self.found
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, i)| *i)
    }

    fn get<'r>(&self, row: &'r Row, field: &str) -> &'r str {
        row.get(self.index(field))
    }

    /// The header as written in the file, for messages.
    fn header(&self, field: &str) -> String {
        self.index(field)
            .and_then(|i| self.table.headers.get(i).cloned())
            .unwrap_or_else(|| field.to_owned())
    }
}

/// Reads `bytes` as a `kind` file and checks every row, without touching
/// the database except to look up organisations and duplicates.
pub async fn plan(
    c: &impl ConnectionTrait,
    kind: Kind,
    bytes: &[u8],
) -> Result<Result<Plan, maillage_tabular::ReadError>, DbErr> {
    let table = match maillage_tabular::read(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let cols = Columns {
        table: &table,
        found: kind
            .columns()
            .iter()
            .map(|(f, names)| (*f, table.column(names)))
            .collect(),
    };
    let mut plan = Plan {
        kind,
        rows: table.rows.len(),
        problems: Vec::new(),
        warnings: Vec::new(),
        records: Vec::new(),
    };
    if cols.index(kind.required()).is_none() {
        let names = kind
            .columns()
            .iter()
            .find(|(f, _)| *f == kind.required())
            .map_or(&[][..], |(_, n)| *n);
        plan.problems.push(Problem {
            line: 1,
            column: names.first().copied().unwrap_or("nom").to_owned(),
            value: String::new(),
            issue: Issue::MissingColumn,
        });
        return Ok(Ok(plan));
    }
    for row in &table.rows {
        let mut push = |field: &str, value: &str, issue: Issue| {
            plan.problems.push(Problem {
                line: row.line,
                column: cols.header(field),
                value: value.to_owned(),
                issue,
            });
        };
        let record = match kind {
            Kind::Organisations => {
                let public = match yes_no(cols.get(row, "public_listing")) {
                    Ok(b) => b,
                    Err(issue) => {
                        push("public_listing", cols.get(row, "public_listing"), issue);
                        false
                    }
                };
                let input = OrganisationInput {
                    name: cols.get(row, "name"),
                    kind: cols.get(row, "kind"),
                    siret: cols.get(row, "siret"),
                    uai: cols.get(row, "uai"),
                    address: cols.get(row, "address"),
                    postcode: cols.get(row, "postcode"),
                    commune: cols.get(row, "commune"),
                    website: cols.get(row, "website"),
                    email: cols.get(row, "email"),
                    phone: cols.get(row, "phone"),
                    description: cols.get(row, "description"),
                    themes: split_list(cols.get(row, "themes")),
                    public_listing: public,
                };
                match validate::organisation(&input) {
                    Ok(d) => Some(Record::Organisation(d)),
                    Err(errors) => {
                        for (field, e) in errors.iter() {
                            push(field, cols.get(row, field), Issue::Field(e.clone()));
                        }
                        None
                    }
                }
            }
            Kind::People => {
                let input = PersonInput {
                    first_name: cols.get(row, "first_name"),
                    last_name: cols.get(row, "last_name"),
                    email: cols.get(row, "email"),
                    phone: cols.get(row, "phone"),
                    gender: cols.get(row, "gender"),
                    notes: cols.get(row, "notes"),
                    roles: split_list(cols.get(row, "roles")),
                };
                let org = organisation_ref(c, cols.get(row, "organisation")).await?;
                let function = match cols.get(row, "function") {
                    "" => Ok(None),
                    f => single_line(f, 1, 120).map(Some),
                };
                let person = validate::person(&input);
                if let Err(issue) = &org {
                    push("organisation", cols.get(row, "organisation"), issue.clone());
                }
                if let Err(e) = &function {
                    push(
                        "function",
                        cols.get(row, "function"),
                        Issue::Field(e.clone()),
                    );
                }
                match (person, org, function) {
                    (Ok(d), Ok(o), Ok(f)) => Some(Record::Person(d, o, f)),
                    (Err(errors), _, _) => {
                        for (field, e) in errors.iter() {
                            push(field, cols.get(row, field), Issue::Field(e.clone()));
                        }
                        None
                    }
                    _ => None,
                }
            }
            Kind::Venues => {
                let mut flag = |field: &str| match yes_no(cols.get(row, field)) {
                    Ok(b) => b,
                    Err(issue) => {
                        push(field, cols.get(row, field), issue);
                        false
                    }
                };
                let access = Access {
                    wheelchair: flag("wheelchair"),
                    hearing_loop: flag("hearing_loop"),
                    visual: flag("visual"),
                    cognitive: flag("cognitive"),
                };
                let org = organisation_ref(c, cols.get(row, "organisation")).await?;
                if let Err(issue) = &org {
                    push("organisation", cols.get(row, "organisation"), issue.clone());
                }
                let input = VenueInput {
                    name: cols.get(row, "name"),
                    address: cols.get(row, "address"),
                    postcode: cols.get(row, "postcode"),
                    commune: cols.get(row, "commune"),
                    lat: cols.get(row, "lat"),
                    lon: cols.get(row, "lon"),
                    public_transport: cols.get(row, "public_transport"),
                    parking: cols.get(row, "parking"),
                    access,
                    accessibility_notes: cols.get(row, "accessibility_notes"),
                    description: cols.get(row, "description"),
                };
                match (validate::venue(&input, org.clone().ok().flatten()), org) {
                    (Ok(d), Ok(_)) => Some(Record::Venue(d)),
                    (Err(errors), _) => {
                        for (field, e) in errors.iter() {
                            push(field, cols.get(row, field), Issue::Field(e.clone()));
                        }
                        None
                    }
                    _ => None,
                }
            }
        };
        if let Some(r) = record {
            plan.records.push((row.line, r));
        }
    }
    // Likely duplicates of existing records, as warnings.
    for (line, r) in &plan.records {
        let dup = match r {
            Record::Organisation(d) => organisations::duplicates(c, d, None)
                .await?
                .first()
                .map(|o| (o.id, o.data.name.clone())),
            Record::Person(d, ..) => people::duplicates(c, d, None)
                .await?
                .first()
                .map(|p| (p.id, p.name())),
            Record::Venue(d) => venues::duplicates(c, d, None)
                .await?
                .first()
                .map(|v| (v.id, v.data.name.clone())),
        };
        if let Some((existing_id, existing_name)) = dup {
            plan.warnings.push(Warning {
                line: *line,
                existing_id,
                existing_name,
            });
        }
    }
    plan.problems.sort_by_key(|p| p.line);
    Ok(Ok(plan))
}

/// An organisation named in a cell: none when blank.
async fn organisation_ref(
    c: &impl ConnectionTrait,
    name: &str,
) -> Result<Result<Option<i64>, Issue>, DbErr> {
    if name.trim().is_empty() {
        return Ok(Ok(None));
    }
    let found = organisations::find_by_folded_name(c, name).await?;
    Ok(match found.len() {
        0 => Err(Issue::UnknownOrganisation),
        1 => Ok(Some(found[0].0)),
        _ => Err(Issue::AmbiguousOrganisation),
    })
}

/// Imports a clean plan in the caller's transaction; returns the number of
/// records created. A plan with problems imports nothing.
pub async fn apply(
    c: &impl ConnectionTrait,
    plan: &Plan,
    actor: &Actor,
    filename: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if !plan.is_clean() {
        return Ok(0);
    }
    let mut created = Vec::new();
    for (_, r) in &plan.records {
        let (entity, id, name, changes) = match r {
            Record::Organisation(d) => {
                let o = organisations::insert(c, d, now).await?;
                (
                    "organisation",
                    o.id,
                    o.data.name.clone(),
                    json!({"name": d.name}),
                )
            }
            Record::Person(d, org, function) => {
                let p = people::insert(c, d, now).await?;
                if let Some(o) = org {
                    people::add_membership(c, p.id, *o, function.as_deref(), now).await?;
                }
                (
                    "person",
                    p.id,
                    p.name(),
                    json!({"name": p.name(), "organisation_id": org}),
                )
            }
            Record::Venue(d) => {
                let v = venues::insert(c, d, now).await?;
                ("venue", v.id, v.data.name.clone(), json!({"name": d.name}))
            }
        };
        audit::record(
            c,
            actor,
            Change {
                action: "import",
                entity_type: entity,
                entity_id: id.to_string(),
                summary: name,
                changes: json!({"file": filename, "record": changes}),
            },
            now,
        )
        .await?;
        created.push(id);
    }
    Ok(created.len())
}
