//! The public side of bookings, without JavaScript: the booking form of a
//! session (`form`: individual seats, classes), the personal page of a
//! booking reached by its secret link (`manage`: see it, confirm the
//! address, accept offered places, change the number of seats, cancel),
//! and "I lost my link" (`lookup`).

pub(crate) mod form;
pub(crate) mod lookup;
pub(crate) mod manage;

pub(crate) use form::{BookForm, parse_request};
