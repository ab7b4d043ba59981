//! The daily digest of the inbox, e-mailed from 7:00 (Paris) to those who
//! asked for it, once a day whichever instance sends it.

use super::inbox::{Viewer, digest};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::notifications;
use maillage_db::outbox::{self, NewMail};

/// The hour (Paris) from which the day's digest goes out.
const FROM_HOUR: u32 = 7;

/// Sends the digests due at `now`; returns how many went out.
pub async fn send_digests(st: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let local = now.with_timezone(&Paris);
    if local.hour() < FROM_HOUR {
        return Ok(0);
    }
    let tx = st.db.write().await?;
    let due = notifications::claim_digests(&tx, local.date_naive()).await?;
    let mut sent = 0;
    if !due.is_empty() {
        let work = maillage_db::inbox::work(&tx, now).await?;
        for u in due {
            let v = Viewer::new(u.locale, u.role);
            if let Some((subject, body_text)) =
                digest(&v, &st.config.base_url, &u.name, work.clone())
            {
                let mail = NewMail {
                    to_addr: u.email.clone(),
                    to_name: Some(u.name.clone()),
                    subject,
                    body_text,
                    body_html: None,
                    ics: None,
                };
                outbox::enqueue(&tx, mail, now).await?;
                sent += 1;
            }
        }
    }
    tx.commit().await?;
    if sent > 0 {
        st.mail_wakeup.notify_one();
    }
    Ok(sent)
}
