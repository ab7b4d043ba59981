//! The printable QR code of a questionnaire's public address
//! (`/q/{key}/qr.svg`, `/q/{key}/qr.png`) and the poster to print
//! (`/team/questionnaires/{id}/print`).

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::{attached, find_questionnaire, find_questionnaire_by_key};
use crate::i18n::fill;
use crate::shared::html;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_reports::svg;
use std::fmt::Write;

/// The absolute address of the public questionnaire, as printed.
pub(super) fn public_url(st: &AppState, key: &str) -> String {
    format!("{}/q/{key}", st.config.base_url)
}

/// Light modules around the code, as the standard asks.
const QUIET: usize = 4;
/// Pixels per module of the PNG (a 33-module code is 656 px: sharp when
/// printed 5 cm wide and more).
const PNG_SCALE: usize = 16;

/// The modules of the QR code of `text` (medium error correction): its
/// width and, row by row, whether each module is dark.
fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), AppError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(AppError::internal)?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// The QR code of `text` as SVG: one path of dark runs on a white square
/// with its quiet zone, titled for screen readers.
fn qr_svg(text: &str, title: &str) -> Result<String, AppError> {
    let (w, dark) = qr_modules(text)?;
    let size = w + 2 * QUIET;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if dark[y * w + x] {
                let start = x;
                while x < w && dark[y * w + x] {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges" role="img" aria-labelledby="qr-title"><title id="qr-title">{}</title><rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{d}"/></svg>"##,
        svg::escape(title),
        px = size * 8,
    ))
}

/// The QR code of `text` as a PNG, [`PNG_SCALE`] pixels a module.
fn qr_png(text: &str) -> Result<Vec<u8>, AppError> {
    let (w, dark) = qr_modules(text)?;
    let px = u32::try_from((w + 2 * QUIET) * PNG_SCALE).map_err(AppError::internal)?;
    let img = image::GrayImage::from_fn(px, px, |x, y| {
        let (mx, my) = (x as usize / PNG_SCALE, y as usize / PNG_SCALE);
        let on = mx >= QUIET
            && my >= QUIET
            && mx < w + QUIET
            && my < w + QUIET
            && dark[(my - QUIET) * w + (mx - QUIET)];
        image::Luma([if on { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(AppError::internal)?;
    Ok(out.into_inner())
}

fn qr_response(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// `GET /q/{key}/qr.svg`: the QR code of the questionnaire's public address.
/// Its title is the questionnaire's and the address, in no language, so
/// the file can be cached for everyone.
pub async fn qr_svg_file(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let form = find_questionnaire_by_key(&st, &key).await?;
    let id = form.id;
    let url = public_url(&st, &key);
    let title = format!("{} — {url}", form.data.title);
    let svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        qr_svg(&url, &title)?
    );
    Ok(qr_response(
        svg.into_bytes(),
        "image/svg+xml",
        &format!("questionnaire-{id}-qr.svg"),
    ))
}

/// `GET /q/{key}/qr.png`.
pub async fn qr_png_file(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let id = find_questionnaire_by_key(&st, &key).await?.id;
    let png = qr_png(&public_url(&st, &key))?;
    Ok(qr_response(
        png,
        "image/png",
        &format!("questionnaire-{id}-qr.png"),
    ))
}

#[derive(Template)]
#[template(path = "forms/questionnaires/qr/print.html")]
struct PrintPage {
    l: Layout,
    id: i64,
    key: String,
    attached: String,
    url: String,
    svg: String,
}

/// `GET /team/questionnaires/{id}/print`: a poster to print — the title,
/// the QR code and the address in clear.
pub async fn print(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = find_questionnaire(&st, id).await?;
    let url = public_url(&st, &form.public_key);
    let svg = qr_svg(&url, &fill(ctx.m.qs_qr_alt, &[("url", &url)]))?;
    html(PrintPage {
        l: ctx.layout(form.data.title.clone()),
        attached: attached(st.db.conn(), ctx.locale, &form.data, " · ").await?,
        id,
        key: form.public_key.clone(),
        url,
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svg_draws_runs_inside_the_quiet_zone() {
        let svg = qr_svg("https://example.org/q/1", "QR <&>").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("QR &lt;&amp;&gt;"));
        let (w, _) = qr_modules("https://example.org/q/1").unwrap();
        // The finder pattern's top row: 7 dark modules from (4, 4).
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", w + 8)));
    }
}
