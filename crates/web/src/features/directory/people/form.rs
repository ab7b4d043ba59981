//! The person form (the team's, and the partner's for their own contacts),
//! typed, and its conversion into validated data.

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
use maillage_db::people::{self, Person, PersonData};
use maillage_db::{DbErr, WriteTx};
use maillage_directory::validate::{self, PersonInput};
use maillage_domain::directory::{Gender, PersonRole};
use serde::Deserialize;

/// The person form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub gender: String,
    pub notes: String,
    pub roles: Vec<String>,
}

impl PersonForm {
    pub fn from_data(d: &PersonData) -> PersonForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        PersonForm {
            first_name: s(&d.first_name),
            last_name: d.last_name.clone(),
            email: s(&d.email),
            phone: s(&d.phone),
            gender: d.gender.map(|g| g.code().to_owned()).unwrap_or_default(),
            notes: s(&d.notes),
            roles: d.roles.iter().map(|r| r.code().to_owned()).collect(),
        }
    }

    /// The validated person, or the errors of its fields.
    pub fn parse(&self, m: &Messages) -> Result<PersonData, FormErrors> {
        validate::person(&PersonInput {
            first_name: &self.first_name,
            last_name: &self.last_name,
            email: &self.email,
            phone: &self.phone,
            gender: &self.gender,
            notes: &self.notes,
            roles: self.roles.iter().map(String::as_str).collect(),
        })
        .map_err(|e| FormErrors::from_fields(m, &e))
    }
}

#[derive(Template)]
#[template(path = "directory/people/form.html")]
pub struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: PersonForm,
    genders: Vec<Choice>,
    no_gender: bool,
    roles: Vec<Choice>,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
    /// The team's form, with roles, gender and internal notes; unset when
    /// a partner edits their contacts: roles are not theirs to choose, and
    /// the gender (for the team's statistics) and the notes are internal.
    team: bool,
}

impl FormPage {
    pub fn new(
        ctx: &Ctx,
        title: String,
        (action, cancel): (String, String),
        (f, team): (PersonForm, bool),
        (errors, duplicates): (FormErrors, Vec<Candidate>),
    ) -> FormPage {
        let gender = Gender::parse(&f.gender).ok();
        let roles: Vec<PersonRole> = f
            .roles
            .iter()
            .filter_map(|r| PersonRole::parse(r).ok())
            .collect();
        FormPage {
            l: ctx.layout(title),
            action,
            cancel,
            genders: dir::gender_choices(ctx.locale, gender),
            no_gender: gender.is_none(),
            roles: dir::role_choices(ctx.locale, &roles),
            f,
            errors,
            duplicates,
            team,
        }
    }
}

impl Editable for Person {
    type Form = PersonForm;
    type Data = PersonData;
    type Parent = ();

    fn new_title(m: &'static Messages) -> &'static str {
        m.person_new
    }

    fn create_hrefs(_: &()) -> (String, String) {
        ("/team/people".into(), "/team/people".into())
    }

    async fn form_of(&self, _: &AppState) -> Result<PersonForm, AppError> {
        Ok(PersonForm::from_data(&self.data))
    }

    fn editable(&self) -> bool {
        self.erased_at.is_none()
    }

    async fn parent_of(&self, _: &AppState) -> Result<(), AppError> {
        Ok(())
    }

    async fn validate(f: &PersonForm, at: Checking<'_, Self>) -> Checked<PersonData> {
        Ok(f.parse(at.ctx.m))
    }

    async fn duplicates(
        st: &AppState,
        _: &Ctx,
        data: &PersonData,
    ) -> Result<Vec<Candidate>, AppError> {
        Ok(candidates(
            &people::duplicates(st.db.conn(), data, None).await?,
        ))
    }

    async fn insert(
        tx: &WriteTx,
        _: &(),
        data: &PersonData,
        now: DateTime<Utc>,
    ) -> Result<Person, DbErr> {
        people::insert(tx, data, now).await
    }

    async fn update(
        tx: &WriteTx,
        before: &Person,
        data: &PersonData,
        now: DateTime<Utc>,
    ) -> Result<Person, DbErr> {
        people::update(tx, before.id, data, now).await
    }

    async fn form_page(
        _: &AppState,
        ctx: &Ctx,
        v: FormView<'_, Person>,
    ) -> Result<Response, AppError> {
        let page = FormPage::new(
            ctx,
            v.title,
            (v.action, v.cancel),
            (v.form, true),
            (v.errors, v.duplicates),
        );
        html_status(v.status, page)
    }
}
