//! People in the team space, on the records kit: the list and its export
//! (`list`), the page with memberships, data export and erasure (`show`),
//! create and edit with duplicate detection (`form`), delete, merge.

pub(super) mod form;
mod list;
pub(super) mod show;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::records::{Candidate, Deletable, Mergeable, Record};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use maillage_db::people::{self, Filter, Person, PersonData};
use maillage_db::{DbErr, PageRequest, WriteTx};
use maillage_domain::directory::Gender;
use serde_json::{Value, json};

pub fn snapshot(d: &PersonData) -> Value {
    json!({
        "first_name": d.first_name, "last_name": d.last_name, "email": d.email, "phone": d.phone,
        "gender": d.gender.map(Gender::code), "notes": d.notes,
        "roles": d.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
    })
}

impl Record for Person {
    const ENTITY: &'static str = "person";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.name()
    }

    fn snapshot(&self) -> Value {
        snapshot(&self.data)
    }

    fn href(id: i64) -> String {
        format!("/team/people/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Person>, DbErr> {
        people::find(st.db.conn(), id).await
    }
}

/// People as proposed to the user, with their e-mail and organisations.
pub fn candidates(list: &[Person]) -> Vec<Candidate> {
    list.iter()
        .map(|p| Candidate {
            id: p.id,
            name: p.name(),
            detail: [p.data.email.clone().unwrap_or_default()]
                .into_iter()
                .chain(p.memberships.iter().map(|m| m.organisation_name.clone()))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

impl Deletable for Person {
    fn after_delete(&self) -> String {
        "/team/people".into()
    }

    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        people::delete(tx, id).await.map(drop)
    }
}

impl Mergeable for Person {
    fn intro(m: &'static Messages) -> &'static str {
        m.merge_person_intro
    }

    async fn candidates(
        &self,
        st: &AppState,
        _: &Ctx,
        q: &str,
    ) -> Result<Vec<Candidate>, AppError> {
        let c = st.db.conn();
        let list = if q.trim().is_empty() {
            people::duplicates(c, &self.data, Some(self.id)).await?
        } else {
            let filter = Filter {
                query: Some(q.to_owned()),
                ..Default::default()
            };
            let page = people::list(c, &filter, PageRequest::new(1, 20)).await?;
            page.items.into_iter().filter(|x| x.id != self.id).collect()
        };
        Ok(candidates(&list))
    }

    async fn merge(
        tx: &WriteTx,
        kept: i64,
        removed: i64,
        now: DateTime<Utc>,
    ) -> Result<Person, DbErr> {
        people::merge(tx, kept, removed, now).await
    }

    /// Each entry names its own person.
    fn merge_summaries(_: &Person, removed: &Person, merged: &Person) -> (String, String) {
        (merged.name(), removed.name())
    }
}
