//! The partner side of bookings: the pages of [`super::team`] for the
//! sessions of activities the partner's organisation runs (404 for any
//! other), with check-in and exports but no decisions.

use super::team::{
    self, Side, WalkInValues, add_walk_in, check_in_booking, checkin_page, export_page,
    session_page, sheet_page, undo_booking,
};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::Pairs;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

/// `GET /partner/bookings`.
pub async fn list(st: State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    team::partner_overview(st, ctx).await
}

/// `GET /partner/sessions/{id}/bookings`.
pub async fn session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    session_page(&st, &ctx, Side::Partner, id, None, StatusCode::OK).await
}

/// `GET /partner/sessions/{id}/bookings/export/{format}`.
pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    export_page(&st, &ctx, Side::Partner, id, &format).await
}

/// `GET /partner/sessions/{id}/bookings/sheet`.
pub async fn sheet(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    sheet_page(&st, &ctx, Side::Partner, id).await
}

/// `GET /partner/sessions/{id}/checkin`.
pub async fn checkin(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    checkin_page(
        &st,
        &ctx,
        Side::Partner,
        id,
        (WalkInValues::default(), None),
        StatusCode::OK,
    )
    .await
}

/// `POST /partner/bookings/{id}/checkin`.
pub async fn check_in(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    check_in_booking(&st, &ctx, Side::Partner, id, &form).await
}

/// `POST /partner/bookings/{id}/checkin/undo`.
pub async fn undo(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    undo_booking(&st, &ctx, Side::Partner, id).await
}

/// `POST /partner/sessions/{id}/walkin`.
pub async fn walk_in(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    add_walk_in(&st, &ctx, Side::Partner, id, &form).await
}
