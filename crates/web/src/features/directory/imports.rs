//! Importing the directory from CSV or XLSX: upload, dry run listing every
//! problem by line and column, then confirmation (everything or nothing).

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Choice, Pairs};
use crate::i18n::{Messages, issue_text, read_error_text};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::imports;
use maillage_directory::import::{self, Kind, Plan};
use serde::Deserialize;

fn kind_label(m: &Messages, k: Kind) -> &'static str {
    match k {
        Kind::Organisations => m.org_title,
        Kind::People => m.person_title,
        Kind::Venues => m.venue_title,
    }
}

fn kind_choices(m: &Messages, selected: Option<Kind>) -> Vec<Choice> {
    Kind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), kind_label(m, *k), Some(*k) == selected))
        .collect()
}

struct ColumnHelp {
    field: &'static str,
    names: String,
}

#[derive(Template)]
#[template(path = "directory/imports/form.html")]
struct FormPage {
    l: Layout,
    kinds: Vec<Choice>,
    columns: Vec<ColumnHelp>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FormQuery {
    kind: String,
}

/// The form again with the message of what was refused (422).
fn refused(ctx: &Ctx, kind: Option<Kind>, error: String) -> Result<Response, AppError> {
    form_page(ctx, kind, Some(error), StatusCode::UNPROCESSABLE_ENTITY)
}

fn form_page(
    ctx: &Ctx,
    kind: Option<Kind>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let shown = kind.unwrap_or(Kind::Organisations);
    html_status(
        status,
        FormPage {
            l: ctx.layout(ctx.m.import_title),
            kinds: kind_choices(ctx.m, kind),
            columns: shown
                .columns()
                .iter()
                .map(|(field, names)| ColumnHelp {
                    field,
                    names: names.join(", "),
                })
                .collect(),
            error,
        },
    )
}

pub async fn form(ctx: Ctx, Query(q): Query<FormQuery>) -> Result<Response, AppError> {
    form_page(&ctx, Kind::parse(&q.kind), None, StatusCode::OK)
}

struct ProblemRow {
    line: usize,
    column: String,
    value: String,
    message: String,
}

struct WarningRow {
    line: usize,
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "directory/imports/report.html")]
struct ReportPage {
    l: Layout,
    kind: Kind,
    kind_label: &'static str,
    filename: String,
    rows: usize,
    batch: i64,
    problems: Vec<ProblemRow>,
    warnings: Vec<WarningRow>,
}

fn report(ctx: &Ctx, plan: &Plan, filename: &str, batch: i64) -> Result<Response, AppError> {
    let status = if plan.is_clean() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html_status(
        status,
        ReportPage {
            l: ctx.layout(ctx.m.import_report_title),
            kind: plan.kind,
            kind_label: kind_label(ctx.m, plan.kind),
            filename: filename.to_owned(),
            rows: plan.rows,
            batch,
            problems: plan
                .problems
                .iter()
                .map(|p| ProblemRow {
                    line: p.line,
                    column: p.column.clone(),
                    value: p.value.clone(),
                    message: issue_text(ctx.m, &p.issue),
                })
                .collect(),
            warnings: plan
                .warnings
                .iter()
                .map(|w| WarningRow {
                    line: w.line,
                    id: w.existing_id,
                    name: w.existing_name.clone(),
                })
                .collect(),
        },
    )
}

/// `POST /team/import` (multipart: `kind`, `file`): the dry run.
pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest(None))?
    {
        match field.name().unwrap_or("") {
            "kind" => {
                kind = Kind::parse(&field.text().await.map_err(|_| AppError::BadRequest(None))?)
            }
            "file" => {
                let name = field.file_name().unwrap_or("import").to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let Some(kind) = kind else {
        return refused(&ctx, None, ctx.m.import_choose_kind.into());
    };
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(&ctx, Some(kind), ctx.m.import_choose_file.into());
    };
    let plan = match import::plan(st.db.conn(), kind, &bytes).await? {
        Ok(p) => p,
        Err(e) => {
            return refused(&ctx, Some(kind), read_error_text(ctx.m, &e));
        }
    };
    let batch = if plan.is_clean() {
        imports::save(
            st.db.conn(),
            user.id,
            kind.into(),
            &filename,
            bytes,
            maillage_db::now(),
        )
        .await?
    } else {
        0
    };
    report(&ctx, &plan, &filename, batch)
}

/// `POST /team/import/{batch}/confirm`: imports the checked file, all or nothing.
pub async fn confirm(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    _p: Pairs,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let now = maillage_db::now();
    let batch = imports::find(st.db.conn(), id, user.id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = Kind::from(batch.kind);
    let tx = st.db.write().await?;
    let plan = match import::plan(&tx, kind, &batch.content).await? {
        Ok(p) => p,
        Err(e) => {
            return refused(&ctx, Some(kind), read_error_text(ctx.m, &e));
        }
    };
    if !plan.is_clean() {
        // Something changed since the dry run (an organisation deleted…).
        drop(tx);
        return report(&ctx, &plan, &batch.filename, 0);
    }
    let count = import::apply(&tx, &plan, &ctx.actor(), &batch.filename, now).await?;
    imports::delete(&tx, id).await?;
    tx.commit().await?;
    tracing::info!(count, kind = kind.code(), "import done");
    let to = match kind {
        Kind::Organisations => "/team/organisations?sort=recent",
        Kind::People => "/team/people",
        Kind::Venues => "/team/venues",
    };
    Ok(redirect_flash(&st, to, Flash::Imported))
}
