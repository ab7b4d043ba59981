//! Vocabulary and identifiers of the directory: organisation types, themes,
//! people's roles, gender (for parity statistics only), kinds of spaces,
//! SIRET and UAI numbers, phone numbers and web addresses.

use crate::field::{FieldError, single_line};

vocabulary! {
    /// What an organisation is.
    OrgKind {
        Association = "association", "Association", "Non-profit association";
        University = "university", "Université, école supérieure", "University, higher education";
        Research = "research", "Laboratoire, organisme de recherche", "Laboratory, research body";
        Library = "library", "Médiathèque, bibliothèque", "Media library, library";
        Company = "company", "Entreprise", "Company";
        LocalAuthority = "local_authority", "Collectivité", "Local authority";
        School = "school", "Établissement scolaire", "School";
        Museum = "museum", "Musée, centre de sciences", "Museum, science centre";
        Media = "media", "Média", "Media";
        Other = "other", "Autre", "Other";
    }
}

vocabulary! {
    /// Science themes, shared by organisations and (later) activities.
    Theme {
        Astronomy = "astronomy", "Astronomie, espace", "Astronomy, space";
        Earth = "earth", "Sciences de la Terre", "Earth sciences";
        Environment = "environment", "Environnement, climat, biodiversité", "Environment, climate, biodiversity";
        Life = "life", "Sciences du vivant", "Life sciences";
        Health = "health", "Santé, médecine", "Health, medicine";
        Physics = "physics", "Physique", "Physics";
        Chemistry = "chemistry", "Chimie", "Chemistry";
        Mathematics = "mathematics", "Mathématiques", "Mathematics";
        Digital = "digital", "Numérique, informatique", "Digital, computing";
        Engineering = "engineering", "Technologies, ingénierie", "Technology, engineering";
        Energy = "energy", "Énergie", "Energy";
        Humanities = "humanities", "Sciences humaines et sociales", "Humanities and social sciences";
        History = "history", "Histoire des sciences, patrimoine", "History of science, heritage";
        Making = "making", "Fabrication, DIY, Fab Lab", "Making, DIY, Fab Lab";
        Media = "media_literacy", "Éducation aux médias", "Media literacy";
        ArtScience = "art_science", "Art et science", "Art and science";
    }
}

vocabulary! {
    /// What a person is in the network (a person can have several roles).
    PersonRole {
        PartnerContact = "partner_contact", "Contact partenaire", "Partner contact";
        Researcher = "researcher", "Chercheur·se", "Researcher";
        DoctoralStudent = "doctoral_student", "Doctorant·e", "Doctoral student";
        Speaker = "speaker", "Expert·e, intervenant·e", "Expert, speaker";
        Journalist = "journalist", "Journaliste", "Journalist";
        Teacher = "teacher", "Enseignant·e", "Teacher";
        Volunteer = "volunteer", "Bénévole", "Volunteer";
        Staff = "staff", "Équipe", "Staff";
    }
}

vocabulary! {
    /// Gender, optional, collected only for parity statistics.
    Gender {
        Female = "female", "Femme", "Woman";
        Male = "male", "Homme", "Man";
        NonBinary = "non_binary", "Non binaire", "Non-binary";
    }
}

vocabulary! {
    /// Kinds of spaces inside a venue.
    SpaceKind {
        Planetarium = "planetarium", "Planétarium", "Planetarium";
        ImmersiveRoom = "immersive_room", "Salle immersive", "Immersive room";
        ExhibitionFloor = "exhibition_floor", "Plateau d'exposition", "Exhibition floor";
        FabLab = "fab_lab", "Fab Lab", "Fab Lab";
        MediaLab = "media_lab", "Media Lab", "Media Lab";
        Auditorium = "auditorium", "Auditorium, amphithéâtre", "Auditorium, lecture hall";
        MeetingRoom = "meeting_room", "Salle de réunion", "Meeting room";
        Workshop = "workshop", "Salle d'atelier", "Workshop room";
        Classroom = "classroom", "Salle de classe", "Classroom";
        Library = "library", "Espace de médiathèque", "Library space";
        Belvedere = "belvedere", "Belvédère", "Belvedere";
        Outdoor = "outdoor", "Extérieur", "Outdoor";
        Other = "other", "Autre", "Other";
    }
}

fn digits(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect()
}

/// A SIRET number: 14 digits with a valid Luhn checksum (La Poste's
/// establishments use their own rule: digit sum divisible by 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siret(String);

impl Siret {
    pub fn parse(input: &str) -> Result<Siret, FieldError> {
        let s = digits(input);
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::InvalidIdentifier);
        }
        let ds: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        let ok = if s.starts_with("356000000") && s != "35600000000048" {
            ds.iter().sum::<u32>().is_multiple_of(5)
        } else {
            luhn(&ds)
        };
        if ok {
            Ok(Siret(s))
        } else {
            Err(FieldError::InvalidIdentifier)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn(ds: &[u32]) -> bool {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A school's UAI (formerly RNE): 7 digits and a check letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uai(String);

impl Uai {
    pub fn parse(input: &str) -> Result<Uai, FieldError> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let bytes = s.as_bytes();
        if bytes.len() != 8 || !bytes[..7].iter().all(u8::is_ascii_digit) {
            return Err(FieldError::InvalidIdentifier);
        }
        // Département prefixes 2A/2B are written 620/720 in the numeric part;
        // the check letter is the rest of the number modulo 23.
        let number: u64 = s[..7].parse().map_err(|_| FieldError::InvalidIdentifier)?;
        const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
        let expected = LETTERS[usize::try_from(number % 23).unwrap_or(0)];
        if bytes[7] == expected {
            Ok(Uai(s))
        } else {
            Err(FieldError::InvalidIdentifier)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write it: digits, spaces, dots, dashes,
/// parentheses and a leading `+`; 6 to 20 digits. Kept as typed, trimmed.
pub fn phone(input: &str) -> Result<String, FieldError> {
    let s = single_line(input, 1, 40)?;
    let count = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(6..=20).contains(&count) {
        return Err(FieldError::InvalidPhone);
    }
    Ok(s)
}

/// A web address: `http(s)://host…`; `www.example.org` gets `https://`.
pub fn website(input: &str) -> Result<String, FieldError> {
    let s = single_line(input, 1, 500)?;
    let with_scheme = if s.starts_with("http://") || s.starts_with("https://") {
        s
    } else if s.contains("://") {
        return Err(FieldError::InvalidUrl);
    } else {
        format!("https://{s}")
    };
    let rest = with_scheme.split_once("://").map(|(_, r)| r).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && !with_scheme.chars().any(char::is_whitespace);
    if ok {
        Ok(with_scheme)
    } else {
        Err(FieldError::InvalidUrl)
    }
}

/// A French postcode: 5 digits.
pub fn postcode(input: &str) -> Result<String, FieldError> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s)
    } else {
        Err(FieldError::InvalidPostcode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;

    #[test]
    fn vocabularies_parse_codes_and_labels() {
        assert_eq!(OrgKind::parse("association"), Ok(OrgKind::Association));
        assert_eq!(
            OrgKind::parse("Médiathèque, bibliothèque"),
            Ok(OrgKind::Library)
        );
        assert_eq!(
            OrgKind::parse("LOCAL_AUTHORITY"),
            Ok(OrgKind::LocalAuthority)
        );
        assert_eq!(
            OrgKind::parse("Museum, science centre"),
            Ok(OrgKind::Museum)
        );
        assert_eq!(OrgKind::parse("banque"), Err(FieldError::InvalidChoice));
        assert_eq!(OrgKind::parse(" "), Err(FieldError::Required));
        assert_eq!(Theme::parse("astronomie, espace"), Ok(Theme::Astronomy));
        assert_eq!(
            PersonRole::parse("doctorant·e"),
            Ok(PersonRole::DoctoralStudent)
        );
        assert_eq!(Gender::parse("femme"), Ok(Gender::Female));
        assert_eq!(SpaceKind::parse("Planétarium"), Ok(SpaceKind::Planetarium));
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()), Ok(*k));
            assert_eq!(OrgKind::parse(k.label(Locale::En)), Ok(*k));
        }
    }

    #[test]
    fn siret_checksum() {
        // Real, valid SIRET numbers (public establishments).
        assert!(Siret::parse("130 026 123 00013").is_ok());
        assert!(Siret::parse("73282932000074").is_ok());
        assert!(Siret::parse("35600000000048").is_ok());
        assert_eq!(
            Siret::parse("73282932000075"),
            Err(FieldError::InvalidIdentifier)
        );
        assert_eq!(Siret::parse("1234"), Err(FieldError::InvalidIdentifier));
        assert_eq!(
            Siret::parse("7328293200007A"),
            Err(FieldError::InvalidIdentifier)
        );
        assert_eq!(Siret::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn uai_check_letter() {
        // The letter must be the number modulo 23 in the UAI alphabet.
        for ok in ["0381656T", "0380089A"] {
            let n: u64 = ok[..7].parse().unwrap();
            let letter = b"ABCDEFGHJKLMNPRSTUVWXYZ"[usize::try_from(n % 23).unwrap()] as char;
            assert_eq!(Uai::parse(ok).is_ok(), ok.ends_with(letter), "{ok}");
        }
        let n: u64 = 381656;
        let letter = b"ABCDEFGHJKLMNPRSTUVWXYZ"[usize::try_from(n % 23).unwrap()] as char;
        assert!(Uai::parse(&format!("0381656{letter}")).is_ok());
        assert!(Uai::parse(&format!("0381656{letter}").to_lowercase()).is_ok());
        assert_eq!(Uai::parse("038165"), Err(FieldError::InvalidIdentifier));
    }

    #[test]
    fn phones_websites_postcodes() {
        assert_eq!(phone(" 04 76 44 88 80 "), Ok("04 76 44 88 80".into()));
        assert!(phone("+33 (0)4.76.44.88.80").is_ok());
        assert_eq!(phone("call me"), Err(FieldError::InvalidPhone));
        assert_eq!(phone("12"), Err(FieldError::InvalidPhone));
        assert_eq!(
            website("www.lacasemate.fr"),
            Ok("https://www.lacasemate.fr".into())
        );
        assert_eq!(
            website("http://example.org/a?b"),
            Ok("http://example.org/a?b".into())
        );
        assert_eq!(website("javascript:alert(1)"), Err(FieldError::InvalidUrl));
        assert_eq!(website("ftp://example.org"), Err(FieldError::InvalidUrl));
        assert_eq!(website("not a url"), Err(FieldError::InvalidUrl));
        assert_eq!(postcode("38 800"), Ok("38800".into()));
        assert_eq!(postcode("3880"), Err(FieldError::InvalidPostcode));
    }
}
