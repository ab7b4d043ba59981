//! `maillage import openagenda|fete-de-la-science` and
//! `maillage export openagenda`: exchanging a project's programme with
//! OpenAgenda, for scripts and scheduled jobs, in the run's language.

use crate::commands::{open, read, write};
use crate::words::Words;
use anyhow::{anyhow, bail};
use maillage_db::audit::Actor;
use maillage_db::programme::projects;
use maillage_exchange::Describe;
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy)]
pub enum Source {
    OpenAgenda,
    FeteDeLaScience,
}

async fn project_id(w: Words, db: &maillage_db::Db, slug: &str) -> anyhow::Result<i64> {
    match projects::find_by_slug(db.conn(), slug).await? {
        Some(p) => Ok(p.id),
        None => bail!(w.no_project(slug)),
    }
}

pub async fn import(
    w: Words,
    url: &str,
    source: Source,
    file: &Path,
    project: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = read(w, file)?;
    let parsed = match source {
        Source::OpenAgenda => maillage_openagenda::parse(&bytes),
        Source::FeteDeLaScience => maillage_openagenda::parse_fete_de_la_science(&bytes),
    }
    .map_err(|e| anyhow!(e.describe(w.locale)).context(w.unreadable(file)))?;
    let db = open(w, url).await?;
    let id = project_id(w, &db, project).await?;
    let started = std::time::Instant::now();
    let tx = db.write().await?;
    let report =
        maillage_exchange::import(&tx, id, &parsed, &Actor::system("cli"), maillage_db::now())
            .await?;
    for s in &report.skipped {
        eprintln!("{}", w.about(file, &s.describe(w.locale)));
    }
    for warning in &report.warnings {
        eprintln!("{}", w.warning(file, &warning.describe(w.locale)));
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    let ms = started.elapsed().as_millis();
    println!("{}", w.about(file, &w.import_summary(&report, dry_run, ms)));
    Ok(())
}

pub async fn export(
    w: Words,
    url: &str,
    project: &str,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let db = open(w, url).await?;
    let id = project_id(w, &db, project).await?;
    let events = maillage_exchange::export(db.conn(), id).await?;
    let mut json = serde_json::to_vec_pretty(&maillage_openagenda::export(&events))?;
    json.push(b'\n');
    match output {
        Some(path) => {
            write(w, path, &json)?;
            eprintln!("{}", w.events_written(events.len(), path));
        }
        None => std::io::stdout().lock().write_all(&json)?,
    }
    Ok(())
}
