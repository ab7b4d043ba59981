//! Validated domain types for Maillage. No I/O here: parsing, validation rules,
//! the role × action table, password hashing and secret tokens.

#[macro_use]
mod vocab;

pub mod authz;
pub mod booking;
pub mod directory;
pub mod email;
pub mod field;
pub mod forms;
pub mod locale;
pub mod name;
pub mod password;
pub mod planning;
pub mod programme;
pub mod report;
pub mod role;
pub mod text;
pub mod token;

pub use authz::Action;
pub use email::Email;
pub use field::{FieldError, FieldErrors};
pub use locale::Locale;
pub use name::PersonName;
pub use password::{Password, PasswordHash};
pub use role::Role;
pub use vocab::Vocabulary;
