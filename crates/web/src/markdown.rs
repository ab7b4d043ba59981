//! Markdown of descriptions, rendered to safe HTML: raw HTML in the source
//! is shown as text, and only http(s), mailto and relative links are kept.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://")
        || u.starts_with("https://")
        || u.starts_with("mailto:")
        || u.starts_with('/')
        || u.starts_with('#')
}

/// HTML for a Markdown text, safe to insert in a page.
pub fn to_html(source: &str) -> String {
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        // Raw HTML becomes text: the template engine's escaping does not
        // apply to this output, so nothing raw may pass.
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            // Images in descriptions are not loaded from elsewhere: keep the text.
            Event::Text(CowStr::from(format!("{title} ({dest_url})")))
        }
        Event::End(pulldown_cmark::TagEnd::Image) => Event::Text(CowStr::Borrowed("")),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

/// The text of a Markdown source without its markup (for meta descriptions).
pub fn to_text(source: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let h = to_html(
            "**Gras** et [lien](https://example.org) <script>alert(1)</script> [x](javascript:alert(1))",
        );
        assert!(h.contains("<strong>Gras</strong>"));
        assert!(h.contains("href=\"https://example.org\""));
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;"));
        assert!(!h.contains("javascript:"));
        let h = to_html("<img src=x onerror=alert(1)>\n\n![a](http://evil/x.png)");
        assert!(!h.contains("<img"));
        assert_eq!(
            to_text("# Titre\n\nUn *beau* texte."),
            "Titre Un beau texte."
        );
    }
}
