//! `maillage`: the one binary. `serve` runs the web server and the e-mail
//! worker; the other commands administer a database.

mod commands;
mod directory;
mod logging;
mod programme;
mod report;
mod serve;
mod words;

use clap::{Parser, Subcommand};
use maillage_domain::Locale;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "maillage",
    version,
    about = "Maillage — the platform of a territorial science-culture service"
)]
struct Cli {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_DATABASE_URL",
        default_value = "sqlite://maillage.db"
    )]
    database: String,

    /// Language of every message and of the bilan's texts: fr or en. By
    /// default the environment's (LC_ALL, LC_MESSAGES, then LANG: English
    /// when it starts with "en", French otherwise).
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_LANG",
        value_name = "fr|en",
        value_parser = words::parse_lang
    )]
    lang: Option<Locale>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo season into an empty database.
    Demo,
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Import organisations, people or venues from a CSV or XLSX file (the
    /// file is checked first; with problems, nothing is imported and they
    /// are listed by line and column, exit status 1), or the events of an
    /// OpenAgenda export or of the Ministry's Fête de la science open data
    /// into a project (again and again: events are matched by their uid).
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        file: PathBuf,
        /// Only check the file.
        #[arg(long)]
        dry_run: bool,
        /// The project (its slug) receiving events.
        #[arg(long, required_if_eq_any([("kind", "openagenda"), ("kind", "fete-de-la-science")]))]
        project: Option<String>,
    },
    /// Export organisations, people or venues as CSV or XLSX, or a project's
    /// public activities as OpenAgenda JSON.
    Export {
        #[arg(value_enum)]
        kind: ExportKind,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Destination file (standard output when absent).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The project (its slug) to export.
        #[arg(long, required_if_eq("kind", "openagenda"))]
        project: Option<String>,
    },
    /// Write the bilan of a project (figures, coverage, comparison with the
    /// previous edition) as PDF, XLSX or JSON.
    Report {
        /// The project (its slug).
        #[arg(long)]
        project: String,
        #[arg(long, value_enum, default_value = "pdf")]
        format: ReportFormat,
        /// Destination file (standard output when absent).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write a consistent copy of a SQLite database to FILE while it runs.
    Backup {
        /// Destination file (must not exist).
        file: PathBuf,
    },
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MAILLAGE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Load the demo season if the database is empty, and print the demo accounts.
    #[arg(long)]
    pub demo: bool,
    /// Public address of the site, used in e-mailed links (default: http://BIND).
    #[arg(long, env = "MAILLAGE_BASE_URL")]
    pub base_url: Option<String>,
    /// SMTP server, e.g. smtp://user:password@host:587?tls=required; without it
    /// e-mails are written as .eml files to the mail folder.
    #[arg(long, env = "MAILLAGE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Folder of the file outbox (when no SMTP server is configured).
    #[arg(long, env = "MAILLAGE_MAIL_DIR", default_value = "./mail-outbox")]
    pub mail_dir: PathBuf,
    /// Sender of the e-mails.
    #[arg(
        long,
        env = "MAILLAGE_MAIL_FROM",
        default_value = "Maillage <no-reply@maillage.localhost>"
    )]
    pub mail_from: String,
    /// Number of reverse proxies in front that append to X-Forwarded-For
    /// (`--trust-proxy` alone: one). The client address is taken that many
    /// entries from the right; without it the header is ignored.
    #[arg(
        long,
        env = "MAILLAGE_TRUST_PROXY",
        num_args = 0..=1,
        default_value_t = 0,
        default_missing_value = "1",
        value_name = "HOPS",
        value_parser = parse_hops
    )]
    pub trust_proxy: u8,
    /// Require this bearer token on /metrics.
    #[arg(long, env = "MAILLAGE_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Booking submissions allowed per client address: `N/s`, `N/min`,
    /// `N/h`, or `off` (for load tests).
    #[arg(long, env = "MAILLAGE_RATE_LIMIT", default_value = "30/min", value_parser = parse_rate_limit)]
    pub rate_limit: RateLimitArg,
    /// Months after a session its bookings' personal data are anonymised.
    #[arg(long, env = "MAILLAGE_BOOKING_RETENTION_MONTHS", default_value_t = 12)]
    pub booking_retention_months: u32,
}

/// A parsed `--rate-limit` (`None`: off).
#[derive(Clone, Debug)]
pub struct RateLimitArg(pub Option<maillage_web::ratelimit::RateLimit>);

/// `--trust-proxy`: a number of proxies, or yes/no (one or none).
fn parse_hops(s: &str) -> Result<u8, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "off" => Ok(0),
        "true" | "yes" | "on" => Ok(1),
        n => n.parse().map_err(|_| {
            format!("{s:?} : nombre de proxys attendu (0 à 255) / expected a number of proxies (0 to 255)")
        }),
    }
}

fn parse_rate_limit(s: &str) -> Result<RateLimitArg, String> {
    maillage_web::ratelimit::RateLimit::parse(s).map(RateLimitArg)
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ListKind {
    Organisations,
    People,
    Venues,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportKind {
    Organisations,
    People,
    Venues,
    /// OpenAgenda API v2 events (array, `{events: [...]}` or one event).
    Openagenda,
    /// The Ministry's Opendatasoft records of the Fête de la science.
    FeteDeLaScience,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportKind {
    Organisations,
    People,
    Venues,
    Openagenda,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Pdf,
    Xlsx,
    Json,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input when it is
    /// not a terminal; otherwise one is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, staff, intern, volunteer or partner.
        #[arg(long)]
        role: String,
        /// The organisation of a partner (created if it does not exist).
        #[arg(long)]
        organisation: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (alone, for scripts).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init();
    let w = words::Words::new(
        cli.lang
            .unwrap_or_else(|| words::from_env(|k| std::env::var(k).ok())),
    );
    let db = cli.database.as_str();
    let result = match cli.command {
        Command::Serve(args) => serve::run(w, db, args).await,
        Command::Migrate => commands::migrate(w, db).await,
        Command::Demo => commands::demo(w, db).await,
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    organisation,
                },
        } => commands::user_add(w, db, [&email, &name, &role], organisation.as_deref()).await,
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => commands::token_create(w, db, &email, &name).await,
        Command::Backup { file } => commands::backup(w, db, &file).await,
        Command::Report {
            project,
            format,
            output,
        } => {
            let format = match format {
                ReportFormat::Pdf => maillage_reports::output::Format::Pdf,
                ReportFormat::Xlsx => maillage_reports::output::Format::Xlsx,
                ReportFormat::Json => maillage_reports::output::Format::Json,
            };
            report::report(w, db, &project, format, output.as_deref()).await
        }
        Command::Import {
            kind,
            file,
            dry_run,
            project,
        } => import(w, db, kind, &file, dry_run, project.as_deref()).await,
        Command::Export {
            kind,
            format,
            output,
            project,
        } => {
            let list = |k| directory::export(w, db, k, format, output.as_deref());
            match (kind, project) {
                (ExportKind::Organisations, _) => list(ListKind::Organisations).await,
                (ExportKind::People, _) => list(ListKind::People).await,
                (ExportKind::Venues, _) => list(ListKind::Venues).await,
                (ExportKind::Openagenda, Some(p)) => {
                    programme::export(w, db, &p, output.as_deref()).await
                }
                (ExportKind::Openagenda, None) => Err(anyhow::anyhow!(w.project_required())),
            }
        }
    };
    done(w, result)
}

/// `maillage import`: a list of the directory, or a project's events.
async fn import(
    w: words::Words,
    db: &str,
    kind: ImportKind,
    file: &std::path::Path,
    dry_run: bool,
    project: Option<&str>,
) -> anyhow::Result<()> {
    let list = |k| directory::import(w, db, k, file, dry_run);
    let source = match kind {
        ImportKind::Organisations => return list(ListKind::Organisations).await,
        ImportKind::People => return list(ListKind::People).await,
        ImportKind::Venues => return list(ListKind::Venues).await,
        ImportKind::Openagenda => programme::Source::OpenAgenda,
        ImportKind::FeteDeLaScience => programme::Source::FeteDeLaScience,
    };
    let project = project.ok_or_else(|| anyhow::anyhow!(w.project_required()))?;
    programme::import(w, db, source, file, project, dry_run).await
}

/// The exit status of a command; its error in words on standard error.
fn done(w: words::Words, result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", w.error_line(&e));
            ExitCode::FAILURE
        }
    }
}
