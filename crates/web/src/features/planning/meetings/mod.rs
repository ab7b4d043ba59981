//! Meetings in the team space, on the records kit: the list (`list`),
//! create and edit (`form`), the page with attendees, agenda and minutes
//! (`show`), what changes them, the minutes e-mailed and the invitation
//! (`minutes`).

pub(super) mod form;
pub(super) mod list;
pub(super) mod minutes;
pub(super) mod show;

use crate::shared::records::{Deletable, Record};
use crate::state::AppState;
use maillage_db::planning::meetings::{self, Meeting};
use maillage_db::{DbErr, WriteTx};
use serde_json::Value;

impl Record for Meeting {
    const ENTITY: &'static str = "meeting";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.data.title.clone()
    }

    fn snapshot(&self) -> Value {
        Meeting::snapshot(self)
    }

    fn href(id: i64) -> String {
        format!("/team/meetings/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Meeting>, DbErr> {
        meetings::find(st.db.conn(), id).await
    }
}

impl Deletable for Meeting {
    fn after_delete(&self) -> String {
        "/team/meetings".into()
    }

    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        meetings::delete(tx, id).await.map(drop)
    }
}
