//! What the storage modules share to write their entities and queries:
//! the boilerplate of an entity module, rows read into domain types (all,
//! a page, or by chunks of ids), and hand-built selects over aliased
//! tables.

use crate::page::{Page, PageRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoIden, JoinType, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    Select,
};

/// The end of an entity module whose entity declares no relation: the
/// empty `Relation` and the default `ActiveModelBehavior` SeaORM asks for.
macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// The end of an entity module whose entity belongs to a user through its
/// `user_id` column (`find_also_related(users::entity::Entity)`).
macro_rules! belongs_to_user {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "crate::users::entity::Entity",
                from = "Column::UserId",
                to = "crate::users::entity::Column::Id"
            )]
            User,
        }

        impl Related<crate::users::entity::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::User.def()
            }
        }

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub(crate) use {belongs_to_user, no_relations};

/// Every row `q` selects, each made into a `T` by `from`.
pub(crate) async fn all<E: EntityTrait, T>(
    c: &impl ConnectionTrait,
    q: Select<E>,
    from: impl Fn(E::Model) -> Result<T, DbErr>,
) -> Result<Vec<T>, DbErr> {
    q.all(c).await?.into_iter().map(from).collect()
}

/// Page `page` of the rows `q` selects, in the order `order` gives them,
/// each made into a `T` by `from`; with the number of rows in all.
pub(crate) async fn page<E: EntityTrait, T>(
    c: &impl ConnectionTrait,
    q: Select<E>,
    page: PageRequest,
    order: impl FnOnce(Select<E>) -> Select<E>,
    from: impl Fn(E::Model) -> Result<T, DbErr>,
) -> Result<Page<T>, DbErr>
where
    E::Model: Send + Sync,
{
    let total = q.clone().count(c).await?;
    let rows = order(q).offset(page.offset()).limit(page.per_page);
    Ok(Page {
        items: all(c, rows, from).await?,
        total,
        request: page,
    })
}

/// How many ids one `IN (…)` binds at most (SQLite and PostgreSQL both cap
/// the parameters of a statement).
pub(crate) const IDS_PER_QUERY: usize = 500;

/// Every row `q` selects whose `column` is one of `ids`, the ids bound
/// [`IDS_PER_QUERY`] at a time (the rows of each chunk in `q`'s order).
pub(crate) async fn with_ids<E: EntityTrait>(
    c: &impl ConnectionTrait,
    q: Select<E>,
    column: E::Column,
    ids: &[i64],
) -> Result<Vec<E::Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        out.extend(
            q.clone()
                .filter(column.is_in(chunk.iter().copied()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// The digest a secret (a cookie's or a link's token) is stored under;
/// none for a string no secret could be, which is then not looked up.
pub(crate) fn secret_digest(secret: &str) -> Option<String> {
    maillage_domain::token::is_well_formed(secret).then(|| maillage_domain::token::digest(secret))
}

/// `alias.column` in a select over aliased tables.
pub(crate) fn col(alias: &str, column: &str) -> Expr {
    Expr::col((Alias::new(alias), Alias::new(column)))
}

/// Joins `table` as `alias` to `q` on `alias.key = other.column`, where
/// `other` is `(alias, column)` of a table already in `q`.
pub(crate) fn join(
    q: &mut SelectStatement,
    kind: JoinType,
    table: impl IntoIden,
    (alias, key): (&str, &str),
    (other, column): (&str, &str),
) {
    q.join_as(
        kind,
        table,
        Alias::new(alias),
        col(alias, key).equals((Alias::new(other), Alias::new(column))),
    );
}
