//! CSV as Excel, LibreOffice and Google Sheets save it, and as we write it.

use maillage_tabular::{ReadError, Row, Table, read, read_csv, write_csv};

fn cells(table: &Table) -> Vec<Vec<&str>> {
    table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

fn lines(table: &Table) -> Vec<usize> {
    table.rows.iter().map(|r| r.line).collect()
}

#[test]
fn semicolon_comma_and_tab() {
    for (delimiter, text) in [
        (
            ";",
            "Nom;Ville;Code postal\r\nMédiathèque;Grenoble;38000\r\nMJC;Voiron;38500\r\n",
        ),
        (
            ",",
            "Nom,Ville,Code postal\nMédiathèque,Grenoble,38000\nMJC,Voiron,38500\n",
        ),
        (
            "tab",
            "Nom\tVille\tCode postal\nMédiathèque\tGrenoble\t38000\nMJC\tVoiron\t38500",
        ),
    ] {
        let table = read_csv(text.as_bytes()).unwrap_or_else(|e| panic!("{delimiter}: {e}"));
        assert_eq!(
            table.headers,
            ["Nom", "Ville", "Code postal"],
            "{delimiter}"
        );
        assert_eq!(
            cells(&table),
            [
                ["Médiathèque", "Grenoble", "38000"],
                ["MJC", "Voiron", "38500"]
            ],
            "{delimiter}"
        );
        assert_eq!(lines(&table), [2, 3], "{delimiter}");
    }
}

#[test]
fn delimiter_comes_from_the_header_line() {
    // Decimal commas in the data do not fool the detection.
    let table = read_csv("Nom;Surface\nSalle A;12,5\nSalle B;40,25\n".as_bytes()).unwrap();
    assert_eq!(cells(&table), [["Salle A", "12,5"], ["Salle B", "40,25"]]);
    // Nor do semicolons inside quotes.
    let table = read_csv(b"\"Nom;court\",Ville\n\"A;B\",Grenoble\n").unwrap();
    assert_eq!(table.headers, ["Nom;court", "Ville"]);
    assert_eq!(cells(&table), [["A;B", "Grenoble"]]);
}

#[test]
fn utf8_with_and_without_bom() {
    let text = "Dénomination;Commune\nÉcole élémentaire;Saint-Égrève\n";
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(text.as_bytes());
    for bytes in [text.as_bytes(), &with_bom[..]] {
        let table = read_csv(bytes).unwrap();
        assert_eq!(table.headers, ["Dénomination", "Commune"]);
        assert_eq!(cells(&table), [["École élémentaire", "Saint-Égrève"]]);
    }
}

#[test]
fn windows_1252() {
    // "Nom;Commune\r\nMédiathèque;Saint-Égrève\r\nŒuvre « 2 » €;x" as French Excel saves it.
    let bytes =
        b"Nom;Commune\r\nM\xE9diath\xE8que;Saint-\xC9gr\xE8ve\r\n\x8Cuvre \xAB 2 \xBB \x80;x\r\n";
    let table = read_csv(bytes).unwrap();
    assert_eq!(table.headers, ["Nom", "Commune"]);
    assert_eq!(
        cells(&table),
        [["Médiathèque", "Saint-Égrève"], ["Œuvre « 2 » €", "x"]]
    );
}

#[test]
fn utf16_unicode_text() {
    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Nom\tVille\r\nMédiathèque\tGrenoble\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let table = read(&bytes).unwrap();
    assert_eq!(table.headers, ["Nom", "Ville"]);
    assert_eq!(cells(&table), [["Médiathèque", "Grenoble"]]);
}

#[test]
fn quoted_fields_and_line_numbers() {
    let text = "Nom;Adresse;Note\r\n\
                \"Salle \"\"Le Cube\"\"\";\"12 rue A;\r\nbâtiment B\r\n3e étage\";x\r\n\
                MJC;\"1 place; centre\";\r\n\
                \r\n\
                Bibliothèque;\"\";\"multi\nligne\"\r\n\
                Fin;ici;là\r\n";
    let table = read_csv(text.as_bytes()).unwrap();
    assert_eq!(table.headers, ["Nom", "Adresse", "Note"]);
    assert_eq!(
        cells(&table),
        [
            ["Salle \"Le Cube\"", "12 rue A;\nbâtiment B\n3e étage", "x"],
            ["MJC", "1 place; centre", ""],
            ["Bibliothèque", "", "multi\nligne"],
            ["Fin", "ici", "là"],
        ]
    );
    // The first record spans lines 2 to 4; line 6 is blank.
    assert_eq!(lines(&table), [2, 5, 7, 9]);
}

#[test]
fn blank_lines_skipped_but_counted() {
    let text = "\n\nNom;Ville\n\n  \n;;\nA;B\n\n\nC;D\n";
    let table = read_csv(text.as_bytes()).unwrap();
    assert_eq!(table.headers, ["Nom", "Ville"]);
    assert_eq!(cells(&table), [["A", "B"], ["C", "D"]]);
    assert_eq!(lines(&table), [7, 10]);
}

#[test]
fn short_rows_padded_long_rows_kept_cells_trimmed() {
    let text = "Nom;Ville;CP;;\n  A  ;\n B ; C ; D ; E ; ;\n\u{a0}F\u{a0};G;H\n";
    let table = read_csv(text.as_bytes()).unwrap();
    // Trailing empty header cells are dropped.
    assert_eq!(table.headers, ["Nom", "Ville", "CP"]);
    assert_eq!(
        table.rows,
        [
            Row {
                line: 2,
                cells: vec!["A".into(), String::new(), String::new()]
            },
            Row {
                line: 3,
                cells: ["B", "C", "D", "E"].map(String::from).to_vec()
            },
            Row {
                line: 4,
                cells: ["F", "G", "H"].map(String::from).to_vec()
            },
        ]
    );
}

#[test]
fn classic_mac_line_endings() {
    let table = read_csv(b"Nom;Ville\rA;B\rC;D\r").unwrap();
    assert_eq!(cells(&table), [["A", "B"], ["C", "D"]]);
    assert_eq!(lines(&table), [2, 3]);
}

#[test]
fn empty_and_header_only() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b"   \n\t\n"] {
        let error = read_csv(bytes).unwrap_err();
        assert_eq!(error, ReadError::Empty, "{bytes:?}");
        assert_eq!(error.code(), "empty");
        assert_eq!(read(bytes).unwrap_err(), ReadError::Empty);
    }
    let error = read_csv(b";;;\r\n ; \r\n").unwrap_err();
    assert_eq!(error, ReadError::NoHeader);
    assert_eq!(error.code(), "no_header");
    assert!(error.to_string().contains("no header row"), "{error}");

    let table = read_csv(b"Nom;Ville\r\n").unwrap();
    assert_eq!(table.headers, ["Nom", "Ville"]);
    assert!(table.rows.is_empty());
    let table = read_csv(b"Nom;Ville").unwrap();
    assert_eq!(table.headers, ["Nom", "Ville"]);
    assert!(table.rows.is_empty());
}

#[test]
fn binary_is_not_text() {
    let error = read_csv(b"Nom;Ville\n\0\0\0\x01\x02").unwrap_err();
    assert_eq!(error.code(), "not_text");
}

#[test]
fn row_limit() {
    let mut text = String::from("Nom;N\n");
    for i in 0..100_000 {
        text.push_str(&format!("x;{i}\n"));
    }
    let table = read_csv(text.as_bytes()).unwrap();
    assert_eq!(table.rows.len(), 100_000);
    assert_eq!(table.rows.last().unwrap().line, 100_001);

    text.push_str("one;more\n");
    let error = read_csv(text.as_bytes()).unwrap_err();
    assert_eq!(error, ReadError::TooManyRows { line: 100_002 });
    assert_eq!(error.code(), "too_many_rows");
    assert_eq!(error.line(), Some(100_002));
    assert!(error.to_string().contains("line 100002"), "{error}");
}

#[test]
fn cell_length_limit() {
    let ok = format!("Nom;Note\nA;{}\n", "é".repeat(10_000));
    assert_eq!(
        read_csv(ok.as_bytes()).unwrap().rows[0].cells[1]
            .chars()
            .count(),
        10_000
    );
    let too_long = format!("Nom;Note\nA;B\n\n\"C\nD\";{}\n", "é".repeat(10_001));
    let error = read_csv(too_long.as_bytes()).unwrap_err();
    assert_eq!(error, ReadError::CellTooLong { line: 4, column: 2 });
    assert_eq!(error.code(), "cell_too_long");
    assert!(error.to_string().contains("line 4"), "{error}");
}

#[test]
fn column_and_cell_limits() {
    let wide = format!("Nom;Ville\nA{}\n", ";x".repeat(1_000));
    assert_eq!(
        read_csv(wide.as_bytes()).unwrap_err(),
        ReadError::TooManyColumns { line: 2 }
    );
    // A one-column file is not split on a delimiter its header does not use.
    let table = read_csv("Nom\nDupont, Jean\nMartin; Paul\n".as_bytes()).unwrap();
    assert_eq!(cells(&table), [["Dupont, Jean"], ["Martin; Paul"]]);
    // A wide header times many rows: padding would take gigabytes.
    let mut text = format!("{}\n", vec!["h"; 1_000].join(";"));
    for _ in 0..10_001 {
        text.push_str("x\n");
    }
    let error = read_csv(text.as_bytes()).unwrap_err();
    assert_eq!(error.code(), "too_many_cells");
}

#[test]
fn unterminated_quote_is_one_long_cell() {
    // The csv reader takes everything after the quote as one cell.
    let table = read_csv(b"Nom;Ville\n\"A;B\nC;D\n").unwrap();
    assert_eq!(cells(&table), [["A;B\nC;D", ""]]);
}

#[test]
fn write_then_read() {
    let headers = ["Nom", "Adresse", "Code postal", "Note"];
    let rows = vec![
        vec![
            "Salle \"Le Cube\"".to_string(),
            "12 rue A; bâtiment B".into(),
            "01000".into(),
            "".into(),
        ],
        vec![
            "MJC".into(),
            "1 place\ncentre".into(),
            "38000".into(),
            "Œuvre €".into(),
        ],
        vec![
            "=HYPERLINK(\"http://x\")".into(),
            "+33 4 76 00 00 00".into(),
            "-12,5".into(),
            "@x".into(),
        ],
    ];
    let bytes = write_csv(&headers, &rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBFNom;Adresse;Code postal;Note\r\n"));
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(
        text.contains("\"Salle \"\"Le Cube\"\"\";\"12 rue A; bâtiment B\";01000;\r\n"),
        "{text}"
    );
    assert!(
        text.contains("MJC;\"1 place\ncentre\";38000;Œuvre €\r\n"),
        "{text}"
    );
    // Formula-like cells are guarded; numbers and phone numbers are not.
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\")\";+33 4 76 00 00 00;-12,5;'@x\r\n"),
        "{text}"
    );
    assert!(text.ends_with("\r\n"));

    let table = read_csv(&bytes).unwrap();
    assert_eq!(table.headers, headers);
    assert_eq!(
        table
            .rows
            .iter()
            .map(|r| r.cells.clone())
            .collect::<Vec<_>>(),
        rows
    );
    assert_eq!(lines(&table), [2, 3, 5]);
}

#[test]
fn column_matching() {
    let table =
        read_csv("Dénomination;CODE-POSTAL;e_mail;Tél.;Code postal (bis)\n".as_bytes()).unwrap();
    for name in [
        "Code postal",
        "code_postal",
        "CODE-POSTAL",
        "codepostal",
        " code  postal ",
    ] {
        assert_eq!(table.column(&[name]), Some(1), "{name}");
    }
    assert_eq!(table.column(&["denomination"]), Some(0));
    assert_eq!(table.column(&["DÉNOMINATION"]), Some(0));
    assert_eq!(table.column(&["E-mail", "courriel"]), Some(2));
    assert_eq!(table.column(&["courriel", "email"]), Some(2));
    assert_eq!(table.column(&["telephone", "tel"]), Some(3));
    // Names are tried in order.
    assert_eq!(table.column(&["code postal bis", "code postal"]), Some(4));
    assert_eq!(table.column(&["ville"]), None);
    assert_eq!(table.column(&[]), None);
    assert_eq!(table.column(&[""]), None);

    let row = Row {
        line: 2,
        cells: vec!["a".into(), "b".into()],
    };
    assert_eq!(row.get(Some(1)), "b");
    assert_eq!(row.get(Some(5)), "");
    assert_eq!(row.get(None), "");
    assert_eq!(row.get(table.column(&["ville"])), "");
}
