//! Closed vocabularies: the [`Vocabulary`] trait of every type stored as a
//! code, and the macro that declares one with French and English labels.

/// A closed set of values stored as codes (in the database, in imports).
/// Reading a stored code back is exact: [`Vocabulary::from_code`] accepts
/// only a code of [`Vocabulary::ALL`], never a label or another spelling.
pub trait Vocabulary: Copy + 'static {
    /// Every value, in the order of its declaration.
    const ALL: &'static [Self];

    /// The code stored for this value.
    fn code(self) -> &'static str;

    /// The value whose code is exactly `code`.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Implements [`Vocabulary`] for a type with an inherent `ALL` (array or
/// slice) and a method giving its code.
macro_rules! impl_vocabulary {
    ($name:ty, $code:ident) => {
        impl $crate::Vocabulary for $name {
            const ALL: &'static [$name] = &<$name>::ALL;

            fn code(self) -> &'static str {
                <$name>::$code(self)
            }
        }
    };
}

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

        impl_vocabulary!($name, code);
    };
}
