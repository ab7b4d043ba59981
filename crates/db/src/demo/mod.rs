//! The demo season: loaded by `serve --demo` and `maillage demo` into an
//! empty database. People are invented (example.org addresses); places and
//! institutions are real. The directory (organisations, people, venues and
//! spaces) is in `directory.rs`; the projects and their programme, laid out
//! relative to the day of loading, in `programme.rs`; the bookings of its
//! sessions (past ones checked in at the door) in `bookings.rs`; calls,
//! submissions and the festival's questionnaire in `forms.rs`.
//!
//! Every record is written by the storage functions the application uses
//! (batched ones where there are hundreds), with an audit entry for each
//! record of the directory, each project and each account; communes come
//! from `maillage-geo`, the official list, never from a copy.

mod bookings;
mod directory;
pub mod forms;
mod meetings;
mod planning;
mod programme;

use crate::audit::{self, Actor, Change};
use crate::venues::{self, SpaceData, VenueData};
use crate::{Db, DbErr, organisations, users};
use chrono::{DateTime, Utc};
use maillage_domain::{Email, Locale, Password, Role};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// One demo account and its password (printed once on the console).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub password: String,
    pub role: Role,
}

#[derive(Debug)]
pub enum Outcome {
    Loaded(Vec<DemoAccount>),
    /// The database already had users; nothing was loaded.
    NotEmpty {
        users: u64,
    },
}

const ACCOUNTS: [(&str, &str, Role); 5] = [
    ("admin@example.org", "Camille Administratrice", Role::Admin),
    ("staff@example.org", "Julien Chargé de projets", Role::Staff),
    ("intern@example.org", "Léa Stagiaire", Role::Intern),
    ("volunteer@example.org", "Malik Bénévole", Role::Volunteer),
    ("partner@example.org", "Sophie Partenaire", Role::Partner),
];

/// Loads the demo season if the database has no user yet.
pub async fn load(db: &Db) -> Result<Outcome, DbErr> {
    let tx = db.write().await?;
    let existing = users::count(&tx).await?;
    if existing > 0 {
        return Ok(Outcome::NotEmpty { users: existing });
    }
    let now = crate::now();
    let actor = Actor::system("demo");
    let partner_org =
        organisations::create(&tx, "Les Petits Débrouillards Auvergne-Rhône-Alpes", now).await?;
    let tds = organisations::create(&tx, "Territoire de Sciences", now).await?;
    let started = std::time::Instant::now();
    let counts = directory::load(&tx, &actor, tds.id, partner_org.id, now).await?;
    tracing::debug!(?counts, elapsed = ?started.elapsed(), "demo directory loaded");
    let mut accounts = Vec::new();
    let mut lead = None;
    let mut by_role = std::collections::HashMap::new();
    for (email, name, role) in ACCOUNTS {
        let password = Password::generate();
        let email = Email::parse(email).map_err(|e| DbErr::Custom(format!("{e:?}")))?;
        let user = users::create_recorded(
            &tx,
            &actor,
            users::NewUser {
                email: &email,
                name,
                role,
                organisation_id: role.needs_organisation().then_some(partner_org.id),
                password: Some(password.hash()),
                locale: Locale::Fr,
            },
            now,
        )
        .await?;
        if role == Role::Staff {
            lead = Some(user.id);
        }
        by_role.insert(role, user.id);
        accounts.push(DemoAccount {
            email: email.into_inner(),
            password: password.expose().to_owned(),
            role,
        });
    }
    let started = std::time::Instant::now();
    let programme = programme::load(&tx, &actor, lead, now).await?;
    tracing::debug!(?programme, elapsed = ?started.elapsed(), "demo programme loaded");
    let started = std::time::Instant::now();
    let booked = bookings::load(&tx, now).await?;
    tracing::debug!(?booked, elapsed = ?started.elapsed(), "demo bookings loaded");
    let started = std::time::Instant::now();
    let forms = forms::load(&tx, now).await?;
    tracing::debug!(?forms, elapsed = ?started.elapsed(), "demo forms loaded");
    let planned = planning::load(&tx, &actor, now).await?;
    if let (Some(festival), Some(&staff), Some(&intern), Some(&volunteer), Some(&partner)) = (
        planned
            .iter()
            .find(|p| p.data.kind == maillage_domain::programme::ProjectKind::Festival),
        by_role.get(&Role::Staff),
        by_role.get(&Role::Intern),
        by_role.get(&Role::Volunteer),
        by_role.get(&Role::Partner),
    ) {
        let team = meetings::Team {
            staff,
            intern,
            volunteer,
            partner,
            partner_org: partner_org.id,
        };
        let met = meetings::load(&tx, &actor, festival, &team, now).await?;
        tracing::debug!(met, "demo meetings loaded");
    }
    tracing::debug!(planned = planned.len(), "demo plans loaded");
    tx.commit().await?;
    Ok(Outcome::Loaded(accounts))
}

/// Records the creation of a demo record in the audit log, as the team's
/// forms do.
async fn created(
    c: &impl ConnectionTrait,
    actor: &Actor,
    entity_type: &str,
    id: i64,
    summary: &str,
    changes: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let change = Change {
        action: "create",
        entity_type,
        entity_id: id.to_string(),
        summary: summary.to_owned(),
        changes,
    };
    audit::record(c, actor, change, now).await
}

/// Adds a venue with its spaces, and its audit entry. Returns its id.
async fn add_venue(
    c: &impl ConnectionTrait,
    actor: &Actor,
    data: &VenueData,
    spaces: &[SpaceData],
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let venue = venues::insert(c, data, now).await?;
    for space in spaces {
        venues::add_space(c, venue.id, space, now).await?;
    }
    let spaces: Vec<Value> = spaces
        .iter()
        .map(|s| json!({"name": s.name, "kind": s.kind.code(), "capacity": s.capacity}))
        .collect();
    let changes = json!({"name": data.name, "commune_insee": data.commune_insee, "spaces": spaces});
    created(c, actor, "venue", venue.id, &data.name, changes, now).await?;
    Ok(venue.id)
}
