//! A realistic French "bilan" shared by the tests and the benchmark
//! (a module of the tests, `#[path]`-included by the benchmark).

use maillage_pdf::{Block, Document, KeyFigure, Lang};

/// Communes of the Isère, with their accents and apostrophes.
pub const COMMUNES: [&str; 12] = [
    "Grenoble",
    "Saint-Martin-d'Hères",
    "Échirolles",
    "Fontaine",
    "Voiron",
    "Bourgoin-Jallieu",
    "Vienne",
    "Meylan",
    "Saint-Égrève",
    "L'Isle-d'Abeau",
    "Villefontaine",
    "Crolles",
];

/// A bar chart as SVG, with `<rect>` bars and `<text>` labels.
pub fn bar_chart(title: &str, bars: &[(&str, u32)]) -> String {
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1);
    let width = 600;
    let height = 260;
    let bar_width = 480 / bars.len().max(1);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">
<text x="10" y="20" font-family="Liberation Sans" font-size="14" font-weight="bold" fill="#1f2933">{title}</text>
<line x1="60" y1="220" x2="580" y2="220" stroke="#4a5562" stroke-width="1"/>
"##
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let h = 180 * value / max;
        let x = 70 + i * bar_width;
        let y = 220 - h;
        let w = bar_width * 7 / 10;
        svg.push_str(&format!(
            r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#1b4f8a"/>
<text x="{cx}" y="{ty}" font-family="Liberation Sans" font-size="11" text-anchor="middle" fill="#1f2933">{value}</text>
<text x="{cx}" y="238" font-family="Liberation Sans" font-size="10" text-anchor="middle" fill="#4a5562">{label}</text>
"##,
            cx = x + w / 2,
            ty = y.saturating_sub(4),
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// A bilan of a season: key figures, three tables (the first with
/// `commune_rows` rows), two charts, lists. `variant` changes the figures so
/// that successive documents differ.
pub fn bilan(commune_rows: usize, variant: u32) -> Document {
    let communes: Vec<Vec<String>> = (0..commune_rows)
        .map(|i| {
            let name = if i < COMMUNES.len() {
                COMMUNES[i].to_owned()
            } else {
                format!("{} {}", COMMUNES[i % COMMUNES.len()], i / COMMUNES.len())
            };
            let activities = (i as u32 * 7 + variant) % 23 + 1;
            vec![
                name,
                format!("38{:03}", (i * 7) % 1000),
                format!("{}", (i * 37 + 5) % 40 + 1),
                format!("{activities}"),
                format!(
                    "{}\u{202f}{:03}",
                    (i * 3) % 9 + 1,
                    (i * 131 + variant as usize) % 1000
                ),
                format!("{},{} %", (i * 13) % 60 + 10, i % 10),
            ]
        })
        .collect();
    let kinds = [
        ("Atelier", 142, 3_210),
        ("Conférence", 48, 4_980),
        ("Exposition", 35, 12_400),
        ("Visite de laboratoire", 61, 1_830),
        ("Spectacle", 12, 2_150),
        ("Jeu, escape game", 27, 940),
        ("Balade naturaliste", 19, 610),
        ("Projection-débat", 22, 1_320),
    ];
    let partners = [
        "Université Grenoble Alpes",
        "CNRS Alpes",
        "Inria Grenoble",
        "La Casemate — CCSTI",
        "Muséum de Grenoble",
        "Médiathèque de Saint-Martin-d'Hères",
        "Collège Édouard-Vaillant",
        "Association « Planète Sciences »",
        "Communauté de communes du Grésivaudan",
        "Parc naturel régional de Chartreuse",
    ];
    Document {
        lang: Lang::Fr,
        title: format!("Bilan de la Fête de la science {}", 2026 + variant % 3),
        subtitle: Some("Département de l'Isère — édition du 2 au 12 octobre".to_owned()),
        organisation: "Association « Sciences & Territoires » de l'Isère".to_owned(),
        generated: "3 décembre 2026".to_owned(),
        blocks: vec![
            Block::KeyFigures(vec![
                KeyFigure {
                    label: "Activités".into(),
                    value: format!("{}", 366 + variant),
                    note: Some("+12\u{202f}% vs 2025".into()),
                },
                KeyFigure {
                    label: "Séances".into(),
                    value: "1\u{202f}024".into(),
                    note: None,
                },
                KeyFigure {
                    label: "Participants".into(),
                    value: "27\u{202f}440".into(),
                    note: Some("dont 9\u{202f}812 scolaires".into()),
                },
                KeyFigure {
                    label: "Communes touchées".into(),
                    value: "187".into(),
                    note: Some("sur 512 → 36,5\u{202f}%".into()),
                },
                KeyFigure {
                    label: "Budget".into(),
                    value: "48\u{202f}300\u{a0}€".into(),
                    note: Some("≥ objectif".into()),
                },
                KeyFigure {
                    label: "Partenaires".into(),
                    value: "74".into(),
                    note: None,
                },
            ]),
            Block::Heading {
                level: 1,
                text: "Synthèse".into(),
            },
            Block::Paragraph(
                "L'édition 2026 a réuni 27\u{202f}440 participants dans 187 communes, soit une \
                 progression de 12\u{202f}% par rapport à l'année précédente. Les œuvres \
                 d'Émile et les « cafés des sciences » ont attiré un public nouveau ; le coût \
                 moyen par participant reste ≤ 1,80\u{a0}€, et la part des communes rurales \
                 passe de 21\u{202f}% → 28\u{202f}%. Élèves, familles et curieux ont pu \
                 rencontrer plus de 600 chercheurs et chercheuses."
                    .into(),
            ),
            Block::Chart {
                caption: "Activités par type".into(),
                svg: bar_chart(
                    "Activités par type",
                    &kinds
                        .iter()
                        .map(|(k, n, _)| (&k[..k.len().min(10)], *n))
                        .collect::<Vec<_>>(),
                ),
                alt: "Histogramme du nombre d'activités par type : les ateliers dominent.".into(),
            },
            Block::Table {
                caption: "Activités et participants par type".into(),
                header: vec!["Type".into(), "Activités".into(), "Participants".into()],
                rows: kinds
                    .iter()
                    .map(|(k, n, p)| vec![(*k).into(), n.to_string(), p.to_string()])
                    .collect(),
                numeric: vec![false, true, true],
            },
            Block::Heading {
                level: 2,
                text: "Partenaires".into(),
            },
            Block::List(partners.iter().map(|p| (*p).to_owned()).collect()),
            Block::Table {
                caption: "Répartition des séances par semaine".into(),
                header: vec![
                    "Semaine".into(),
                    "Séances".into(),
                    "Complètes".into(),
                    "Taux".into(),
                ],
                rows: vec![
                    vec![
                        "du 2 au 5 octobre".into(),
                        "412".into(),
                        "188".into(),
                        "45,6 %".into(),
                    ],
                    vec![
                        "du 6 au 9 octobre".into(),
                        "398".into(),
                        "201".into(),
                        "50,5 %".into(),
                    ],
                    vec![
                        "du 10 au 12 octobre".into(),
                        "214".into(),
                        "97".into(),
                        "45,3 %".into(),
                    ],
                ],
                numeric: vec![false, true, true, true],
            },
            Block::Chart {
                caption: "Participants par semaine".into(),
                svg: bar_chart(
                    "Participants par semaine",
                    &[("S1", 10_420), ("S2", 11_300), ("S3", 5_720 + variant)],
                ),
                alt: "Histogramme des participants par semaine.".into(),
            },
            Block::PageBreak,
            Block::Heading {
                level: 1,
                text: "Couverture territoriale".into(),
            },
            Block::Paragraph(
                "Le tableau suivant donne, pour chaque commune touchée, le nombre d'activités \
                 et de participants. Les communes sont classées par nombre d'habitants."
                    .into(),
            ),
            Block::Table {
                caption: "Activités et participants par commune".into(),
                header: vec![
                    "Commune".into(),
                    "Code".into(),
                    "Lieux".into(),
                    "Activités".into(),
                    "Habitants".into(),
                    "Part scolaire".into(),
                ],
                rows: communes,
                numeric: vec![false, false, true, true, true, true],
            },
            Block::Heading {
                level: 2,
                text: "Pistes pour 2027".into(),
            },
            Block::List(vec![
                "Aller vers les 325 communes jamais touchées, les plus peuplées d'abord.".into(),
                "Doubler les séances réservables en ligne (objectif ≥ 60\u{202f}%).".into(),
                "Associer les EPCI du Trièves et de la Matheysine.".into(),
            ]),
        ],
    }
}
