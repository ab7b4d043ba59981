//! Administration commands.

use anyhow::{Context, bail};
use maillage_db::audit::{self, Actor, Change};
use maillage_db::demo::{self, Outcome};
use maillage_db::{
    Backend, ConnectionTrait, Db, PoolConfig, api_tokens, migrate, organisations, users,
};
use maillage_domain::{Email, Locale, Password, PersonName, Role};
use serde_json::json;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// Opens the database and brings its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url, PoolConfig::default()).await?;
    let applied = migrate::run(&db).await?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "database migrated");
    }
    Ok(db)
}

pub async fn migrate(url: &str) -> anyhow::Result<()> {
    let db = Db::connect(url, PoolConfig::default()).await?;
    let applied = migrate::run(&db).await?;
    if applied.is_empty() {
        println!("database schema is up to date");
    } else {
        println!("applied {} migration(s): {applied:?}", applied.len());
    }
    Ok(())
}

/// Prints the demo accounts, one line each (the format scripts rely on).
pub fn print_demo(outcome: &Outcome) {
    match outcome {
        Outcome::Loaded(accounts) => {
            println!("demo season loaded");
            for a in accounts {
                println!("demo login: {} / {} ({})", a.email, a.password, a.role);
            }
        }
        Outcome::NotEmpty { users } => {
            println!(
                "demo not loaded: the database already has {users} user(s); use an empty database to load the demo"
            );
        }
    }
}

pub async fn demo(url: &str) -> anyhow::Result<()> {
    let db = open(url).await?;
    print_demo(&demo::load(&db).await?);
    Ok(())
}

pub async fn user_add(
    url: &str,
    email: &str,
    name: &str,
    role: &str,
    organisation: Option<&str>,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {}", e.code()))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {}", e.code()))?;
    let role = Role::parse(role)
        .map_err(|_| anyhow::anyhow!("--role: one of admin, staff, intern, volunteer, partner"))?;
    if role.needs_organisation() && organisation.is_none() {
        bail!("--organisation is required for a partner");
    }
    let stdin = std::io::stdin();
    let (password, generated) = if stdin.is_terminal() {
        (Password::generate(), true)
    } else {
        let mut input = String::new();
        stdin.lock().read_to_string(&mut input)?;
        let line = input.lines().next().unwrap_or("").to_owned();
        if line.is_empty() {
            (Password::generate(), true)
        } else {
            let p = Password::new(&line).map_err(|e| {
                anyhow::anyhow!("password from standard input refused: {}", e.code())
            })?;
            (p, false)
        }
    };
    let db = open(url).await?;
    let hash = password.hash();
    let now = maillage_db::now();
    let tx = db.write().await?;
    let organisation_id = match organisation.filter(|_| role.needs_organisation()) {
        Some(org) => Some(match organisations::find_by_name(&tx, org).await? {
            Some(o) => o.id,
            None => organisations::create(&tx, org, now).await?.id,
        }),
        None => None,
    };
    let user = users::create_recorded(
        &tx,
        &Actor::system("cli"),
        users::NewUser {
            email: &email,
            name: name.as_str(),
            role,
            organisation_id,
            password: Some(hash),
            locale: Locale::Fr,
        },
        now,
    )
    .await
    .map_err(|e| match maillage_db::unique_violation(&e) {
        Some(_) => anyhow::anyhow!("a user with e-mail {email} already exists"),
        None => e.into(),
    })?;
    tx.commit().await?;
    if generated {
        println!(
            "created {} ({role}) with password: {}",
            user.email,
            password.expose()
        );
    } else {
        println!("created {} ({role})", user.email);
    }
    Ok(())
}

pub async fn token_create(url: &str, email: &str, name: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {}", e.code()))?;
    let db = open(url).await?;
    let user = users::find_by_email(db.conn(), &email)
        .await?
        .with_context(|| format!("no user with e-mail {email}"))?;
    if !user.is_active() {
        bail!("the account {email} is disabled");
    }
    let now = maillage_db::now();
    let tx = db.write().await?;
    let (token, secret) = api_tokens::create(&tx, user.id, name, now).await?;
    audit::record(
        &tx,
        &Actor::system("cli"),
        Change {
            action: "create",
            entity_type: "api_token",
            entity_id: token.id.to_string(),
            summary: name.to_owned(),
            changes: json!({"user": user.email, "name": name, "prefix": token.prefix}),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    println!("{secret}");
    Ok(())
}

pub async fn backup(url: &str, file: &Path) -> anyhow::Result<()> {
    if Backend::from_url(url)? == Backend::Postgres {
        bail!(
            "backup copies SQLite databases; for PostgreSQL use pg_dump, e.g.\n  pg_dump --format=custom --file=maillage.dump '{url}'\nand restore with pg_restore --clean --dbname=… maillage.dump"
        );
    }
    if file.exists() {
        bail!("{} already exists; choose a new file", file.display());
    }
    let db = Db::connect(url, PoolConfig::default()).await?;
    let path = file
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    // VACUUM INTO writes a consistent snapshot while the database is in use.
    db.conn()
        .execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .await
        .with_context(|| format!("cannot write {}", file.display()))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {} ({size} bytes)", file.display());
    Ok(())
}
