//! Vocabulary and rules of bookings: kinds, statuses and their meaning for
//! capacity, class levels, and the checks of what a booker types.

use crate::field::FieldError;

vocabulary! {
    /// What a booking is for.
    BookingKind {
        Seats = "seats", "Places individuelles", "Individual seats";
        Group = "group", "Classe ou groupe", "Class or group";
        WalkIn = "walk_in", "Venue sans réservation", "Walk-in";
    }
}

vocabulary! {
    /// Where a booking was made: the public form, the API, or by the team
    /// (walk-ins counted at the door).
    BookingSource {
        Form = "form", "Formulaire", "Form";
        Api = "api", "API", "API";
        Staff = "staff", "Équipe", "Team";
    }
}

vocabulary! {
    /// Where a booking stands.
    BookingStatus {
        Unconfirmed = "unconfirmed", "En attente de confirmation de l'adresse", "Awaiting e-mail confirmation";
        Pending = "pending", "En attente de validation", "Awaiting approval";
        Confirmed = "confirmed", "Confirmée", "Confirmed";
        Waitlisted = "waitlisted", "Sur liste d'attente", "On the waiting list";
        Offered = "offered", "Places proposées", "Places offered";
        Cancelled = "cancelled", "Annulée", "Cancelled";
        Refused = "refused", "Refusée", "Refused";
        Expired = "expired", "Expirée", "Expired";
    }
}

impl BookingStatus {
    /// The statuses whose persons hold places of the session.
    pub const HOLDING: [BookingStatus; 4] = [
        BookingStatus::Unconfirmed,
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::Offered,
    ];

    /// The statuses of bookings still alive: holding places or waiting.
    pub const ACTIVE: [BookingStatus; 5] = [
        BookingStatus::Unconfirmed,
        BookingStatus::Pending,
        BookingStatus::Confirmed,
        BookingStatus::Offered,
        BookingStatus::Waitlisted,
    ];

    /// Does a booking in this status hold places?
    pub fn holds_places(self) -> bool {
        Self::HOLDING.contains(&self)
    }

    /// Is the booking still alive (holding places or waiting)?
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }
}

vocabulary! {
    /// The level of a class, from the first year of nursery school to higher
    /// education.
    ClassLevel {
        Ps = "ps", "Petite section (PS)", "Nursery, first year (PS)";
        Ms = "ms", "Moyenne section (MS)", "Nursery, second year (MS)";
        Gs = "gs", "Grande section (GS)", "Nursery, third year (GS)";
        Cp = "cp", "CP", "Primary, year 1 (CP)";
        Ce1 = "ce1", "CE1", "Primary, year 2 (CE1)";
        Ce2 = "ce2", "CE2", "Primary, year 3 (CE2)";
        Cm1 = "cm1", "CM1", "Primary, year 4 (CM1)";
        Cm2 = "cm2", "CM2", "Primary, year 5 (CM2)";
        Sixieme = "6e", "Sixième", "Middle school, year 1 (6e)";
        Cinquieme = "5e", "Cinquième", "Middle school, year 2 (5e)";
        Quatrieme = "4e", "Quatrième", "Middle school, year 3 (4e)";
        Troisieme = "3e", "Troisième", "Middle school, year 4 (3e)";
        Seconde = "2de", "Seconde", "High school, year 1 (2de)";
        Premiere = "1re", "Première", "High school, year 2 (1re)";
        Terminale = "tle", "Terminale", "High school, final year (Tle)";
        Superieur = "sup", "Supérieur", "Higher education";
        Mixed = "mixed", "Plusieurs niveaux", "Mixed levels";
    }
}

/// The most persons one booking form accepts, whatever the session.
pub const MAX_PARTY: i32 = 200;

/// Checks a number of persons typed in a form: a whole number between `min`
/// and `max`.
pub fn persons(input: &str, min: i32, max: i32) -> Result<i32, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    let n: i64 = s.parse().map_err(|_| FieldError::InvalidNumber)?;
    if n < i64::from(min) || n > i64::from(max) {
        return Err(FieldError::OutOfRange {
            min: i64::from(min),
            max: i64::from(max),
        });
    }
    Ok(i32::try_from(n).unwrap_or(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holding_statuses() {
        assert!(BookingStatus::Offered.holds_places());
        assert!(!BookingStatus::Waitlisted.holds_places());
        assert!(BookingStatus::Waitlisted.is_active());
        assert!(!BookingStatus::Cancelled.is_active());
        assert_eq!(ClassLevel::parse("CM2"), Ok(ClassLevel::Cm2));
        assert_eq!(ClassLevel::parse("6e"), Ok(ClassLevel::Sixieme));
    }

    #[test]
    fn persons_are_bounded() {
        assert_eq!(persons(" 3 ", 1, 6), Ok(3));
        assert_eq!(persons("", 1, 6), Err(FieldError::Required));
        assert_eq!(persons("deux", 1, 6), Err(FieldError::InvalidNumber));
        assert_eq!(
            persons("7", 1, 6),
            Err(FieldError::OutOfRange { min: 1, max: 6 })
        );
        assert_eq!(
            persons("0", 1, 6),
            Err(FieldError::OutOfRange { min: 1, max: 6 })
        );
    }
}
