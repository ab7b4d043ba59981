//! `maillage import` and `maillage export`: the same checks and tables as
//! the team space, for scripts, in the run's language.

use crate::commands::{open, read, write};
use crate::words::Words;
use crate::{ExportFormat, ListKind};
use anyhow::bail;
use maillage_db::audit::Actor;
use maillage_db::{organisations, people, venues};
use maillage_directory::import::{self, Kind};
use maillage_web::i18n::{issue_text, read_error_text};
use std::io::Write;
use std::path::Path;

fn kind(k: ListKind) -> Kind {
    match k {
        ListKind::Organisations => Kind::Organisations,
        ListKind::People => Kind::People,
        ListKind::Venues => Kind::Venues,
    }
}

pub async fn import(
    w: Words,
    url: &str,
    k: ListKind,
    file: &Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = read(w, file)?;
    let m = w.m();
    let db = open(w, url).await?;
    let tx = db.write().await?;
    let plan = match import::plan(&tx, kind(k), &bytes).await? {
        Ok(p) => p,
        Err(e) => bail!(w.about(file, &read_error_text(m, &e))),
    };
    for d in &plan.warnings {
        eprintln!(
            "{}",
            w.maybe_duplicate(file, d.line, &d.existing_name, d.existing_id)
        );
    }
    if !plan.is_clean() {
        for p in &plan.problems {
            let issue = issue_text(m, &p.issue);
            eprintln!("{}", w.problem(file, p.line, &p.column, &p.value, &issue));
        }
        bail!(w.nothing_imported(plan.problems.len(), plan.rows));
    }
    if dry_run {
        println!("{}", w.rows_checked(file, plan.rows));
        return Ok(());
    }
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("import");
    let n = import::apply(&tx, &plan, &Actor::system("cli"), name, maillage_db::now()).await?;
    tx.commit().await?;
    println!("{}", w.imported(kind(k), n));
    Ok(())
}

pub async fn export(
    w: Words,
    url: &str,
    k: ListKind,
    format: ExportFormat,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let db = open(w, url).await?;
    let locale = w.locale;
    let c = db.conn();
    let (headers, rows) = match k {
        ListKind::Organisations => maillage_directory::export::organisations(
            &organisations::list_all_matching(c, &organisations::Filter::default()).await?,
            locale,
        ),
        ListKind::People => maillage_directory::export::people(
            &people::list_all_matching(c, &people::Filter::default()).await?,
            locale,
        ),
        ListKind::Venues => maillage_directory::export::venues(
            &venues::list_all_matching(c, &venues::Filter::default()).await?,
            locale,
        ),
    };
    let bytes = match format {
        ExportFormat::Csv => maillage_tabular::write_csv(&headers, &rows),
        ExportFormat::Xlsx => maillage_tabular::write_xlsx(kind(k).code(), &headers, &rows)?,
    };
    match output {
        Some(path) => {
            write(w, path, &bytes)?;
            eprintln!("{}", w.rows_written(rows.len(), path));
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
