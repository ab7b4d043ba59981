//! The bookings of the demo season, made through the storage functions as
//! the booking forms and the people at the door make them:
//!
//! - the most recent past Fête de la science: families on the activities
//!   taken on booking, classes of the directory's schools (and a few schools
//!   typed by hand) on the school sessions, all booked in the weeks before,
//!   then checked in at the door (pupils, accompanying adults, general
//!   public), with no-shows, walk-ins, visitors counted at the villages des
//!   sciences and a few waiting lists that never got a place;
//! - Space Buzz: classes booked on the planetarium sessions (one class a
//!   session, approved by the team or still awaiting approval, a second
//!   class waiting here and there) and on the classroom sequence;
//! - the Soirées Cult', the Éditathon, the Game Jam, the residency and
//!   iForum: sessions filling up, still open, one full with a waiting list
//!   whose first entry has an offer of freed places pending.
//!
//! People are invented (example.org addresses). Everything follows from
//! index arithmetic (no random numbers) and from the day of loading, like
//! the programme; bookings are dated before their sessions.

use super::programme::past_festival_year;
use crate::bookings::{self, Booking, Request, Settings};
use crate::organisations;
use crate::programme::activities::{self, Activity};
use crate::programme::projects;
use crate::programme::sessions::Session;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::Locale;
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus, ClassLevel};
use maillage_domain::programme::{
    ActivityStatus, Format, ProjectKind, RegistrationMode, SchoolLevel, SessionStatus,
};
use sea_orm::{ConnectionTrait, DbErr};

/// What the bookings part created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub bookings: usize,
    pub classes: usize,
    pub waitlisted: usize,
    pub checked_in: usize,
    pub walk_ins: usize,
}

const FIRST: &[&str] = &[
    "Camille",
    "Nicolas",
    "Amélie",
    "Karim",
    "Sophie",
    "Thomas",
    "Inès",
    "Julien",
    "Claire",
    "Mehdi",
    "Laure",
    "Antoine",
    "Fatou",
    "Hugo",
    "Élodie",
    "Yann",
    "Nadia",
    "Pierre",
    "Chloé",
    "Samir",
    "Hélène",
    "Mathieu",
    "Aïcha",
    "Romain",
    "Gaëlle",
    "Olivier",
    "Lucie",
    "Bastien",
    "Mélanie",
    "Rachid",
    "Agathe",
    "Vincent",
    "Maëlle",
    "Jérôme",
    "Salomé",
    "Loïc",
    "Zoé",
    "François",
    "Noémie",
    "Arnaud",
    "Léonie",
];

const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Bonnet",
    "Mercier",
    "Faure",
    "Blanc",
    "Garnier",
    "Chevalier",
    "Rousseau",
    "Fontaine",
    "Perrin",
    "Morel",
    "Vidal",
    "Clément",
    "Roux",
    "Barbier",
    "Brun",
    "Gauthier",
    "Arnaud",
    "Giraud",
    "Boyer",
    "Guérin",
    "Rey",
    "Benali",
    "Nguyen",
    "Da Silva",
    "Haddad",
    "Muller",
    "Lambert",
    "Masson",
    "Colin",
    "Charpentier",
    "Chabert",
    "Reynaud",
    "Jacquet",
    "Favre",
    "Pellet",
    "Allemand",
];

/// Schools typed by hand in the booking form (not in the directory).
const TYPED_SCHOOLS: &[(&str, &str)] = &[
    ("École élémentaire Jean-Macé", "38185"),
    ("École primaire Les Buclos", "38421"),
    ("École maternelle Les Saules", "38151"),
    ("École élémentaire Paul-Bert", "38563"),
    ("École du Bourg", "38317"),
    ("École élémentaire Condorcet", "38169"),
];

/// An invented person (first name, last name, e-mail address).
fn person(k: usize) -> (String, String) {
    let first = FIRST[k % FIRST.len()];
    let last = LAST[(k / FIRST.len() + k * 7) % LAST.len()];
    let part = |s: &str| maillage_domain::text::fold(s).replace(' ', "-");
    (
        format!("{first} {last}"),
        format!("{}.{}@example.org", part(first), part(last)),
    )
}

fn seats_request(k: usize, seats: i32) -> Request {
    let (name, email) = person(k);
    Request {
        kind: BookingKind::Seats,
        seats,
        pupils: 0,
        adults: 0,
        name,
        email,
        phone: k.is_multiple_of(3).then(|| {
            format!(
                "06 {:02} {:02} {:02} {:02}",
                10 + k % 89,
                k % 97,
                (k * 7) % 100,
                (k * 13) % 100
            )
        }),
        locale: if k % 17 == 5 { Locale::En } else { Locale::Fr },
        organisation_id: None,
        school_name: None,
        school_commune: None,
        class_level: None,
        needs: (k % 23 == 4).then(|| "Une personne en fauteuil roulant.".to_owned()),
        source: if k % 5 == 2 {
            BookingSource::Api
        } else {
            BookingSource::Form
        },
    }
}

/// A school: directory id (when it is there), name, commune.
#[derive(Debug, Clone)]
struct School {
    id: Option<i64>,
    name: String,
    commune: Option<String>,
}

/// Schools by the levels they teach.
struct Schools {
    all: Vec<School>,
}

impl Schools {
    async fn read(c: &impl ConnectionTrait) -> Result<Schools, DbErr> {
        let mut all: Vec<School> = organisations::schools(c)
            .await?
            .into_iter()
            .map(|(id, name, commune)| School {
                id: Some(id),
                name,
                commune,
            })
            .collect();
        all.extend(TYPED_SCHOOLS.iter().map(|(name, commune)| School {
            id: None,
            name: (*name).to_owned(),
            commune: Some((*commune).to_owned()),
        }));
        Ok(Schools { all })
    }

    /// The `n`-th school teaching a level.
    fn teaching(&self, level: SchoolLevel, n: usize) -> &School {
        let fits = |s: &&School| {
            let name = s.name.as_str();
            match level {
                SchoolLevel::Maternelle | SchoolLevel::Elementaire => {
                    name.starts_with("École") || name.starts_with("Groupe scolaire")
                }
                SchoolLevel::College => {
                    name.starts_with("Collège") || name.starts_with("Cité scolaire")
                }
                SchoolLevel::Lycee | SchoolLevel::Superieur => {
                    name.starts_with("Lycée") || name.starts_with("Cité scolaire")
                }
            }
        };
        let list: Vec<&School> = self.all.iter().filter(fits).collect();
        if list.is_empty() {
            &self.all[n % self.all.len()]
        } else {
            list[n % list.len()]
        }
    }
}

/// A class level within a school level.
fn class_level(level: SchoolLevel, n: usize) -> ClassLevel {
    use ClassLevel as C;
    let list: &[ClassLevel] = match level {
        SchoolLevel::Maternelle => &[C::Gs, C::Ms, C::Gs, C::Ps],
        SchoolLevel::Elementaire => &[C::Cm1, C::Ce2, C::Cm2, C::Ce1, C::Cp, C::Mixed],
        SchoolLevel::College => &[C::Sixieme, C::Cinquieme, C::Quatrieme, C::Troisieme],
        SchoolLevel::Lycee => &[C::Seconde, C::Premiere, C::Terminale],
        SchoolLevel::Superieur => &[C::Superieur],
    };
    list[n % list.len()]
}

/// Books, the way the storage does it for the forms; the demo's requests
/// are all valid, so a refusal is a bug of the demo.
async fn book(
    c: &impl ConnectionTrait,
    session: i64,
    req: &Request,
    at: DateTime<Utc>,
) -> Result<Booking, DbErr> {
    bookings::book(c, session, req, at)
        .await?
        .map_err(|r| DbErr::Custom(format!("demo booking of session {session} refused: {r:?}")))
}

/// Bookings being made, numbered for the invented people and the counts.
struct Booker<'a, C> {
    c: &'a C,
    schools: Schools,
    /// The next person.
    k: usize,
    counts: Counts,
}

impl<C: ConnectionTrait> Booker<'_, C> {
    async fn seats(
        &mut self,
        session: i64,
        seats: i32,
        at: DateTime<Utc>,
    ) -> Result<Booking, DbErr> {
        let req = seats_request(self.k, seats);
        self.k += 1;
        let b = book(self.c, session, &req, at).await?;
        self.counted(&b);
        Ok(b)
    }

    async fn class(
        &mut self,
        session: i64,
        level: SchoolLevel,
        (pupils, adults): (i32, i32),
        at: DateTime<Utc>,
    ) -> Result<Booking, DbErr> {
        let school = self
            .schools
            .teaching(level, self.k * 5 + self.k / 7)
            .clone();
        let mut req = seats_request(self.k, 0);
        self.k += 1;
        req.kind = BookingKind::Group;
        req.pupils = pupils;
        req.adults = adults;
        req.organisation_id = school.id;
        req.school_name = Some(school.name);
        req.school_commune = school.commune;
        req.class_level = Some(class_level(level, self.k));
        req.locale = Locale::Fr;
        req.source = BookingSource::Form;
        req.needs = (self.k % 6 == 1).then(|| "Deux élèves en fauteuil roulant.".to_owned());
        let b = book(self.c, session, &req, at).await?;
        self.counted(&b);
        self.counts.classes += 1;
        Ok(b)
    }

    fn counted(&mut self, b: &Booking) {
        self.counts.bookings += 1;
        if b.status == BookingStatus::Waitlisted {
            self.counts.waitlisted += 1;
        }
    }

    async fn check_in(
        &mut self,
        b: &Booking,
        came: (i32, i32, i32),
        at: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        bookings::check_in(self.c, b.id, came.0, came.1, came.2, at).await?;
        self.counts.checked_in += 1;
        Ok(())
    }

    async fn walk_in(
        &mut self,
        session: i64,
        came: (i32, i32, i32),
        at: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        bookings::walk_in(self.c, session, came.0, came.1, came.2, at).await?;
        self.counts.walk_ins += 1;
        Ok(())
    }
}

/// Party sizes of individual bookings, in turn (families of two to four
/// mostly).
const PARTIES: [i32; 12] = [2, 3, 4, 1, 2, 5, 3, 2, 6, 4, 2, 3];

/// The published activities of a project taking bookings, and their
/// scheduled sessions.
fn bookable(list: &[Activity]) -> Vec<(&Activity, Vec<&Session>)> {
    list.iter()
        .filter(|a| a.status == ActivityStatus::Published && a.data.parent_id.is_none())
        .filter(|a| {
            matches!(
                a.registration,
                RegistrationMode::Booking | RegistrationMode::Groups
            )
        })
        .map(|a| {
            let mut s: Vec<&Session> = a
                .sessions
                .iter()
                .filter(|s| s.data.status == SessionStatus::Scheduled && s.data.capacity.is_some())
                .collect();
            s.sort_by_key(|s| (s.data.starts_at, s.id));
            (a, s)
        })
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// The most recent past Fête de la science: bookings in the weeks before,
/// check-in at the door.
async fn festival<C: ConnectionTrait>(
    bk: &mut Booker<'_, C>,
    project: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let list = activities::of_project(bk.c, project).await?;
    let mut j = 0usize;
    for (n, (a, sessions)) in bookable(&list).into_iter().enumerate() {
        let groups = a.registration == RegistrationMode::Groups;
        let settings = if groups {
            Settings {
                one_group: true,
                approval: n % 2 == 0,
                ..Settings::default()
            }
        } else {
            Settings {
                max_seats: if n % 3 == 0 { 4 } else { 6 },
                ..Settings::default()
            }
        };
        bookings::save_settings(bk.c, a.id, &settings, now).await?;
        let level = a
            .data
            .levels
            .first()
            .copied()
            .unwrap_or(SchoolLevel::Elementaire);
        for s in sessions {
            j += 1;
            let start = s.data.starts_at;
            let capacity = s.data.capacity.unwrap_or(0);
            // Bookings open about four weeks before the festival.
            let opened = start - TimeDelta::days(24);
            let door = start + TimeDelta::minutes(5);
            if groups {
                // One class a session, in four sessions out of five.
                if j % 5 == 3 {
                    continue;
                }
                let adults = 2 + (j % 3) as i32;
                let pupils = (18 + (j * 7 % 11) as i32).min(capacity - adults);
                let at = opened + TimeDelta::hours((j * 13 % 200) as i64);
                let b = bk.class(s.id, level, (pupils, adults), at).await?;
                if b.status == BookingStatus::Pending {
                    bookings::decide(bk.c, &b, true, at + TimeDelta::days(2)).await?;
                }
                // Another class wanted the same slot.
                if j % 6 == 1 {
                    bk.class(s.id, level, (pupils - 2, 2), at + TimeDelta::days(3))
                        .await?;
                }
                let came = if j % 17 == 9 {
                    (0, 0, 0)
                } else {
                    (pupils - (j % 4) as i32, adults, 0)
                };
                bk.check_in(&b, came, door).await?;
                continue;
            }
            // Individual seats: from half full to full, a waiting list on
            // some of the full ones.
            let target = if j.is_multiple_of(6) {
                capacity
            } else {
                capacity * (50 + (j * 37 % 51) as i32) / 100
            };
            let mut held = 0;
            let mut booked = Vec::new();
            let mut step = 0i64;
            while held < target {
                let party = PARTIES[bk.k % PARTIES.len()]
                    .min(settings.max_seats)
                    .min(target - held);
                let at = opened + TimeDelta::hours(8 + step * 31 + (bk.k % 5) as i64);
                let at = at.min(start - TimeDelta::hours(3));
                booked.push(bk.seats(s.id, party, at).await?);
                held += party;
                step += 1;
            }
            if target == capacity && j.is_multiple_of(12) {
                for w in 0..2 {
                    let party = PARTIES[bk.k % PARTIES.len()].min(settings.max_seats);
                    bk.seats(s.id, party, start - TimeDelta::hours(20 - w))
                        .await?;
                }
            }
            let mut came_total = 0;
            for (m, b) in booked.iter().enumerate() {
                let r = j * 3 + m;
                let came = if r % 9 == 4 {
                    0
                } else if r % 7 == 2 && b.seats > 1 {
                    b.seats - 1
                } else {
                    b.seats
                };
                came_total += came;
                bk.check_in(b, (0, 0, came), door + TimeDelta::minutes((m % 10) as i64))
                    .await?;
            }
            // Places left by no-shows and free places taken at the door.
            let free = capacity - came_total;
            if free > 0 && j % 3 != 1 {
                let n = free.min(1 + (j % 4) as i32);
                bk.walk_in(s.id, (0, 0, n), door + TimeDelta::minutes(10))
                    .await?;
            }
        }
    }
    // Visitors counted at the villages des sciences (free entry): classes
    // on the Friday, the public at the weekend.
    for (v, a) in list
        .iter()
        .filter(|a| a.format == Format::Village && a.status == ActivityStatus::Published)
        .enumerate()
    {
        for (d, s) in a.sessions.iter().enumerate() {
            let at = s.data.starts_at + TimeDelta::hours(1);
            let friday = s.data.starts_at.with_timezone(&Paris).weekday() == chrono::Weekday::Fri;
            let came = if friday {
                (140 + (v * 37 % 90) as i32, 14 + (v % 6) as i32, 0)
            } else {
                (0, 0, 380 + ((v * 7 + d) * 53 % 400) as i32)
            };
            bk.walk_in(s.id, came, at).await?;
        }
    }
    Ok(())
}

/// The projects to come: bookings made in the last few weeks.
async fn upcoming<C: ConnectionTrait>(
    bk: &mut Booker<'_, C>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Bookings are spread over the last three weeks, the latest an hour ago.
    let ago = |minutes: usize| now - TimeDelta::minutes(60 + minutes as i64);

    // Space Buzz: planetarium sessions, one class each, approved by the team.
    for p in projects::of_kind(bk.c, ProjectKind::SchoolProgramme).await? {
        let list = activities::of_project(bk.c, p.id).await?;
        let mut slots: Vec<(&Activity, &Session)> = Vec::new();
        for (a, sessions) in bookable(&list) {
            let planetarium = a.format == Format::Planetarium;
            let settings = Settings {
                one_group: true,
                approval: planetarium,
                reminder_days: Some(7),
                ..Settings::default()
            };
            bookings::save_settings(bk.c, a.id, &settings, now).await?;
            if planetarium {
                slots.extend(sessions.into_iter().map(|s| (a, s)));
            } else {
                // The classroom sequence: the first Fridays taken.
                for (n, s) in sessions.iter().take(4).enumerate() {
                    bk.class(
                        s.id,
                        SchoolLevel::College,
                        (24 + n as i32, 2),
                        ago(9000 - n * 700),
                    )
                    .await?;
                }
            }
        }
        slots.sort_by_key(|(_, s)| (s.data.starts_at, s.id));
        // The first three quarters of the slots are taken; the nearest are
        // approved, later ones partly await approval.
        let taken = slots.len() * 3 / 4;
        for (n, (a, s)) in slots.iter().take(taken).enumerate() {
            let level = a
                .data
                .levels
                .get(n % a.data.levels.len().max(1))
                .copied()
                .unwrap_or(SchoolLevel::College);
            let capacity = s.data.capacity.unwrap_or(32);
            let adults = 2 + (n % 2) as i32;
            let pupils = (22 + (n * 5 % 8) as i32).min(capacity - adults);
            let at = ago(25_000 - n * 500);
            let b = bk.class(s.id, level, (pupils, adults), at).await?;
            if n < taken / 2 || n % 3 == 0 {
                bookings::decide(bk.c, &b, true, at + TimeDelta::hours(20)).await?;
            }
            if n % 5 == 1 {
                // A second class waits for the slot.
                bk.class(s.id, level, (pupils - 3, 2), at + TimeDelta::hours(30))
                    .await?;
            }
        }
    }

    // Soirées Cult': the next evening is full with a waiting list and an
    // offer pending, the following ones filling up.
    for p in projects::of_kind(bk.c, ProjectKind::TalkSeries).await? {
        let list = activities::of_project(bk.c, p.id).await?;
        let mut evenings: Vec<(&Activity, &Session)> = bookable(&list)
            .into_iter()
            .flat_map(|(a, s)| s.into_iter().map(move |s| (a, s)))
            .collect();
        evenings.sort_by_key(|(_, s)| (s.data.starts_at, s.id));
        for (e, (a, s)) in evenings.iter().enumerate() {
            let settings = Settings {
                max_seats: 4,
                offer_hours: 24,
                ..Settings::default()
            };
            bookings::save_settings(bk.c, a.id, &settings, now).await?;
            let fill = [100, 72, 45, 20, 8, 0][e.min(5)];
            let capacity = s.data.capacity.unwrap_or(100);
            let booked = fill_seats(bk, s.id, capacity * fill / 100, 4, &ago).await?;
            if fill == 100 {
                for (w, party) in [2, 1, 3, 2].into_iter().enumerate() {
                    bk.seats(s.id, party, ago(200 - w * 30)).await?;
                }
                // A couple cancels: their places are offered to the first
                // entry that fits.
                if let Some(b) = booked.iter().rev().find(|b| b.seats == 2) {
                    bookings::cancel(bk.c, b, ago(0)).await?;
                }
            }
        }
    }

    // The others: a full workshop with a waiting list, sessions open.
    for (kind, fills) in [
        (ProjectKind::Editathon, &[100, 60][..]),
        (ProjectKind::GameJam, &[70, 55, 55][..]),
        (ProjectKind::Residency, &[35, 60][..]),
        (ProjectKind::Forum, &[40, 25, 30, 15, 0][..]),
    ] {
        for p in projects::of_kind(bk.c, kind).await? {
            let list = activities::of_project(bk.c, p.id).await?;
            let mut n = 0;
            for (a, sessions) in bookable(&list) {
                let max = if kind == ProjectKind::GameJam { 1 } else { 4 };
                let settings = Settings {
                    max_seats: max,
                    ..Settings::default()
                };
                bookings::save_settings(bk.c, a.id, &settings, now).await?;
                for s in sessions {
                    let fill = fills[n.min(fills.len() - 1)];
                    n += 1;
                    if a.registration == RegistrationMode::Groups {
                        continue;
                    }
                    let capacity = s.data.capacity.unwrap_or(0);
                    fill_seats(bk, s.id, capacity * fill / 100, max, &ago).await?;
                    if fill == 100 {
                        for w in 0..3 {
                            bk.seats(s.id, 1 + (w % 2) as i32, ago(100 - w * 20))
                                .await?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Books individual seats until `target` persons hold places.
async fn fill_seats<C: ConnectionTrait>(
    bk: &mut Booker<'_, C>,
    session: i64,
    target: i32,
    max: i32,
    ago: &impl Fn(usize) -> DateTime<Utc>,
) -> Result<Vec<Booking>, DbErr> {
    let mut held = 0;
    let mut out = Vec::new();
    let steps = (target / 2).max(1) as usize;
    while held < target {
        let party = PARTIES[bk.k % PARTIES.len()].min(max).min(target - held);
        // Earliest first, over three weeks.
        let at = ago(30_000 * (steps - out.len().min(steps)) / steps + 240);
        out.push(bk.seats(session, party, at).await?);
        held += party;
    }
    Ok(out)
}

/// Books the demo season, after the programme.
pub(super) async fn load(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Counts, DbErr> {
    let mut bk = Booker {
        c,
        schools: Schools::read(c).await?,
        k: 0,
        counts: Counts::default(),
    };
    let today = now.with_timezone(&Paris).date_naive();
    let year = past_festival_year(today);
    let festivals = projects::of_kind(c, ProjectKind::Festival).await?;
    // The past edition and the one before it, booked and checked in the
    // same way, so that their bilans compare.
    for y in [year - 1, year] {
        if let Some(p) = festivals.iter().find(|p| p.data.starts_on.year() == y) {
            festival(&mut bk, p.id, now).await?;
        }
    }
    upcoming(&mut bk, now).await?;
    Ok(bk.counts)
}
