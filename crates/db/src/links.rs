//! Every table that points at an organisation or a person, so that merging
//! two records moves all their links. A feature that adds such a column adds
//! it here (and the merge tests check that nothing is left behind).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// A column referencing a record, with the other columns of the table's
/// key (empty for a plain reference): where the kept record already has the
/// same key, the removed record's row is dropped instead of moved.
pub struct Link {
    pub table: &'static str,
    pub column: &'static str,
    pub key: &'static [&'static str],
}

/// References to `organisations.id`.
pub const ORGANISATION_LINKS: &[Link] = &[
    Link {
        table: "memberships",
        column: "organisation_id",
        key: &["person_id"],
    },
    Link {
        table: "users",
        column: "organisation_id",
        key: &[],
    },
    Link {
        table: "venues",
        column: "organisation_id",
        key: &[],
    },
    Link {
        table: "activity_organisations",
        column: "organisation_id",
        key: &["activity_id"],
    },
    Link {
        table: "project_partners",
        column: "organisation_id",
        key: &["project_id", "role"],
    },
];

/// References to `people.id`.
pub const PERSON_LINKS: &[Link] = &[
    Link {
        table: "memberships",
        column: "person_id",
        key: &["organisation_id"],
    },
    Link {
        table: "activity_speakers",
        column: "person_id",
        key: &["activity_id"],
    },
];

/// Moves every link of `removed` to `kept`.
pub async fn move_all(
    c: &impl ConnectionTrait,
    links: &[Link],
    kept: i64,
    removed: i64,
) -> Result<(), DbErr> {
    for l in links {
        let mut update = Query::update();
        update
            .table(l.table)
            .value(l.column, kept)
            .and_where(Expr::col(l.column).eq(removed));
        if !l.key.is_empty() {
            // Not where the kept record already has this key.
            let mut exists = Query::select();
            exists
                .expr(Expr::value(1))
                .from_as(l.table, Alias::new("k"))
                .and_where(Expr::col((Alias::new("k"), Alias::new(l.column))).eq(kept));
            for col in l.key {
                exists.and_where(
                    Expr::col((Alias::new("k"), Alias::new(*col)))
                        .equals((Alias::new(l.table), Alias::new(*col))),
                );
            }
            update.and_where(Expr::exists(exists).not());
        }
        c.execute(&update).await?;
        if !l.key.is_empty() {
            // What could not move duplicates what the kept record has.
            c.execute(
                Query::delete()
                    .from_table(l.table)
                    .and_where(Expr::col(l.column).eq(removed)),
            )
            .await?;
        }
    }
    Ok(())
}
