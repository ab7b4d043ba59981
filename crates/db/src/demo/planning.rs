//! The demo's plans: a Fête de la science rétroplanning template, applied
//! to the next edition, with what a team would have done by today: the
//! first steps done, one in progress, two late.

use crate::audit::Actor;
use crate::planning::tasks::{self, Task};
use crate::planning::templates::{self, NewTask};
use crate::programme::projects;
use crate::records;
use chrono::{DateTime, Utc};
use maillage_domain::planning::{Anchor, Offset, TaskStatus};
use maillage_domain::programme::ProjectKind;
use sea_orm::{ConnectionTrait, DbErr};

/// (title, anchor, days from it).
const FESTIVAL: &[(&str, Anchor, i32)] = &[
    (
        "Réunir le comité de pilotage de lancement",
        Anchor::Start,
        -330,
    ),
    (
        "Déposer les demandes de subvention (Département, Région)",
        Anchor::Start,
        -300,
    ),
    (
        "Ouvrir l'appel à participation des partenaires",
        Anchor::Start,
        -240,
    ),
    (
        "Relancer les communes et médiathèques sans proposition",
        Anchor::Start,
        -200,
    ),
    (
        "Clore l'appel et réunir le comité de sélection",
        Anchor::Start,
        -170,
    ),
    (
        "Envoyer les conventions de partenariat",
        Anchor::Start,
        -150,
    ),
    (
        "Réserver les lieux des villages des sciences",
        Anchor::Start,
        -130,
    ),
    ("Publier le programme en ligne", Anchor::Start, -60),
    ("Imprimer le programme et les affiches", Anchor::Start, -45),
    ("Ouvrir les réservations des classes", Anchor::Start, -40),
    (
        "Planifier les bénévoles et les navettes",
        Anchor::Start,
        -21,
    ),
    ("Installer les villages des sciences", Anchor::Start, -1),
    (
        "Envoyer les questionnaires aux participants",
        Anchor::End,
        2,
    ),
    ("Rédiger le bilan pour les financeurs", Anchor::End, 45),
];

/// A talk series' season (anchored on its first and last evenings).
const TALKS: &[(&str, Anchor, i32)] = &[
    (
        "Choisir les œuvres et les thèmes de la saison",
        Anchor::Start,
        -120,
    ),
    (
        "Trouver les intervenantes et intervenants",
        Anchor::Start,
        -90,
    ),
    (
        "Réserver l'auditorium pour chaque soirée",
        Anchor::Start,
        -75,
    ),
    (
        "Annoncer la saison (programme, réseaux, presse)",
        Anchor::Start,
        -21,
    ),
    ("Ouvrir les réservations", Anchor::Start, -14),
    ("Faire le bilan de la saison", Anchor::End, 30),
];

/// A school programme's year.
const SCHOOLS: &[(&str, Anchor, i32)] = &[
    (
        "Préparer la séquence pédagogique avec les enseignants",
        Anchor::Start,
        -60,
    ),
    ("Ouvrir les inscriptions des classes", Anchor::Start, -45),
    (
        "Caler le planning du planétarium avec Cosmocité",
        Anchor::Start,
        -30,
    ),
    (
        "Envoyer les fiches de préparation aux classes inscrites",
        Anchor::Start,
        -7,
    ),
    ("Envoyer le questionnaire aux enseignants", Anchor::End, 7),
    (
        "Rédiger le bilan pour l'Éducation nationale",
        Anchor::End,
        45,
    ),
];

/// Creates the festival, talk-series and school templates and applies each
/// to its project (the next Fête de la science, the Soirées Cult' and
/// Space Buzz seasons under way or to come), with what a team would have
/// done by today; returns the projects planned (the festival first).
pub async fn load(
    c: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<projects::Project>, DbErr> {
    let mut planned = Vec::new();
    for (name, kind, list) in [
        ("Fête de la science", ProjectKind::Festival, FESTIVAL),
        ("Cycle de conférences", ProjectKind::TalkSeries, TALKS),
        ("Programme scolaire", ProjectKind::SchoolProgramme, SCHOOLS),
    ] {
        if let Some(p) = plan(c, actor, name, kind, list, now).await? {
            planned.push(p);
        }
    }
    Ok(planned)
}

/// One template, applied to the soonest project of `kind` still to come
/// (the festival) or under way (a season).
async fn plan(
    c: &impl ConnectionTrait,
    actor: &Actor,
    name: &str,
    kind: ProjectKind,
    list: &[(&str, Anchor, i32)],
    now: DateTime<Utc>,
) -> Result<Option<projects::Project>, DbErr> {
    let tasks: Vec<NewTask> = list
        .iter()
        .map(|(title, anchor, days)| NewTask {
            title: (*title).to_owned(),
            anchor: *anchor,
            offset: Offset(*days),
        })
        .collect();
    let template = records::write(c, actor, now, async |c, now| {
        templates::create(c, name, Some(kind), &tasks, now).await
    })
    .await?;
    let today = now.date_naive();
    let Some(next) = projects::of_kind(c, kind)
        .await?
        .into_iter()
        .filter(|p| {
            if kind == ProjectKind::Festival {
                p.data.starts_on > today
            } else {
                p.data.ends_on >= today
            }
        })
        .min_by_key(|p| p.data.starts_on)
    else {
        return Ok(None);
    };
    records::write(c, actor, now, async |c, now| {
        tasks::apply_template(c, &next, &template, now).await
    })
    .await?;
    // What the team has done by today: everything due before it but the
    // latest one or two (late), the task due next in progress.
    let plan = tasks::of_project(c, next.id).await?;
    let past: Vec<&Task> = plan
        .iter()
        .filter(|t| t.due_on.is_some_and(|d| d < today))
        .collect();
    let late: Vec<i64> = past
        .iter()
        .rev()
        .take(if past.len() > 3 { 2 } else { 1 })
        .map(|t| t.id)
        .collect();
    let mut changes: Vec<(i64, TaskStatus)> = past
        .iter()
        .filter(|t| !late.contains(&t.id))
        .map(|t| (t.id, TaskStatus::Done))
        .collect();
    if let Some(t) = plan.iter().find(|t| t.due_on.is_some_and(|d| d >= today)) {
        changes.push((t.id, TaskStatus::InProgress));
    }
    for (id, status) in changes {
        records::write(c, actor, now, async |c, now| {
            tasks::set_status(c, id, status, now).await
        })
        .await?;
    }
    Ok(Some(next))
}
