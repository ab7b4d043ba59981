//! The venue form, typed, and its conversion into validated data (the
//! organisation is typed by name and looked up).

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::directory::common as dir;
use crate::forms::FormErrors;
use crate::i18n::Messages;
use crate::shared::html_status;
use crate::shared::places::commune_label;
use crate::shared::records::{Candidate, Checked, Checking, Editable, FormView};
use crate::state::AppState;
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::venues::{self, Access, Venue, VenueData};
use maillage_db::{DbErr, WriteTx, organisations};
use maillage_directory::validate::{self, VenueInput};
use maillage_domain::{FieldError, FieldErrors};
use serde::Deserialize;

/// The venue form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VenueForm {
    name: String,
    organisation: String,
    address: String,
    postcode: String,
    commune: String,
    lat: String,
    lon: String,
    public_transport: String,
    parking: String,
    wheelchair: bool,
    hearing_loop: bool,
    visual: bool,
    cognitive: bool,
    accessibility_notes: String,
    description: String,
}

impl VenueForm {
    fn access(&self) -> Access {
        Access {
            wheelchair: self.wheelchair,
            hearing_loop: self.hearing_loop,
            visual: self.visual,
            cognitive: self.cognitive,
        }
    }
}

#[derive(Template)]
#[template(path = "directory/venues/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: VenueForm,
    errors: FormErrors,
    duplicates: Vec<Candidate>,
}

/// Resolves the organisation typed by name (exact, accent-insensitive).
async fn organisation_field(
    st: &AppState,
    input: &str,
    errors: &mut FieldErrors,
) -> Result<Option<i64>, AppError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let found = organisations::find_by_folded_name(st.db.conn(), input).await?;
    match found.as_slice() {
        [(id, _)] => return Ok(Some(*id)),
        [] => errors.add("organisation", FieldError::NotFound),
        _ => errors.add("organisation", FieldError::InvalidChoice),
    }
    Ok(None)
}

impl Editable for Venue {
    type Form = VenueForm;
    type Data = VenueData;
    type Parent = ();

    fn new_title(m: &'static Messages) -> &'static str {
        m.venue_new
    }

    fn create_hrefs(_: &()) -> (String, String) {
        ("/team/venues".into(), "/team/venues".into())
    }

    async fn form_of(&self, st: &AppState) -> Result<VenueForm, AppError> {
        let d = &self.data;
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        let organisation = match d.organisation_id {
            Some(o) => organisations::find(st.db.conn(), o)
                .await?
                .map(|o| o.data.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok(VenueForm {
            name: d.name.clone(),
            organisation,
            address: s(&d.address),
            postcode: s(&d.postcode),
            commune: dir::commune_name(d.commune_insee.as_deref()),
            lat: d.lat.map(|x| x.to_string()).unwrap_or_default(),
            lon: d.lon.map(|x| x.to_string()).unwrap_or_default(),
            public_transport: s(&d.public_transport),
            parking: s(&d.parking),
            wheelchair: d.access.wheelchair,
            hearing_loop: d.access.hearing_loop,
            visual: d.access.visual,
            cognitive: d.access.cognitive,
            accessibility_notes: s(&d.accessibility_notes),
            description: s(&d.description),
        })
    }

    async fn parent_of(&self, _: &AppState) -> Result<(), AppError> {
        Ok(())
    }

    async fn validate(f: &VenueForm, at: Checking<'_, Self>) -> Checked<VenueData> {
        let mut org_errors = FieldErrors::new();
        let organisation_id = organisation_field(at.st, &f.organisation, &mut org_errors).await?;
        let parsed = validate::venue(
            &VenueInput {
                name: &f.name,
                address: &f.address,
                postcode: &f.postcode,
                commune: &f.commune,
                lat: &f.lat,
                lon: &f.lon,
                public_transport: &f.public_transport,
                parking: &f.parking,
                access: f.access(),
                accessibility_notes: &f.accessibility_notes,
                description: &f.description,
            },
            organisation_id,
        );
        let errors = match parsed {
            Ok(d) if org_errors.is_empty() => return Ok(Ok(d)),
            Ok(_) => org_errors,
            Err(mut e) => {
                for (field, err) in org_errors.iter() {
                    e.add(field, err.clone());
                }
                e
            }
        };
        Ok(Err(FormErrors::from_fields(at.ctx.m, &errors)))
    }

    async fn duplicates(
        st: &AppState,
        _: &Ctx,
        data: &VenueData,
    ) -> Result<Vec<Candidate>, AppError> {
        let list = venues::duplicates(st.db.conn(), data, None).await?;
        Ok(list
            .iter()
            .map(|v| Candidate {
                id: v.id,
                name: v.data.name.clone(),
                detail: commune_label(v.data.commune_insee.as_deref()),
            })
            .collect())
    }

    async fn insert(
        tx: &WriteTx,
        _: &(),
        data: &VenueData,
        now: DateTime<Utc>,
    ) -> Result<Venue, DbErr> {
        venues::insert(tx, data, now).await
    }

    async fn update(
        tx: &WriteTx,
        before: &Venue,
        data: &VenueData,
        now: DateTime<Utc>,
    ) -> Result<Venue, DbErr> {
        venues::update(tx, before.id, data, now).await
    }

    async fn form_page(
        _: &AppState,
        ctx: &Ctx,
        v: FormView<'_, Venue>,
    ) -> Result<Response, AppError> {
        let page = FormPage {
            l: ctx.layout(v.title),
            action: v.action,
            cancel: v.cancel,
            f: v.form,
            errors: v.errors,
            duplicates: v.duplicates,
        };
        html_status(v.status, page)
    }
}
