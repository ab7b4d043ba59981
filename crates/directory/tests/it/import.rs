//! Imports on the test database (SQLite, or PostgreSQL with
//! MAILLAGE_TEST_DATABASE_URL), from real CSV and XLSX bytes.

use maillage_db::audit::Actor;
use maillage_db::organisations::{self, Filter};
use maillage_db::testing::TestDb;
use maillage_db::{PageRequest, now, people, venues};
use maillage_directory::import::{self, Issue, Kind};
use maillage_domain::FieldError;

async fn run(db: &TestDb, kind: Kind, bytes: &[u8]) -> import::Plan {
    import::plan(db.conn(), kind, bytes)
        .await
        .unwrap()
        .expect("readable file")
}

/// Three bad lines (a wrong SIRET, an unknown commune, a missing name): the
/// dry run names them and nothing is imported.
#[tokio::test]
async fn a_file_with_three_bad_lines_is_refused_with_those_lines_named() {
    let db = TestDb::new().await;
    let csv = "Nom;Type;SIRET;Code postal;Commune;Thèmes\n\
               La Casemate;Musée, centre de sciences;;38000;Grenoble;making\n\
               Association X;association;73282932000075;;Grenoble;\n\
               Médiathèque Y;médiathèque, bibliothèque;;;Atlantis-sur-Mer;\n\
               ;association;;;Voiron;\n\
               Collège Z;school;;38500;Voiron;mathematics; physics\n";
    let plan = run(&db, Kind::Organisations, csv.as_bytes()).await;
    assert_eq!(plan.rows, 5);
    let lines: Vec<(usize, &str)> = plan
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![(3, "SIRET"), (4, "Commune"), (5, "Nom")],
        "{:?}",
        plan.problems
    );
    assert_eq!(
        plan.problems[0].issue,
        Issue::Field(FieldError::InvalidIdentifier)
    );
    assert_eq!(
        plan.problems[1].issue,
        Issue::Field(FieldError::UnknownCommune)
    );
    assert_eq!(plan.problems[2].issue, Issue::Field(FieldError::Required));
    assert_eq!(plan.problems[0].value, "73282932000075");
    let tx = db.write().await.unwrap();
    assert_eq!(
        import::apply(&tx, &plan, &Actor::system("test"), "x.csv", now())
            .await
            .unwrap(),
        0
    );
    tx.commit().await.unwrap();
    assert_eq!(
        organisations::count(db.conn()).await.unwrap(),
        0,
        "nothing imported"
    );
}

/// A clean 1,000-row file (Windows-1252, as French Excel saves it) imports.
#[tokio::test]
async fn a_clean_thousand_row_file_imports() {
    let db = TestDb::new().await;
    let communes = [
        "Grenoble",
        "Voiron",
        "Le Pont-de-Claix",
        "38400",
        "Saint-Égrève",
        "Vienne",
        "Meylan",
        "Échirolles",
    ];
    let mut csv = String::from("Nom;Type;Commune;Site web;Email;Thèmes;Public\r\n");
    for i in 0..1000 {
        csv.push_str(&format!(
            "Médiathèque n°{i};Médiathèque, bibliothèque;{};www.example.org/{i};contact{i}@example.org;Astronomie, espace|physics;{}\r\n",
            communes[i % communes.len()],
            if i % 2 == 0 { "oui" } else { "non" }
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&csv);
    assert!(!unmappable);
    let plan = run(&db, Kind::Organisations, &bytes).await;
    assert!(
        plan.is_clean(),
        "{:?}",
        &plan.problems[..plan.problems.len().min(3)]
    );
    assert_eq!(plan.rows, 1000);
    let tx = db.write().await.unwrap();
    let n = import::apply(
        &tx,
        &plan,
        &Actor::system("test"),
        "mediatheques.csv",
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 1000);
    assert_eq!(organisations::count(db.conn()).await.unwrap(), 1000);
    let public = organisations::list(
        db.conn(),
        &Filter {
            public_only: true,
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(public.total, 500);
    let o = organisations::find_by_name(db.conn(), "Médiathèque n°2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.data.commune_insee.as_deref(), Some("38317"));
    assert_eq!(o.data.themes.len(), 2);
    // Importing the same file again warns of duplicates.
    let again = run(&db, Kind::Organisations, &bytes).await;
    assert_eq!(again.warnings.len(), 1000);
}

#[tokio::test]
async fn people_and_venues_link_to_existing_organisations() {
    let db = TestDb::new().await;
    organisations::create(db.conn(), "Université Grenoble Alpes", now())
        .await
        .unwrap();
    let people_csv = "prénom,nom,email,rôles,organisation,fonction,genre\n\
                      Ada,Lovelace,ada@example.org,chercheur·se; speaker,universite grenoble alpes,MCF,femme\n\
                      Bob,,bob@example.org,,,,\n\
                      Carl,Sagan,carl@example.org,astronaut,Nulle Part,,\n";
    let plan = run(&db, Kind::People, people_csv.as_bytes()).await;
    let lines: Vec<(usize, &str, &Issue)> = plan
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_str(), &p.issue))
        .collect();
    assert_eq!(
        lines,
        vec![
            (3, "nom", &Issue::Field(FieldError::Required)),
            (4, "organisation", &Issue::UnknownOrganisation),
            (4, "rôles", &Issue::Field(FieldError::InvalidChoice)),
        ]
    );
    let fixed = "prénom,nom,email,rôles,organisation,fonction,genre\n\
                 Ada,Lovelace,ada@example.org,chercheur·se; speaker,universite grenoble alpes,MCF,femme\n";
    let plan = run(&db, Kind::People, fixed.as_bytes()).await;
    assert!(plan.is_clean());
    import::apply(db.conn(), &plan, &Actor::system("test"), "p.csv", now())
        .await
        .unwrap();
    let ada = people::list(
        db.conn(),
        &people::Filter {
            query: Some("lovelace".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap()
    .items
    .remove(0);
    assert_eq!(ada.memberships[0].function.as_deref(), Some("MCF"));

    let venues_csv = "Nom;Adresse;Code postal;Commune;Fauteuil;Boucle magnétique\n\
                      Cosmocité;85 cours Saint-André;38800;Le Pont-de-Claix;oui;peut-être\n";
    let plan = run(&db, Kind::Venues, venues_csv.as_bytes()).await;
    assert_eq!(plan.problems.len(), 1);
    assert_eq!(plan.problems[0].issue, Issue::NotYesNo);
    assert_eq!(plan.problems[0].column, "Boucle magnétique");
    let ok = venues_csv.replace("peut-être", "non");
    let plan = run(&db, Kind::Venues, ok.as_bytes()).await;
    assert!(plan.is_clean(), "{:?}", plan.problems);
    import::apply(db.conn(), &plan, &Actor::system("test"), "v.csv", now())
        .await
        .unwrap();
    let v = venues::list(
        db.conn(),
        &venues::Filter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert!(v.items[0].data.access.wheelchair);
}

#[tokio::test]
async fn xlsx_files_and_missing_columns() {
    let db = TestDb::new().await;
    let xlsx = maillage_tabular::write_xlsx(
        "orgs",
        &["Nom", "Type", "Code postal", "Commune"],
        &[vec![
            "Inria".into(),
            "research".into(),
            "38330".into(),
            "Montbonnot-Saint-Martin".into(),
        ]],
    )
    .unwrap();
    let plan = run(&db, Kind::Organisations, &xlsx).await;
    assert!(plan.is_clean(), "{:?}", plan.problems);
    let no_name = "Type;Commune\nassociation;Grenoble\n";
    let plan = run(&db, Kind::Organisations, no_name.as_bytes()).await;
    assert_eq!(plan.problems.len(), 1);
    assert_eq!(plan.problems[0].issue, Issue::MissingColumn);
    assert_eq!(plan.problems[0].line, 1);
    assert!(
        import::plan(db.conn(), Kind::Organisations, b"")
            .await
            .unwrap()
            .is_err()
    );
}
