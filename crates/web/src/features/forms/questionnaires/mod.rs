//! Evaluation questionnaires: answered by the public without an account
//! (`public`), their results for the team with charts, filters,
//! cross-tabulation, downloads and QR codes (`results`).

pub(crate) mod public;
pub(crate) mod results;
