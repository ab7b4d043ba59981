//! The programme editor of the team space: projects with partners, activity
//! forms that keep what was typed, sessions across daylight-saving changes,
//! series, bulk publish and cancel, conflict warnings, reconduction, and who
//! may read or edit.

mod activity_form;
mod bulk;
mod project_forms;
mod session_venues;

use crate::util::TestApp;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_db::now;
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects::ProjectData;
use maillage_db::testing::{self};
use maillage_db::venues::{self, SpaceData};
use maillage_domain::directory::SpaceKind;
use maillage_domain::programme::{ActivityStatus, Format, ProjectStatus};

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub async fn project(app: &TestApp, slug: &str, year: i32, status: ProjectStatus) -> i64 {
    let name = format!("Fête de la science {year}");
    let data = ProjectData {
        ends_on: NaiveDate::from_ymd_opt(year, 10, 31).unwrap(),
        status,
        ..testing::project_data(slug, &name, year)
    };
    testing::project(app.db.conn(), &data).await.id
}

pub async fn activity(app: &TestApp, project: i64, title: &str, place: (i64, Option<i64>)) -> i64 {
    let c = app.db.conn();
    activities::insert(
        c,
        &ActivityData {
            project_id: project,
            slug: activities::free_slug(c, project, title, None)
                .await
                .unwrap(),
            title: title.into(),
            format: Some(Format::Workshop),
            venue_id: Some(place.0),
            space_id: place.1,
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap()
    .id
}

/// Cosmocité with its planetarium and its immersive room.
pub async fn cosmocite(app: &TestApp) -> (i64, i64, i64) {
    let c = app.db.conn();
    let v = venues::insert(c, &testing::venue("Cosmocité", "38317"), now())
        .await
        .unwrap();
    let space = |name: &str, kind| SpaceData {
        name: name.into(),
        kind,
        capacity: Some(80),
        notes: None,
    };
    let planetarium = venues::add_space(
        c,
        v.id,
        &space("Planétarium", SpaceKind::Planetarium),
        now(),
    )
    .await
    .unwrap();
    let immersive = venues::add_space(
        c,
        v.id,
        &space("Salle immersive", SpaceKind::ImmersiveRoom),
        now(),
    )
    .await
    .unwrap();
    (v.id, planetarium, immersive)
}

pub async fn find(app: &TestApp, id: i64) -> Activity {
    activities::find(app.db.conn(), id).await.unwrap().unwrap()
}
