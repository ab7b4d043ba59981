//! The words of the generated programme: subjects by theme, titles and
//! summaries, venues, streets, organisations and people.

use maillage_db::programme::activities::ActivityData;
use maillage_db::testing::bench::Rng;
use maillage_domain::directory::{OrgKind, Theme};
use maillage_domain::programme::{Audience, Format, RegistrationMode};

/// A subject of the programme: words for titles and summaries, and its theme.
pub struct Topic {
    pub theme: Theme,
    /// "la photosynthèse", "les volcans d'Auvergne"…
    pub subjects: &'static [&'static str],
}

pub const TOPICS: &[Topic] = &[
    Topic {
        theme: Theme::Astronomy,
        subjects: &[
            "les étoiles d'automne",
            "les exoplanètes",
            "la Lune et ses cratères",
            "les météorites",
            "le système solaire",
            "les trous noirs",
            "la conquête spatiale",
            "les galaxies lointaines",
            "les satellites d'observation",
            "le ciel nocturne",
        ],
    },
    Topic {
        theme: Theme::Earth,
        subjects: &[
            "les volcans",
            "les séismes",
            "les fossiles",
            "les dinosaures",
            "les glaciers alpins",
            "les roches et minéraux",
            "la géologie des Alpes",
            "les grottes et le karst",
        ],
    },
    Topic {
        theme: Theme::Environment,
        subjects: &[
            "le changement climatique",
            "la biodiversité des zones humides",
            "les abeilles sauvages",
            "les océans et le plancton",
            "les forêts de demain",
            "l'eau, ressource fragile",
            "les oiseaux migrateurs",
            "le recyclage des déchets",
            "la pollution lumineuse",
        ],
    },
    Topic {
        theme: Theme::Life,
        subjects: &[
            "la photosynthèse",
            "l'ADN et la génétique",
            "les microbes qui nous habitent",
            "les insectes pollinisateurs",
            "la vie des champignons",
            "l'évolution des espèces",
            "les cellules souches",
        ],
    },
    Topic {
        theme: Theme::Health,
        subjects: &[
            "le cerveau et la mémoire",
            "le sommeil",
            "les vaccins",
            "le cœur et la circulation",
            "l'alimentation équilibrée",
            "les antibiotiques",
            "l'imagerie médicale",
        ],
    },
    Topic {
        theme: Theme::Physics,
        subjects: &[
            "la lumière et les couleurs",
            "l'électricité statique",
            "le magnétisme",
            "les ondes et le son",
            "la physique quantique",
            "la supraconductivité",
            "les lasers",
            "la gravité",
        ],
    },
    Topic {
        theme: Theme::Chemistry,
        subjects: &[
            "la chimie de la cuisine",
            "les cristaux",
            "les couleurs des pigments",
            "les polymères et plastiques",
            "les réactions explosives",
            "la chimie verte",
        ],
    },
    Topic {
        theme: Theme::Mathematics,
        subjects: &[
            "les nombres premiers",
            "les probabilités",
            "la géométrie des pavages",
            "les fractales",
            "les énigmes mathématiques",
            "la cryptographie",
        ],
    },
    Topic {
        theme: Theme::Digital,
        subjects: &[
            "l'intelligence artificielle",
            "le codage informatique",
            "la robotique",
            "les jeux vidéo",
            "la cybersécurité",
            "les algorithmes",
            "la réalité virtuelle",
        ],
    },
    Topic {
        theme: Theme::Engineering,
        subjects: &[
            "les ponts et les structures",
            "l'aéronautique",
            "les matériaux de demain",
            "les micro-nanotechnologies",
            "les drones",
        ],
    },
    Topic {
        theme: Theme::Energy,
        subjects: &[
            "l'électricité d'origine hydraulique",
            "l'énergie solaire",
            "l'hydrogène",
            "les batteries",
            "la fusion nucléaire",
            "les éoliennes",
        ],
    },
    Topic {
        theme: Theme::Humanities,
        subjects: &[
            "l'archéologie",
            "les langues du monde",
            "la préhistoire",
            "la sociologie du sport",
            "l'histoire de l'écriture",
        ],
    },
    Topic {
        theme: Theme::History,
        subjects: &[
            "Marie Curie",
            "les inventions du XIXe siècle",
            "le patrimoine industriel",
            "les instruments scientifiques anciens",
            "les femmes de science",
        ],
    },
    Topic {
        theme: Theme::Making,
        subjects: &[
            "l'impression 3D",
            "l'électronique Arduino",
            "la réparation d'objets",
            "les fusées à eau",
            "les cerfs-volants",
        ],
    },
    Topic {
        theme: Theme::Media,
        subjects: &[
            "les fausses informations",
            "l'image scientifique",
            "le journalisme scientifique",
            "les réseaux sociaux",
        ],
    },
    Topic {
        theme: Theme::ArtScience,
        subjects: &[
            "la musique et les mathématiques",
            "la photographie du vivant",
            "la danse et la physique",
            "le design sonore",
        ],
    },
];

/// Title patterns by format: `{}` is the subject.
pub fn title(format: Format, subject: &str, rng: &mut Rng) -> String {
    let patterns: &[&str] = match format {
        Format::Workshop => &[
            "Atelier : {}",
            "Atelier découverte — {}",
            "Les petits chercheurs : {}",
            "Expériences autour de {}",
        ],
        Format::Talk => &[
            "Conférence : {}",
            "Tout comprendre sur {}",
            "Café des sciences — {}",
            "Que sait-on vraiment sur {} ?",
        ],
        Format::Exhibition => &["Exposition : {}", "Exposition interactive — {}"],
        Format::Visit => &[
            "Visite de laboratoire : {}",
            "Visite guidée — {}",
            "Portes ouvertes : {}",
        ],
        Format::Screening => &["Ciné-débat : {}", "Projection et échange — {}"],
        Format::Game => &[
            "Escape game : {}",
            "Jeu d'enquête — {}",
            "Quiz géant sur {}",
        ],
        Format::Meeting => &[
            "Rencontre avec des chercheurs : {}",
            "Dialogue science et société — {}",
        ],
        Format::Show => &["Spectacle : {}", "Théâtre scientifique — {}"],
        Format::Walk => &["Balade commentée : {}", "Sortie nature — {}"],
        Format::Planetarium => &[
            "Séance de planétarium : {}",
            "Sous la coupole du planétarium — {}",
        ],
        Format::Village => &["Village des sciences : {}"],
        Format::Other => &["Animation : {}"],
    };
    rng.pick(patterns).replace("{}", subject)
}

pub const SUMMARY_OPENINGS: &[&str] = &[
    "Venez découvrir",
    "Plongez au cœur de",
    "Une approche ludique de",
    "Des scientifiques vous font explorer",
    "Manipulations, démonstrations et questions autour de",
    "Un moment d'échange pour comprendre",
];

pub fn audience_phrase(d: &ActivityData) -> String {
    if !d.levels.is_empty() {
        let levels: Vec<&str> = d
            .levels
            .iter()
            .map(|l| l.label(maillage_domain::Locale::Fr))
            .collect();
        return format!("Pour les classes ({}).", levels.join(", ").to_lowercase());
    }
    match d.audiences.first() {
        Some(Audience::Families) => "En famille, dès 6 ans.".into(),
        Some(Audience::Young) => format!(
            "Pour les jeunes à partir de {} ans.",
            d.min_age.unwrap_or(8)
        ),
        Some(Audience::Professionals) => "Pour les professionnels et les enseignants.".into(),
        _ => "Tout public.".into(),
    }
}

pub fn summary(subject: &str, d: &ActivityData, rng: &mut Rng) -> String {
    let mut s = format!(
        "{} {subject}. {}",
        rng.pick(SUMMARY_OPENINGS),
        audience_phrase(d)
    );
    s.push_str(if d.free { " Gratuit" } else { " Payant" });
    s.push_str(match d.registration {
        Some(RegistrationMode::Booking) => ", sur réservation.",
        Some(RegistrationMode::External) => ", inscription obligatoire.",
        _ => ", entrée libre.",
    });
    if d.access.wheelchair {
        s.push_str(" Accessible en fauteuil roulant.");
    }
    if d.access.hearing_loop {
        s.push_str(" Boucle magnétique.");
    }
    s
}

pub const VENUE_KINDS: &[&str] = &[
    "Médiathèque",
    "Salle des fêtes",
    "Maison des associations",
    "Centre culturel",
    "Bibliothèque municipale",
    "Salle polyvalente",
    "Musée d'histoire naturelle",
    "Fab Lab",
    "Collège Jean Moulin",
    "Lycée Marie Curie",
    "Université, amphithéâtre",
    "Planétarium",
    "Maison de la nature",
    "Espace jeunesse",
];

pub const STREETS: &[&str] = &[
    "rue Pasteur",
    "avenue Victor Hugo",
    "place de la République",
    "rue Jean Jaurès",
    "boulevard Gambetta",
    "rue de la Mairie",
    "chemin des Écoliers",
    "allée des Sciences",
    "rue du Général de Gaulle",
    "place du Marché",
];

pub const ORG_KINDS: &[(OrgKind, &str)] = &[
    (OrgKind::Association, "Association Science et Curiosité"),
    (OrgKind::Library, "Médiathèque"),
    (OrgKind::Museum, "Muséum"),
    (OrgKind::University, "Université"),
    (OrgKind::Research, "Laboratoire de recherche"),
    (OrgKind::LocalAuthority, "Mairie"),
    (OrgKind::School, "Collège"),
    (OrgKind::Association, "Club d'astronomie"),
    (OrgKind::Association, "Les Petits Débrouillards"),
];

pub const FIRST_NAMES: &[&str] = &[
    "Camille", "Léa", "Hugo", "Chloé", "Nicolas", "Inès", "Thomas", "Sarah", "Julien", "Manon",
    "Karim", "Élodie", "Mathieu", "Nadia", "Antoine", "Aurélie", "Yann", "Sophie", "Mehdi",
    "Hélène",
];

pub const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Fontaine",
    "Rousseau",
    "Benali",
    "Nguyen",
    "Mercier",
    "Blanc",
    "Guérin",
    "Faure",
    "Chevalier",
    "Lemoine",
    "Perrin",
    "Morel",
    "Garnier",
    "Roux",
];
