//! Random and mangled input never makes the readers panic.

use maillage_tabular::{read, read_csv, read_xlsx, write_xlsx};

/// A seeded generator, so every run shakes the parsers the same way.
struct Rng(fastrand::Rng);

impl Rng {
    fn seeded(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }

    fn next(&mut self) -> u64 {
        self.0.u64(..)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n)
    }
}

#[test]
fn random_bytes() {
    let mut rng = Rng::seeded(0x9E37_79B9_7F4A_7C15);
    // Bytes that matter to the parsers, so random input reaches deep paths.
    let alphabet = b";,\t\"\r\n ' =Ab\xC3\xA9\xE9\x00\xEF\xBB\xBF\xFF\xFEPK\x03\x04";
    for i in 0..4_000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if i % 2 == 0 {
                    rng.next() as u8
                } else {
                    alphabet[rng.below(alphabet.len())]
                }
            })
            .collect();
        let _ = read(&bytes);
        let _ = read_csv(&bytes);
        let _ = read_xlsx(&bytes);
    }
}

#[test]
fn mangled_workbooks() {
    let rows: Vec<Vec<String>> = (0..20)
        .map(|i| {
            vec![
                format!("Nom {i}"),
                format!("{}", 38000 + i),
                "Médiathèque".into(),
            ]
        })
        .collect();
    let xlsx = write_xlsx("T", &["Nom", "CP", "Type"], &rows).unwrap();
    let mut rng = Rng::seeded(42);
    for _ in 0..600 {
        let mut bytes = xlsx.clone();
        match rng.below(3) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
            }
            1 => bytes.truncate(rng.below(bytes.len())),
            _ => {
                let at = rng.below(bytes.len());
                let len = rng.below(64).min(bytes.len() - at);
                bytes.drain(at..at + len);
            }
        }
        let _ = read(&bytes);
    }
}

#[test]
fn mangled_workbook_parts() {
    // Damage the XML inside the archive (then recompress it), so the damage
    // reaches the workbook parser rather than the ZIP checksums.
    use std::io::{Cursor, Read, Write};
    let rows: Vec<Vec<String>> = (0..10)
        .map(|i| {
            vec![
                format!("Nom {i}"),
                format!("{}", 38000 + i),
                "".into(),
                "12.5".into(),
            ]
        })
        .collect();
    let xlsx = write_xlsx("T", &["Nom", "CP", "Vide", "N"], &rows).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&xlsx[..])).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        parts.push((file.name().unwrap().to_string(), content));
    }
    let noise = b"<>/=\"' &;#x0123456789ABCDEFrcstvnisf:";
    let mut rng = Rng::seeded(7);
    for _ in 0..400 {
        let target = rng.below(parts.len());
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (i, (name, content)) in parts.iter().enumerate() {
            let mut content = content.clone();
            if i == target && !content.is_empty() {
                for _ in 0..1 + rng.below(6) {
                    let at = rng.below(content.len());
                    match rng.below(3) {
                        0 => content[at] = noise[rng.below(noise.len())],
                        1 => {
                            content.remove(at);
                        }
                        _ => {
                            let end = (at + rng.below(40)).min(content.len());
                            content.drain(at..end);
                        }
                    }
                }
            }
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&content).unwrap();
        }
        zip.finish().unwrap();
        let _ = read(&out.into_inner());
    }
}
