//! Reports (bilans) of projects and the coverage of the territory (issue
//! #7, in progress): this crate turns the figures the database counts by
//! commune ([`maillage_db::reports`]) into coverage against the reference
//! data of every French commune ([`maillage_geo`]).

pub mod coverage;
