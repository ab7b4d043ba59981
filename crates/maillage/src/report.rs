//! `maillage report --project SLUG --format pdf|xlsx|json --output FILE`:
//! the bilan of a project, compared with the previous edition, in the run's
//! language.

use crate::commands::{open, write};
use crate::words::Words;
use anyhow::bail;
use maillage_db::programme::projects;
use maillage_reports::output::{self, Format};
use std::io::Write;
use std::path::Path;

pub async fn report(
    w: Words,
    url: &str,
    project: &str,
    format: Format,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let db = open(w, url).await?;
    let Some(p) = projects::find_by_slug(db.conn(), project).await? else {
        bail!(w.no_project(project));
    };
    let started = std::time::Instant::now();
    let bilan = maillage_reports::bilan::of_project(db.conn(), p, maillage_db::now()).await?;
    let bytes = output::render(&bilan, format, w.locale)?;
    match output {
        Some(path) => {
            write(w, path, &bytes)?;
            let ms = started.elapsed().as_millis();
            eprintln!("{}", w.report_written(path, bytes.len(), ms));
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
