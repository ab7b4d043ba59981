//! The form builder of the team space (`/team/forms`): the forms by
//! purpose (`list`), a new form and its settings — title, purpose, the
//! project, activity or session it is attached to, the audience of a
//! questionnaire, anonymity, one answer per link — and its copy for the
//! next edition (`settings`), and the builder itself (`page`): the items
//! in order, each with edit, move up, move down and delete; adding a
//! field of any kind, a section heading or a help text; conditional
//! display on an earlier choice or yes/no answer (`changes`, one item's
//! page `item`, reading what was typed in `items`). No JavaScript: every
//! action is a plain form POST carrying the revision of the schema it was
//! made on (`rev`), so a change made on a stale page is refused instead of
//! moving the wrong item. Every form of the builder is drawn by one
//! generic view (`edit_form`).
//!
//! Every change builds the whole new schema, checks it with
//! [`Schema::validate`] and saves it with [`forms::save_schema`]: while
//! nothing answered the current version it is replaced, once answers
//! exist a new version is made and the old answers keep theirs. The
//! domain's messages are shown beside the fields they concern, with what
//! was typed kept. The preview (`preview`) draws the form exactly as
//! respondents see it (`view::items` and the `fields` macro) and only
//! validates.
//!
//! [`Schema::validate`]: maillage_domain::forms::Schema::validate
//! [`forms::save_schema`]: maillage_db::forms::save_schema

pub(crate) mod changes;
mod edit_form;
pub(crate) mod item;
mod items;
pub(crate) mod list;
pub(crate) mod page;
pub(crate) mod preview;
pub(crate) mod settings;

use crate::error::AppError;
use crate::i18n::Messages;
use crate::state::AppState;
use maillage_db::forms::{self, Form, questionnaires, submissions};
use maillage_domain::forms::{FileKind, Purpose};

/// The kinds of field the builder offers, by code, with their names.
fn kinds(m: &Messages) -> [(&'static str, &'static str); 14] {
    [
        ("short_text", m.fb_kind_short_text),
        ("long_text", m.fb_kind_long_text),
        ("email", m.fb_kind_email),
        ("phone", m.fb_kind_phone),
        ("number", m.fb_kind_number),
        ("date", m.fb_kind_date),
        ("time", m.fb_kind_time),
        ("single_choice", m.fb_kind_single_choice),
        ("multiple_choice", m.fb_kind_multiple_choice),
        ("dropdown", m.fb_kind_dropdown),
        ("scale", m.fb_kind_scale),
        ("nps", m.fb_kind_nps),
        ("yes_no", m.fb_kind_yes_no),
        ("file", m.fb_kind_file),
    ]
}

/// The name of the kind of field `code`.
fn kind_label(m: &Messages, code: &str) -> &'static str {
    kinds(m)
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(m.fb_kind_file, |(_, l)| l)
}

fn file_kind_label(k: FileKind) -> &'static str {
    match k {
        FileKind::Pdf => "PDF",
        FileKind::Png => "PNG",
        FileKind::Jpeg => "JPEG",
        FileKind::Odt => "ODT (LibreOffice)",
        FileKind::Docx => "DOCX (Word)",
    }
}

/// The revision of a form's questions, carried by every builder form: a
/// change made on a page showing another revision is refused.
fn rev(f: &Form) -> String {
    let d =
        maillage_domain::token::digest(&format!("{}:{}", f.version.id, f.version.schema.to_json()));
    d[..16].to_owned()
}

/// How many answers (responses or submissions) the form has, all versions.
async fn answers_count(st: &AppState, f: &Form) -> Result<u64, AppError> {
    let c = st.db.conn();
    if f.data.purpose == Purpose::Questionnaire {
        Ok(questionnaires::count(c, f.id, &Default::default()).await?)
    } else {
        Ok(submissions::list(
            c,
            &submissions::Filter {
                form_id: Some(f.id),
                include_drafts: true,
                ..Default::default()
            },
        )
        .await?
        .len() as u64)
    }
}

/// Whether the form's current version has answers (a change then makes a
/// new version).
async fn has_answers(st: &AppState, f: &Form) -> Result<bool, AppError> {
    Ok(forms::has_answers(st.db.conn(), f.version.id).await?)
}
