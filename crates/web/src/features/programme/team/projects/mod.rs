//! Projects in the team space, on the records kit: the list, a project's
//! page with its activities (status filter, bulk publish and cancel:
//! `show`), create and edit with partners and their roles (`form`), delete
//! with the slug typed again.

pub(super) mod form;
pub(super) mod show;

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::shared::html;
use crate::shared::records::{Deletable, Editable, FormView, Record, Refusal};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::organisations;
use maillage_db::programme::projects::{self, Project, ProjectData};
use maillage_db::{DbErr, WriteTx};
use maillage_domain::Action;
use maillage_domain::programme::PartnerRole;
use serde_json::{Value, json};

/// The record as the audit log sees it.
pub fn snapshot(d: &ProjectData, partners: &[(i64, PartnerRole)]) -> Value {
    json!({
        "slug": d.slug, "name": d.name, "kind": d.kind.code(),
        "starts_on": d.starts_on.to_string(), "ends_on": d.ends_on.to_string(),
        "description": d.description, "lead_user_id": d.lead_user_id,
        "status": d.status.code(),
        "partners": partners.iter().map(|(o, r)| json!([o, r.code()])).collect::<Vec<_>>(),
    })
}

impl Record for Project {
    const ENTITY: &'static str = "project";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.data.name.clone()
    }

    fn snapshot(&self) -> Value {
        let partners: Vec<(i64, PartnerRole)> = self
            .partners
            .iter()
            .map(|x| (x.organisation_id, x.role))
            .collect();
        snapshot(&self.data, &partners)
    }

    fn href(id: i64) -> String {
        format!("/team/programme/projects/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Project>, DbErr> {
        projects::find(st.db.conn(), id).await
    }
}

impl Deletable for Project {
    fn after_delete(&self) -> String {
        "/team/programme".into()
    }

    /// The project's slug must be typed again; else its form says so.
    async fn refuse(&self, st: &AppState, ctx: &Ctx, confirm: &str) -> Refusal {
        if confirm.trim() == self.data.slug {
            return Ok(None);
        }
        let view = FormView {
            title: self.summary(),
            action: Project::href(self.id),
            cancel: Project::href(self.id),
            form: self.form_of(st).await?,
            errors: FormErrors::general(ctx.m.pt_delete_project_confirm_wrong),
            duplicates: Vec::new(),
            parent: &(),
            record: Some(self),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        Project::form_page(st, ctx, view).await.map(Some)
    }

    /// With its activities and their sessions.
    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        projects::delete(tx, id).await.map(drop)
    }
}

pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub kind: &'static str,
    pub dates: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "programme/team/projects.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ProjectRow>,
    can_manage: bool,
}

/// `GET /team/programme`: every project, most recent first.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let rows = projects::list(st.db.conn(), false)
        .await?
        .iter()
        .map(|p| ProjectRow {
            id: p.id,
            name: p.data.name.clone(),
            slug: p.data.slug.clone(),
            kind: p.data.kind.label(ctx.locale),
            dates: crate::shared::programme::project_dates(ctx.locale, p),
            status: p.data.status.label(ctx.locale),
        })
        .collect();
    html(ListPage {
        l: ctx.layout(ctx.m.pt_title),
        rows,
        can_manage: ctx.can(Action::ManageProgramme),
    })
}

/// An organisation by its exact name, or by its name without accents or
/// case when only one matches.
pub async fn find_organisation(st: &AppState, name: &str) -> Result<Option<i64>, AppError> {
    if let Some(o) = organisations::find_by_name(st.db.conn(), name).await? {
        return Ok(Some(o.id));
    }
    let list = organisations::find_by_folded_name(st.db.conn(), name).await?;
    Ok(match list.as_slice() {
        [(id, _)] => Some(*id),
        _ => None,
    })
}
