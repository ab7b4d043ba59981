//! The staff's actions on a booking: the decisions (approve, refuse,
//! cancel, confirm beyond capacity) through one path with what differs as
//! data, adding a typed school to the directory, and moves to another
//! session of the project. Each e-mails the booker and those offered freed
//! places, records its audit entry, and goes back to the session's list;
//! a refusal shows the list again with why.

use super::{Viewer, session, summary, ticked};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::features::bookings::{Place, notify, notify_offers, refusal_text};
use crate::i18n::{Messages, fill};
use crate::mail::BookingMail;
use crate::shared::audit::record;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::bookings::{self, Bookable, Booking, Refusal};
use maillage_db::{ConnectionTrait, DbErr, WriteTx};
use maillage_domain::booking::{BookingKind, BookingStatus};
use serde::Deserialize;
use serde_json::{Value, json};

/// A decision of the staff on a booking. Each route
/// (`POST /team/bookings/{id}/{verb}`) gives its decision to [`decide`] as
/// a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A class awaiting approval is confirmed.
    Approve,
    /// The class's places go to the waiting list.
    Refuse,
    /// Confirmed even beyond the capacity.
    Force,
    Cancel,
}

impl Decision {
    /// The last segment of its route.
    pub fn verb(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Refuse => "refuse",
            Decision::Force => "force",
            Decision::Cancel => "cancel",
        }
    }

    /// The action of its audit entries.
    fn audit(self) -> &'static str {
        match self {
            Decision::Force => "force_confirm",
            d => d.verb(),
        }
    }

    /// The e-mail the booker gets.
    fn mail(self) -> BookingMail {
        match self {
            Decision::Approve | Decision::Force => BookingMail::Approved,
            Decision::Refuse => BookingMail::Refused,
            Decision::Cancel => BookingMail::Cancelled,
        }
    }

    pub fn label(self, m: &Messages) -> &'static str {
        match self {
            Decision::Approve => m.bt_approve,
            Decision::Refuse => m.bt_refuse,
            Decision::Force => m.bt_force,
            Decision::Cancel => m.bt_cancel,
        }
    }

    /// The look of its button.
    pub fn class(self) -> &'static str {
        match self {
            Decision::Approve => "button",
            Decision::Refuse | Decision::Force => "button secondary",
            Decision::Cancel => "link-button danger",
        }
    }

    /// Whether the session's list offers it for `b`.
    pub fn allowed(self, b: &Booking) -> bool {
        use BookingStatus as S;
        match self {
            Decision::Approve | Decision::Refuse => b.status == S::Pending,
            Decision::Force => matches!(
                b.status,
                S::Waitlisted | S::Offered | S::Pending | S::Unconfirmed
            ),
            Decision::Cancel => b.status.is_active() && b.kind != BookingKind::WalkIn,
        }
    }

    /// Applies it in `tx`: the bookings offered the places it freed, or
    /// `None` when the booking's status does not allow it.
    async fn apply(
        self,
        tx: &impl ConnectionTrait,
        b: &Booking,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<Booking>>, DbErr> {
        match self {
            Decision::Approve => bookings::decide(tx, b, true, now).await,
            Decision::Refuse => bookings::decide(tx, b, false, now).await,
            Decision::Force => Ok(bookings::force_confirm(tx, b, now).await?.then(Vec::new)),
            Decision::Cancel if b.kind == BookingKind::WalkIn => Ok(None),
            Decision::Cancel => bookings::cancel(tx, b, now).await,
        }
    }
}

fn wrong_status(ctx: &Ctx) -> String {
    refusal_text(ctx.m, ctx.locale, Refusal::WrongStatus)
}

/// The session page again, with why the action was refused.
async fn refused(v: &Viewer, session: i64, why: String) -> Result<Response, AppError> {
    session::page(v, session, Some(why), StatusCode::UNPROCESSABLE_ENTITY).await
}

/// What a staff action on a booking changed, to finish it the same way:
/// e-mail the booker, e-mail those offered freed places, record the audit
/// entry (`changes` describes it from the booking after the change), commit,
/// and go back to the session's bookings.
struct Change<'a> {
    action: &'static str,
    before: &'a Booking,
    place: &'a Place,
    mail: BookingMail,
    offered: Vec<Booking>,
}

async fn finish(
    v: &Viewer,
    tx: WriteTx,
    c: Change<'_>,
    changes: impl FnOnce(&Booking, &[Booking]) -> Value,
    now: DateTime<Utc>,
) -> Result<Response, AppError> {
    let (st, b) = (&v.st, c.before);
    let after = bookings::find(&tx, b.id)
        .await?
        .unwrap_or_else(|| b.clone());
    notify(&tx, st, c.mail, &after).await?;
    notify_offers(&tx, st, &c.offered).await?;
    record(
        &tx,
        &v.ctx,
        (c.action, "booking", b.id),
        summary(b, c.place),
        changes(&after, &c.offered),
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(v.back(b.session_id, "bookings", &format!("b-{}", b.id)))
}

fn offered_ids(offered: &[Booking]) -> Vec<i64> {
    offered.iter().map(|o| o.id).collect()
}

/// `POST /team/bookings/{id}/approve`, `…/refuse`, `…/cancel`, `…/force`.
pub async fn decide(
    State(st): State<AppState>,
    ctx: Ctx,
    Extension(decision): Extension<Decision>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = Viewer::team(st, ctx);
    let (b, p) = v.booking(id).await?;
    let now = maillage_db::now();
    let tx = v.st.db.write().await?;
    let Some(offered) = decision.apply(&tx, &b, now).await? else {
        drop(tx);
        return refused(&v, b.session_id, wrong_status(&v.ctx)).await;
    };
    let change = Change {
        action: decision.audit(),
        before: &b,
        place: &p,
        mail: decision.mail(),
        offered,
    };
    let changes = |after: &Booking, offered: &[Booking]| {
        let mut changes = json!({"session": b.session_id,
            "status": {"from": b.status.code(), "to": after.status.code()}});
        if !offered.is_empty() {
            changes["offered"] = json!(offered_ids(offered));
        }
        changes
    };
    finish(&v, tx, change, changes, now).await
}

/// `POST /team/bookings/{id}/school`: the school a teacher typed joins the
/// directory (or, when the directory has a school of that name, the booking
/// is linked to it); every class booked under that name is linked.
pub async fn add_school(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use maillage_db::organisations::{self, OrganisationData};
    use maillage_domain::directory::OrgKind;
    let v = Viewer::team(st, ctx);
    let (b, p) = v.booking(id).await?;
    let name = match &b.school_name {
        Some(n) if b.kind == BookingKind::Group && b.organisation_id.is_none() => n.clone(),
        _ => return refused(&v, b.session_id, wrong_status(&v.ctx)).await,
    };
    let now = maillage_db::now();
    let tx = v.st.db.write().await?;
    let mut school = None;
    for (oid, _) in organisations::find_by_folded_name(&tx, &name).await? {
        if organisations::find(&tx, oid)
            .await?
            .is_some_and(|o| o.kind == OrgKind::School)
        {
            school = Some(oid);
            break;
        }
    }
    let (org, action) = match school {
        Some(oid) => (oid, "link_school"),
        None => {
            let commune = b
                .school_commune
                .as_deref()
                .and_then(|c| maillage_directory::commune::resolve(c, None).ok())
                .map(|c| c.insee.to_owned());
            let data = OrganisationData {
                name: name.clone(),
                kind: Some(OrgKind::School),
                commune_insee: commune,
                ..Default::default()
            };
            (
                organisations::insert(&tx, &data, now).await?.id,
                "create_from_booking",
            )
        }
    };
    let linked = bookings::link_school(&tx, &name, org, now).await?;
    record(
        &tx,
        &v.ctx,
        (action, "organisation", org),
        format!("{name} — {}", summary(&b, &p)),
        json!({"booking": id, "bookings_linked": linked}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(v.back(b.session_id, "bookings", &format!("b-{id}")))
}

/// The move form as sent: `target` (a session of the same project) and
/// `force` (even without room).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    target: String,
    #[serde(deserialize_with = "ticked")]
    force: bool,
}

impl MoveForm {
    /// The session to move to: another one of the project that takes
    /// bookings, or `None`.
    async fn target(
        &self,
        c: &impl ConnectionTrait,
        b: &Booking,
        p: &Place,
    ) -> Result<Option<Bookable>, AppError> {
        let Ok(target) = self.target.trim().parse::<i64>() else {
            return Ok(None);
        };
        if target == b.session_id {
            return Ok(None);
        }
        Ok(bookings::bookable(c, target)
            .await?
            .filter(|r| r.project_id == p.project.id))
    }
}

/// `POST /team/bookings/{id}/move`.
pub async fn move_booking(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<MoveForm>,
) -> Result<Response, AppError> {
    let v = Viewer::team(st, ctx);
    let m = v.ctx.m;
    let (b, p) = v.booking(id).await?;
    let Some(rules) = form.target(v.st.db.conn(), &b, &p).await? else {
        return refused(&v, b.session_id, m.bt_move_choose.into()).await;
    };
    let force = form.force;
    let now = maillage_db::now();
    let tx = v.st.db.write().await?;
    let offered = match bookings::move_to(&tx, &b, rules.session_id, force, now).await? {
        Ok(o) => o,
        Err(r) => {
            drop(tx);
            let why = match r {
                Refusal::NotEnoughPlaces { available } => {
                    fill(m.bt_move_no_room, &[("n", &available.max(0).to_string())])
                }
                r => refusal_text(m, v.ctx.locale, r),
            };
            return refused(&v, b.session_id, why).await;
        }
    };
    let change = Change {
        action: "move",
        before: &b,
        place: &p,
        mail: BookingMail::Moved,
        offered,
    };
    let changes = |after: &Booking, offered: &[Booking]| {
        json!({"session": {"from": b.session_id, "to": rules.session_id}, "force": force,
               "status": {"from": b.status.code(), "to": after.status.code()},
               "offered": offered_ids(offered)})
    };
    finish(&v, tx, change, changes, now).await
}
