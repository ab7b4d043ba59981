//! The printable sign-in sheet of a session: the confirmed bookings by
//! name, and blank lines for walk-ins.

use super::{Viewer, booked_text, expected, school_text, session_title};
use crate::ctx::Layout;
use crate::error::AppError;
use crate::shared::html;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use maillage_db::bookings;

pub struct SheetRow {
    pub name: String,
    pub detail: String,
    pub booked: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "bookings/team/sheet.html")]
struct SheetPage {
    l: Layout,
    base: &'static str,
    sid: i64,
    title: String,
    venue: String,
    rows: Vec<SheetRow>,
    blanks: Vec<usize>,
}

/// `GET /team/sessions/{id}/bookings/sheet` and the partner's.
pub async fn show(v: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (ctx, side) = (&v.ctx, v.side);
    let p = v.session(id).await?;
    let mut list = expected(bookings::of_session(v.st.db.conn(), id).await?);
    list.sort_by_key(|b| b.name.to_lowercase());
    let rows = list
        .iter()
        .map(|b| SheetRow {
            name: b.name.clone(),
            detail: [
                school_text(b),
                b.class_level
                    .map(|l| l.label(ctx.locale).to_owned())
                    .unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
            booked: booked_text(ctx.m, b),
            phone: b.phone.clone().unwrap_or_default(),
        })
        .collect();
    let title = session_title(ctx, &p);
    html(SheetPage {
        l: ctx.layout(title.clone()),
        base: side.base(),
        sid: id,
        title,
        venue: p.venue_text().unwrap_or_default(),
        rows,
        blanks: (1..=10).collect(),
    })
}
