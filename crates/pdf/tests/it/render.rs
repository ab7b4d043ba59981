//! Rendering reports and reading the PDFs back.

use crate::sample;

use maillage_pdf::{Block, Document, Error, KeyFigure, Lang, render};

/// Text that would do something if it were read as typst markup or code.
const MARKUP: [&str; 9] = [
    "#panic(\"x\")",
    "*bold*",
    "$x$",
    "<label>",
    "@ref",
    "// comment",
    "back\\slash \\",
    "closing ] bracket",
    "#{ 1 + 1 } _emph_ `raw` = heading",
];

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .expect("a PDF lopdf can read")
        .get_pages()
        .len()
}

/// The text of each page, with runs of white space made single spaces (the
/// extractor puts line breaks and spaces where the glyphs are).
fn pages_text(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf)
        .expect("text can be extracted")
        .iter()
        .map(|page| page.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn text(pdf: &[u8]) -> String {
    pages_text(pdf).join(" ")
}

fn small(lang: Lang, blocks: Vec<Block>) -> Document {
    Document {
        lang,
        title: "Bilan".into(),
        subtitle: None,
        organisation: "La Casemate".into(),
        generated: "3 décembre 2026".into(),
        blocks,
    }
}

#[test]
fn a_french_bilan_spans_pages_with_its_header_numbers_and_accents() {
    let doc = sample::bilan(200, 0);
    let pdf = render(&doc).expect("the bilan renders");
    assert!(pdf.starts_with(b"%PDF-"));

    let pages = page_count(&pdf);
    assert!(pages > 3, "200 communes take several pages, got {pages}");
    let texts = pages_text(&pdf);
    assert_eq!(texts.len(), pages);
    let all = texts.join(" ");

    for expected in [
        "Association « Sciences & Territoires » de l'Isère",
        "Bilan de la Fête de la science 2026",
        "Document généré le 3 décembre 2026",
        "Saint-Martin-d'Hères",
        "L'Isle-d'Abeau",
        "Échirolles",
        // The last commune of the long table: nothing was cut.
        "Meylan 16",
        "œuvres",
        "≤ 1,80",
        "€",
        "21 % → 28 %",
        "Université Grenoble Alpes",
        "Pistes pour 2027",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from the text");
    }
    for (i, page) in texts.iter().enumerate() {
        let footer = format!("Page {} sur {pages}", i + 1);
        assert!(page.contains(&footer), "page {} lacks {footer:?}", i + 1);
    }
    // The running header (organisation and title) is on every page but the
    // first, and the long table's header row is repeated on the pages it spans.
    let with_header = texts
        .iter()
        .filter(|p| p.contains("Association « Sciences & Territoires » de l'Isère Bilan"))
        .count();
    assert_eq!(with_header, pages - 1);
    let table_headers = texts
        .iter()
        .filter(|p| p.contains("Commune Code Lieux Activités Habitants Part scolaire"))
        .count();
    assert!(table_headers >= 3, "header row on {table_headers} pages");
    // Table captions are numbered in French.
    assert!(all.contains("Tableau 1"), "{all}");
}

#[test]
fn user_text_is_never_markup() {
    let mut doc = small(
        Lang::Fr,
        MARKUP
            .iter()
            .map(|m| Block::Paragraph((*m).into()))
            .collect(),
    );
    doc.title = "#panic(\"title\") ]".into();
    doc.organisation = "*Org* $y$ @who".into();
    doc.subtitle = Some("<sub> // not a comment".into());
    doc.blocks.extend([
        Block::Heading {
            level: 2,
            text: "= #heading[x]".into(),
        },
        Block::KeyFigures(vec![KeyFigure {
            label: "#label".into(),
            value: "$1$".into(),
            note: Some("]) #note".into()),
        }]),
        Block::Table {
            caption: "#caption]".into(),
            header: vec!["*h*".into()],
            rows: vec![vec!["#cell(1)".into()], vec!["- item".into()]],
            numeric: vec![true],
        },
        Block::List(vec!["+ #plus".into()]),
    ]);
    let pdf = render(&doc).expect("markup-looking text renders");
    let all = text(&pdf);
    for expected in MARKUP.iter().copied().chain([
        "#panic(\"title\") ]",
        "*Org* $y$ @who",
        "<sub> // not a comment",
        "= #heading[x]",
        "#label",
        "$1$",
        "]) #note",
        "#caption]",
        "*h*",
        "#cell(1)",
        "- item",
        "+ #plus",
    ]) {
        assert!(all.contains(expected), "{expected:?} missing from {all:?}");
    }
}

#[test]
fn an_english_report_uses_english_words() {
    let doc = small(
        Lang::En,
        vec![
            Block::Heading {
                level: 1,
                text: "Summary".into(),
            },
            Block::Paragraph("Reached 187 towns.".into()),
            Block::PageBreak,
            Block::Paragraph("Second page.".into()),
        ],
    );
    let pdf = render(&doc).expect("renders");
    assert_eq!(page_count(&pdf), 2);
    let texts = pages_text(&pdf);
    assert!(texts[0].contains("Page 1 of 2"), "{:?}", texts[0]);
    assert!(texts[1].contains("Page 2 of 2"), "{:?}", texts[1]);
    assert!(texts[0].contains("Generated on 3 décembre 2026"));
    assert!(!texts[0].contains("sur"));
}

#[test]
fn the_pdf_declares_its_title_author_and_language() {
    for (lang, code) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let mut doc = small(lang, vec![Block::Paragraph("Texte.".into())]);
        doc.title = "Bilan 2026 de l'Isère".into();
        let pdf = render(&doc).expect("renders");
        let parsed = lopdf::Document::load_mem(&pdf).expect("readable");
        let catalog = parsed.catalog().expect("a catalog");
        let lang = catalog.get(b"Lang").expect("a /Lang");
        assert_eq!(
            lopdf::decode_text_string(lang).expect("a text string"),
            code
        );
        let info_id = parsed
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
            .expect("an /Info dictionary");
        let info = parsed.get_dictionary(info_id).expect("a dictionary");
        let title = info.get(b"Title").expect("a /Title");
        assert_eq!(
            lopdf::decode_text_string(title).expect("text"),
            "Bilan 2026 de l'Isère"
        );
        let author = info.get(b"Author").expect("an /Author");
        assert_eq!(
            lopdf::decode_text_string(author).expect("text"),
            "La Casemate"
        );
    }
}

#[test]
fn a_malformed_svg_is_an_error_not_a_panic() {
    for svg in [
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect",
        "not svg at all",
        "",
    ] {
        let doc = small(
            Lang::Fr,
            vec![Block::Chart {
                caption: "Cassé".into(),
                svg: svg.into(),
                alt: "rien".into(),
            }],
        );
        match render(&doc) {
            Err(Error::Layout(message)) => {
                assert!(
                    message.to_lowercase().contains("svg") || message.contains("image"),
                    "{message}"
                );
            }
            other => panic!("{svg:?} gave {other:?}"),
        }
    }
}

#[test]
fn charts_are_drawn() {
    let with_chart = small(
        Lang::Fr,
        vec![Block::Chart {
            caption: "Activités par type".into(),
            svg: sample::bar_chart("Titre", &[("Atelier", 142), ("Conférence", 48)]),
            alt: "Histogramme".into(),
        }],
    );
    let pdf = render(&with_chart).expect("renders");
    let all = text(&pdf);
    assert!(all.contains("Fig. 1"), "{all}");
    assert!(all.contains("Activités par type"), "{all}");
    // The chart is vector drawing in the page: much bigger than without it.
    let without = render(&small(Lang::Fr, vec![])).expect("renders");
    assert!(
        pdf.len() > without.len(),
        "{} vs {}",
        pdf.len(),
        without.len()
    );
}

#[test]
fn ragged_tables_and_odd_levels_are_tolerated() {
    let doc = small(
        Lang::Fr,
        vec![
            Block::Heading {
                level: 0,
                text: "Niveau zéro".into(),
            },
            Block::Heading {
                level: 9,
                text: "Niveau neuf".into(),
            },
            Block::Table {
                caption: "Irrégulier".into(),
                header: vec!["A".into()],
                rows: vec![
                    vec!["un".into(), "deux".into(), "trois".into()],
                    vec![],
                    vec!["seul".into()],
                ],
                numeric: vec![false, true, true, true, true],
            },
            Block::Table {
                caption: "Sans en-tête".into(),
                header: vec![],
                rows: vec![vec!["x".into(), "1".into()]],
                numeric: vec![],
            },
            Block::Table {
                caption: "Vide".into(),
                header: vec![],
                rows: vec![],
                numeric: vec![],
            },
            Block::KeyFigures(vec![]),
            Block::List(vec![]),
            Block::Paragraph(String::new()),
        ],
    );
    let all = text(&render(&doc).expect("renders"));
    for expected in [
        "Niveau zéro",
        "Niveau neuf",
        "un deux trois",
        "seul",
        "Sans en-tête",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from {all:?}");
    }
}

#[test]
fn rendering_is_deterministic_and_thread_safe() {
    let doc = sample::bilan(30, 1);
    let first = render(&doc).expect("renders");
    let others: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| render(&doc).expect("renders")))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    for other in others {
        assert!(other == first, "same document, same bytes");
    }
}
