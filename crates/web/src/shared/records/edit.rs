//! Create and edit: the form, its errors beside the fields with what was
//! typed kept, duplicates flagged until confirmed, the audited write, the
//! redirect.

use super::typed::{self, Typed};
use super::{Audited, Candidate, Record, created, found, saved, updated, write};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::Messages;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::{DbErr, WriteTx};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// A record the team creates and edits through a form.
pub trait Editable: Record {
    /// The form as typed (see [`typed`]): read from the body, shown back
    /// beside its errors, made from the record to edit it.
    type Form: DeserializeOwned + Default + Send + Sync;
    /// The valid form, as storage takes it.
    type Data: Send + Sync;
    /// What a new record belongs to (the project of an activity), or `()`.
    type Parent: Send + Sync;

    /// The title of the form of a new one.
    fn new_title(m: &'static Messages) -> &'static str;

    /// Where the form of a new one is sent, and where it goes back to.
    fn create_hrefs(parent: &Self::Parent) -> (String, String);

    /// The form of a new one (with its defaults).
    fn blank() -> Self::Form {
        Self::Form::default()
    }

    /// The form showing this record.
    fn form_of(&self, st: &AppState) -> impl Future<Output = Result<Self::Form, AppError>> + Send;

    /// Whether it may still be edited (an erased person may not: 404).
    fn editable(&self) -> bool {
        true
    }

    /// What it belongs to.
    fn parent_of(
        &self,
        st: &AppState,
    ) -> impl Future<Output = Result<Self::Parent, AppError>> + Send;

    /// The form converted into validated data, or the errors of its fields.
    fn validate(
        f: &Self::Form,
        at: Checking<'_, Self>,
    ) -> impl Future<Output = Checked<Self::Data>> + Send;

    /// Records that may be the same as a new one (none by default).
    fn duplicates(
        _st: &AppState,
        _ctx: &Ctx,
        _data: &Self::Data,
    ) -> impl Future<Output = Result<Vec<Candidate>, AppError>> + Send {
        async { Ok(Vec::new()) }
    }

    fn insert(
        tx: &WriteTx,
        parent: &Self::Parent,
        data: &Self::Data,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    fn update(
        tx: &WriteTx,
        before: &Self,
        data: &Self::Data,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    /// The form page (its template).
    fn form_page(
        st: &AppState,
        ctx: &Ctx,
        view: FormView<'_, Self>,
    ) -> impl Future<Output = Result<Response, AppError>> + Send;
}

/// The valid data of a form, or the errors of its fields.
pub type Checked<T> = Result<Result<T, FormErrors>, AppError>;

/// What a form is checked against.
pub struct Checking<'a, R: Editable> {
    pub st: &'a AppState,
    pub ctx: &'a Ctx,
    /// What the record belongs to.
    pub parent: &'a R::Parent,
    /// The record being edited (`None` for a new one).
    pub before: Option<&'a R>,
}

/// A record created under another one (`…/projects/{id}/activities`).
pub trait Nested: Editable {
    /// The parent `id` of a new one, or 404.
    fn parent(
        st: &AppState,
        id: i64,
    ) -> impl Future<Output = Result<Self::Parent, AppError>> + Send;
}

/// What a form page shows.
pub struct FormView<'a, R: Editable> {
    pub title: String,
    /// Where the form is sent.
    pub action: String,
    /// Where "cancel" goes.
    pub cancel: String,
    pub form: R::Form,
    pub errors: FormErrors,
    /// Possible duplicates of what was typed (with a box to confirm).
    pub duplicates: Vec<Candidate>,
    pub parent: &'a R::Parent,
    /// The record edited (`None` for a new one).
    pub record: Option<&'a R>,
    pub status: StatusCode,
}

/// The box ticked to create a record despite its possible duplicates.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Confirm {
    confirm_duplicates: bool,
}

async fn blank_form<R: Editable>(
    st: &AppState,
    ctx: &Ctx,
    parent: &R::Parent,
) -> Result<Response, AppError> {
    let (action, cancel) = R::create_hrefs(parent);
    let view = FormView {
        title: R::new_title(ctx.m).to_owned(),
        action,
        cancel,
        form: R::blank(),
        errors: FormErrors::new(),
        duplicates: Vec::new(),
        parent,
        record: None,
        status: StatusCode::OK,
    };
    R::form_page(st, ctx, view).await
}

async fn create_under<R: Editable>(
    st: &AppState,
    ctx: &Ctx,
    parent: &R::Parent,
    p: &Pairs,
) -> Result<Response, AppError> {
    let form: R::Form = typed::read(p)?;
    let confirmed = typed::read::<Confirm>(p)?.confirm_duplicates;
    let (action, cancel) = R::create_hrefs(parent);
    let again = |form, errors, duplicates, status| FormView {
        title: R::new_title(ctx.m).to_owned(),
        action,
        cancel,
        form,
        errors,
        duplicates,
        parent,
        record: None,
        status,
    };
    let at = Checking {
        st,
        ctx,
        parent,
        before: None,
    };
    let data = match R::validate(&form, at).await? {
        Ok(d) => d,
        Err(errors) => {
            let view = again(form, errors, Vec::new(), StatusCode::UNPROCESSABLE_ENTITY);
            return R::form_page(st, ctx, view).await;
        }
    };
    if !confirmed {
        let duplicates = R::duplicates(st, ctx, &data).await?;
        if !duplicates.is_empty() {
            let view = again(form, FormErrors::new(), duplicates, StatusCode::CONFLICT);
            return R::form_page(st, ctx, view).await;
        }
    }
    let r = write(st, ctx, async |tx, now| {
        let r = R::insert(tx, parent, &data, now).await?;
        let entry = created(&r);
        Ok::<_, AppError>(Audited::new(r, entry))
    })
    .await?;
    Ok(saved(st, &R::href(r.id())))
}

/// `GET …/new`: the form of a new record.
pub async fn new_form<R: Editable<Parent = ()>>(
    State(st): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    blank_form::<R>(&st, &ctx, &()).await
}

/// `POST` to the list: creates a record.
pub async fn create<R: Editable<Parent = ()>>(
    State(st): State<AppState>,
    ctx: Ctx,
    p: Pairs,
) -> Result<Response, AppError> {
    create_under::<R>(&st, &ctx, &(), &p).await
}

/// `GET …/{parent}/…/new`: the form of a new record under its parent.
pub async fn new_form_in<R: Nested>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let parent = R::parent(&st, id).await?;
    blank_form::<R>(&st, &ctx, &parent).await
}

/// `POST …/{parent}/…`: creates a record under its parent.
pub async fn create_in<R: Nested>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let parent = R::parent(&st, id).await?;
    create_under::<R>(&st, &ctx, &parent, &p).await
}

async fn editable<R: Editable>(st: &AppState, id: i64) -> Result<R, AppError> {
    let r: R = found(st, id).await?;
    if !r.editable() {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// `GET …/{id}/edit`.
pub async fn edit_form<R: Editable>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r: R = editable(&st, id).await?;
    let parent = r.parent_of(&st).await?;
    let view = FormView {
        title: r.summary(),
        action: R::href(id),
        cancel: R::href(id),
        form: r.form_of(&st).await?,
        errors: FormErrors::new(),
        duplicates: Vec::new(),
        parent: &parent,
        record: Some(&r),
        status: StatusCode::OK,
    };
    R::form_page(&st, &ctx, view).await
}

/// `POST …/{id}`: saves the edited record.
pub async fn update<R: Editable>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(form): Typed<R::Form>,
) -> Result<Response, AppError> {
    let before: R = editable(&st, id).await?;
    let parent = before.parent_of(&st).await?;
    let at = Checking {
        st: &st,
        ctx: &ctx,
        parent: &parent,
        before: Some(&before),
    };
    match R::validate(&form, at).await? {
        Ok(data) => {
            save(&st, &ctx, &before, &data).await?;
            Ok(saved(&st, &R::href(id)))
        }
        Err(errors) => {
            let view = FormView {
                title: before.summary(),
                action: R::href(id),
                cancel: R::href(id),
                form,
                errors,
                duplicates: Vec::new(),
                parent: &parent,
                record: Some(&before),
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            R::form_page(&st, &ctx, view).await
        }
    }
}

/// Saves `data` over `before`, with the entry of what changed.
pub async fn save<R: Editable>(
    st: &AppState,
    ctx: &Ctx,
    before: &R,
    data: &R::Data,
) -> Result<R, AppError> {
    write(st, ctx, async |tx, now| {
        let after = R::update(tx, before, data, now).await?;
        let entry = updated(before, &after);
        Ok::<_, AppError>(Audited::maybe(after, entry))
    })
    .await
}
