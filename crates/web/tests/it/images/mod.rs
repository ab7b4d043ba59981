//! Images of activities and projects: uploaded by the team with their
//! alternative text, resized without enlarging, served with year-long
//! caching under names that change with the picture, shown on the public
//! pages with `srcset`, sizes and alt, in JSON-LD and OpenGraph.

mod api;
mod checks;
mod owners;
mod serving;

use crate::util::{Client, TestApp};
use axum::http::{HeaderMap, StatusCode};
use maillage_db::media::{self, Owner};
use maillage_db::now;
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing;
use maillage_domain::programme::{ActivityStatus, SessionStatus};
use maillage_media::image::{self, ImageEncoder, Rgb, RgbImage};

pub fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    })
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = picture(width, height);
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = picture(width, height);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

pub struct Setup {
    pub project: i64,
    pub published: i64,
    pub draft: i64,
}

pub const PUBLISHED_URL: &str = "/p/fds-2025/a/voyage-planetarium";

pub async fn setup(app: &TestApp) -> Setup {
    let c = app.db.conn();
    let t = now();
    let fds = testing::project_data("fds-2025", "Fête de la science 2025", 2025);
    let p = testing::project(c, &fds).await;
    let activity = |slug: &str, title: &str, status| ActivityData {
        summary: Some("Les étoiles d'automne sous la coupole.".into()),
        status: Some(status),
        ..testing::published_activity(p.id, slug, title)
    };
    let published = activities::insert(
        c,
        &activity(
            "voyage-planetarium",
            "Voyage au planétarium",
            ActivityStatus::Published,
        ),
        t,
    )
    .await
    .unwrap();
    let draft = activities::insert(
        c,
        &activity("brouillon", "Atelier en préparation", ActivityStatus::Draft),
        t,
    )
    .await
    .unwrap();
    let s = SessionData {
        starts_at: t,
        ends_at: t + chrono::TimeDelta::hours(1),
        capacity: None,
        status: SessionStatus::Scheduled,
        venue_id: None,
    };
    sessions::insert(c, published.id, &s, t).await.unwrap();
    Setup {
        project: p.id,
        published: published.id,
        draft: draft.id,
    }
}

/// [`setup`] on a new application, and a member of staff signed in.
pub async fn staffed() -> (TestApp, Setup, Client) {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let staff = app.signed_in(maillage_domain::Role::Staff).await;
    (app, s, staff)
}

pub fn form_path(id: i64) -> String {
    format!("/team/programme/activities/{id}/image")
}

pub async fn upload(
    c: &mut Client,
    id: i64,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
) -> crate::util::Resp {
    c.post_multipart(&form_path(id), fields, ("file", file_name, bytes))
        .await
}

/// A GET that keeps the body as bytes, with the client's cookies.
pub async fn get_bytes(
    app: &TestApp,
    client: Option<&Client>,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut c = app.client();
    if let Some(signed_in) = client {
        c.cookies = signed_in.cookies.clone();
    }
    let r = c.get_with(path, headers).await;
    (r.status, r.headers, r.bytes)
}

/// The image of activity `id`.
pub async fn image_of(app: &TestApp, id: i64) -> media::Image {
    media::find(app.db.conn(), Owner::Activity(id))
        .await
        .unwrap()
        .unwrap()
}
