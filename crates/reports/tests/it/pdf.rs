//! The bilan of the demo's past Fête de la science as PDF, in French and in
//! English: no text of it prints over another (the runs of text are taken
//! from typst's layout, as they land on the page), and none is a program
//! code.

use crate::bilan::{past_festivals, raw_codes};
use maillage_db::demo;
use maillage_db::testing::TestDb;
use maillage_domain::Locale;
use maillage_reports::bilan;

#[tokio::test]
async fn the_bilan_pdf_has_no_overprinted_text_and_no_code_in_either_language() {
    let db = TestDb::new().await;
    demo::load(&db).await.unwrap();
    let past = past_festivals(&db).await.last().unwrap().clone();
    let b = bilan::of_project(db.conn(), past, maillage_db::now())
        .await
        .unwrap();
    for locale in Locale::ALL {
        let doc = maillage_reports::pdf::document(&b, locale);
        let overprinted = maillage_pdf::overprinted(&doc).unwrap();
        assert!(
            overprinted.is_empty(),
            "{locale:?}: {} pairs of runs overprint, the first: {:?}",
            overprinted.len(),
            overprinted.first()
        );
        let boxes = maillage_pdf::text_boxes(&doc).unwrap();
        // The communes' table is there, names and codes apart.
        assert!(boxes.iter().any(|t| t.text.contains("Grenoble")));
        assert!(boxes.iter().any(|t| t.text == "38185"));
        let found: Vec<String> = boxes
            .iter()
            .flat_map(|t| raw_codes(&t.text, locale))
            .collect();
        assert!(found.is_empty(), "{locale:?}: raw codes {found:?}");
    }
}
