//! The programme's exchange with OpenAgenda, the agenda platform the Fête
//! de la science uses nationally: importing an OpenAgenda v2 events file
//! into a project, and exporting a project in the same shape.
//!
//! Importing is idempotent: an event is matched by its OpenAgenda `uid`; an
//! unchanged event is left alone, a changed one is updated in place, and its
//! sessions are matched by time so that unchanged sessions keep their id
//! (bookings point at them).

use chrono::{DateTime, Utc};
use maillage_db::audit::{self, Actor, Change};
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::venues::{self, Access, VenueData};
use maillage_db::{ConnectionTrait, DbErr, organisations};
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, RegistrationMode, SchoolLevel, SessionStatus,
};
use maillage_domain::text::fold;
use maillage_openagenda::{
    Accessibility, AgeRange, Attendance, EventStatus, ImportedEvent, Location, Registration,
    Skipped, Timing, Warning,
};

mod describe;

pub use crate::describe::Describe;

/// The `source` of activities imported from OpenAgenda.
pub const SOURCE: &str = "openagenda";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub venues_created: usize,
    /// Events not imported, with why ([`Describe`] says it in words).
    pub skipped: Vec<Skipped>,
    /// What was corrected or dropped inside imported events.
    pub warnings: Vec<Warning>,
}

/// A skipped entry as the audit log records it (in English, as always).
fn audit_line(s: &Skipped) -> String {
    format!(
        "#{} {}{}: {}",
        s.index + 1,
        s.uid
            .as_deref()
            .map(|u| format!("uid {u} "))
            .unwrap_or_default(),
        s.title
            .as_deref()
            .map(|t| format!("« {t} »"))
            .unwrap_or_default(),
        s.reason
    )
}

/// HTML as some agendas write descriptions, turned into plain paragraphs.
fn html_to_text(s: &str) -> String {
    if !s.contains('<') {
        return s.trim().to_owned();
    }
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in s.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(
                    t.as_str(),
                    "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "tr"
                ) {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn format_of(e: &ImportedEvent) -> Format {
    e.event_types
        .iter()
        .chain(e.keywords.iter())
        .find_map(|k| Format::parse(k).ok())
        .unwrap_or(Format::Other)
}

fn themes_of(e: &ImportedEvent) -> Vec<Theme> {
    let mut t: Vec<Theme> = e
        .themes
        .iter()
        .chain(e.keywords.iter())
        .filter_map(|k| Theme::parse(k).ok())
        .collect();
    t.sort();
    t.dedup();
    t
}

fn audiences_of(e: &ImportedEvent) -> (Vec<Audience>, Vec<SchoolLevel>) {
    let mut audiences: Vec<Audience> = e
        .audiences
        .iter()
        .filter_map(|a| Audience::parse(a).ok())
        .collect();
    let mut levels: Vec<SchoolLevel> = e
        .audiences
        .iter()
        .filter_map(|a| SchoolLevel::parse(a).ok())
        .collect();
    // The Ministry's labels: "Scolaires - collège", "Jeune public"…
    for a in &e.audiences {
        let f = fold(a);
        if f.contains("scolaire") && !audiences.contains(&Audience::School) {
            audiences.push(Audience::School);
        }
        for (word, level) in [
            ("maternelle", SchoolLevel::Maternelle),
            ("primaire", SchoolLevel::Elementaire),
            ("elementaire", SchoolLevel::Elementaire),
            ("college", SchoolLevel::College),
            ("lycee", SchoolLevel::Lycee),
            ("superieur", SchoolLevel::Superieur),
            ("etudiant", SchoolLevel::Superieur),
        ] {
            if f.contains(word) && !levels.contains(&level) {
                levels.push(level);
            }
        }
        if (f.contains("grand public") || f == "tous publics" || f.contains("tout public"))
            && !audiences.contains(&Audience::General)
        {
            audiences.push(Audience::General);
        }
        if f.contains("famille") && !audiences.contains(&Audience::Families) {
            audiences.push(Audience::Families);
        }
        if f.contains("jeune") && !audiences.contains(&Audience::Young) {
            audiences.push(Audience::Young);
        }
    }
    audiences.sort();
    audiences.dedup();
    levels.sort();
    levels.dedup();
    (audiences, levels)
}

/// The commune of an event's location, from its INSEE code, else its
/// postcode and city.
fn commune_of(l: &Location) -> Option<&'static maillage_geo::Commune> {
    if let Some(c) = l.insee.as_deref().and_then(maillage_geo::commune) {
        return Some(c);
    }
    let postcode = l.postcode.as_deref().unwrap_or("");
    let by_postcode = if postcode.is_empty() {
        Vec::new()
    } else {
        maillage_geo::by_postcode(postcode)
    };
    if by_postcode.len() == 1 {
        return by_postcode.into_iter().next();
    }
    let city = fold(l.city.as_deref().unwrap_or(""));
    if city.is_empty() {
        return None;
    }
    let pick = |list: Vec<&'static maillage_geo::Commune>| {
        let same: Vec<_> = list.into_iter().filter(|c| fold(c.name) == city).collect();
        (same.len() == 1).then(|| same[0])
    };
    if by_postcode.is_empty() {
        pick(maillage_geo::search(&city, 50))
    } else {
        pick(by_postcode)
    }
}

/// The venue of an event: an existing one with the same name in the same
/// commune, or a new one.
async fn venue_for(
    c: &impl ConnectionTrait,
    l: &Location,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let commune = commune_of(l);
    let name = l
        .name
        .clone()
        .or_else(|| l.address.clone())
        .or_else(|| l.city.clone());
    let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
        return Ok(None);
    };
    let data = VenueData {
        name: name.trim().chars().take(200).collect(),
        address: l.address.clone(),
        postcode: l
            .postcode
            .clone()
            .or_else(|| commune.and_then(|c| c.postcodes.first().map(|p| (*p).to_owned()))),
        commune_insee: commune.map(|c| c.insee.to_owned()),
        lat: l.lat.or_else(|| commune.and_then(|c| c.lat)),
        lon: l.lon.or_else(|| commune.and_then(|c| c.lon)),
        ..Default::default()
    };
    if let Some(v) = venues::duplicates(c, &data, None)
        .await?
        .into_iter()
        .find(|v| v.data.commune_insee == data.commune_insee)
    {
        return Ok(Some(v.id));
    }
    report.venues_created += 1;
    Ok(Some(venues::insert(c, &data, now).await?.id))
}

async fn organisation_for(c: &impl ConnectionTrait, name: Option<&str>) -> Result<Vec<i64>, DbErr> {
    let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let found = organisations::find_by_folded_name(c, name).await?;
    Ok(if found.len() == 1 {
        vec![found[0].0]
    } else {
        Vec::new()
    })
}

async fn data_of(
    c: &impl ConnectionTrait,
    project: i64,
    e: &ImportedEvent,
    existing: Option<&Activity>,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<ActivityData, DbErr> {
    let venue_id = match &e.location {
        Some(l) if e.attendance != Attendance::Online => venue_for(c, l, report, now).await?,
        _ => None,
    };
    let (audiences, levels) = audiences_of(e);
    let link = e.registration.iter().find_map(|r| match r {
        Registration::Link(u) if u.starts_with("http") => Some(u.clone()),
        _ => None,
    });
    let registration =
        if link.is_some() || !e.registration.is_empty() || e.registration_required == Some(true) {
            RegistrationMode::External
        } else {
            RegistrationMode::None
        };
    let conditions = e.conditions.as_deref().map(fold).unwrap_or_default();
    let free = conditions.is_empty()
        || conditions.contains("gratuit")
        || conditions.contains("libre")
        || conditions.contains("free");
    let slug = match existing {
        Some(a) => a.data.slug.clone(),
        None => {
            let wanted = e
                .slug
                .clone()
                .filter(|s| maillage_domain::programme::slug(s).is_ok())
                .unwrap_or_else(|| maillage_domain::programme::slugify(&e.title));
            activities::free_slug(c, project, &wanted, None).await?
        }
    };
    Ok(ActivityData {
        project_id: project,
        parent_id: existing.and_then(|a| a.data.parent_id),
        slug,
        title: e.title.chars().take(200).collect(),
        summary: e.summary.clone(),
        description: e
            .description
            .as_deref()
            .map(html_to_text)
            .filter(|d| !d.is_empty()),
        format: Some(format_of(e)),
        audiences,
        levels,
        min_age: e.age.and_then(|a| a.min).map(i32::from).filter(|a| *a > 0),
        themes: themes_of(e),
        organisations: organisation_for(c, e.organiser.as_deref()).await?,
        speakers: existing
            .map(|a| a.data.speakers.clone())
            .unwrap_or_default(),
        venue_id,
        space_id: existing
            .and_then(|a| a.data.space_id)
            .filter(|_| existing.and_then(|a| a.data.venue_id) == venue_id),
        access: Access {
            wheelchair: e.accessibility.motor,
            hearing_loop: e.accessibility.hearing,
            visual: e.accessibility.visual,
            cognitive: e.accessibility.intellectual || e.accessibility.psychic,
        },
        free,
        price: if free { None } else { e.conditions.clone() },
        registration: Some(registration),
        registration_url: link,
        online_url: e.online_url.clone(),
        status: Some(match e.status {
            EventStatus::Cancelled => ActivityStatus::Cancelled,
            EventStatus::Full => ActivityStatus::Full,
            _ => ActivityStatus::Published,
        }),
        source: Some((SOURCE.to_owned(), e.uid.clone())),
    })
}

/// Makes the sessions of an activity match the timings: unchanged ones stay
/// (with their id), others are removed, new ones added. Returns whether
/// anything changed.
async fn sync_sessions(
    c: &impl ConnectionTrait,
    a: &Activity,
    timings: &[Timing],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut wanted: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        timings.iter().map(|t| (t.begin, t.end)).collect();
    wanted.sort();
    wanted.dedup();
    let mut changed = false;
    for s in &a.sessions {
        let key = (s.data.starts_at, s.data.ends_at);
        match wanted.iter().position(|w| *w == key) {
            Some(i) => {
                wanted.remove(i);
            }
            None => {
                sessions::delete(c, s.id).await?;
                changed = true;
            }
        }
    }
    if !wanted.is_empty() {
        let new: Vec<SessionData> = wanted
            .into_iter()
            .map(|(starts_at, ends_at)| SessionData {
                starts_at,
                ends_at,
                capacity: None,
                status: SessionStatus::Scheduled,
                venue_id: None,
            })
            .collect();
        sessions::insert_many(c, a.id, &new, now).await?;
        changed = true;
    }
    Ok(changed)
}

/// Imports events into a project, in the caller's transaction.
pub async fn import(
    c: &impl ConnectionTrait,
    project: i64,
    parsed: &maillage_openagenda::Parsed,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Report, DbErr> {
    let mut report = Report {
        skipped: parsed.skipped.clone(),
        warnings: parsed.warnings.clone(),
        ..Report::default()
    };
    for e in &parsed.events {
        let existing = activities::find_by_source(c, project, SOURCE, &e.uid).await?;
        let data = data_of(c, project, e, existing.as_ref(), &mut report, now).await?;
        match existing {
            None => {
                let a = activities::insert(c, &data, now).await?;
                sync_sessions(c, &a, &e.timings, now).await?;
                report.created += 1;
            }
            Some(a) => {
                let same = a.data == data;
                let sessions_changed = sync_sessions(c, &a, &e.timings, now).await?;
                if !same {
                    activities::update(c, a.id, &data, now).await?;
                }
                if same && !sessions_changed {
                    report.unchanged += 1;
                } else {
                    report.updated += 1;
                }
            }
        }
    }
    audit::record(
        c,
        actor,
        Change {
            action: "import_openagenda",
            entity_type: "project",
            entity_id: project.to_string(),
            summary: format!(
                "{} created, {} updated, {} unchanged, {} skipped",
                report.created,
                report.updated,
                report.unchanged,
                report.skipped.len()
            ),
            changes: serde_json::json!({
                "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                "skipped": report.skipped.iter().map(audit_line).collect::<Vec<_>>(),
                "venues_created": report.venues_created,
            }),
        },
        now,
    )
    .await?;
    Ok(report)
}

/// A project's activities as OpenAgenda events (the public ones). An
/// OpenAgenda event has one place: an activity whose sessions take place
/// in several gives one event per place, with that place's timings (the
/// first keeps the activity's uid, the others add the venue's id to it).
pub async fn export(c: &impl ConnectionTrait, project: i64) -> Result<Vec<ImportedEvent>, DbErr> {
    let list = activities::of_project(c, project).await?;
    let mut out = Vec::new();
    for a in list
        .iter()
        .filter(|a| a.status.is_public() && !a.sessions.is_empty())
    {
        let mut places: Vec<(Option<i64>, Vec<Timing>)> = Vec::new();
        for s in &a.sessions {
            let at = a.venue_of(s).map(|v| v.id);
            let timing = Timing {
                begin: s.data.starts_at,
                end: s.data.ends_at,
            };
            match places.iter_mut().find(|(v, _)| *v == at) {
                Some((_, t)) => t.push(timing),
                None => places.push((at, vec![timing])),
            }
        }
        for (i, (venue, timings)) in places.into_iter().enumerate() {
            let place = venue.and_then(|id| a.venues().into_iter().find(|v| v.id == id).cloned());
            let mut e = event(a, place.as_ref(), timings);
            if i > 0 {
                e.uid = format!("{}-{}", e.uid, venue.unwrap_or(0));
            }
            out.push(e);
        }
    }
    Ok(out)
}

fn event(
    a: &activities::Activity,
    place: Option<&activities::VenueRef>,
    timings: Vec<Timing>,
) -> ImportedEvent {
    let location = place.map(|v| {
        let commune = v.data.commune();
        Location {
            name: Some(v.data.name.clone()),
            address: v.data.address.clone(),
            city: commune.map(|c| c.name.to_owned()),
            postcode: v.data.postcode.clone(),
            insee: v.data.commune_insee.clone(),
            department: None,
            region: None,
            lat: v.data.lat,
            lon: v.data.lon,
            country: Some("FR".to_owned()),
        }
    });
    let mut audiences: Vec<String> = a
        .data
        .audiences
        .iter()
        .map(|x| x.label(maillage_domain::Locale::Fr).to_owned())
        .collect();
    audiences.extend(
        a.data
            .levels
            .iter()
            .map(|l| l.label(maillage_domain::Locale::Fr).to_owned()),
    );
    ImportedEvent {
        uid: a
            .data
            .source
            .as_ref()
            .filter(|(s, _)| s == SOURCE)
            .map_or_else(|| format!("maillage-{}", a.id), |(_, uid)| uid.clone()),
        slug: Some(a.data.slug.clone()),
        title: a.data.title.clone(),
        summary: a.data.summary.clone(),
        description: a.data.description.clone(),
        keywords: Vec::new(),
        timings,
        attendance: match (&location, &a.data.online_url) {
            (None, Some(_)) => Attendance::Online,
            (Some(_), Some(_)) => Attendance::Mixed,
            _ => Attendance::Offline,
        },
        location,
        online_url: a.data.online_url.clone(),
        registration: a
            .data
            .registration_url
            .iter()
            .map(|u| Registration::Link(u.clone()))
            .collect(),
        registration_required: Some(a.registration != RegistrationMode::None),
        age: a
            .data
            .min_age
            .and_then(|m| u8::try_from(m).ok())
            .map(|m| AgeRange {
                min: Some(m),
                max: None,
            }),
        accessibility: Accessibility {
            motor: a.data.access.wheelchair,
            hearing: a.data.access.hearing_loop,
            visual: a.data.access.visual,
            intellectual: a.data.access.cognitive,
            psychic: false,
        },
        status: match a.status {
            ActivityStatus::Cancelled => EventStatus::Cancelled,
            ActivityStatus::Full => EventStatus::Full,
            _ => EventStatus::Scheduled,
        },
        conditions: if a.data.free {
            None
        } else {
            a.data.price.clone().or_else(|| Some("Payant".to_owned()))
        },
        image_url: None,
        audiences,
        themes: a
            .data
            .themes
            .iter()
            .map(|t| t.label(maillage_domain::Locale::Fr).to_owned())
            .collect(),
        event_types: vec![a.format.label(maillage_domain::Locale::Fr).to_owned()],
        organiser: a.organisers.first().map(|(_, n)| n.clone()),
    }
}
