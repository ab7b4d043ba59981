//! Lists: filters in the query string (shareable), pages, CSV and XLSX
//! export of what the filters select; one template for every record type.

use super::Record;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::i18n::Messages;
use crate::shared::{Pager, html, page_number};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maillage_db::{DbErr, Page, PageRequest};
use maillage_domain::Action;
use serde::de::DeserializeOwned;
use std::future::Future;

/// A record type listed with filters, pages and exports.
pub trait Listed: Record {
    /// The query string of the list, typed.
    type Query: DeserializeOwned + Default + Send;
    /// The storage filter made from it.
    type Filter: Send + Sync;

    /// The list's address (`/team/organisations`); its new-record form is
    /// `{BASE}/new`, its exports `{BASE}/export/{csv,xlsx}`.
    const BASE: &'static str;
    /// The name of export files.
    const EXPORT: &'static str;
    /// The kind of the import page linked from the list, if any.
    const IMPORT: Option<&'static str>;
    /// Who may create one (and sees the link).
    const EDIT: Action;
    /// Who may export and import.
    const MANAGE: Action;

    fn title(m: &'static Messages) -> &'static str;
    fn new_label(m: &'static Messages) -> &'static str;

    /// The parameters the pages and export links keep.
    fn params(q: &Self::Query) -> Vec<(&'static str, String)>;

    /// The storage filter, or the message of a filter that cannot be
    /// understood (an unknown commune).
    fn filter(ctx: &Ctx, q: &Self::Query) -> Result<Self::Filter, String>;

    /// A filter that selects nothing (shown with the message).
    fn nothing() -> Self::Filter;

    /// The filter fields, as typed (`error`: the message of `filter`).
    fn filters(ctx: &Ctx, q: &Self::Query, error: Option<String>) -> Vec<FilterField>;

    /// The column headings (the first column is the record's link).
    fn columns(m: &'static Messages) -> Vec<&'static str>;

    /// A row: the link's text, then the other cells.
    fn row(ctx: &Ctx, r: &Self) -> (String, Vec<String>);

    fn page(
        st: &AppState,
        f: &Self::Filter,
        page: PageRequest,
    ) -> impl Future<Output = Result<Page<Self>, DbErr>> + Send;

    /// Every record the filter selects, as a table.
    fn export(
        st: &AppState,
        ctx: &Ctx,
        f: &Self::Filter,
    ) -> impl Future<Output = Result<Table, DbErr>> + Send;
}

/// An exported table: its headings and its rows.
pub type Table = (Vec<&'static str>, Vec<Vec<String>>);

/// One field of a list's filters.
pub enum FilterField {
    /// The search box (`q`).
    Search(String),
    /// A choice; `all` labels the empty option (none when empty).
    Select {
        name: &'static str,
        label: &'static str,
        choices: Vec<Choice>,
        all: &'static str,
    },
    /// A commune typed by name or code, with the message when unknown.
    Commune {
        value: String,
        error: Option<String>,
    },
    /// A box to tick.
    Check {
        name: &'static str,
        label: &'static str,
        checked: bool,
    },
}

impl FilterField {
    /// The commune (with the message of `error`) and EPCI filters.
    pub fn places(
        m: &'static Messages,
        (commune, epci): (&str, &str),
        error: Option<String>,
    ) -> [FilterField; 2] {
        [
            FilterField::Commune {
                value: commune.to_owned(),
                error,
            },
            FilterField::Select {
                name: "epci",
                label: m.field_epci,
                choices: crate::shared::places::epci_choices(&[], epci),
                all: m.all,
            },
        ]
    }
}

struct Row {
    href: String,
    name: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "shared/records/list.html")]
struct ListPage {
    l: Layout,
    base: &'static str,
    new_label: Option<&'static str>,
    import: Option<&'static str>,
    filters: Vec<FilterField>,
    columns: Vec<&'static str>,
    rows: Vec<Row>,
    pager: Pager,
    /// The query of the export links (for who may export).
    export_query: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET {BASE}`: a page of the list.
pub async fn list<R: Listed>(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<R::Query>,
    Query(p): Query<PageQuery>,
) -> Result<Response, AppError> {
    let (filter, error) = match R::filter(&ctx, &q) {
        Ok(f) => (f, None),
        Err(e) => (R::nothing(), Some(e)),
    };
    let page = R::page(
        &st,
        &filter,
        PageRequest::new(page_number(p.page.as_deref()), 50),
    )
    .await?;
    let params = R::params(&q);
    let can_manage = ctx.can(R::MANAGE);
    html(ListPage {
        l: ctx.layout(R::title(ctx.m)),
        base: R::BASE,
        new_label: ctx.can(R::EDIT).then(|| R::new_label(ctx.m)),
        import: R::IMPORT.filter(|_| can_manage),
        filters: R::filters(&ctx, &q, error),
        columns: R::columns(ctx.m),
        rows: page
            .items
            .iter()
            .map(|r| {
                let (name, cells) = R::row(&ctx, r);
                Row {
                    href: R::href(r.id()),
                    name,
                    cells,
                }
            })
            .collect(),
        pager: Pager::new(&page, R::BASE, &params),
        export_query: can_manage.then(|| crate::shared::query_string(&params)),
    })
}

/// `GET {BASE}/export/csv` and `/xlsx`, with the list's filters.
pub async fn export<R: Listed>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<R::Query>,
) -> Result<Response, AppError> {
    let filter = R::filter(&ctx, &q).map_err(|e| AppError::BadRequest(Some(e)))?;
    let (headers, rows) = R::export(&st, &ctx, &filter).await?;
    crate::shared::download::export_table(&format, R::EXPORT, &headers, &rows)
}
