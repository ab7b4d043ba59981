//! What the team writes in a bilan: per project (each edition has its own)
//! and section, a commentary and highlights. Written through the audited
//! write path ([`crate::records`]); an empty note removes the section's.

use crate::records::{Audited, Entry};
use chrono::{DateTime, Utc};
use maillage_domain::report::SectionNote;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub project_id: i64,
        pub section: String,
        pub commentary: String,
        /// One highlight a line.
        pub highlights: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

fn note(m: &entity::Model) -> SectionNote {
    SectionNote {
        commentary: m.commentary.clone(),
        highlights: m
            .highlights
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// The notes of a project's bilan, by section.
pub async fn of_project(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<BTreeMap<String, SectionNote>, DbErr> {
    Ok(Entity::find()
        .filter(Column::ProjectId.eq(project))
        .all(c)
        .await?
        .iter()
        .map(|m| (m.section.clone(), note(m)))
        .collect())
}

fn values(n: &SectionNote) -> serde_json::Value {
    json!({"commentary": n.commentary, "highlights": n.highlights})
}

/// Sets the note of `section` of `project`'s bilan (`project_name` for
/// the audit log); an empty note removes it. Nothing is recorded when the
/// note does not change.
pub async fn set(
    c: &impl ConnectionTrait,
    project: i64,
    project_name: &str,
    section: &str,
    n: &SectionNote,
    now: DateTime<Utc>,
) -> Result<Audited<()>, DbErr> {
    let existing = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Section.eq(section))
        .one(c)
        .await?;
    let summary = format!("{project_name} — {section}");
    let entry = match (existing, n.is_empty()) {
        (None, true) => None,
        (None, false) => {
            let m = ActiveModel {
                project_id: Set(project),
                section: Set(section.to_owned()),
                commentary: Set(n.commentary.clone()),
                highlights: Set(n.highlights.join("\n")),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(c)
            .await?;
            Some(Entry::new(
                "create",
                "report_note",
                m.id,
                summary,
                values(n),
            ))
        }
        (Some(m), true) => {
            let before = values(&note(&m));
            Entity::delete_by_id(m.id).exec(c).await?;
            Some(Entry::new("delete", "report_note", m.id, summary, before))
        }
        (Some(m), false) => {
            let before = values(&note(&m));
            let after = values(n);
            let id = m.id;
            if before != after {
                let mut a: ActiveModel = m.into();
                a.commentary = Set(n.commentary.clone());
                a.highlights = Set(n.highlights.join("\n"));
                a.updated_at = Set(now);
                a.update(c).await?;
            }
            Entry::update("report_note", id, summary, &before, &after)
        }
    };
    Ok(Audited::maybe((), entry))
}
