//! Turns the message catalogs (`locales/fr.toml`, `locales/en.toml`) into a
//! `Messages` struct with one field per key and one constant per language.
//! A key missing in either language stops the build with its name; templates
//! use `m.key`, so a misspelt key does not compile either.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn parse(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{}:{}: expected key = \"value\"", path.display(), n + 1));
        let key = key.trim();
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{}:{}: bad key {key:?}",
            path.display(),
            n + 1
        );
        let value = value.trim();
        assert!(
            value.len() >= 2 && value.starts_with('"') && value.ends_with('"'),
            "{}:{}: value must be a double-quoted string",
            path.display(),
            n + 1
        );
        let mut s = String::new();
        let mut chars = value[1..value.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => s.push('\n'),
                    Some('"') => s.push('"'),
                    Some('\\') => s.push('\\'),
                    other => panic!("{}:{}: bad escape {other:?}", path.display(), n + 1),
                }
            } else {
                s.push(c);
            }
        }
        assert!(
            !s.trim().is_empty(),
            "{}:{}: empty message {key}",
            path.display(),
            n + 1
        );
        assert!(
            out.insert(key.to_owned(), s).is_none(),
            "{}:{}: duplicate key {key}",
            path.display(),
            n + 1
        );
    }
    out
}

fn main() {
    // The manifest's folder as cargo gives it to this run (not as it was
    // when this script was compiled: a build folder shared by two
    // checkouts would read the other's catalogs).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let fr = parse(&dir.join("fr.toml"));
    let en = parse(&dir.join("en.toml"));
    let missing_en: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
    let missing_fr: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
    assert!(
        missing_en.is_empty() && missing_fr.is_empty(),
        "message catalogs differ: missing in en.toml: {missing_en:?}; missing in fr.toml: {missing_fr:?}"
    );
    let mut code = String::from(
        "/// Every message of the interface, in one language.\n#[derive(Debug)]\npub struct Messages {\n",
    );
    for key in fr.keys() {
        writeln!(code, "    pub {key}: &'static str,").unwrap();
    }
    code.push_str("}\n\n");
    for (name, catalog) in [("FR", &fr), ("EN", &en)] {
        writeln!(code, "pub static {name}: Messages = Messages {{").unwrap();
        for (key, value) in catalog {
            writeln!(code, "    {key}: {value:?},").unwrap();
        }
        code.push_str("};\n\n");
    }
    writeln!(code, "pub const KEY_COUNT: usize = {};", fr.len()).unwrap();
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("messages.rs");
    std::fs::write(out, code).unwrap();
}
