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

/// Creates the template and applies it to the latest Fête de la science
/// that has not started; returns the number of tasks made.
pub async fn load(
    c: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let tasks: Vec<NewTask> = FESTIVAL
        .iter()
        .map(|(title, anchor, days)| NewTask {
            title: (*title).to_owned(),
            anchor: *anchor,
            offset: Offset(*days),
        })
        .collect();
    let template = records::write(c, actor, now, async |c, now| {
        templates::create(
            c,
            "Fête de la science",
            Some(ProjectKind::Festival),
            &tasks,
            now,
        )
        .await
    })
    .await?;
    let today = now.date_naive();
    let Some(next) = projects::of_kind(c, ProjectKind::Festival)
        .await?
        .into_iter()
        .filter(|p| p.data.starts_on > today)
        .min_by_key(|p| p.data.starts_on)
    else {
        return Ok(0);
    };
    let made = records::write(c, actor, now, async |c, now| {
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
    Ok(made)
}
