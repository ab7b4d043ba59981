//! The team's records (organisations, people, venues and spaces, projects,
//! activities and sessions) change through one audited write path: every
//! route that changes one writes exactly the audit entries of its change,
//! on the right record, and a refused change writes none. The walk covers
//! every POST route of these records in the route table, so a new route
//! without its case here fails.

mod directory;
mod programme;

use crate::util::{Client, TestApp};
use axum::http::{Method, StatusCode};
use maillage_db::PageRequest;
use maillage_db::audit::{self, AuditFilter};
use maillage_domain::Role;
use std::collections::BTreeSet;

/// The prefixes of the record routes walked.
const PREFIXES: &[&str] = &[
    "/team/organisations",
    "/team/memberships",
    "/team/people",
    "/team/venues",
    "/team/spaces",
    "/team/programme",
    "/partner/organisation",
    "/partner/people",
];

const OK: StatusCode = StatusCode::SEE_OTHER;
const BAD: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

struct Walk<'a> {
    app: &'a TestApp,
    c: Client,
    /// The id of the last entry seen.
    last: i64,
    covered: BTreeSet<&'static str>,
}

impl Walk<'_> {
    /// The entries written since the last call, oldest first, as
    /// `action entity #id`.
    async fn new_entries(&mut self) -> Vec<String> {
        let filter = AuditFilter::default();
        let page = audit::list(self.app.db.conn(), &filter, PageRequest::new(1, 100))
            .await
            .unwrap();
        let mut out: Vec<_> = page
            .items
            .iter()
            .filter(|e| e.id > self.last)
            .map(|e| {
                (
                    e.id,
                    format!("{} {} #{}", e.action, e.entity_type, e.entity_id),
                )
            })
            .collect();
        out.sort();
        if let Some((id, _)) = out.last() {
            self.last = *id;
        }
        out.into_iter().map(|(_, e)| e).collect()
    }

    /// Posts `fields` to the route `route` for the record `id`, expects
    /// `status` and exactly the entries `expected`; returns the redirect.
    async fn post(
        &mut self,
        (route, id): (&'static str, &str),
        fields: &[(&str, &str)],
        status: StatusCode,
        expected: &[&str],
    ) -> String {
        let path = route.replace("{id}", id);
        self.new_entries().await;
        let r = self.c.post(&path, fields).await;
        assert_eq!(r.status, status, "POST {path}: {}", r.body);
        assert_eq!(self.new_entries().await, expected, "POST {path}");
        self.covered.insert(route);
        r.header("location").to_owned()
    }

    /// Like `post`, for a creation: the new record's id.
    async fn create(
        &mut self,
        route: &'static str,
        fields: &[(&str, &str)],
        entry: &str,
    ) -> String {
        let location = self.post((route, ""), fields, OK, &[entry]).await;
        let id = entry.rsplit('#').next().unwrap();
        assert!(location.ends_with(&format!("/{id}")), "{location}");
        id.to_owned()
    }
}

#[tokio::test]
async fn every_change_of_a_team_record_writes_its_audit_entries() {
    let app = TestApp::new().await;
    let mut w = Walk {
        app: &app,
        c: app.signed_in(Role::Staff).await,
        last: 0,
        covered: BTreeSet::new(),
    };
    let made = directory::walk(&mut w).await;
    programme::walk(&mut w, &made).await;
    directory::finish(&mut w, &made).await;
    // The last organisation goes.
    let entry = format!("delete organisation #{}", made.org);
    w.post(
        ("/team/organisations/{id}/delete", &made.org),
        &[],
        OK,
        &[&entry],
    )
    .await;

    let walked: BTreeSet<&str> = maillage_web::route_table()
        .iter()
        .filter(|r| r.method == Method::POST)
        .map(|r| r.path)
        .filter(|p| PREFIXES.iter().any(|x| p.starts_with(x)))
        // Images are files of their own, with their tests (`images.rs`).
        .filter(|p| !p.contains("/image"))
        .collect();
    let missing: Vec<_> = walked.difference(&w.covered).collect();
    assert!(
        missing.is_empty(),
        "record routes without their case: {missing:?}"
    );
}
