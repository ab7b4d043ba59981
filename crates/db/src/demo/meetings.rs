//! The demo's meetings: the next festival's steering committee, two past
//! meetings with their minutes sent (information, decisions, actions for
//! the intern, the coordinator and the partner, one of them late) and the
//! next one to come, which takes up the open actions; the festival's
//! tasks shared out between the coordinator and the intern.

use crate::audit::Actor;
use crate::planning::meetings::{self, Action, MeetingData, Who};
use crate::planning::tasks;
use crate::programme::projects::Project;
use crate::{records, venues};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::planning::{Outcome, TaskStatus};
use sea_orm::{ConnectionTrait, DbErr};

/// The demo accounts a plan involves.
pub struct Team {
    pub staff: i64,
    pub intern: i64,
    pub volunteer: i64,
    pub partner: i64,
    pub partner_org: i64,
}

/// 10:00 Paris, `days` from today.
fn at(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = (now + Duration::days(days))
        .with_timezone(&Paris)
        .date_naive();
    Paris
        .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()))
        .single()
        .map_or(now, |t| t.with_timezone(&Utc))
}

/// (item, minutes, outcome, action: (title, who, due in days from today)).
type Item<'a> = (
    &'a str,
    &'a str,
    Option<Outcome>,
    Option<(&'a str, i64, i64)>,
);

pub async fn load(
    c: &impl ConnectionTrait,
    actor: &Actor,
    festival: &Project,
    team: &Team,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let venue = venues::names(c)
        .await?
        .into_iter()
        .find(|(_, n)| n.contains("Casemate"))
        .map(|(id, _)| id);
    let first: Vec<Item> = vec![
        (
            "Bilan de l'édition précédente",
            "Fréquentation en hausse dans les communes rurales ; les villages des sciences \
             restent le cœur de la fête. Les scolaires du vendredi ont manqué de places.",
            Some(Outcome::Information),
            None,
        ),
        (
            "Calendrier de l'appel à participation",
            "L'appel ouvre en janvier et se clôt fin mars ; le comité de sélection se réunit \
             la première semaine d'avril.",
            Some(Outcome::Decision),
            None,
        ),
        (
            "Villages des sciences",
            "Trouver un village dans le Grésivaudan et un dans le Trièves cette année.",
            Some(Outcome::Action),
            Some((
                "Lister les lieux possibles pour les nouveaux villages",
                team.intern,
                -10,
            )),
        ),
        (
            "Communication",
            "Reprendre la charte de l'an dernier ; les partenaires envoient leurs visuels.",
            Some(Outcome::Action),
            Some(("Envoyer les visuels de l'an dernier", team.partner, -30)),
        ),
    ];
    let second: Vec<Item> = vec![
        (
            "Point sur l'appel à participation",
            "Quarante-deux propositions à ce jour, dont neuf de communes nouvelles.",
            Some(Outcome::Information),
            None,
        ),
        (
            "Programme imprimé",
            "Tirage à 8 000 exemplaires ; papier recyclé.",
            Some(Outcome::Action),
            Some(("Demander trois devis d'impression", team.intern, 12)),
        ),
        (
            "Navettes vers les villages",
            "Une navette le samedi depuis la gare de Grenoble.",
            Some(Outcome::Action),
            Some((
                "Contacter le réseau de transport pour les navettes",
                team.staff,
                5,
            )),
        ),
    ];
    let third: Vec<Item> = vec![
        ("Retour des devis d'impression", "", None, None),
        ("Bénévoles : besoins par site", "", None, None),
        ("Questions diverses", "", None, None),
    ];
    let mut made = 0;
    for (n, (title, days, items, sent)) in [
        ("Comité de pilotage de lancement", -70, first, true),
        ("Comité de pilotage — suivi de l'appel", -21, second, true),
        (
            "Comité de pilotage — programme et logistique",
            9,
            third,
            false,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let data = MeetingData {
            project_id: Some(festival.id),
            series: Some("Comité de pilotage".into()),
            title: title.into(),
            starts_at: at(now, days),
            ends_at: at(now, days) + Duration::hours(2),
            venue_id: venue.filter(|_| n != 1),
            online_url: (n == 1).then(|| "https://visio.example.org/copil-fete".into()),
        };
        let m = meetings::insert(c, &data, now).await?;
        super::created(c, actor, "meeting", m.id, title, m.snapshot(), now).await?;
        for (who, org) in [
            (team.staff, None),
            (team.intern, None),
            (team.partner, Some(team.partner_org)),
        ] {
            records::write(c, actor, now, async |c, _| {
                meetings::add_attendee(c, &m, Who::User(who), org).await
            })
            .await?;
        }
        if n == 2 {
            records::write(c, actor, now, async |c, _| {
                meetings::add_attendee(c, &m, Who::User(team.volunteer), None).await
            })
            .await?;
        }
        for (item, minutes, outcome, action) in items {
            let it = records::write(c, actor, now, async |c, _| {
                meetings::add_item(c, &m, item).await
            })
            .await?;
            if outcome.is_none() {
                continue;
            }
            let action = action.map(|(title, who, due)| Action {
                title: title.into(),
                assignee: who,
                due_on: (now + Duration::days(due))
                    .with_timezone(&Paris)
                    .date_naive(),
                organisation_id: (who == team.partner).then_some(team.partner_org),
                shared: who == team.partner,
            });
            records::write(c, actor, now, async |c, now| {
                meetings::record_minutes(
                    c,
                    &m,
                    &it,
                    Some(minutes.into()),
                    outcome,
                    action.as_ref(),
                    now,
                )
                .await
            })
            .await?;
        }
        if sent {
            records::write(c, actor, now, async |c, now| {
                meetings::minutes_sent(c, &m, 3, now).await
            })
            .await?;
        }
        made += 1;
    }
    // The partner sent their visuals.
    for t in tasks::open_for(c, team.partner).await? {
        records::write(c, actor, now, async |c, now| {
            tasks::set_status(c, t.id, TaskStatus::Done, now).await
        })
        .await?;
    }
    // The festival's open tasks shared out: the intern takes every other
    // one (a late one among them), the coordinator the rest.
    let open: Vec<_> = tasks::of_project(c, festival.id)
        .await?
        .into_iter()
        .filter(|t| t.template_task_id.is_some())
        .collect();
    for (i, t) in open.iter().enumerate() {
        let who = if i % 2 == 1 { team.intern } else { team.staff };
        records::write(c, actor, now, async |c, _| {
            tasks::assign(c, t.id, who).await
        })
        .await?;
    }
    Ok(made)
}
