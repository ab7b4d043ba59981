//! Answering a call online: a partner with their login (organisation and
//! venue from the account), an applicant with files checked by content,
//! the deadline, pages, save and resume by secret link, CSRF.

mod files;
mod partner;
mod person;
mod resume;
mod window;

use crate::util::TestApp;
use chrono::TimeDelta;
use maillage_db::forms::calls::{self, CallData};
use maillage_db::forms::{self};
use maillage_db::programme::projects::ProjectData;
use maillage_db::testing;
use maillage_domain::forms::{CallKind, Choice, FileKind, Item, Kind, Schema};
use maillage_domain::programme::ProjectStatus;

/// A tiny valid PDF.
pub fn pdf(title: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
         4 0 obj << /Title ({title}) >> endobj\n\
         trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

pub fn field(key: &str, label: &str, required: bool, kind: Kind) -> Item {
    Item::field(key, label, required, kind)
}

/// A call open since yesterday, closing in a week.
pub async fn make_call(app: &TestApp, slug: &str, kind: CallKind, schema: Schema) -> calls::Call {
    let c = app.db.conn();
    let now = maillage_db::now();
    let p = testing::project(
        c,
        &ProjectData {
            starts_on: chrono::NaiveDate::from_ymd_opt(2099, 10, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2099, 10, 11).unwrap(),
            status: ProjectStatus::Draft,
            ..testing::project_data(&format!("p-{slug}"), &format!("Projet {slug}"), 2099)
        },
    )
    .await;
    let form = forms::create(
        c,
        &testing::call_form_data(&format!("Formulaire {slug}"), kind, p.id),
        &schema,
        now,
    )
    .await
    .unwrap();
    calls::create(
        c,
        &CallData {
            form_id: form.id,
            project_id: p.id,
            kind,
            slug: slug.into(),
            title: format!("Appel {slug}"),
            opens_at: now - TimeDelta::days(1),
            closes_at: now + TimeDelta::days(7),
            retention_months: maillage_db::forms::calls::DEFAULT_RETENTION_MONTHS,
        },
        now,
    )
    .await
    .unwrap()
}

/// The internship call `stage`: a CV of 5 MB and a letter of 1 MB at most.
pub async fn internship(app: &TestApp) -> calls::Call {
    let schema = application_schema(1024 * 1024);
    make_call(app, "stage", CallKind::Application, schema).await
}

/// The secret of a resume link in a location or a page.
pub fn secret_in(s: &str) -> String {
    let i = s.find("/reponse/").expect("a resume link") + "/reponse/".len();
    s[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

pub fn application_schema(letter_max: u64) -> Schema {
    Schema {
        items: vec![
            field("name", "Nom et prénom", true, Kind::ShortText),
            field("email", "Adresse électronique", true, Kind::Email),
            field(
                "cv",
                "CV (PDF)",
                true,
                Kind::File {
                    types: vec![FileKind::Pdf],
                    max_bytes: 5 * 1024 * 1024,
                },
            ),
            field(
                "letter",
                "Lettre de motivation (PDF)",
                true,
                Kind::File {
                    types: vec![FileKind::Pdf],
                    max_bytes: letter_max,
                },
            ),
        ],
    }
}

pub fn paged_schema() -> Schema {
    Schema {
        items: vec![
            Item::Section {
                title: "Votre projet".into(),
                help: None,
            },
            field("title", "Titre", true, Kind::ShortText),
            Item::Section {
                title: "Détails".into(),
                help: None,
            },
            field(
                "audience",
                "Publics",
                false,
                Kind::MultipleChoice {
                    options: vec![
                        Choice {
                            key: "young".into(),
                            label: "Jeunes".into(),
                        },
                        Choice {
                            key: "adults".into(),
                            label: "Adultes".into(),
                        },
                    ],
                    min: None,
                    max: None,
                },
            ),
            field("details", "Détails", true, Kind::LongText),
        ],
    }
}
