//! E-mail delivery: a worker takes due messages from the outbox, sends them
//! over SMTP (lettre) when `MAILLAGE_SMTP_URL` is set, or writes them as
//! `.eml` files in the mail folder otherwise, and records each outcome.
//! Several instances can run a worker on one database: each message is
//! claimed by one of them only.

use chrono::TimeDelta;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use maillage_db::outbox::{self, Message};
use maillage_db::{Db, DbErr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// Messages claimed per round.
const BATCH: u64 = 20;
/// How long a claim protects a message from other workers.
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// An SMTP exchange taking longer than this fails (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// The worker looks at the outbox at least this often.
const MAX_SLEEP: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid MAILLAGE_SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("invalid sender address {0:?}: {1}")]
    From(String, String),
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://user:pass@host:587?tls=required`, `smtps://…`; none for files.
    pub smtp_url: Option<String>,
    /// Where `.eml` files go when there is no SMTP server.
    pub dir: PathBuf,
    /// The sender, e.g. `Maillage <no-reply@example.org>`.
    pub from: String,
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(cfg: &MailConfig) -> Result<Transport, MailError> {
        match cfg
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::SmtpUrl(e.to_string()))?;
                Ok(Transport::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
            }
            None => Ok(Transport::Files(cfg.dir.clone())),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        }
    }
}

/// Why a delivery failed, and whether trying again can help.
struct Failure {
    message: String,
    permanent: bool,
}

pub struct Worker {
    db: Db,
    transport: Transport,
    from: Mailbox,
    id: String,
}

impl Worker {
    pub fn new(db: Db, cfg: &MailConfig) -> Result<Worker, MailError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| {
                MailError::From(cfg.from.clone(), e.to_string())
            })?;
        Ok(Worker {
            db,
            transport: Transport::from_config(cfg)?,
            from,
            id: format!(
                "{}-{}",
                std::process::id(),
                &maillage_domain::token::generate()[..8]
            ),
        })
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// One round: claims due messages and delivers them. Returns how many
    /// were claimed.
    pub async fn deliver_due(&self) -> Result<usize, DbErr> {
        let now = maillage_db::now();
        let tx = self.db.write().await?;
        let claimed = outbox::claim(&tx, &self.id, now, LEASE, BATCH).await?;
        tx.commit().await?;
        for message in &claimed {
            let outcome = self.deliver(message).await;
            let now = maillage_db::now();
            let tx = self.db.write().await?;
            match outcome {
                Ok(message_id) => {
                    outbox::mark_sent(&tx, message.id, &self.id, now, &message_id).await?;
                    tracing::info!(id = message.id, to = %message.to_addr, "e-mail sent");
                }
                Err(f) => {
                    outbox::mark_failed(&tx, message, &self.id, now, &f.message, f.permanent)
                        .await?;
                    tracing::warn!(id = message.id, to = %message.to_addr, error = %f.message, permanent = f.permanent, "e-mail not sent");
                }
            }
            tx.commit().await?;
        }
        Ok(claimed.len())
    }

    async fn deliver(&self, m: &Message) -> Result<String, Failure> {
        let domain = self.from.email.domain().to_owned();
        let message_id = format!("<maillage-outbox-{}@{domain}>", m.id);
        let email = build(&self.from, m, &message_id).map_err(|e| Failure {
            message: e,
            permanent: true,
        })?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(email)
                    .await
                    .map(|_| message_id)
                    .map_err(|e| Failure {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
            }
            Transport::Files(dir) => write_eml(dir, m, &email.formatted())
                .await
                .map(|_| message_id)
                .map_err(|e| Failure {
                    message: format!("cannot write to {}: {e}", dir.display()),
                    permanent: false,
                }),
        }
    }

    /// Delivers until `shutdown` turns true; wakes up on `wakeup`, when the
    /// next retry falls due, and at least every 30 seconds.
    pub async fn run(self, wakeup: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(transport = %self.transport.describe(), worker = %self.id, "e-mail worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let claimed = match self.deliver_due().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "e-mail worker: database error");
                    0
                }
            };
            if claimed as u64 == BATCH {
                continue;
            }
            let sleep = match outbox::next_due(self.db.conn()).await {
                Ok(Some(due)) => (due - maillage_db::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP),
                _ => MAX_SLEEP,
            };
            tokio::select! {
                () = wakeup.notified() => {}
                () = tokio::time::sleep(sleep.max(Duration::from_millis(50))) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!("e-mail worker stopped");
    }
}

fn build(from: &Mailbox, m: &Message, message_id: &str) -> Result<lettre::Message, String> {
    let to_addr = m
        .to_addr
        .parse()
        .map_err(|e| format!("invalid recipient {:?}: {e}", m.to_addr))?;
    let to = Mailbox::new(m.to_name.clone(), to_addr);
    let builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(message_id.to_owned()));
    let body = match &m.body_html {
        Some(html) => MultiPart::alternative_plain_html(m.body_text.clone(), html.clone()),
        None => MultiPart::alternative().singlepart(SinglePart::plain(m.body_text.clone())),
    };
    let built =
        match (&m.ics, &m.body_html) {
            (Some(ics), _) => {
                let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                    .map_err(|e| e.to_string())?;
                builder.multipart(MultiPart::mixed().multipart(body).singlepart(
                    Attachment::new("invite.ics".to_owned()).body(ics.clone(), calendar),
                ))
            }
            (None, Some(_)) => builder.multipart(body),
            (None, None) => builder
                .header(ContentType::TEXT_PLAIN)
                .body(m.body_text.clone()),
        };
    built.map_err(|e| e.to_string())
}

/// Writes the message atomically (temporary file, then rename).
async fn write_eml(dir: &std::path::Path, m: &Message, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!("{}-{:06}.eml", m.created_at.format("%Y%m%dT%H%M%S"), m.id);
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(name)).await
}
