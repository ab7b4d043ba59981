//! The directory in the team space and in public: organisations, people,
//! venues, imports, partners kept to their own organisation, the public
//! directory and its API.

mod access;
mod import;
mod organisation_pages;
mod people_venues;

use crate::util::{Client, Resp};

pub fn id_from(location: &str) -> i64 {
    location
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Imports a CSV of organisations (a dry run first, as the page does).
pub async fn import_organisations(c: &mut Client, csv: &str) -> Resp {
    c.post_multipart(
        "/team/import",
        &[("kind", "organisations")],
        ("file", "orgs.csv", csv.as_bytes()),
    )
    .await
}
