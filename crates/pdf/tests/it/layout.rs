//! Tables laid out by their content: nothing prints over anything, wide
//! tables go landscape or are split, and the checker finds overprinting.

use crate::sample;
use maillage_pdf::{Block, Document, Lang, TextBox, overprinted, render, text_boxes};

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        lang: Lang::Fr,
        title: "Bilan".into(),
        subtitle: None,
        organisation: "Territoire de Sciences".into(),
        generated: "7 décembre 2026".into(),
        blocks,
    }
}

fn table(header: &[&str], rows: Vec<Vec<String>>, numeric: &[bool]) -> Block {
    Block::Table {
        caption: "Tableau".into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric: numeric.to_vec(),
    }
}

fn page_sizes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let d = lopdf::Document::load_mem(pdf).unwrap();
    d.get_pages()
        .values()
        .map(|id| {
            let page = d.get_dictionary(*id).unwrap();
            let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let n = |i: usize| {
                media[i]
                    .as_float()
                    .unwrap_or_else(|_| media[i].as_i64().unwrap() as f32) as f64
            };
            (n(2) - n(0), n(3) - n(1))
        })
        .collect()
}

#[test]
fn the_checker_sees_boxes_that_meet_and_ignores_other_pages() {
    let a = TextBox {
        page: 1,
        text: "Grenoble".into(),
        rect: [10.0, 10.0, 50.0, 20.0],
    };
    let b = TextBox {
        page: 1,
        text: "38185".into(),
        rect: [40.0, 12.0, 70.0, 22.0],
    };
    assert_eq!(a.overlap(&b), 80.0);
    let far = TextBox {
        rect: [60.0, 10.0, 90.0, 20.0],
        ..a.clone()
    };
    assert_eq!(a.overlap(&far), 0.0);
    let other_page = TextBox {
        page: 2,
        ..b.clone()
    };
    assert_eq!(a.overlap(&other_page), 0.0);
}

#[test]
fn every_run_of_text_is_found_where_it_is_set() {
    let d = doc(vec![
        Block::Paragraph("Premier paragraphe.".into()),
        table(
            &["Commune", "Code INSEE"],
            vec![vec!["Grenoble".into(), "38185".into()]],
            &[false, true],
        ),
    ]);
    let boxes = text_boxes(&d).unwrap();
    let find = |t: &str| boxes.iter().find(|b| b.text.contains(t)).unwrap().clone();
    let (city, code) = (find("Grenoble"), find("38185"));
    assert_eq!(city.page, 1);
    // Same row, the code to the right of the name, both inside the page.
    assert!(
        (city.rect[1] - code.rect[1]).abs() < 3.0,
        "{city:?} {code:?}"
    );
    assert!(code.rect[0] > city.rect[2]);
    assert!(city.rect[0] >= 56.0 && code.rect[2] <= 595.0 - 56.0);
}

#[test]
fn questions_beside_long_results_keep_their_words_whole_and_apart() {
    let long = "Atelier 20,0 % · Conférence ou rencontre 20,0 % · Exposition 20,0 % · Visite de laboratoire 20,0 %";
    let rows = [
        "Quel type d'animation avez-vous préféré ?",
        "Comment avez-vous connu la Fête de la science ?",
        "Qu'est-ce qui vous en empêcherait ?",
    ]
    .iter()
    .map(|q| vec![q.to_string(), "360".into(), long.into(), long.into()])
    .collect();
    let d = doc(vec![table(
        &["Question", "Réponses", "Résultats", "Édition précédente"],
        rows,
        &[false, true, false, false],
    )]);
    assert_eq!(overprinted(&d).unwrap(), []);
    let boxes = text_boxes(&d).unwrap();
    // "d'animation" is not cut: some run holds the whole word.
    assert!(boxes.iter().any(|b| b.text.contains("d'animation")));
    // Portrait A4.
    let pdf = render(&d).unwrap();
    assert!(page_sizes(&pdf).iter().all(|(w, h)| w < h));
}

#[test]
fn a_wide_table_goes_landscape_with_its_heading_and_a_wider_one_is_split() {
    let header = [
        "Commune",
        "Code INSEE",
        "EPCI",
        "Population",
        "Activités",
        "Séances",
        "Élèves",
        "Adultes accompagnateurs",
        "Grand public",
    ];
    let rows: Vec<Vec<String>> = (0..60)
        .map(|i| {
            vec![
                format!("Saint-Martin-d'Hères-{i}"),
                format!("38{i:03}"),
                "CC Collines Isère Nord Communauté".into(),
                "156 140".into(),
                "21".into(),
                "62".into(),
                "214".into(),
                "16".into(),
                "1 366".into(),
            ]
        })
        .collect();
    let d = doc(vec![
        Block::Heading {
            level: 1,
            text: "Communes touchées".into(),
        },
        table(
            &header,
            rows,
            &[false, true, false, true, true, true, true, true, true],
        ),
        Block::Paragraph("… et 12 autres lignes.".into()),
        Block::Heading {
            level: 1,
            text: "Ensuite".into(),
        },
        Block::Paragraph("Texte en portrait.".into()),
    ]);
    assert_eq!(overprinted(&d).unwrap(), []);
    let pdf = render(&d).unwrap();
    let sizes = page_sizes(&pdf);
    // Title page in portrait, the table (with its heading) in landscape,
    // then portrait again.
    assert!(sizes.first().is_some_and(|(w, h)| w < h), "{sizes:?}");
    assert!(sizes.iter().any(|(w, h)| w > h), "{sizes:?}");
    assert!(sizes.last().is_some_and(|(w, h)| w < h), "{sizes:?}");
    let boxes = text_boxes(&d).unwrap();
    let heading = boxes
        .iter()
        .find(|b| b.text == "Communes touchées")
        .unwrap();
    let first_row = boxes
        .iter()
        .find(|b| b.text.contains("Saint-Martin"))
        .unwrap();
    assert_eq!(
        heading.page, first_row.page,
        "the heading goes with its table"
    );

    // Thirty numeric columns cannot fit one page: the table is split and
    // every part repeats the first column.
    let header: Vec<String> = (0..30).map(|i| format!("Indicateur {i}")).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = vec![
        std::iter::once("Grenoble".to_string())
            .chain((1..30).map(|i| format!("{} 000", 100 + i)))
            .collect(),
    ];
    let mut numeric = vec![true; 30];
    numeric[0] = false;
    let d = doc(vec![table(&header, rows, &numeric)]);
    assert_eq!(overprinted(&d).unwrap(), []);
    let boxes = text_boxes(&d).unwrap();
    assert!(boxes.iter().filter(|b| b.text == "Grenoble").count() >= 2);
    assert!(boxes.iter().any(|b| b.text.contains("(suite)")));
}

#[test]
fn the_sample_bilan_has_no_overprinted_text() {
    for lang in [Lang::Fr, Lang::En] {
        let mut d = sample::bilan(200, 0);
        d.lang = lang;
        assert_eq!(overprinted(&d).unwrap(), []);
    }
}
