//! Typed forms: a form body read into a struct that derives `Deserialize`
//! (with `#[serde(default)]`), each field by its name. A `String` field
//! takes the field's first value ("" when it is absent), a `Vec<String>`
//! every value in order (check boxes, repeated lines), a `bool` whether
//! the box was ticked (a non-empty value). Fields the struct does not name
//! (`_csrf`) are ignored. The struct is what was typed — kept to show the
//! form again beside its errors — and each record type converts it into
//! validated domain types.

use crate::error::AppError;
use crate::forms::Pairs;
use axum::extract::{FromRequest, Request};
use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};

/// A form body as the typed struct `T` (an extractor).
pub struct Typed<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Typed<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Typed<T>, AppError> {
        let p = Pairs::from_request(req, state).await?;
        Ok(Typed(read(&p)?))
    }
}

/// Reads the pairs of a form body into the typed struct `T`.
pub fn read<T: DeserializeOwned>(p: &Pairs) -> Result<T, AppError> {
    let mut fields: Vec<(&str, Values)> = Vec::new();
    for (k, v) in &p.0 {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some((_, values)) => values.0.push(v.clone()),
            None => fields.push((k, Values(vec![v.clone()]))),
        }
    }
    T::deserialize(MapDeserializer::<_, Error>::new(fields.into_iter()))
        .map_err(|_| AppError::BadRequest(None))
}

/// The values of one field.
struct Values(Vec<String>);

impl<'de> IntoDeserializer<'de, Error> for Values {
    type Deserializer = Values;

    fn into_deserializer(self) -> Values {
        self
    }
}

impl<'de> Deserializer<'de> for Values {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_string(self.0.into_iter().next().unwrap_or_default())
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_bool(self.0.first().is_some_and(|s| !s.is_empty()))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_seq(SeqDeserializer::new(self.0.into_iter()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Form {
        name: String,
        themes: Vec<String>,
        public: bool,
        other: bool,
        missing: String,
        #[serde(rename = "s_date")]
        date: String,
    }

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        Pairs(
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn strings_lists_and_check_boxes() {
        let f: Form = read(&pairs(&[
            ("_csrf", "x"),
            ("themes", "astronomy"),
            ("name", "Club"),
            ("themes", "physics"),
            ("public", "1"),
            ("other", ""),
            ("name", "ignored second value"),
            ("s_date", "2025-10-04"),
        ]))
        .unwrap();
        assert_eq!(
            f,
            Form {
                name: "Club".into(),
                themes: vec!["astronomy".into(), "physics".into()],
                public: true,
                other: false,
                missing: String::new(),
                date: "2025-10-04".into(),
            }
        );
        assert_eq!(read::<Form>(&Pairs::default()).unwrap(), Form::default());
    }
}
