//! Images of activities and projects: the team uploads one (JPEG, PNG or
//! WebP) with its alternative text, required in French; it is resized to a
//! few widths and served under `/media/{id}-{digest}-{width}.jpg`, a name
//! that changes whenever the picture does, so browsers and proxies keep it
//! for a year. Visitors see the images of what is public only.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::{Messages, fill};
use crate::shared::audit::record;
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_db::audit::{self, Change};
use maillage_db::media::{self, Image, ImageText, NewImage, NewVariant, Owner};
use maillage_db::programme::{activities, projects};
use maillage_domain::Action;
use maillage_domain::Locale;
use maillage_domain::text::fold;
use maillage_media::MediaError;
use serde_json::json;
use tokio::sync::Semaphore;

/// Longest alternative text or credit accepted.
pub const MAX_TEXT: usize = 300;

/// Decoding a large picture takes memory: two at a time at most.
static PROCESSING: Semaphore = Semaphore::const_new(2);

/// An image as a page shows it.
pub struct ImageView {
    /// The narrowest copy wide enough for `sizes`.
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// `fr` when an English page falls back on the French text.
    pub alt_lang: Option<&'static str>,
    pub credit: Option<String>,
    /// The widest copy, absolute (OpenGraph, JSON-LD).
    pub large_url: String,
    pub large_width: u32,
    pub large_height: u32,
}

impl ImageView {
    /// `wanted` is the width the page shows it at, about.
    pub fn new(img: &Image, locale: Locale, base: &str, wanted: u32) -> Option<ImageView> {
        let large = img.largest()?;
        let shown = img.at_least(wanted)?;
        Some(ImageView {
            src: img.path(shown.width),
            srcset: img
                .variants
                .iter()
                .map(|v| format!("{} {}w", img.path(v.width), v.width))
                .collect::<Vec<_>>()
                .join(", "),
            width: large.width,
            height: large.height,
            alt: img.alt(locale == Locale::En).to_owned(),
            alt_lang: (locale == Locale::En && img.alt(true) == img.text.alt_fr).then_some("fr"),
            credit: img.text.credit.clone().filter(|c| !c.trim().is_empty()),
            large_url: format!("{base}{}", img.path(large.width)),
            large_width: large.width,
            large_height: large.height,
        })
    }

    /// A schema.org `ImageObject`.
    pub fn json_ld(&self) -> serde_json::Value {
        let mut v = json!({
            "@type": "ImageObject",
            "url": self.large_url,
            "contentUrl": self.large_url,
            "width": self.large_width,
            "height": self.large_height,
            "caption": self.alt,
        });
        if let Some(c) = &self.credit {
            v["creditText"] = json!(c);
        }
        v
    }
}

/// Whom an image belongs to, with what the form page shows of it.
struct Subject {
    owner: Owner,
    title: String,
    /// The form's own address.
    action: String,
    /// The public page.
    public_url: String,
}

async fn activity_subject(st: &AppState, id: i64) -> Result<Subject, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Subject {
        owner: Owner::Activity(id),
        title: a.data.title,
        action: format!("/team/programme/activities/{id}/image"),
        public_url: format!("/p/{}/a/{}", p.data.slug, a.data.slug),
    })
}

async fn project_subject(st: &AppState, id: i64) -> Result<Subject, AppError> {
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Subject {
        owner: Owner::Project(id),
        title: p.data.name,
        action: format!("/team/programme/projects/{id}/image"),
        public_url: format!("/p/{}", p.data.slug),
    })
}

/// What was typed, kept when the form comes back.
#[derive(Default)]
struct ImageForm {
    alt_fr: String,
    alt_en: String,
    credit: String,
}

#[derive(Template)]
#[template(path = "programme/images/form.html")]
struct FormPage {
    l: Layout,
    heading: String,
    action: String,
    public_url: String,
    current: Option<ImageView>,
    f: ImageForm,
    errors: FormErrors,
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    s: &Subject,
    f: Option<ImageForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let image = media::find(st.db.conn(), s.owner).await?;
    let f = f.unwrap_or_else(|| match &image {
        Some(i) => ImageForm {
            alt_fr: i.text.alt_fr.clone(),
            alt_en: i.text.alt_en.clone().unwrap_or_default(),
            credit: i.text.credit.clone().unwrap_or_default(),
        },
        None => ImageForm::default(),
    });
    let heading = fill(ctx.m.image_heading, &[("title", &s.title)]);
    html_status(
        status,
        FormPage {
            l: ctx.layout(heading.clone()),
            heading,
            action: s.action.clone(),
            public_url: s.public_url.clone(),
            current: image
                .as_ref()
                .and_then(|i| ImageView::new(i, ctx.locale, &st.config.base_url, 640)),
            f,
            errors,
        },
    )
}

/// `GET /team/programme/activities/{id}/image`
pub async fn activity_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = activity_subject(&st, id).await?;
    form_page(&st, &ctx, &s, None, FormErrors::new(), StatusCode::OK).await
}

/// `GET /team/programme/projects/{id}/image`
pub async fn project_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = project_subject(&st, id).await?;
    form_page(&st, &ctx, &s, None, FormErrors::new(), StatusCode::OK).await
}

/// `POST /team/programme/activities/{id}/image` (multipart).
pub async fn activity_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let s = activity_subject(&st, id).await?;
    save(st, ctx, s, multipart).await
}

/// `POST /team/programme/projects/{id}/image` (multipart).
pub async fn project_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let s = project_subject(&st, id).await?;
    save(st, ctx, s, multipart).await
}

/// `POST /team/programme/activities/{id}/image/delete`
pub async fn activity_delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    _p: Pairs,
) -> Result<Response, AppError> {
    let s = activity_subject(&st, id).await?;
    delete(st, ctx, s).await
}

/// `POST /team/programme/projects/{id}/image/delete`
pub async fn project_delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    _p: Pairs,
) -> Result<Response, AppError> {
    let s = project_subject(&st, id).await?;
    delete(st, ctx, s).await
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an alternative text only repeats the file's name
/// ("IMG_2041.jpg", "img 2041", "affiche-2025").
pub fn repeats_file_name(alt: &str, file_name: &str) -> bool {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let a = fold(alt);
    !a.is_empty() && (a == fold(name) || a == fold(stem))
}

/// The alternative texts and credit, checked.
fn check_text(m: &Messages, f: &ImageForm, file_name: Option<&str>, e: &mut FormErrors) {
    if f.alt_fr.is_empty() {
        e.add("alt_fr", m.image_alt_required);
    } else if file_name.is_some_and(|n| repeats_file_name(&f.alt_fr, n)) {
        e.add("alt_fr", m.image_alt_file_name);
    } else if f.alt_fr.chars().count() > MAX_TEXT {
        e.add(
            "alt_fr",
            fill(m.image_too_long, &[("max", &MAX_TEXT.to_string())]),
        );
    }
    if file_name.is_some_and(|n| repeats_file_name(&f.alt_en, n)) {
        e.add("alt_en", m.image_alt_file_name);
    } else if f.alt_en.chars().count() > MAX_TEXT {
        e.add(
            "alt_en",
            fill(m.image_too_long, &[("max", &MAX_TEXT.to_string())]),
        );
    }
    if f.credit.chars().count() > MAX_TEXT {
        e.add(
            "credit",
            fill(m.image_too_long, &[("max", &MAX_TEXT.to_string())]),
        );
    }
}

fn media_error_text(m: &Messages, e: &MediaError) -> String {
    match e {
        MediaError::Empty => m.image_file_required.to_owned(),
        MediaError::TooLarge { .. } => m.image_too_large.to_owned(),
        MediaError::Unsupported => m.image_unsupported.to_owned(),
        MediaError::TooManyPixels { .. } => m.image_too_many_pixels.to_owned(),
        MediaError::Corrupt(_) => m.image_corrupt.to_owned(),
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

async fn save(
    st: AppState,
    ctx: Ctx,
    s: Subject,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut f = ImageForm::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest(None))?
    {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "alt_fr" | "alt_en" | "credit" => {
                let v = clean(&field.text().await.map_err(|_| AppError::BadRequest(None))?);
                match name.as_str() {
                    "alt_fr" => f.alt_fr = v,
                    "alt_en" => f.alt_en = v,
                    _ => f.credit = v,
                }
            }
            "file" => {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let m = ctx.m;
    let existing = media::find(st.db.conn(), s.owner).await?;
    let mut errors = FormErrors::new();
    check_text(m, &f, file.as_ref().map(|(n, _)| n.as_str()), &mut errors);
    if file.is_none() && existing.is_none() {
        errors.add("file", m.image_file_required);
    }
    let processed = match &file {
        Some((_, bytes)) if errors.is_empty() => {
            let _permit = PROCESSING
                .acquire()
                .await
                .map_err(|_| AppError::Unavailable)?;
            let bytes = bytes.clone();
            let r = tokio::task::spawn_blocking(move || maillage_media::process(&bytes))
                .await
                .map_err(AppError::internal)?;
            match r {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.add("file", media_error_text(m, &e));
                    None
                }
            }
        }
        _ => None,
    };
    if !errors.is_empty() {
        if file.is_some() && errors.get("file").is_none() {
            errors.general = Some(m.image_choose_again.to_owned());
        }
        return form_page(
            &st,
            &ctx,
            &s,
            Some(f),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let text = ImageText {
        alt_fr: f.alt_fr.clone(),
        alt_en: opt(&f.alt_en),
        credit: opt(&f.credit),
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let (action, changes) = match processed {
        Some(p) => {
            let img = media::put(
                &tx,
                s.owner,
                NewImage {
                    text: text.clone(),
                    width: p.width,
                    height: p.height,
                    digest: p.digest,
                    variants: p
                        .variants
                        .into_iter()
                        .map(|v| NewVariant {
                            width: v.width,
                            height: v.height,
                            bytes: v.bytes,
                        })
                        .collect(),
                },
                now,
            )
            .await?;
            (
                if existing.is_some() {
                    "image_replace"
                } else {
                    "image_add"
                },
                json!({
                    "image_id": img.id,
                    "file_name": file.as_ref().map(|(n, _)| n.chars().take(200).collect::<String>()),
                    "width": img.width,
                    "height": img.height,
                    "alt_fr": text.alt_fr,
                    "alt_en": text.alt_en,
                    "credit": text.credit,
                }),
            )
        }
        None => {
            media::set_text(&tx, s.owner, text.clone()).await?;
            let old = existing.map(|i| i.text).unwrap_or_default();
            (
                "image_text",
                json!({
                    "alt_fr": {"from": old.alt_fr, "to": text.alt_fr},
                    "alt_en": {"from": old.alt_en, "to": text.alt_en},
                    "credit": {"from": old.credit, "to": text.credit},
                }),
            )
        }
    };
    audit::record(
        &tx,
        &ctx.actor(),
        Change {
            action,
            entity_type: s.owner.kind(),
            entity_id: s.owner.id().to_string(),
            summary: s.title.clone(),
            changes,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, &s.action, Flash::Saved))
}

async fn delete(st: AppState, ctx: Ctx, s: Subject) -> Result<Response, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if media::delete(&tx, s.owner).await? {
        record(
            &tx,
            &ctx,
            ("image_delete", s.owner.kind(), s.owner.id()),
            s.title.clone(),
            json!({}),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(&st, &s.action, Flash::Deleted))
}

/// `12-1a2b3c4d-640.jpg` → (12, "1a2b3c4d", 640).
fn parse_file(file: &str) -> Option<(i64, &str, u32)> {
    let stem = file.strip_suffix(".jpg")?;
    let mut parts = stem.splitn(3, '-');
    let id = parts.next()?.parse().ok()?;
    let digest = parts.next()?;
    let width = parts.next()?.parse().ok()?;
    Some((id, digest, width))
}

/// `GET /media/{id}-{digest}-{width}.jpg`: one copy of an image. Public
/// images are cached for a year (the name changes with the picture); the
/// team also sees those of drafts, uncached.
pub async fn serve(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (id, digest, width) = parse_file(&file).ok_or(AppError::NotFound)?;
    let img = media::find_by_id(st.db.conn(), id)
        .await?
        .filter(|i| i.short_digest() == digest)
        .ok_or(AppError::NotFound)?;
    if !img.variants.iter().any(|v| v.width == width) {
        return Err(AppError::NotFound);
    }
    let public = media::is_public(st.db.conn(), img.owner).await?;
    if !public && !ctx.can(Action::ReadProgramme) {
        return Err(AppError::NotFound);
    }
    let etag = format!(
        "\"{}-{width}\"",
        img.digest.get(..16).unwrap_or(&img.digest)
    );
    let cache = if public {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = media::variant_bytes(st.db.conn(), id, width)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut r = bytes.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
        r
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_not_descriptions() {
        assert!(repeats_file_name("IMG_2041.jpg", "IMG_2041.jpg"));
        assert!(repeats_file_name("img 2041", "C:\\Photos\\IMG_2041.JPG"));
        assert!(repeats_file_name("Affiche-2025", "affiche_2025.png"));
        assert!(!repeats_file_name(
            "Des enfants observent la Lune au télescope",
            "IMG_2041.jpg"
        ));
        assert!(!repeats_file_name("", "IMG_2041.jpg"));
    }

    #[test]
    fn media_names() {
        assert_eq!(
            parse_file("12-1a2b3c4d-640.jpg"),
            Some((12, "1a2b3c4d", 640))
        );
        assert_eq!(parse_file("12-1a2b3c4d-640.png"), None);
        assert_eq!(parse_file("x-1a2b3c4d-640.jpg"), None);
        assert_eq!(parse_file("12-640.jpg"), None);
    }
}
