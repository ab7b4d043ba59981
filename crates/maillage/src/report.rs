//! `maillage report --project SLUG --format pdf|xlsx|json --output FILE`:
//! the bilan of a project, compared with the previous edition.

use crate::commands::open;
use anyhow::{Context, bail};
use maillage_db::programme::projects;
use maillage_domain::Locale;
use maillage_reports::output::{self, Format};
use std::io::Write;
use std::path::Path;

pub async fn report(
    url: &str,
    project: &str,
    format: Format,
    locale: Locale,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let db = open(url).await?;
    let Some(p) = projects::find_by_slug(db.conn(), project).await? else {
        bail!("no project with the slug « {project} »");
    };
    let started = std::time::Instant::now();
    let bilan = maillage_reports::bilan::of_project(db.conn(), p, maillage_db::now()).await?;
    let bytes = output::render(&bilan, format, locale)?;
    match output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{} written ({} bytes) in {} ms",
                path.display(),
                bytes.len(),
                started.elapsed().as_millis()
            );
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
