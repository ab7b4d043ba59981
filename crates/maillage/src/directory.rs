//! `maillage import` and `maillage export`: the same checks and tables as
//! the team space, for scripts.

use crate::commands::open;
use crate::{ExportFormat, ListKind};
use anyhow::{Context, bail};
use maillage_db::audit::Actor;
use maillage_db::{organisations, people, venues};
use maillage_directory::import::{self, Kind};
use maillage_domain::Locale;
use maillage_web::i18n::{issue_text, messages, read_error_text};
use std::io::Write;
use std::path::Path;

fn kind(k: ListKind) -> Kind {
    match k {
        ListKind::Organisations => Kind::Organisations,
        ListKind::People => Kind::People,
        ListKind::Venues => Kind::Venues,
    }
}

/// The language of messages: English when LANG says so, French otherwise.
fn locale() -> Locale {
    std::env::var("LANG")
        .ok()
        .and_then(|l| Locale::parse(&l))
        .unwrap_or(Locale::Fr)
}

pub async fn import(url: &str, k: ListKind, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let m = messages(locale());
    let db = open(url).await?;
    let tx = db.write().await?;
    let plan = match import::plan(&tx, kind(k), &bytes).await? {
        Ok(p) => p,
        Err(e) => bail!("{}: {}", file.display(), read_error_text(m, &e)),
    };
    for w in &plan.warnings {
        eprintln!(
            "{}:{}: {} « {} » (#{})",
            file.display(),
            w.line,
            m.import_maybe_duplicate,
            w.existing_name,
            w.existing_id
        );
    }
    if !plan.is_clean() {
        for p in &plan.problems {
            eprintln!(
                "{}:{}: {} « {} » : {}{}",
                file.display(),
                p.line,
                m.import_column,
                p.column,
                issue_text(m, &p.issue),
                if p.value.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.value)
                }
            );
        }
        bail!(
            "{} problem(s) in {} data row(s); nothing was imported",
            plan.problems.len(),
            plan.rows
        );
    }
    if dry_run {
        println!(
            "{}: {} row(s) checked, no problem (dry run: nothing imported)",
            file.display(),
            plan.rows
        );
        return Ok(());
    }
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("import");
    let n = import::apply(&tx, &plan, &Actor::system("cli"), name, maillage_db::now()).await?;
    tx.commit().await?;
    println!("imported {n} {}", kind(k).code());
    Ok(())
}

pub async fn export(
    url: &str,
    k: ListKind,
    format: ExportFormat,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let db = open(url).await?;
    let locale = locale();
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
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} row(s) written to {}", rows.len(), path.display());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
