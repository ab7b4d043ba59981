//! XLSX round trips through our writer and workbooks made cell by cell.

use maillage_tabular::{Format, ReadError, Table, detect, read, read_xlsx, write_csv, write_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

fn cells(table: &Table) -> Vec<Vec<String>> {
    table.rows.iter().map(|r| r.cells.clone()).collect()
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn write_then_read() {
    let headers = [
        "Dénomination",
        "Code postal",
        "SIRET",
        "Surface",
        "Note",
        "Téléphone",
    ];
    let rows = strings(&[
        &[
            "Médiathèque « Œuvre »",
            "01000",
            "12345678901234",
            "12.5",
            "",
            "0476000000",
        ],
        &[
            "MJC",
            "38000",
            "01234567890123",
            "-3",
            "à voir",
            "+33 4 76 00 00 00",
        ],
        &["École", "", "", "12.50", "ligne 1\nligne 2", "=1+1"],
        &["Seul", "", "", "", "", ""],
        &["Avec\ttab", "38 000", "0", "1000000", "x", "y"],
    ]);
    let bytes = write_xlsx("Organisations", &headers, &rows).unwrap();
    assert_eq!(detect(&bytes), Format::Xlsx);
    let table = read_xlsx(&bytes).unwrap();
    assert_eq!(table.headers, headers);
    let mut expected = rows.clone();
    // The empty trailing cells of "Seul" are padded back to the header's width.
    expected[3] = strings(&[&["Seul", "", "", "", "", ""]]).remove(0);
    assert_eq!(cells(&table), expected);
    assert_eq!(
        table.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6]
    );
    // `read` detects the format.
    assert_eq!(read(&bytes).unwrap(), table);
}

#[test]
fn rows_longer_than_the_header_and_blank_rows() {
    let rows = strings(&[&["a", "b", "extra"], &[], &["", ""], &["c"]]);
    let table = read_xlsx(&write_xlsx("T", &["H1", "H2"], &rows).unwrap()).unwrap();
    assert_eq!(cells(&table), strings(&[&["a", "b", "extra"], &["c", ""]]));
    assert_eq!(
        table.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 5]
    );
}

#[test]
fn numbers_dates_and_booleans_typed_in_excel() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let french_date = CellFormat::new().set_num_format("dd/mm/yyyy");
    let date_time = CellFormat::new().set_num_format("dd/mm/yyyy hh:mm");
    let time = CellFormat::new().set_num_format("hh:mm");
    let headers = [
        "CP",
        "Prix",
        "Date",
        "Date FR",
        "Horodatage",
        "Heure",
        "Oui",
        "Calcul",
        "Grand",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_number(1, 0, 38000).unwrap();
    sheet.write_number(1, 1, 12.5).unwrap();
    let day = ExcelDateTime::from_ymd(2026, 3, 14).unwrap();
    sheet.write_datetime_with_format(1, 2, &day, &date).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &day, &french_date)
        .unwrap();
    let moment = ExcelDateTime::from_ymd(2026, 3, 14)
        .unwrap()
        .and_hms(18, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 4, &moment, &date_time)
        .unwrap();
    let hour = ExcelDateTime::from_hms(9, 5, 0).unwrap();
    sheet
        .write_datetime_with_format(1, 5, &hour, &time)
        .unwrap();
    sheet.write_boolean(1, 6, true).unwrap();
    sheet.write_number(1, 7, 0.1 + 0.2).unwrap();
    sheet.write_number(1, 8, 12_345_678_901_234.0).unwrap();
    // Below, a postcode written as a number in a later row, far down.
    sheet.write_number(41, 0, 1000).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let table = read_xlsx(&bytes).unwrap();
    assert_eq!(table.headers, headers);
    assert_eq!(
        cells(&table),
        strings(&[
            &[
                "38000",
                "12.5",
                "2026-03-14",
                "2026-03-14",
                "2026-03-14 18:30",
                "09:05",
                "TRUE",
                "0.3",
                "12345678901234"
            ],
            &["1000", "", "", "", "", "", "", "", ""],
        ])
    );
    assert_eq!(table.rows[1].line, 42);
}

#[test]
fn first_visible_worksheet_and_header_not_on_row_one() {
    let mut workbook = Workbook::new();
    let lists = workbook.add_worksheet();
    lists.set_name("Listes").unwrap();
    lists.write_string(0, 0, "caché").unwrap();
    lists.set_hidden(true);
    let data = workbook.add_worksheet();
    data.set_name("Données").unwrap();
    // Excel cannot hide the active sheet, which is the first by default.
    data.set_active(true);
    data.write_string(2, 1, "Nom").unwrap();
    data.write_string(2, 2, "Ville").unwrap();
    data.write_string(3, 1, "A").unwrap();
    data.write_string(3, 2, "B").unwrap();
    workbook
        .add_worksheet()
        .write_string(0, 0, "troisième")
        .unwrap();
    let table = read_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
    // Columns keep their spreadsheet position: column A is empty.
    assert_eq!(table.headers, ["", "Nom", "Ville"]);
    assert_eq!(cells(&table), strings(&[&["", "A", "B"]]));
    assert_eq!(table.rows[0].line, 4);
}

#[test]
fn empty_and_header_only_workbooks() {
    let empty = Workbook::new().save_to_buffer().unwrap();
    assert_eq!(read_xlsx(&empty).unwrap_err(), ReadError::Empty);
    let table = read_xlsx(&write_xlsx("T", &["Nom", "Ville"], &[]).unwrap()).unwrap();
    assert_eq!(table.headers, ["Nom", "Ville"]);
    assert!(table.rows.is_empty());
}

#[test]
fn garbage_and_truncated_files_are_errors() {
    let bytes = write_xlsx("T", &["Nom"], &strings(&[&["A"], &["B"]])).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 1, 30, 4] {
        let error = read_xlsx(&bytes[..cut]).unwrap_err();
        assert_eq!(error.code(), "invalid_xlsx", "{cut}: {error}");
        assert_eq!(read(&bytes[..cut]).unwrap_err(), error);
    }
    let error = read_xlsx(b"this is not a workbook").unwrap_err();
    assert_eq!(error.code(), "invalid_xlsx");
    assert!(
        error
            .to_string()
            .starts_with("the file is not a valid XLSX workbook"),
        "{error}"
    );
    assert_eq!(read_xlsx(b"").unwrap_err(), ReadError::Empty);

    // A damaged worksheet inside an intact archive: the ZIP reader notices
    // (deflate error or CRC mismatch).
    let name = b"xl/worksheets/sheet1.xml";
    let header = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("the worksheet's local header")
        - 30;
    let name_len = u16::from_le_bytes([bytes[header + 26], bytes[header + 27]]) as usize;
    let extra_len = u16::from_le_bytes([bytes[header + 28], bytes[header + 29]]) as usize;
    let data = header + 30 + name_len + extra_len;
    let mut damaged = bytes.clone();
    for b in &mut damaged[data + 10..data + 30] {
        *b ^= 0x5A;
    }
    let error = read_xlsx(&damaged).unwrap_err();
    assert_eq!(error.code(), "invalid_xlsx", "{error}");
}

#[test]
fn other_containers() {
    // An OLE container: a legacy .xls, or an encrypted .xlsx.
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(1024, 0);
    assert_eq!(detect(&xls), Format::Xlsx);
    assert_eq!(read(&xls).unwrap_err(), ReadError::LegacyXls);
    let mut encrypted = xls.clone();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read(&encrypted).unwrap_err().code(), "password_protected");

    // An OpenDocument spreadsheet, and a ZIP of something else.
    let ods = zip_with(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<x/>"),
    ]);
    assert_eq!(read(&ods).unwrap_err(), ReadError::OpenDocument);
    let other = zip_with(&[("notes.txt", "bonjour")]);
    assert_eq!(read(&other).unwrap_err().code(), "invalid_xlsx");
    // A Word document has [Content_Types].xml but no workbook.
    let docx = zip_with(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w/>"),
    ]);
    assert_eq!(read(&docx).unwrap_err().code(), "invalid_xlsx");
}

#[test]
fn size_limit() {
    let big = vec![b'P'; 20 * 1024 * 1024 + 1];
    let mut big = big;
    big[..4].copy_from_slice(b"PK\x03\x04");
    let error = read(&big).unwrap_err();
    assert_eq!(error.code(), "file_too_large");
}

#[test]
fn zip_bomb_is_refused() {
    // A workbook whose strings part is 8 MB of spaces, copied (still
    // compressed) 40 times: 320 MB once decompressed, 3 MB as a file.
    let bytes = write_xlsx("T", &["Nom"], &strings(&[&["A"]])).unwrap();
    let mut part = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut part);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    std::io::Write::write_all(&mut zip, &vec![b' '; 8 << 20]).unwrap();
    zip.finish().unwrap();
    let mut part = zip::ZipArchive::new(part).unwrap();

    let mut workbook = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    let mut bomb = zip::ZipWriter::new(&mut out);
    for i in 0..workbook.len() {
        let file = workbook.by_index_raw(i).unwrap();
        if file.name().unwrap() != "xl/sharedStrings.xml" {
            bomb.raw_copy_file(file).unwrap();
        }
    }
    bomb.raw_copy_file(part.by_index_raw(0).unwrap()).unwrap();
    for i in 0..39 {
        let copy = part.by_index_raw(0).unwrap();
        bomb.raw_copy_file_rename(copy, format!("xl/padding{i}.xml"))
            .unwrap();
    }
    bomb.finish().unwrap();
    let bytes = out.into_inner();
    assert!(bytes.len() < 4 * 1024 * 1024, "{}", bytes.len());
    assert_eq!(read(&bytes).unwrap_err(), ReadError::UncompressedTooLarge);
}

#[test]
fn csv_and_xlsx_of_the_same_table_read_the_same() {
    let headers = ["Nom", "CP", "Note"];
    let rows = strings(&[
        &["Médiathèque", "01000", "a;b\"c\nd"],
        &["MJC", "38000", ""],
    ]);
    let from_csv = read(&write_csv(&headers, &rows)).unwrap();
    let from_xlsx = read(&write_xlsx("T", &headers, &rows).unwrap()).unwrap();
    assert_eq!(cells(&from_csv), rows);
    assert_eq!(cells(&from_xlsx), rows);
    assert_eq!(from_csv.headers, from_xlsx.headers);
}

#[test]
fn write_errors() {
    let long = "x".repeat(32_768);
    let error = write_xlsx("T", &["a"], &[vec![long]]).unwrap_err();
    assert_eq!(error.code(), "cell_too_long");
    assert!(error.to_string().contains("line 2, column 1"), "{error}");
    // Sheet names are made valid rather than refused.
    assert!(write_xlsx("Bilan 2025/2026: [brouillon]", &["a"], &[]).is_ok());
}

#[test]
fn hostile_shared_strings_count() {
    // calamine reserves as many strings as `uniqueCount` says: unchecked,
    // "100000000000" asks for 2.4 TB and aborts the process (not a panic).
    for count in [
        "100000000000",
        "18446744073709551615",
        "99999999999999999999999",
        "0000000100000000000",
    ] {
        let bytes = rewrite_shared_strings(|xml| {
            xml.replace("uniqueCount=\"2\"", &format!("uniqueCount=\"{count}\""))
                .into_bytes()
        });
        let error = read(&bytes).unwrap_err();
        assert_eq!(error.code(), "invalid_xlsx", "{count}: {error}");
        assert!(error.to_string().contains("announces"), "{error}");
    }
    // The same in a part encoded in UTF-16: neither our check nor calamine
    // finds the tag, so nothing is reserved and the file is refused.
    let bytes = rewrite_shared_strings(|xml| {
        let xml = xml
            .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
            .replace("uniqueCount=\"2\"", "uniqueCount=\"100000000000\"");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
        utf16
    });
    assert_eq!(read(&bytes).unwrap_err().code(), "invalid_xlsx");
    // A sensible count is fine.
    let bytes = rewrite_shared_strings(|xml| {
        xml.replace("uniqueCount=\"2\"", "uniqueCount=\"5000000\"")
            .into_bytes()
    });
    assert_eq!(read(&bytes).unwrap().rows[0].cells, ["A"]);
}

/// Our writer's workbook for a one-cell table, its shared strings rewritten.
fn rewrite_shared_strings(change: impl Fn(&str) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let xlsx = write_xlsx("T", &["Nom"], &strings(&[&["A"]])).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&xlsx[..])).unwrap();
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let mut seen = false;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(content).unwrap();
            assert!(xml.contains("uniqueCount=\"2\""), "{xml}");
            content = change(&xml);
            seen = true;
        }
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&content).unwrap();
    }
    assert!(seen);
    zip.finish().unwrap();
    out.into_inner()
}

fn zip_with(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    for (name, content) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}
