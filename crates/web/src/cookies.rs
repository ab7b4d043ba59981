//! Reading the `Cookie` header and writing `Set-Cookie` values.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "mlg_session";
pub const CSRF: &str = "mlg_csrf";
pub const LANG: &str = "mlg_lang";
pub const FLASH: &str = "mlg_flash";

/// The name a cookie goes by: over HTTPS with the `__Host-` prefix, which
/// browsers accept only from this very host, secure and for the whole
/// site, so that a neighbouring subdomain cannot plant one.
pub fn full_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// The value of cookie `name` (under its [`full_name`]), if the request
/// carries it.
pub fn get<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    let name = full_name(name, secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name.as_str())
        .map(|(_, v)| v.trim_matches('"'))
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure`
/// when `secure`. `max_age` in seconds; `None` for a browser-session cookie.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let name = full_name(name, secure);
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", Some(0), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; mlg_lang=en; b=\"x\""),
        );
        assert_eq!(get(&h, LANG, false), Some("en"));
        assert_eq!(get(&h, "b", false), Some("x"));
        assert_eq!(get(&h, "zzz", false), None);
        // Over HTTPS only the prefixed name counts.
        assert_eq!(get(&h, LANG, true), None);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("__Host-mlg_lang=fr"),
        );
        assert_eq!(get(&h, LANG, true), Some("fr"));
        let v = set(SESSION, "tok", Some(60), true);
        assert_eq!(
            v.to_str().unwrap(),
            "__Host-mlg_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(
            set(SESSION, "tok", None, false)
                .to_str()
                .unwrap()
                .starts_with("mlg_session=tok;")
        );
        assert!(!clear(FLASH, false).to_str().unwrap().contains("Secure"));
    }
}
