//! The project form, typed: name, slug, kind, status, dates, lead,
//! description, partners with their roles; its conversion into validated
//! data.

use super::find_organisation;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, check};
use crate::i18n::{Messages, field_error, fill};
use crate::shared::dates::parse_date;
use crate::shared::records::{Checked, Checking, Editable, FormView};
use crate::shared::{html_status, vocab_choices};
use crate::state::AppState;
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::programme::projects::{self, Project, ProjectData};
use maillage_db::users::{self, UserFilter};
use maillage_db::{DbErr, PageRequest, WriteTx};
use maillage_domain::programme::{PartnerRole, ProjectKind, ProjectStatus, slugify};
use maillage_domain::{Action, FieldError, Role};
use serde::Deserialize;

/// The project form as typed; partners are lines of an organisation's
/// name and a role.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: String,
    pub lead: String,
    pub description: String,
    pub partner_org: Vec<String>,
    pub partner_role: Vec<String>,
}

impl ProjectForm {
    /// The partner lines typed (an organisation named), with their role.
    fn partners(&self) -> impl Iterator<Item = (&str, Option<PartnerRole>)> {
        self.partner_org
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let role = self.partner_role.get(i);
                (o.trim(), role.and_then(|r| PartnerRole::parse(r).ok()))
            })
            .filter(|(o, _)| !o.is_empty())
    }
}

/// The valid form: the project and its partners.
pub type Data = (ProjectData, Vec<(i64, PartnerRole)>);

/// One line of partners in the form.
pub struct PartnerLine {
    pub organisation: String,
    pub roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "programme/team/project_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: ProjectForm,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    leads: Vec<Choice>,
    partners: Vec<PartnerLine>,
    errors: FormErrors,
    /// The delete form (editing, for who may manage projects).
    delete_action: Option<String>,
}

/// The people who may lead a project: the team's staff and administrators.
async fn lead_choices(st: &AppState, selected: &str) -> Result<Vec<Choice>, AppError> {
    let mut out = Vec::new();
    for role in [Role::Staff, Role::Admin] {
        let filter = UserFilter {
            role: Some(role),
            ..Default::default()
        };
        for u in users::list(st.db.conn(), &filter, PageRequest::new(1, 500))
            .await?
            .items
        {
            let id = u.id.to_string();
            let sel = id == selected;
            out.push(Choice::new(id, format!("{} ({})", u.name, u.email), sel));
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

/// The partner lines, typed ones first, then three empty ones.
fn partner_lines(ctx: &Ctx, f: &ProjectForm) -> Vec<PartnerLine> {
    let roles = |r: Option<PartnerRole>| {
        vocab_choices(
            PartnerRole::ALL,
            PartnerRole::code,
            |x| x.label(ctx.locale),
            &r.into_iter().collect::<Vec<_>>(),
        )
    };
    let typed = f.partners().map(|(o, r)| PartnerLine {
        organisation: o.to_owned(),
        roles: roles(r),
    });
    let empty = (0..3).map(|_| PartnerLine {
        organisation: String::new(),
        roles: roles(None),
    });
    typed.chain(empty).collect()
}

/// Checks the form; `except` is the project being edited.
async fn parse(
    st: &AppState,
    m: &'static Messages,
    f: &ProjectForm,
    except: Option<i64>,
) -> Checked<Data> {
    let mut e = FormErrors::new();
    let name = check(
        &mut e,
        m,
        "name",
        maillage_domain::field::single_line(&f.name, 2, 200),
    );
    let slug = if f.slug.trim().is_empty() {
        name.as_deref().map(slugify).filter(|s| !s.is_empty())
    } else {
        check(&mut e, m, "slug", maillage_domain::programme::slug(&f.slug))
    };
    if let Some(s) = &slug
        && let Some(other) = projects::find_by_slug(st.db.conn(), s).await?
        && Some(other.id) != except
    {
        e.add("slug", field_error(m, &FieldError::AlreadyTaken));
    }
    let kind = check(&mut e, m, "kind", ProjectKind::parse(&f.kind));
    let status = check(&mut e, m, "status", ProjectStatus::parse(&f.status));
    let starts_on = check(&mut e, m, "starts_on", parse_date(&f.starts_on));
    let ends_on = check(&mut e, m, "ends_on", parse_date(&f.ends_on));
    if let (Some(a), Some(b)) = (starts_on, ends_on)
        && b < a
    {
        e.add("ends_on", field_error(m, &FieldError::EndBeforeStart));
    }
    let description = super::super::description(&mut e, m, &f.description);
    let lead = match f.lead.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) if users::find(st.db.conn(), id).await?.is_some() => Some(id),
            _ => {
                e.add("lead", field_error(m, &FieldError::InvalidChoice));
                None
            }
        },
    };
    let mut partners = Vec::new();
    for (o, role) in f.partners() {
        let Some(role) = role else {
            e.add("partners", fill(m.pt_err_partner_role, &[("name", o)]));
            continue;
        };
        match find_organisation(st, o).await? {
            Some(id) => partners.push((id, role)),
            None => e.add(
                "partners",
                fill(m.pt_err_unknown_organisation, &[("name", o)]),
            ),
        }
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let (Some(name), Some(slug), Some(kind), Some(status), Some(starts_on), Some(ends_on)) =
        (name, slug, kind, status, starts_on, ends_on)
    else {
        e.add("slug", field_error(m, &FieldError::Required));
        return Ok(Err(e));
    };
    let data = ProjectData {
        slug,
        name,
        kind,
        starts_on,
        ends_on,
        description,
        lead_user_id: lead,
        status,
    };
    Ok(Ok((data, partners)))
}

/// The project as stored, with its partners.
async fn reread(tx: &WriteTx, id: i64) -> Result<Project, DbErr> {
    projects::find(tx, id)
        .await?
        .ok_or(DbErr::RecordNotFound("project".into()))
}

impl Editable for Project {
    type Form = ProjectForm;
    type Data = Data;
    type Parent = ();

    fn new_title(m: &'static Messages) -> &'static str {
        m.pt_project_new
    }

    fn create_hrefs(_: &()) -> (String, String) {
        ("/team/programme/projects".into(), "/team/programme".into())
    }

    fn blank() -> ProjectForm {
        ProjectForm {
            kind: ProjectKind::Festival.code().into(),
            status: ProjectStatus::Draft.code().into(),
            ..Default::default()
        }
    }

    async fn form_of(&self, _: &AppState) -> Result<ProjectForm, AppError> {
        let d = &self.data;
        Ok(ProjectForm {
            name: d.name.clone(),
            slug: d.slug.clone(),
            kind: d.kind.code().into(),
            status: d.status.code().into(),
            starts_on: d.starts_on.to_string(),
            ends_on: d.ends_on.to_string(),
            lead: d.lead_user_id.map(|u| u.to_string()).unwrap_or_default(),
            description: d.description.clone().unwrap_or_default(),
            partner_org: self
                .partners
                .iter()
                .map(|x| x.organisation_name.clone())
                .collect(),
            partner_role: self.partners.iter().map(|x| x.role.code().into()).collect(),
        })
    }

    async fn parent_of(&self, _: &AppState) -> Result<(), AppError> {
        Ok(())
    }

    async fn validate(f: &ProjectForm, at: Checking<'_, Self>) -> Checked<Data> {
        parse(at.st, at.ctx.m, f, at.before.map(|p| p.id)).await
    }

    async fn insert(
        tx: &WriteTx,
        _: &(),
        (data, partners): &Data,
        now: DateTime<Utc>,
    ) -> Result<Project, DbErr> {
        let p = projects::insert(tx, data, now).await?;
        projects::set_partners(tx, p.id, partners).await?;
        reread(tx, p.id).await
    }

    async fn update(
        tx: &WriteTx,
        before: &Project,
        (data, partners): &Data,
        now: DateTime<Utc>,
    ) -> Result<Project, DbErr> {
        projects::update(tx, before.id, data, now).await?;
        projects::set_partners(tx, before.id, partners).await?;
        reread(tx, before.id).await
    }

    async fn form_page(
        st: &AppState,
        ctx: &Ctx,
        v: FormView<'_, Project>,
    ) -> Result<Response, AppError> {
        let loc = ctx.locale;
        let f = v.form;
        let delete_action = (v.record.is_some() && ctx.can(Action::ManageProgramme))
            .then(|| format!("{}/delete", v.action));
        let page = FormPage {
            l: ctx.layout(v.title),
            kinds: vocab_choices(
                ProjectKind::ALL,
                ProjectKind::code,
                |x| x.label(loc),
                &ProjectKind::parse(&f.kind)
                    .ok()
                    .into_iter()
                    .collect::<Vec<_>>(),
            ),
            statuses: vocab_choices(
                ProjectStatus::ALL,
                ProjectStatus::code,
                |x| x.label(loc),
                &ProjectStatus::parse(&f.status)
                    .ok()
                    .into_iter()
                    .collect::<Vec<_>>(),
            ),
            leads: lead_choices(st, &f.lead).await?,
            partners: partner_lines(ctx, &f),
            action: v.action,
            cancel: v.cancel,
            delete_action,
            errors: v.errors,
            f,
        };
        html_status(v.status, page)
    }
}
