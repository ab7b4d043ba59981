//! What the team writes in a bilan (`POST
//! /team/projects/{id}/report/notes/{section}`): a commentary and
//! highlights per section, kept with the edition, shown on the page and
//! printed in the PDF, the workbook and the API. A form under each
//! section, folded; refused input comes back beside its field, as typed.

use super::handlers::{self, Editing};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, Typed};
use crate::shared::records::{saved, write};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::projects;
use maillage_db::report_notes;
use maillage_domain::report::{SectionNote, section_key};
use maillage_reports::bilan::Bilan;
use serde::Deserialize;

/// A section's note as the page shows it, with its form.
pub struct NoteBox {
    pub anchor: String,
    pub paragraphs: Vec<String>,
    pub highlights: Vec<String>,
    /// What the form's fields hold: the note, or what was just typed.
    pub commentary_value: String,
    pub highlights_value: String,
    /// The form is unfolded (it was just refused).
    pub open: bool,
    pub commentary_error: Option<String>,
    pub highlights_error: Option<String>,
}

impl NoteBox {
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.highlights.is_empty()
    }

    pub fn of(bilan: &Bilan, anchor: &str, editing: Option<&Editing>) -> NoteBox {
        let note = bilan.note(anchor);
        let mut b = NoteBox {
            anchor: anchor.to_owned(),
            paragraphs: note.map_or_else(Vec::new, |n| n.paragraphs().map(str::to_owned).collect()),
            highlights: note.map_or_else(Vec::new, |n| n.highlights.clone()),
            commentary_value: note.map_or_else(String::new, |n| n.commentary.clone()),
            highlights_value: note.map_or_else(String::new, |n| n.highlights.join("\n")),
            open: false,
            commentary_error: None,
            highlights_error: None,
        };
        if let Some(e) = editing.filter(|e| e.anchor == anchor) {
            b.commentary_value = e.commentary.clone();
            b.highlights_value = e.highlights.clone();
            b.open = true;
            b.commentary_error = e
                .errors
                .get(&format!("{anchor}-commentary"))
                .map(str::to_owned);
            b.highlights_error = e
                .errors
                .get(&format!("{anchor}-highlights"))
                .map(str::to_owned);
        }
        b
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    commentary: String,
    highlights: String,
}

/// The errors of a refused note, each under its field's id in the page
/// (`{section}-commentary`), named by its label in the summary.
fn errors(ctx: &Ctx, anchor: &str, e: &maillage_domain::FieldErrors) -> FormErrors {
    let m = ctx.m;
    let mut prefixed = maillage_domain::FieldErrors::new();
    for (field, error) in e.iter() {
        prefixed.add(format!("{anchor}-{field}"), error.clone());
    }
    let mut out = FormErrors::from_fields(m, &prefixed);
    let (c, h) = (
        format!("{anchor}-commentary"),
        format!("{anchor}-highlights"),
    );
    out.name_fields(
        ctx.locale,
        [(c.as_str(), m.rp_commentary), (h.as_str(), m.rp_highlights)],
    );
    out
}

/// `POST /team/projects/{id}/report/notes/{section}`.
pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, section)): Path<(i64, String)>,
    Typed(f): Typed<NoteForm>,
) -> Result<Response, AppError> {
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let anchor = section_key(&section).map_err(|_| AppError::NotFound)?;
    let bilan = handlers::bilan_of(&st, p).await?;
    // Only the sections this bilan has.
    let known =
        anchor == "key_figures" || bilan.sections(ctx.locale).iter().any(|(a, _)| *a == anchor);
    if !known {
        return Err(AppError::NotFound);
    }
    let note = match SectionNote::parse(&f.commentary, &f.highlights) {
        Ok(n) => n,
        Err(e) => {
            let editing = Editing {
                errors: errors(&ctx, &anchor, &e),
                anchor,
                commentary: f.commentary,
                highlights: f.highlights,
            };
            return handlers::render(
                &ctx,
                id,
                &bilan,
                Some(editing),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let name = bilan.project.data.name.clone();
    write(&st, &ctx, async |tx, now| {
        report_notes::set(tx, id, &name, &anchor, &note, now).await
    })
    .await?;
    Ok(saved(&st, &format!("/team/projects/{id}/report#{anchor}")))
}
