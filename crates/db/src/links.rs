//! Every table that points at an organisation or a person, so that merging
//! two records moves all their links. A feature that adds such a column adds
//! it here (and the merge tests check that nothing is left behind).

/// `(table, column)` pairs referencing `organisations.id`, moved as they are
/// (memberships are handled apart: a person is a member once).
pub const ORGANISATION_LINKS: &[(&str, &str)] =
    &[("users", "organisation_id"), ("venues", "organisation_id")];

/// `(table, column)` pairs referencing `people.id`, moved as they are
/// (memberships and roles are handled apart).
pub const PERSON_LINKS: &[(&str, &str)] = &[];
