//! Venues and their spaces in the team space, on the records kit: the list
//! and its export (`list`), the page (`show`), create and edit (`form`),
//! delete; the spaces of a venue (`spaces`).

mod form;
mod list;
pub(super) mod show;
pub(super) mod spaces;

use crate::shared::records::{Deletable, Record};
use crate::state::AppState;
use maillage_db::venues::{self, Venue, VenueData};
use maillage_db::{DbErr, WriteTx};
use serde_json::{Value, json};

pub fn snapshot(d: &VenueData) -> Value {
    json!({
        "name": d.name, "organisation_id": d.organisation_id, "address": d.address, "postcode": d.postcode,
        "commune_insee": d.commune_insee, "lat": d.lat, "lon": d.lon,
        "public_transport": d.public_transport, "parking": d.parking,
        "wheelchair": d.access.wheelchair, "hearing_loop": d.access.hearing_loop,
        "visual": d.access.visual, "cognitive": d.access.cognitive,
        "accessibility_notes": d.accessibility_notes, "description": d.description,
    })
}

impl Record for Venue {
    const ENTITY: &'static str = "venue";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.data.name.clone()
    }

    fn snapshot(&self) -> Value {
        snapshot(&self.data)
    }

    fn href(id: i64) -> String {
        format!("/team/venues/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Venue>, DbErr> {
        venues::find(st.db.conn(), id).await
    }
}

impl Deletable for Venue {
    fn after_delete(&self) -> String {
        "/team/venues".into()
    }

    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        venues::delete(tx, id).await.map(drop)
    }
}
