//! The team's review of calls on the demo season: the calls and their
//! counts, a call's submissions with filters and averages, one submission
//! (answers, comments, reviewers, scores), status changes allowed and
//! refused, staged decisions sent in one batch with one e-mail per
//! submitter, the accepted proposal's draft activity on the team
//! programme, the uploads served as attachments to the team and the
//! assigned reviewers only, and CSRF.

mod call_editor;
mod decisions;
mod files;

use crate::util::{Client, TestApp};
use maillage_db::forms::calls::{self, Call};
use maillage_db::forms::submissions::{self, Filter, Submission};
use maillage_domain::Role;

/// A client signed in as a new user (the demo has its own accounts).
pub async fn signed_in(app: &TestApp, role: Role, name: &str) -> (Client, i64) {
    let email = format!("rv-{name}@example.org");
    let (c, u) = app.signed_in_as(&email, role).await;
    (c, u.id)
}

pub async fn call(app: &TestApp, slug: &str) -> Call {
    calls::find_by_slug(app.db.conn(), slug)
        .await
        .unwrap()
        .unwrap()
}

pub async fn by_name(app: &TestApp, call: i64, name: &str) -> Submission {
    submissions::list(
        app.db.conn(),
        &Filter {
            call_id: Some(call),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .find(|s| s.submitter.name == name)
    .unwrap_or_else(|| panic!("no submission from {name}"))
}

pub async fn status_of(app: &TestApp, id: i64) -> Submission {
    submissions::find(app.db.conn(), id).await.unwrap().unwrap()
}
