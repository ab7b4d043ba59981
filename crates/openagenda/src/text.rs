//! Text cleaning and multilingual values.
//!
//! Every cleaning function is idempotent (`clean(clean(x)) == clean(x)`), so
//! what the writer produces reads back the same.

use serde_json::Value;

/// Languages tried, in order, before the first one present.
const PREFERRED: [&str; 2] = ["fr", "en"];

/// Trimmed, non-empty text kept as given (long descriptions).
pub(crate) fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Plain text: HTML tags removed, the common entities decoded (repeatedly,
/// until nothing changes), then trimmed; `None` when nothing is left.
pub(crate) fn plain(s: &str) -> Option<String> {
    let mut current = s.to_owned();
    loop {
        let next = decode_entities(&strip_tags(&current));
        if next == current {
            break;
        }
        current = next;
    }
    trimmed(&current)
}

/// Removes `<tag ...>`, `</tag>`, `<!-- ... -->` and `<!...>`; a `<` not
/// followed by a letter, `/` or `!` is text (`a < b`). An unclosed tag is
/// kept as text.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let close = if after.starts_with("!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match (starts_tag, close) {
            (true, Some(len)) => {
                let tag = &after[..len];
                rest = &after[len..];
                // A block tag ends a word: keep words apart (`a<br>b` → `a b`).
                if is_block(tag)
                    && !out.is_empty()
                    && !out.ends_with(char::is_whitespace)
                    && !rest.starts_with(char::is_whitespace)
                    && !rest.starts_with('<')
                {
                    out.push(' ');
                }
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `tag` is what follows `<`, up to and with `>`.
fn is_block(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        name.as_str(),
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "blockquote"
            | "section"
            | "article"
    )
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            // No NUL or other control characters from entities.
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())?
        }
    })
}

/// The text of a value that is a string, a number, or a multilingual object
/// (`{"fr": …, "en": …}`): French, else English, else the first language
/// (in key order) with a non-empty text after `clean`.
pub(crate) fn pick(value: Option<&Value>, clean: fn(&str) -> Option<String>) -> Option<String> {
    match value? {
        Value::String(s) => clean(s),
        Value::Number(n) => clean(&n.to_string()),
        Value::Object(map) => {
            for lang in PREFERRED {
                if let Some(Value::String(s)) = map.get(lang)
                    && let Some(t) = clean(s)
                {
                    return Some(t);
                }
            }
            map.values().find_map(|v| match v {
                Value::String(s) => clean(s),
                _ => None,
            })
        }
        _ => None,
    }
}

/// Keywords: a multilingual object of lists (`{"fr": ["a", "b"]}`), a list,
/// or a comma-separated string; the language is chosen like [`pick`].
pub(crate) fn keywords(value: Option<&Value>) -> Vec<String> {
    let Some(value) = value else {
        return Vec::new();
    };
    match value {
        Value::Object(map) => {
            for lang in PREFERRED {
                if let Some(v) = map.get(lang) {
                    let words = word_list(v);
                    if !words.is_empty() {
                        return words;
                    }
                }
            }
            map.values()
                .map(word_list)
                .find(|w| !w.is_empty())
                .unwrap_or_default()
        }
        other => word_list(other),
    }
}

fn word_list(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Value::Array(items) => {
            for item in items {
                if let Value::String(s) = item {
                    push_unique(&mut out, plain(s));
                }
            }
        }
        Value::String(s) => {
            for part in s.split(',') {
                push_unique(&mut out, plain(part));
            }
        }
        _ => {}
    }
    out
}

/// Splits a Ministry list (`a|b|c`) into cleaned, distinct items.
pub(crate) fn split_list(value: Option<&str>, separators: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = value {
        for part in s.split(separators) {
            push_unique(&mut out, plain(part));
        }
    }
    out
}

pub(crate) fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: Option<T>) {
    if let Some(item) = item
        && !list.contains(&item)
    {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strips_tags_and_entities() {
        assert_eq!(
            plain("  <p>Bonjour&nbsp;<b>tous</b></p> ").as_deref(),
            Some("Bonjour\u{a0}tous")
        );
        assert_eq!(
            plain("un<br>deux<br/><br />trois").as_deref(),
            Some("un deux trois")
        );
        assert_eq!(
            plain("<b>Nuit</b> des <i>sciences</i>").as_deref(),
            Some("Nuit des sciences")
        );
        assert_eq!(plain("a < b & c").as_deref(), Some("a < b & c"));
        assert_eq!(plain("R&amp;D").as_deref(), Some("R&D"));
        assert_eq!(plain("l&#39;atelier").as_deref(), Some("l'atelier"));
        assert_eq!(plain("<br/>"), None);
        assert_eq!(plain("   "), None);
        assert_eq!(plain("&lt;b&gt;x&lt;/b&gt;").as_deref(), Some("x"));
    }

    #[test]
    fn plain_is_idempotent() {
        for s in [
            "<<b>b>",
            "&amp;lt;i&amp;gt;",
            "a<!-- x -->b",
            "&#0;&#x1F600;",
            "<a href='x'>lien</a> et <",
            "x &am",
        ] {
            let once = plain(s);
            let twice = once.as_deref().and_then(plain);
            assert_eq!(once, twice, "{s:?}");
        }
    }

    #[test]
    fn pick_prefers_french_then_english_then_first() {
        let v: Value = serde_json::json!({"de": "Hallo", "en": " Hello ", "fr": ""});
        assert_eq!(pick(Some(&v), plain).as_deref(), Some("Hello"));
        let v: Value = serde_json::json!({"it": "Ciao", "de": "Hallo"});
        assert_eq!(pick(Some(&v), plain).as_deref(), Some("Hallo"));
        assert_eq!(
            pick(Some(&Value::from("  x ")), plain).as_deref(),
            Some("x")
        );
        assert_eq!(pick(Some(&Value::Null), plain), None);
    }
}
