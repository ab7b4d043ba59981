//! Typed forms: a form body read into a struct of its fields, to be
//! converted into validated domain types by the handler.
//!
//! The struct's fields are text (`String`), check boxes (`bool`: ticked
//! when sent non-empty), optional text (`Option<String>`) or repeated
//! fields (`Vec<String>`, every value in order); a repeated field read as
//! one value keeps the first, as [`Pairs::get`] does. With
//! `#[serde(default)]` a field not sent takes its default, so nothing
//! typed is ever refused here: numbers, dates and choices stay text until
//! the conversion checks them and says what is wrong beside the field.

use super::Pairs;
use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use std::collections::BTreeMap;

impl Pairs {
    /// The fields read into `T` (see the module's notes); a body that does
    /// not fit `T` at all is a bad request.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in &self.0 {
            by_name.entry(k).or_default().push(v);
        }
        let map = MapDeserializer::<_, Error>::new(
            by_name.into_iter().map(|(k, values)| (k, Values(values))),
        );
        T::deserialize(map).map_err(|_| AppError::BadRequest(None))
    }
}

/// A form body read into `T`: the extractor of a typed form.
pub struct Typed<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Typed<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Typed<T>, AppError> {
        let pairs = Pairs::from_request(req, state).await?;
        Ok(Typed(pairs.parse()?))
    }
}

/// The values sent under one name.
struct Values<'a>(Vec<&'a str>);

impl Values<'_> {
    fn first(&self) -> &str {
        self.0.first().copied().unwrap_or("")
    }
}

impl<'de> IntoDeserializer<'de, Error> for Values<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Values<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_str(self.first())
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_bool(!self.first().is_empty())
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_seq(SeqDeserializer::new(self.0.into_iter()))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::HashMap;

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Sample {
        title: String,
        #[serde(rename = "type")]
        kind: String,
        ticked: bool,
        unticked: bool,
        types: Vec<String>,
        note: Option<String>,
    }

    fn pairs(p: &[(&str, &str)]) -> Pairs {
        Pairs(
            p.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn fields_by_name_repeated_into_lists_missing_by_default() {
        let s: Sample = pairs(&[
            ("_csrf", "x"),
            ("title", " Bilan "),
            ("title", "second"),
            ("type", "field"),
            ("ticked", "1"),
            ("unticked", ""),
            ("types", "pdf"),
            ("types", "png"),
        ])
        .parse()
        .unwrap();
        assert_eq!(
            s,
            Sample {
                title: " Bilan ".into(),
                kind: "field".into(),
                ticked: true,
                unticked: false,
                types: vec!["pdf".into(), "png".into()],
                note: None,
            }
        );
        let empty: Sample = Pairs::default().parse().unwrap();
        assert_eq!(empty, Sample::default());
    }

    #[test]
    fn the_rest_of_a_form_by_name() {
        #[derive(Deserialize)]
        struct Rest {
            #[serde(default)]
            title: String,
            #[serde(flatten)]
            rest: HashMap<String, String>,
        }
        let r: Rest = pairs(&[("title", "t"), ("score-3", "4"), ("score-3", "5")])
            .parse()
            .unwrap();
        assert_eq!(r.title, "t");
        assert_eq!(r.rest.get("score-3").map(String::as_str), Some("4"));
    }
}
