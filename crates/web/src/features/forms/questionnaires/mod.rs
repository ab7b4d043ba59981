//! Evaluation questionnaires: answered by the public without an account
//! (`public`), their results for the team with charts, filters,
//! cross-tabulation and downloads (`results`, its figures drawn by
//! `figures`), and the printable QR code of the public address with its
//! poster (`qr`); the personal links of a questionnaire answered once per
//! link (`links`).

mod figures;
pub(crate) mod links;
pub(crate) mod public;
pub(crate) mod qr;
pub(crate) mod results;
