//! `maillage serve`: web server, e-mail worker and housekeeping, with a
//! graceful shutdown on SIGTERM or Ctrl-C.

use crate::ServeArgs;
use crate::commands::{open, print_demo};
use crate::words::Words;
use maillage_db::{demo, housekeeping};
use maillage_mail::{MailConfig, Worker};
use maillage_web::{AppState, Config};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub async fn run(w: Words, database: &str, args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = open(w, database).await?;
    if args.demo {
        print_demo(w, &demo::load(&db).await?);
    }
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.bind));
    let mut config = Config::new(&base_url);
    config.trust_proxy = args.trust_proxy;
    config.metrics_token = args.metrics_token.clone();
    config.rate_limit = args.rate_limit.0;
    config.booking_retention_months = args.booking_retention_months;
    let state = AppState::new(db.clone(), config);

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let worker = Worker::new(
        db.clone(),
        &MailConfig {
            smtp_url: args.smtp_url.clone(),
            dir: args.mail_dir.clone(),
            from: args.mail_from.clone(),
        },
    )?;
    let worker = tokio::spawn(worker.run(state.mail_wakeup.clone(), shutdown_rx.clone()));
    let housekeeping = tokio::spawn(housekeeping(db.clone(), shutdown_rx.clone()));
    let bookings = tokio::spawn(bookings_housekeeping(state.clone(), shutdown_rx.clone()));

    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    let app = maillage_web::router(state);
    println!(
        "{}",
        w.listening(
            &listener.local_addr()?.to_string(),
            db.backend().name(),
            started.elapsed().as_millis()
        )
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal())
    .await?;
    tracing::info!("shutting down");
    let _ = shutdown_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(30), worker).await;
    let _ = housekeeping.await;
    let _ = bookings.await;
    db.close().await?;
    Ok(())
}

async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Hourly: deletes expired sessions, unconfirmed import files and old
/// request-limit windows.
async fn housekeeping(db: maillage_db::Db, mut shutdown: watch::Receiver<bool>) {
    loop {
        match housekeeping::hourly(&db, maillage_db::now()).await {
            Ok(p) if !p.is_empty() => tracing::info!(
                sessions = p.sessions,
                imports = p.imports,
                rate_limits = p.rate_limits,
                mail_bodies = p.mail_bodies,
                mails = p.mails,
                "expired records deleted"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Every minute: offers and holds that ran out, reminders, anonymisation of
/// old bookings; the team's daily digests (inbox, tasks) once their hour has come. Each instance runs it; each e-mail still goes out once.
async fn bookings_housekeeping(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        match maillage_web::bookings_housekeeping(&state, maillage_db::now()).await {
            Ok(h) if h != maillage_web::Housekeeping::default() => {
                tracing::info!(
                    expired = h.expired,
                    offered = h.offered,
                    reminders = h.reminders,
                    anonymised = h.anonymised,
                    "bookings housekeeping"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "bookings housekeeping failed"),
        }
        match maillage_web::send_digests(&state, maillage_db::now()).await {
            Ok(n) if n > 0 => tracing::info!(sent = n, "daily digests"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "daily digests failed"),
        }
        match maillage_web::send_task_digests(&state, maillage_db::now()).await {
            Ok(n) if n > 0 => tracing::info!(sent = n, "daily task digests"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "daily task digests failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = shutdown.changed() => return,
        }
    }
}
