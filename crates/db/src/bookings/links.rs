//! The personal links of bookings. Only the digest of a link's secret is
//! stored: a copy of the database opens no booking. A booking may have
//! several links (the one shown after booking, one in each e-mail sent
//! later, one per "I lost my link" request); each stays valid until the
//! booking is anonymised or erased.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "booking_links")]
    pub struct Model {
        /// SHA-256 of the link's secret, in hexadecimal.
        #[sea_orm(primary_key, auto_increment = false)]
        pub digest: String,
        pub booking_id: i64,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A new personal link for `booking`: its secret, to put in a URL now (it
/// cannot be read back).
pub async fn issue(
    c: &impl ConnectionTrait,
    booking: i64,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let secret = maillage_domain::token::generate();
    ActiveModel {
        digest: Set(maillage_domain::token::digest(&secret)),
        booking_id: Set(booking),
        created_at: Set(now),
    }
    .insert(c)
    .await?;
    Ok(secret)
}

/// The booking a link's secret opens, if any.
pub async fn booking_of(c: &impl ConnectionTrait, secret: &str) -> Result<Option<i64>, DbErr> {
    let Some(digest) = crate::query::secret_digest(secret) else {
        return Ok(None);
    };
    Ok(Entity::find_by_id(digest)
        .one(c)
        .await?
        .map(|l| l.booking_id))
}

/// Every link of these bookings stops working (their personal data is
/// going).
pub async fn revoke(c: &impl ConnectionTrait, bookings: &[i64]) -> Result<(), DbErr> {
    for chunk in bookings.chunks(crate::query::IDS_PER_QUERY) {
        Entity::delete_many()
            .filter(Column::BookingId.is_in(chunk.iter().copied()))
            .exec(c)
            .await?;
    }
    Ok(())
}
