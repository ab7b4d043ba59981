//! The audited write path of the web layer, and deletion.

use super::typed::Typed;
use super::{Audited, Record, found, removed};
use crate::ctx::{Ctx, Flash};
use crate::error::AppError;
use crate::shared::redirect_flash;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::{DbErr, WriteTx};
use serde::Deserialize;
use std::future::Future;

/// Runs `change` in a write transaction, records the audit entries it
/// returns (as the signed-in user) in the same transaction, and commits.
/// On an error nothing is written.
pub async fn write<T, E: From<DbErr>>(
    st: &AppState,
    ctx: &Ctx,
    change: impl AsyncFnOnce(&WriteTx, DateTime<Utc>) -> Result<Audited<T>, E>,
) -> Result<T, E> {
    let tx = st.db.write().await?;
    let value = maillage_db::records::write(&tx, &ctx.actor(), maillage_db::now(), change).await?;
    tx.commit().await?;
    Ok(value)
}

/// The redirect after a change: to `to`, saying it is saved.
pub fn saved(st: &AppState, to: &str) -> Response {
    redirect_flash(st, to, Flash::Saved)
}

/// The redirect after a deletion.
pub fn deleted(st: &AppState, to: &str) -> Response {
    redirect_flash(st, to, Flash::Deleted)
}

/// A page refusing a change, or `None` to go ahead.
pub type Refusal = Result<Option<Response>, AppError>;

/// A record the team deletes.
pub trait Deletable: Record {
    /// Where to go once it is deleted (its list, its project).
    fn after_delete(&self) -> String;

    /// A page refusing the deletion (the confirmation `confirm` missing or
    /// wrong, bookings still held), or `None` to delete.
    fn refuse(
        &self,
        _st: &AppState,
        _ctx: &Ctx,
        _confirm: &str,
    ) -> impl Future<Output = Refusal> + Send {
        async { Ok(None) }
    }

    /// Deletes it (and what goes with it).
    fn delete(tx: &WriteTx, id: i64) -> impl Future<Output = Result<(), DbErr>> + Send;

    /// The page when storage refuses the deletion because other records
    /// still point at it (`None`: an error page).
    fn blocked(&self, _st: &AppState, _ctx: &Ctx) -> impl Future<Output = Refusal> + Send {
        async { Ok(None) }
    }
}

/// The confirmation of a deletion (a ticked box, or a name typed again).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

/// `POST …/{id}/delete`.
pub async fn delete<R: Deletable>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<DeleteForm>,
) -> Result<Response, AppError> {
    let r: R = found(&st, id).await?;
    if let Some(page) = r.refuse(&st, &ctx, &f.confirm).await? {
        return Ok(page);
    }
    let done = write(&st, &ctx, async |tx, _| {
        R::delete(tx, id).await?;
        Ok::<_, DbErr>(Audited::new((), removed(&r)))
    })
    .await;
    match done {
        Ok(()) => Ok(deleted(&st, &r.after_delete())),
        Err(e) if maillage_db::foreign_key_violation(&e) => match r.blocked(&st, &ctx).await? {
            Some(page) => Ok(page),
            None => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file below `dir`.
    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// The modules of team records change them through `write` only: none
    /// opens a write transaction or records an audit entry itself.
    #[test]
    fn record_modules_write_through_the_kit_only() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/features");
        let mut files = Vec::new();
        sources(&root.join("directory"), &mut files);
        sources(&root.join("programme/team"), &mut files);
        assert!(files.len() > 10, "{files:?}");
        for f in files {
            // Imports are written and audited by the directory crate.
            if f.ends_with("directory/imports.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            for bypass in [".db.write()", "audit::record("] {
                assert!(!text.contains(bypass), "{} uses {bypass}", f.display());
            }
        }
    }
}
