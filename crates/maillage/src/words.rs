//! Every sentence the command line prints, in French and in English: one
//! language per run (`--lang`, `MAILLAGE_LANG`, else the locale of the
//! environment). What the web already says (field errors, problems of a
//! directory file, what an OpenAgenda import skipped) comes from the same
//! wording as the web (`maillage_web::i18n`, `maillage_exchange::Describe`).

use maillage_directory::import::Kind;
use maillage_domain::{FieldError, Locale, Role};
use maillage_exchange::Report;
use maillage_web::i18n::{Messages, field_error, messages};
use std::path::Path;

/// `--lang`: fr or en (with a region or an encoding: `en_GB.UTF-8`).
pub fn parse_lang(s: &str) -> Result<Locale, String> {
    Locale::parse(s)
        .ok_or_else(|| format!("{s:?} : langue attendue fr ou en / expected language fr or en"))
}

/// The language of the environment, as `setlocale` reads it: the first of
/// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty; English
/// when it starts with "en", French otherwise (and when none is set).
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Locale {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|v| !v.trim().is_empty())
        .map_or(Locale::Fr, |v| {
            if v.trim().to_ascii_lowercase().starts_with("en") {
                Locale::En
            } else {
                Locale::Fr
            }
        })
}

/// A postgres:// URL without its password, to be printed.
pub fn redacted(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    match url[start..end].rfind('@').map(|i| start + i) {
        Some(at) => match url[start..at].find(':').map(|i| start + i) {
            Some(colon) => format!("{}:***{}", &url[..colon], &url[at..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The words of one run.
#[derive(Clone, Copy, Debug)]
pub struct Words {
    pub locale: Locale,
}

impl Words {
    pub fn new(locale: Locale) -> Words {
        Words { locale }
    }

    fn fr(self) -> bool {
        self.locale == Locale::Fr
    }

    fn pick(self, fr: &str, en: &str) -> String {
        if self.fr() { fr } else { en }.to_owned()
    }

    /// The web's catalogue in this language.
    pub fn m(self) -> &'static Messages {
        messages(self.locale)
    }

    /// ": " in English, " : " in French.
    pub fn colon(self) -> &'static str {
        if self.fr() { " : " } else { ": " }
    }

    /// « … » in French, “…” in English.
    pub fn quote(self, s: &str) -> String {
        if self.fr() {
            format!("« {s} »")
        } else {
            format!("“{s}”")
        }
    }

    /// A count: in French, from 10 000 on, its thousands apart by a narrow
    /// no-break space; in English as digits only (as scripts read them).
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        if !self.fr() || n < 10_000 {
            return digits;
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{202F}');
            }
            out.push(c);
        }
        out
    }

    /// "{n} {noun}" as the language counts: in French 0 and 1 are
    /// singular, in English only 1.
    fn n(self, n: u64, fr: [&str; 2], en: [&str; 2]) -> String {
        let forms = if self.fr() { fr } else { en };
        let single = if self.fr() { n <= 1 } else { n == 1 };
        format!("{} {}", self.number(n), forms[usize::from(!single)])
    }

    /// "{file} : {said}".
    pub fn about(self, file: &Path, said: &str) -> String {
        format!("{}{}{said}", file.display(), self.colon())
    }

    /// An error and its causes, each after a colon: "maillage : … : …"
    /// (a cause its error already says is not said twice).
    pub fn error_line(self, e: &anyhow::Error) -> String {
        let sep = self.colon();
        let mut chain: Vec<String> = Vec::new();
        for cause in e.chain().map(ToString::to_string) {
            if !chain.last().is_some_and(|said| said.contains(&cause)) {
                chain.push(cause);
            }
        }
        format!("maillage{sep}{}", chain.join(sep))
    }

    // The database.

    /// `english` is the database crate's own sentence.
    pub fn unknown_scheme(self, scheme: &str, english: String) -> String {
        if self.fr() {
            format!(
                "adresse de base de données non prise en charge ({scheme:?}) : utilisez \
                 sqlite://FICHIER (par exemple sqlite://maillage.db) ou \
                 postgres://UTILISATEUR@HÔTE/BASE"
            )
        } else {
            english
        }
    }

    pub fn cannot_open_database(self, url: &str) -> String {
        let url = redacted(url);
        self.pick(
            &format!("impossible d'ouvrir la base de données {url}"),
            &format!("cannot open the database {url}"),
        )
    }

    pub fn migration_failed(self) -> String {
        self.pick(
            "la mise à jour du schéma de la base a échoué",
            "the migration of the database schema failed",
        )
    }

    pub fn schema_up_to_date(self) -> String {
        self.pick(
            "le schéma de la base de données est à jour",
            "database schema is up to date",
        )
    }

    pub fn migrations_applied(self, names: &[String]) -> String {
        let n = self.n(
            names.len() as u64,
            ["migration appliquée", "migrations appliquées"],
            ["migration applied", "migrations applied"],
        );
        format!("{n}{}{}", self.colon(), names.join(", "))
    }

    // Files.

    /// Why a file cannot be read, in words; the system's own message
    /// follows after a colon.
    pub fn cannot_read(self, file: &Path, kind: std::io::ErrorKind) -> String {
        let file = file.display();
        let why = match kind {
            std::io::ErrorKind::NotFound => self.pick("fichier introuvable", "file not found"),
            std::io::ErrorKind::PermissionDenied => {
                self.pick("lecture non autorisée", "permission denied")
            }
            std::io::ErrorKind::IsADirectory => self.pick("c'est un dossier", "this is a folder"),
            _ => {
                return self.pick(
                    &format!("impossible de lire {file}"),
                    &format!("cannot read {file}"),
                );
            }
        };
        self.pick(
            &format!("impossible de lire {file} ({why})"),
            &format!("cannot read {file} ({why})"),
        )
    }

    pub fn cannot_write(self, file: &Path) -> String {
        let file = file.display();
        self.pick(
            &format!("impossible d'écrire {file}"),
            &format!("cannot write {file}"),
        )
    }

    pub fn unreadable(self, file: &Path) -> String {
        self.about(file, &self.pick("fichier illisible", "cannot be read"))
    }

    // Projects.

    pub fn no_project(self, slug: &str) -> String {
        let slug = self.quote(slug);
        self.pick(
            &format!("aucun projet n'a l'identifiant {slug}"),
            &format!("no project with the slug {slug}"),
        )
    }

    pub fn project_required(self) -> String {
        self.pick("--project est obligatoire", "--project is required")
    }

    // The demo.

    pub fn demo_loaded(self) -> String {
        self.pick("saison de démonstration chargée", "demo season loaded")
    }

    /// One line per account, the same shape in both languages (scripts
    /// read the e-mail, the password and the role code).
    pub fn demo_login(self, email: &str, password: &str, role: Role) -> String {
        let lead = self.pick("compte de démo", "demo login");
        format!("{lead}{}{email} / {password} ({role})", self.colon())
    }

    pub fn demo_not_loaded(self, users: u64) -> String {
        let users = self.n(users, ["compte", "comptes"], ["user", "users"]);
        self.pick(
            &format!(
                "démo non chargée : la base de données a déjà {users} ; chargez la démo dans une \
                 base vide"
            ),
            &format!(
                "demo not loaded: the database already has {users}; use an empty database to \
                 load the demo"
            ),
        )
    }

    // Accounts and tokens.

    /// `--email : Adresse e-mail invalide (…).`
    pub fn bad_field(self, flag: &str, e: &FieldError) -> String {
        format!("{flag}{}{}", self.colon(), field_error(self.m(), e))
    }

    pub fn bad_role(self, given: &str) -> String {
        let given = self.quote(given);
        self.pick(
            &format!(
                "--role : rôle inconnu {given} ; attendu : admin, staff, intern, volunteer ou \
                 partner"
            ),
            &format!(
                "--role: unknown role {given}; expected admin, staff, intern, volunteer or partner"
            ),
        )
    }

    pub fn organisation_required(self) -> String {
        self.pick(
            "--organisation est obligatoire pour un partenaire",
            "--organisation is required for a partner",
        )
    }

    pub fn password_refused(self, e: &FieldError) -> String {
        let why = field_error(self.m(), e);
        self.pick(
            &format!("mot de passe lu sur l'entrée standard refusé : {why}"),
            &format!("password from standard input refused: {why}"),
        )
    }

    pub fn user_exists(self, email: &str) -> String {
        self.pick(
            &format!("un compte existe déjà avec l'adresse {email}"),
            &format!("a user with e-mail {email} already exists"),
        )
    }

    /// The role is its code, as `--role` takes it.
    pub fn user_created(self, email: &str, role: Role, password: Option<&str>) -> String {
        match (self.fr(), password) {
            (true, None) => format!("compte créé : {email} ({role})"),
            (true, Some(p)) => format!("compte créé : {email} ({role}), mot de passe : {p}"),
            (false, None) => format!("created {email} ({role})"),
            (false, Some(p)) => format!("created {email} ({role}) with password: {p}"),
        }
    }

    pub fn no_user(self, email: &str) -> String {
        self.pick(
            &format!("aucun compte n'a l'adresse {email}"),
            &format!("no user with e-mail {email}"),
        )
    }

    pub fn account_disabled(self, email: &str) -> String {
        self.pick(
            &format!("le compte {email} est désactivé"),
            &format!("the account {email} is disabled"),
        )
    }

    // Backups.

    pub fn backup_is_for_sqlite(self, url: &str) -> String {
        let url = redacted(url);
        self.pick(
            &format!(
                "backup copie les bases SQLite ; pour PostgreSQL, utilisez pg_dump, par exemple\n  \
                 pg_dump --format=custom --file=maillage.dump '{url}'\npuis restaurez avec \
                 pg_restore --clean --dbname=… maillage.dump"
            ),
            &format!(
                "backup copies SQLite databases; for PostgreSQL use pg_dump, e.g.\n  \
                 pg_dump --format=custom --file=maillage.dump '{url}'\nand restore with \
                 pg_restore --clean --dbname=… maillage.dump"
            ),
        )
    }

    pub fn already_exists(self, file: &Path) -> String {
        let file = file.display();
        self.pick(
            &format!("{file} existe déjà ; choisissez un nouveau fichier"),
            &format!("{file} already exists; choose a new file"),
        )
    }

    pub fn path_not_utf8(self) -> String {
        self.pick(
            "le chemin de la copie doit être en UTF-8 valide",
            "the backup path must be valid UTF-8",
        )
    }

    fn bytes(self, n: u64) -> String {
        self.n(n, ["octet", "octets"], ["byte", "bytes"])
    }

    fn in_ms(self, ms: u128) -> String {
        self.pick(&format!("en {ms} ms"), &format!("in {ms} ms"))
    }

    pub fn backup_written(self, file: &Path, bytes: u64) -> String {
        let (file, bytes) = (file.display(), self.bytes(bytes));
        self.pick(
            &format!("copie écrite dans {file} ({bytes})"),
            &format!("backup written to {file} ({bytes})"),
        )
    }

    // The directory's files.

    fn dry_run(self) -> String {
        self.pick(
            "(essai : rien n'a été importé)",
            "(dry run: nothing imported)",
        )
    }

    /// "{file}, ligne 3" / "{file}, line 3".
    fn at_line(self, file: &Path, line: usize) -> String {
        format!("{}, {} {line}", file.display(), self.pick("ligne", "line"))
    }

    pub fn maybe_duplicate(self, file: &Path, line: usize, name: &str, id: i64) -> String {
        let number = self.pick(&format!("n° {id}"), &format!("#{id}"));
        format!(
            "{}{}{} {} ({number})",
            self.at_line(file, line),
            self.colon(),
            self.m().import_maybe_duplicate,
            self.quote(name)
        )
    }

    /// A problem of a line, `issue` in the web's words.
    pub fn problem(
        self,
        file: &Path,
        line: usize,
        column: &str,
        value: &str,
        issue: &str,
    ) -> String {
        let column = format!("{} {}", self.pick("colonne", "column"), self.quote(column));
        let value = if value.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.quote(value))
        };
        format!(
            "{}, {column}{value}{}{issue}",
            self.at_line(file, line),
            self.colon()
        )
    }

    pub fn nothing_imported(self, problems: usize, rows: usize) -> String {
        let problems = self.n(
            problems as u64,
            ["problème", "problèmes"],
            ["problem", "problems"],
        );
        let rows = self.n(
            rows as u64,
            ["ligne de données", "lignes de données"],
            ["data row", "data rows"],
        );
        self.pick(
            &format!("{problems} dans {rows} ; rien n'a été importé"),
            &format!("{problems} in {rows}; nothing was imported"),
        )
    }

    pub fn rows_checked(self, file: &Path, rows: usize) -> String {
        let rows = self.n(
            rows as u64,
            ["ligne vérifiée", "lignes vérifiées"],
            ["row checked", "rows checked"],
        );
        let no_problem = self.pick("aucun problème", "no problem");
        self.about(file, &format!("{rows}, {no_problem} {}", self.dry_run()))
    }

    pub fn imported(self, kind: Kind, n: usize) -> String {
        let n = n as u64;
        match kind {
            Kind::Organisations => self.n(
                n,
                ["organisation importée", "organisations importées"],
                ["organisation imported", "organisations imported"],
            ),
            Kind::People => self.n(
                n,
                ["personne importée", "personnes importées"],
                ["person imported", "people imported"],
            ),
            Kind::Venues => self.n(
                n,
                ["lieu importé", "lieux importés"],
                ["venue imported", "venues imported"],
            ),
        }
    }

    pub fn rows_written(self, n: usize, file: &Path) -> String {
        let file = file.display();
        let written = self.n(
            n as u64,
            ["ligne écrite", "lignes écrites"],
            ["row written", "rows written"],
        );
        self.pick(
            &format!("{written} dans {file}"),
            &format!("{written} to {file}"),
        )
    }

    // The programme's exchange with OpenAgenda.

    pub fn warning(self, file: &Path, said: &str) -> String {
        self.about(
            file,
            &format!("{}, {said}", self.pick("avertissement", "warning")),
        )
    }

    /// "205 événements créés, 0 mis à jour, 0 inchangé, 0 écarté, 3 lieux
    /// créés en 812 ms", or the dry run's.
    pub fn import_summary(self, r: &Report, dry_run: bool, ms: u128) -> String {
        let created = self.n(
            r.created as u64,
            ["événement créé", "événements créés"],
            ["event created", "events created"],
        );
        let updated = self.n(
            r.updated as u64,
            ["mis à jour", "mis à jour"],
            ["updated"; 2],
        );
        let unchanged = self.n(
            r.unchanged as u64,
            ["inchangé", "inchangés"],
            ["unchanged"; 2],
        );
        let skipped = self.n(
            r.skipped.len() as u64,
            ["écarté", "écartés"],
            ["skipped"; 2],
        );
        let venues = self.n(
            r.venues_created as u64,
            ["lieu créé", "lieux créés"],
            ["venue created", "venues created"],
        );
        let end = if dry_run {
            self.dry_run()
        } else {
            self.in_ms(ms)
        };
        format!("{created}, {updated}, {unchanged}, {skipped}, {venues} {end}")
    }

    pub fn events_written(self, n: usize, file: &Path) -> String {
        let file = file.display();
        let written = self.n(
            n as u64,
            ["événement écrit", "événements écrits"],
            ["event written", "events written"],
        );
        self.pick(
            &format!("{written} dans {file}"),
            &format!("{written} to {file}"),
        )
    }

    // The bilan and the server.

    pub fn report_written(self, file: &Path, bytes: usize, ms: u128) -> String {
        let (file, bytes, ms) = (file.display(), self.bytes(bytes as u64), self.in_ms(ms));
        self.pick(
            &format!("{file} écrit ({bytes}) {ms}"),
            &format!("{file} written ({bytes}) {ms}"),
        )
    }

    pub fn listening(self, addr: &str, backend: &str, ms: u128) -> String {
        let ms = self.in_ms(ms);
        self.pick(
            &format!("Maillage écoute sur http://{addr} (base de données : {backend}, prêt {ms})"),
            &format!("Maillage listening on http://{addr} (database: {backend}, ready {ms})"),
        )
    }
}

#[cfg(test)]
mod tests;
