//! `maillage import openagenda|fete-de-la-science` and
//! `maillage export openagenda`: exchanging a project's programme with
//! OpenAgenda, for scripts and scheduled jobs.

use crate::commands::open;
use anyhow::{Context, bail};
use maillage_db::audit::Actor;
use maillage_db::programme::projects;
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy)]
pub enum Source {
    OpenAgenda,
    FeteDeLaScience,
}

async fn project_id(db: &maillage_db::Db, slug: &str) -> anyhow::Result<i64> {
    match projects::find_by_slug(db.conn(), slug).await? {
        Some(p) => Ok(p.id),
        None => bail!("no project with the slug « {slug} »"),
    }
}

pub async fn import(
    url: &str,
    source: Source,
    file: &Path,
    project: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let parsed = match source {
        Source::OpenAgenda => maillage_openagenda::parse(&bytes),
        Source::FeteDeLaScience => maillage_openagenda::parse_fete_de_la_science(&bytes),
    }
    .with_context(|| format!("{}: cannot be read", file.display()))?;
    let db = open(url).await?;
    let id = project_id(&db, project).await?;
    let started = std::time::Instant::now();
    let tx = db.write().await?;
    let report =
        maillage_exchange::import(&tx, id, &parsed, &Actor::system("cli"), maillage_db::now())
            .await?;
    for s in &report.skipped {
        eprintln!("{}: skipped {s}", file.display());
    }
    for w in &report.warnings {
        eprintln!("{}: warning {w}", file.display());
    }
    let summary = format!(
        "{} created, {} updated, {} unchanged, {} skipped, {} venue(s) created",
        report.created,
        report.updated,
        report.unchanged,
        report.skipped.len(),
        report.venues_created
    );
    if dry_run {
        tx.rollback().await?;
        println!("{}: {summary} (dry run: nothing imported)", file.display());
    } else {
        tx.commit().await?;
        println!(
            "{}: {summary} in {} ms",
            file.display(),
            started.elapsed().as_millis()
        );
    }
    Ok(())
}

pub async fn export(url: &str, project: &str, output: Option<&Path>) -> anyhow::Result<()> {
    let db = open(url).await?;
    let id = project_id(&db, project).await?;
    let events = maillage_exchange::export(db.conn(), id).await?;
    let mut json = serde_json::to_vec_pretty(&maillage_openagenda::export(&events))?;
    json.push(b'\n');
    match output {
        Some(path) => {
            std::fs::write(path, &json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} event(s) written to {}", events.len(), path.display());
        }
        None => std::io::stdout().lock().write_all(&json)?,
    }
    Ok(())
}
