//! Typed vocabularies: every column storing a code has a CHECK constraint
//! listing the codes of its type, an unknown code is refused on write, and
//! one written behind the constraint's back is an error naming the table,
//! the column and the value when read — never a silent default.

use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::testing::{self, TestDb, seats};
use maillage_db::{Backend, ConnectionTrait, Db, DbErr, introspect, migrate, vocab};
use maillage_db::{bookings, demo, organisations, outbox, people, users};
use maillage_domain::directory::{Gender, Theme};
use maillage_domain::programme::{Audience, SchoolLevel};
use maillage_domain::{Email, Locale, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Query, UpdateStatement};
use std::collections::BTreeMap;

/// Each constraint the database holds lists exactly the codes of its
/// column's type: a variant added without a migration fails here.
#[tokio::test]
async fn every_vocabulary_column_has_a_constraint_with_the_codes_of_its_type() {
    let db = crate::db().await;
    let schema = introspect::schema(&db).await.unwrap();
    for col in vocab::COLUMNS {
        let table = schema
            .get(col.table)
            .unwrap_or_else(|| panic!("no table {}", col.table));
        assert!(
            table.columns.iter().any(|c| c.name == col.column),
            "no column {}.{}",
            col.table,
            col.column
        );
        let check = table.checks.get(&col.constraint()).unwrap_or_else(|| {
            panic!(
                "{}.{} has no constraint {} on {:?}",
                col.table,
                col.column,
                col.constraint(),
                db.backend()
            )
        });
        assert_eq!(check.column, col.column, "{}", col.constraint());
        let mut allowed = check.values.clone();
        allowed.sort();
        let mut codes = (col.codes)();
        codes.sort();
        assert_eq!(
            allowed,
            codes,
            "{} allows other codes than its type has: a migration must replace it",
            col.constraint()
        );
    }
    // And no constraint outside the list.
    for (name, table) in &schema {
        for check in table.checks.keys() {
            assert!(
                vocab::COLUMNS
                    .iter()
                    .any(|c| c.table == name && &c.constraint() == check),
                "{check} on {name} is not in vocab::COLUMNS"
            );
        }
    }
}

fn set(table: &str, column: &str, value: &str, id: i64) -> UpdateStatement {
    Query::update()
        .table(table.to_owned())
        .value(column.to_owned(), value)
        .and_where(Expr::col("id").eq(id))
        .to_owned()
}

async fn refused(db: &Db, stmt: UpdateStatement, constraint: &str) {
    let err = db
        .conn()
        .execute(&stmt)
        .await
        .expect_err("an unknown code must be refused");
    assert!(
        err.to_string().contains(constraint),
        "{err} does not name {constraint}"
    );
}

/// Writes `stmt` past the CHECK constraint of `table.column`: dropped in
/// this test's own schema on PostgreSQL, ignored for the statement on
/// SQLite.
async fn force(db: &Db, table: &str, column: &str, stmt: UpdateStatement) {
    let tx = db.write().await.unwrap();
    match db.backend() {
        Backend::Sqlite => {
            tx.execute_unprepared("PRAGMA ignore_check_constraints = ON")
                .await
                .unwrap();
            tx.execute(&stmt).await.unwrap();
            tx.execute_unprepared("PRAGMA ignore_check_constraints = OFF")
                .await
                .unwrap();
        }
        Backend::Postgres => {
            tx.execute_unprepared(&format!(
                "ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}"
            ))
            .await
            .unwrap();
            tx.execute(&stmt).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn unknown<T: std::fmt::Debug>(read: Result<T, DbErr>, what: &str) {
    let err = read.expect_err("an unknown stored code must be an error");
    assert!(err.to_string().contains(what), "{err} does not say {what}");
}

async fn user(db: &Db, email: &str) -> i64 {
    users::create(
        db.conn(),
        users::NewUser {
            email: &Email::parse(email).unwrap(),
            name: "Ada",
            role: Role::Staff,
            organisation_id: None,
            password: None,
            locale: Locale::En,
        },
        maillage_db::now(),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn unknown_codes_are_refused_on_write() {
    let db = crate::db().await;
    let now = maillage_db::now();
    let u = user(&db, "ada@example.org").await;
    refused(&db, set("users", "role", "root", u), "ck_users_role").await;
    refused(&db, set("users", "locale", "de", u), "ck_users_locale").await;

    let p = people::insert(
        db.conn(),
        &people::PersonData {
            last_name: "Lovelace".into(),
            gender: Some(Gender::Female),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    refused(&db, set("people", "gender", "", p.id), "ck_people_gender").await;
    // NULL stays allowed in a nullable column.
    db.conn()
        .execute(
            Query::update()
                .table("people")
                .value("gender", Option::<String>::None)
                .and_where(Expr::col("id").eq(p.id)),
        )
        .await
        .unwrap();

    let fixture = testing::bookable(&db, testing::Bookable::default()).await;
    let tx = db.write().await.unwrap();
    let b = bookings::book(&tx, fixture.session(), &seats("Ada", 2), now)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    refused(
        &db,
        set("bookings", "status", "lost", b.id),
        "ck_bookings_status",
    )
    .await;
    refused(
        &db,
        set("bookings", "source", "fax", b.id),
        "ck_bookings_source",
    )
    .await;

    // A join table.
    let err = db
        .conn()
        .execute(
            Query::insert()
                .into_table("activity_audiences")
                .columns(["activity_id", "audience"])
                .values_panic([fixture.activity_id.into(), "level:cp".into()]),
        )
        .await
        .expect_err("an unknown audience must be refused");
    assert!(
        err.to_string().contains("ck_activity_audiences_audience"),
        "{err}"
    );
    // The codes of the types themselves are accepted.
    db.conn()
        .execute(&set("bookings", "status", "cancelled", b.id))
        .await
        .unwrap();
}

#[tokio::test]
async fn unknown_stored_codes_are_errors_naming_the_table_and_the_value() {
    let db = crate::db().await;
    let now = maillage_db::now();

    let u = user(&db, "ada@example.org").await;
    force(&db, "users", "role", set("users", "role", "root", u)).await;
    unknown(
        users::find(db.conn(), u).await,
        "unknown value 'root' in users.role",
    );

    let p = people::insert(
        db.conn(),
        &people::PersonData {
            last_name: "Lovelace".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    force(&db, "people", "gender", set("people", "gender", "f", p.id)).await;
    unknown(
        people::find(db.conn(), p.id).await,
        "unknown value 'f' in people.gender",
    );

    let o = organisations::insert(
        db.conn(),
        &organisations::OrganisationData {
            name: "La Casemate".into(),
            themes: vec![Theme::Physics],
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    force(
        &db,
        "organisation_themes",
        "theme",
        Query::update()
            .table("organisation_themes")
            .value("theme", "alchemy")
            .and_where(Expr::col("organisation_id").eq(o.id))
            .to_owned(),
    )
    .await;
    unknown(
        organisations::find(db.conn(), o.id).await,
        "unknown value 'alchemy' in organisation_themes.theme",
    );

    let fixture = testing::bookable(&db, testing::Bookable::default()).await;
    let tx = db.write().await.unwrap();
    activities::update(
        &tx,
        fixture.activity_id,
        &ActivityData {
            audiences: vec![Audience::Families],
            levels: vec![SchoolLevel::College],
            ..activities::find(&tx, fixture.activity_id)
                .await
                .unwrap()
                .unwrap()
                .data
        },
        now,
    )
    .await
    .unwrap();
    let b = bookings::book(&tx, fixture.session(), &seats("Ada", 2), now)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        activities::find(db.conn(), fixture.activity_id)
            .await
            .unwrap()
            .unwrap()
            .data
            .levels,
        [SchoolLevel::College]
    );

    // The status read by every booking function, and counted by session.
    force(
        &db,
        "bookings",
        "status",
        set("bookings", "status", "lost", b.id),
    )
    .await;
    unknown(
        bookings::find(db.conn(), b.id).await,
        "unknown value 'lost' in bookings.status",
    );
    unknown(
        bookings::counts(db.conn(), fixture.session()).await,
        "unknown value 'lost' in bookings.status",
    );

    force(
        &db,
        "activity_audiences",
        "audience",
        Query::update()
            .table("activity_audiences")
            .value("audience", "level:cp")
            .and_where(Expr::col("activity_id").eq(fixture.activity_id))
            .and_where(Expr::col("audience").eq("level:college"))
            .to_owned(),
    )
    .await;
    unknown(
        activities::find(db.conn(), fixture.activity_id).await,
        "unknown value 'level:cp' in activity_audiences.audience",
    );

    let tx = db.write().await.unwrap();
    let m = outbox::enqueue(
        &tx,
        outbox::NewMail {
            to_addr: "ada@example.org".into(),
            to_name: None,
            subject: "Bonjour".into(),
            body_text: "Bonjour".into(),
            body_html: None,
            ics: None,
        },
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    force(&db, "outbox", "status", set("outbox", "status", "lost", m)).await;
    unknown(
        outbox::find(db.conn(), m).await,
        "unknown value 'lost' in outbox.status",
    );
}

/// Row counts of every table, and the indexes and foreign keys as the
/// catalogue describes them, to compare a database before and after.
async fn shape(db: &Db) -> (BTreeMap<String, i64>, Vec<String>) {
    let mut counts = BTreeMap::new();
    for t in introspect::tables(db).await.unwrap() {
        if t == "maillage_migrations" {
            continue;
        }
        let row = db
            .conn()
            .query_one(
                Query::select()
                    .expr_as(Expr::col(sea_orm::sea_query::Asterisk).count(), "n")
                    .from(t.clone()),
            )
            .await
            .unwrap()
            .unwrap();
        counts.insert(t, row.try_get::<i64>("", "n").unwrap());
    }
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name || ' ' || COALESCE(i.sql, '') AS d FROM sqlite_master m \
             LEFT JOIN sqlite_master i ON i.tbl_name = m.name AND i.type = 'index' \
             WHERE m.type = 'table' \
             UNION ALL SELECT m.name || ' → ' || f.\"table\" || '(' || f.\"from\" || ') ' || f.on_delete AS d \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' \
             ORDER BY d"
        }
        Backend::Postgres => {
            "SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS d \
             FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace \
             ORDER BY d"
        }
    };
    let rows = db
        .conn()
        .query_all_raw(sea_orm::Statement::from_string(
            db.conn().get_database_backend(),
            sql,
        ))
        .await
        .unwrap();
    let described = rows
        .iter()
        .map(|r| r.try_get::<String>("", "d").unwrap())
        .collect();
    (counts, described)
}

/// The migrations after the constraints', which add what today's code
/// writes (columns, tables), so that the demo can fill a database that has
/// no constraints yet.
fn later_than_checks() -> Vec<i64> {
    migrate::MIGRATIONS
        .iter()
        .map(|m| m.version)
        .filter(|v| *v > 10)
        .collect()
}

/// A database filled by the demo before the constraints existed migrates:
/// every row kept, indexes and foreign keys as they were, ids never given
/// twice, and the schema of a fresh database.
#[tokio::test]
async fn the_constraints_migrate_a_database_holding_rows() {
    let db = TestDb::unmigrated().await;
    assert!(migrate::run_until(&db, 9).await.unwrap().contains(&9));
    migrate::run_only(&db, &later_than_checks()).await.unwrap();
    assert!(matches!(
        demo::load(&db).await.unwrap(),
        demo::Outcome::Loaded(_)
    ));
    // The last user gone: its id stays used.
    let gone = user(&db, "gone@example.org").await;
    db.conn()
        .execute(
            Query::delete()
                .from_table("users")
                .and_where(Expr::col("id").eq(gone)),
        )
        .await
        .unwrap();
    let before = shape(&db).await;
    assert!(before.0["bookings"] > 0 && before.0["activity_audiences"] > 0);

    assert_eq!(migrate::run(&db).await.unwrap(), [10]);
    assert_eq!(shape(&db).await, before);
    assert!(user(&db, "new@example.org").await > gone);
    if db.backend() == Backend::Sqlite {
        let ok = db
            .conn()
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ok.try_get_by_index::<String>(0).unwrap(), "ok");
        // Foreign keys are enforced again on the application's connections.
        let orphan = db
            .conn()
            .execute(
                Query::update()
                    .table("bookings")
                    .value("session_id", -1)
                    .and_where(Expr::col("id").is_not_null()),
            )
            .await;
        assert!(
            orphan.is_err_and(|e| maillage_db::foreign_key_violation(&e)),
            "foreign keys must still hold"
        );
    }
    let fresh = TestDb::new().await;
    assert_eq!(
        introspect::render(&introspect::schema(&db).await.unwrap()),
        introspect::render(&introspect::schema(&fresh).await.unwrap())
    );
}

/// Rows the constraints would refuse stop the migration before anything
/// changes, with a message that names them.
#[tokio::test]
async fn unknown_rows_stop_the_migration_with_their_values() {
    let db = TestDb::unmigrated().await;
    migrate::run_until(&db, 9).await.unwrap();
    let u = user(&db, "ada@example.org").await;
    db.conn()
        .execute(&set("users", "role", "root", u))
        .await
        .unwrap();
    let err = migrate::run(&db).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot add ck_users_role: users.role holds 'root'"),
        "{err}"
    );
    assert_eq!(
        migrate::pending(&db).await.unwrap(),
        migrate::MIGRATIONS.len() - 9
    );
    assert!(
        introspect::schema(&db)
            .await
            .unwrap()
            .values()
            .all(|t| t.checks.is_empty())
    );
    db.conn()
        .execute(&set("users", "role", "staff", u))
        .await
        .unwrap();
    let applied = migrate::run(&db).await.unwrap();
    assert_eq!(applied[0], 10);
    assert_eq!(migrate::pending(&db).await.unwrap(), 0);
}
