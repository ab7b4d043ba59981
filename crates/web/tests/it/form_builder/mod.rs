//! The form builder of the team space: a questionnaire made through the
//! pages only (every kind of field, headings, help texts, reordering,
//! deleting, conditional display), the domain's messages beside the
//! fields with what was typed kept, the preview, a new version when the
//! form already has answers (the old ones still readable and counted),
//! roles, CSRF and stale pages.

mod attaching;
mod editing;
mod kinds;
mod versions;

use crate::util::{Client, Resp, TestApp};
use axum::http::StatusCode;
use maillage_db::forms::{self};
use maillage_domain::forms::Item;

/// The revision the builder page of form `id` carries.
pub async fn rev(c: &mut Client, id: i64) -> String {
    let r = c.get(&format!("/team/forms/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r.body.find(r#"name="rev" value=""#).expect("a rev field") + 18;
    r.body[at..at + 16].to_owned()
}

/// Creates a questionnaire through the pages; returns its id.
pub async fn new_questionnaire(c: &mut Client, title: &str) -> i64 {
    let r = c.get("/team/forms/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .post(
            "/team/forms",
            &[
                ("title", title),
                ("purpose", "questionnaire"),
                ("audience", "public"),
                ("anonymous", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .strip_prefix("/team/forms/")
        .unwrap()
        .parse()
        .unwrap()
}

/// Posts to the builder of `id` with the current revision.
pub async fn act(c: &mut Client, id: i64, path: &str, fields: &[(&str, &str)]) -> Resp {
    let rev = rev(c, id).await;
    let mut all = vec![("rev", rev.as_str())];
    all.extend_from_slice(fields);
    c.post(&format!("/team/forms/{id}/{path}"), &all).await
}

/// Saves item `n` of form `id` with `fields`.
pub async fn edit_item(c: &mut Client, id: i64, n: &str, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("n", n)];
    all.extend_from_slice(fields);
    act(c, id, "item", &all).await
}

pub async fn add_field(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("type", "field")];
    all.extend_from_slice(fields);
    act(c, id, "items", &all).await
}

pub async fn schema(app: &TestApp, id: i64) -> maillage_domain::forms::Schema {
    forms::find(app.db.conn(), id)
        .await
        .unwrap()
        .unwrap()
        .version
        .schema
}

pub fn keys(s: &maillage_domain::forms::Schema) -> Vec<String> {
    s.items
        .iter()
        .map(|i| match i {
            Item::Field(f) => f.key.clone(),
            Item::Section { title, .. } => format!("#{title}"),
            Item::HelpText { .. } => "?".into(),
        })
        .collect()
}
