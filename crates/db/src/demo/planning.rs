//! The demo's plans: a rétroplanning template for each kind of project
//! (festival, talk series, school programme, game jam, residency,
//! editathon, forum), each applied to the next project of its kind to come
//! or under way, with what a team would have done by today: the first
//! steps done, one in progress, one or two late.

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

/// A Scientific Game Jam's weekend (anchored on its Friday and Sunday).
const GAME_JAM: &[(&str, Anchor, i32)] = &[
    (
        "Trouver le laboratoire partenaire et le thème",
        Anchor::Start,
        -150,
    ),
    (
        "Réserver le lieu et le matériel (postes, réseau)",
        Anchor::Start,
        -60,
    ),
    ("Ouvrir les inscriptions des équipes", Anchor::Start, -45),
    (
        "Constituer le jury et inviter les mentors",
        Anchor::Start,
        -30,
    ),
    ("Prévoir les repas du week-end", Anchor::Start, -14),
    ("Annoncer les lauréats", Anchor::End, 2),
    ("Faire le bilan avec le laboratoire", Anchor::End, 30),
];

/// A residency's months.
const RESIDENCY: &[(&str, Anchor, i32)] = &[
    ("Lancer l'appel à candidatures", Anchor::Start, -180),
    (
        "Choisir la ou le résident avec le jury",
        Anchor::Start,
        -120,
    ),
    ("Signer la convention de résidence", Anchor::Start, -75),
    (
        "Trouver le logement et l'espace de travail",
        Anchor::Start,
        -45,
    ),
    (
        "Caler les rencontres avec les lycées et l'université",
        Anchor::Start,
        -21,
    ),
    ("Organiser la restitution publique", Anchor::End, -14),
    ("Rédiger le bilan pour les financeurs", Anchor::End, 45),
];

/// An editathon's day (anchored on its eve and its day).
const EDITATHON: &[(&str, Anchor, i32)] = &[
    (
        "Choisir le thème et la liste des articles à créer",
        Anchor::Start,
        -90,
    ),
    (
        "Réserver la salle et les postes à la bibliothèque",
        Anchor::Start,
        -60,
    ),
    (
        "Recruter les contributrices et contributeurs expérimentés",
        Anchor::Start,
        -45,
    ),
    ("Ouvrir les inscriptions", Anchor::Start, -30),
    (
        "Préparer les sources et la bibliographie",
        Anchor::Start,
        -10,
    ),
    (
        "Publier le bilan des articles créés et enrichis",
        Anchor::End,
        7,
    ),
];

/// A forum's day.
const FORUM: &[(&str, Anchor, i32)] = &[
    (
        "Fixer le thème et les têtes d'affiche avec les partenaires",
        Anchor::Start,
        -180,
    ),
    (
        "Réserver l'amphithéâtre et la captation vidéo",
        Anchor::Start,
        -150,
    ),
    (
        "Confirmer les intervenants des tables rondes",
        Anchor::Start,
        -75,
    ),
    ("Ouvrir les inscriptions", Anchor::Start, -45),
    (
        "Envoyer le programme et les informations pratiques aux inscrits",
        Anchor::Start,
        -7,
    ),
    (
        "Mettre en ligne les vidéos des conférences",
        Anchor::End,
        14,
    ),
    ("Faire le bilan avec les partenaires", Anchor::End, 30),
];

/// Creates a template for each kind of project and applies each to the
/// next project of its kind to come or under way (the next Fête de la
/// science, the Soirées Cult' and Space Buzz seasons, the game jam, the
/// residency, the editathon, the iForum), with what a team would have done
/// by today; returns the projects planned (the festival first).
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
        ("Game jam scientifique", ProjectKind::GameJam, GAME_JAM),
        ("Résidence", ProjectKind::Residency, RESIDENCY),
        ("Éditathon", ProjectKind::Editathon, EDITATHON),
        ("Forum", ProjectKind::Forum, FORUM),
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
