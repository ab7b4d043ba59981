//! The organisation form (the team's and the partner's own), typed, and
//! its conversion into validated data.

use super::candidates;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::directory::common as dir;
use crate::forms::{Choice, FormErrors};
use crate::i18n::Messages;
use crate::shared::html_status;
use crate::shared::records::{Candidate, Checked, Checking, Editable, FormView};
use crate::state::AppState;
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::organisations::{self, Organisation, OrganisationData};
use maillage_db::{DbErr, WriteTx};
use maillage_directory::validate::{self, OrganisationInput};
use maillage_domain::directory::{OrgKind, Theme};
use serde::Deserialize;

/// The organisation form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub siret: String,
    pub uai: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub description: String,
    pub themes: Vec<String>,
    pub public_listing: bool,
}

impl OrganisationForm {
    pub fn from_data(d: &OrganisationData) -> OrganisationForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        OrganisationForm {
            name: d.name.clone(),
            kind: d.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            siret: s(&d.siret),
            uai: s(&d.uai),
            address: s(&d.address),
            postcode: s(&d.postcode),
            commune: dir::commune_name(d.commune_insee.as_deref()),
            website: s(&d.website),
            email: s(&d.email),
            phone: s(&d.phone),
            description: s(&d.description),
            themes: d.themes.iter().map(|t| t.code().to_owned()).collect(),
            public_listing: d.public_listing,
        }
    }

    /// The validated organisation, or the errors of its fields.
    pub fn parse(&self, m: &Messages) -> Result<OrganisationData, FormErrors> {
        validate::organisation(&OrganisationInput {
            name: &self.name,
            kind: &self.kind,
            siret: &self.siret,
            uai: &self.uai,
            address: &self.address,
            postcode: &self.postcode,
            commune: &self.commune,
            website: &self.website,
            email: &self.email,
            phone: &self.phone,
            description: &self.description,
            themes: self.themes.iter().map(String::as_str).collect(),
            public_listing: self.public_listing,
        })
        .map_err(|e| FormErrors::from_fields(m, &e))
    }
}

#[derive(Template)]
#[template(path = "directory/organisations/form.html")]
pub struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: OrganisationForm,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
}

impl FormPage {
    /// The page of the form `f` (also the partner's own organisation).
    pub fn new(
        ctx: &Ctx,
        title: String,
        (action, cancel): (String, String),
        f: OrganisationForm,
        (errors, duplicates): (FormErrors, Vec<Candidate>),
    ) -> FormPage {
        let themes: Vec<Theme> = f
            .themes
            .iter()
            .filter_map(|t| Theme::parse(t).ok())
            .collect();
        FormPage {
            l: ctx.layout(title),
            action,
            cancel,
            kinds: dir::kind_choices(ctx.locale, OrgKind::parse(&f.kind).ok()),
            themes: dir::theme_choices(ctx.locale, &themes),
            f,
            errors,
            duplicates,
        }
    }
}

impl Editable for Organisation {
    type Form = OrganisationForm;
    type Data = OrganisationData;
    type Parent = ();

    fn new_title(m: &'static Messages) -> &'static str {
        m.org_new_title
    }

    fn create_hrefs(_: &()) -> (String, String) {
        ("/team/organisations".into(), "/team/organisations".into())
    }

    fn blank() -> OrganisationForm {
        OrganisationForm {
            kind: OrgKind::Association.code().into(),
            ..Default::default()
        }
    }

    async fn form_of(&self, _: &AppState) -> Result<OrganisationForm, AppError> {
        Ok(OrganisationForm::from_data(&self.data))
    }

    async fn parent_of(&self, _: &AppState) -> Result<(), AppError> {
        Ok(())
    }

    async fn validate(f: &OrganisationForm, at: Checking<'_, Self>) -> Checked<OrganisationData> {
        Ok(f.parse(at.ctx.m))
    }

    async fn duplicates(
        st: &AppState,
        ctx: &Ctx,
        data: &OrganisationData,
    ) -> Result<Vec<Candidate>, AppError> {
        let list = organisations::duplicates(st.db.conn(), data, None).await?;
        Ok(candidates(ctx, &list))
    }

    async fn insert(
        tx: &WriteTx,
        _: &(),
        data: &OrganisationData,
        now: DateTime<Utc>,
    ) -> Result<Organisation, DbErr> {
        organisations::insert(tx, data, now).await
    }

    async fn update(
        tx: &WriteTx,
        before: &Organisation,
        data: &OrganisationData,
        now: DateTime<Utc>,
    ) -> Result<Organisation, DbErr> {
        organisations::update(tx, before.id, data, now).await
    }

    async fn form_page(
        _: &AppState,
        ctx: &Ctx,
        v: FormView<'_, Organisation>,
    ) -> Result<Response, AppError> {
        let page = FormPage::new(
            ctx,
            v.title,
            (v.action, v.cancel),
            v.form,
            (v.errors, v.duplicates),
        );
        html_status(v.status, page)
    }
}
