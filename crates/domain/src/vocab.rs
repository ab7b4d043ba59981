//! The macro of closed vocabularies (codes with French and English labels).

/// Declares a closed vocabulary: a code stored in the database and in
/// imports, with French and English labels.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $fr:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self, locale: crate::Locale) -> &'static str {
                match (self, locale) {
                    $(($name::$variant, crate::Locale::Fr) => $fr,
                      ($name::$variant, crate::Locale::En) => $en,)+
                }
            }

            /// Reads a code, or a French or English label, ignoring case and accents.
            pub fn parse(input: &str) -> Result<$name, FieldError> {
                let folded = crate::text::fold(input);
                if folded.is_empty() {
                    return Err(FieldError::Required);
                }
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| {
                        crate::text::fold(v.code()) == folded
                            || crate::text::fold(v.label(crate::Locale::Fr)) == folded
                            || crate::text::fold(v.label(crate::Locale::En)) == folded
                    })
                    .ok_or(FieldError::InvalidChoice)
            }
        }
    };
}
