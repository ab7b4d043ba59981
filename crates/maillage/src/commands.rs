//! Administration commands.

use crate::words::Words;
use anyhow::{Context, anyhow, bail};
use maillage_db::audit::{self, Actor, Change};
use maillage_db::demo::{self, Outcome};
use maillage_db::{
    Backend, ConnectError, ConnectionTrait, Db, PoolConfig, api_tokens, migrate, organisations,
    users,
};
use maillage_domain::{Email, Locale, Password, PersonName, Role};
use serde_json::json;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// A database error of the connection, in words.
fn connect_error(w: Words, url: &str, e: ConnectError) -> anyhow::Error {
    match e {
        ConnectError::UnknownScheme(ref scheme) => anyhow!(w.unknown_scheme(scheme, e.to_string())),
        ConnectError::Open(cause) => anyhow::Error::new(cause).context(w.cannot_open_database(url)),
    }
}

/// Which database the URL names (and whether it is one).
pub fn backend(w: Words, url: &str) -> anyhow::Result<Backend> {
    Backend::from_url(url).map_err(|e| connect_error(w, url, e))
}

/// Connects without migrating.
async fn connect(w: Words, url: &str) -> anyhow::Result<Db> {
    Db::connect(url, PoolConfig::default())
        .await
        .map_err(|e| connect_error(w, url, e))
}

/// Opens the database and brings its schema up to date.
pub async fn open(w: Words, url: &str) -> anyhow::Result<Db> {
    let db = connect(w, url).await?;
    let applied = migrate::run(&db)
        .await
        .with_context(|| w.migration_failed())?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "database migrated");
    }
    Ok(db)
}

/// The bytes of a file, or why not in words (the system's message after).
pub fn read(w: Words, file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| {
        let said = w.cannot_read(file, e.kind());
        anyhow::Error::new(e).context(said)
    })
}

/// Writes a file, or says why not.
pub fn write(w: Words, file: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(file, bytes).with_context(|| w.cannot_write(file))
}

pub async fn migrate(w: Words, url: &str) -> anyhow::Result<()> {
    let db = connect(w, url).await?;
    let applied = migrate::run(&db)
        .await
        .with_context(|| w.migration_failed())?;
    if applied.is_empty() {
        println!("{}", w.schema_up_to_date());
    } else {
        let names: Vec<String> = applied.iter().map(ToString::to_string).collect();
        println!("{}", w.migrations_applied(&names));
    }
    Ok(())
}

/// Prints the demo accounts, one line each (the format scripts rely on).
pub fn print_demo(w: Words, outcome: &Outcome) {
    match outcome {
        Outcome::Loaded(accounts) => {
            println!("{}", w.demo_loaded());
            for a in accounts {
                println!("{}", w.demo_login(&a.email, &a.password, a.role));
            }
        }
        Outcome::NotEmpty { users } => println!("{}", w.demo_not_loaded(*users)),
    }
}

pub async fn demo(w: Words, url: &str) -> anyhow::Result<()> {
    let db = open(w, url).await?;
    print_demo(w, &demo::load(&db).await?);
    Ok(())
}

/// `maillage user add`: `who` is the e-mail, the name and the role.
pub async fn user_add(
    w: Words,
    url: &str,
    who: [&str; 3],
    organisation: Option<&str>,
) -> anyhow::Result<()> {
    let [email, name, role] = who;
    let email = Email::parse(email).map_err(|e| anyhow!(w.bad_field("--email", &e)))?;
    let name = PersonName::parse(name).map_err(|e| anyhow!(w.bad_field("--name", &e)))?;
    let role = Role::parse(role).map_err(|_| anyhow!(w.bad_role(role)))?;
    if role.needs_organisation() && organisation.is_none() {
        bail!(w.organisation_required());
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
            let p = Password::new(&line).map_err(|e| anyhow!(w.password_refused(&e)))?;
            (p, false)
        }
    };
    let db = open(w, url).await?;
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
        Some(_) => anyhow!(w.user_exists(email.as_str())),
        None => e.into(),
    })?;
    tx.commit().await?;
    let shown = generated.then(|| password.expose());
    println!("{}", w.user_created(&user.email, role, shown));
    Ok(())
}

pub async fn token_create(w: Words, url: &str, email: &str, name: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow!(w.bad_field("--email", &e)))?;
    let db = open(w, url).await?;
    let user = users::find_by_email(db.conn(), &email)
        .await?
        .with_context(|| w.no_user(email.as_str()))?;
    if !user.is_active() {
        bail!(w.account_disabled(email.as_str()));
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

pub async fn backup(w: Words, url: &str, file: &Path) -> anyhow::Result<()> {
    if backend(w, url)? == Backend::Postgres {
        bail!(w.backup_is_for_sqlite(url));
    }
    if file.exists() {
        bail!(w.already_exists(file));
    }
    let db = connect(w, url).await?;
    let path = file.to_str().with_context(|| w.path_not_utf8())?;
    // VACUUM INTO writes a consistent snapshot while the database is in use.
    db.conn()
        .execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .await
        .with_context(|| w.cannot_write(file))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("{}", w.backup_written(file, size));
    Ok(())
}
