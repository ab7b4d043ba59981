//! The directory's rules outside HTTP, shared by the web forms, the imports
//! and the command line: parsing what people type into validated data,
//! resolving communes, importing and exporting tables.

pub mod commune;
pub mod export;
pub mod import;
pub mod validate;

pub use commune::resolve as resolve_commune;
