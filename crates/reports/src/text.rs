//! The words of a bilan in French and English (one catalogue for the HTML
//! page, the PDF and the workbook), and numbers written the way each
//! language writes them.

use maillage_domain::Locale;

/// Every label a bilan shows.
pub struct Labels {
    pub bilan: &'static str,
    pub key_figures: &'static str,
    pub indicator: &'static str,
    pub this_edition: &'static str,
    pub previous_edition: &'static str,
    pub change: &'static str,
    pub activities: &'static str,
    pub sessions: &'static str,
    pub communes_reached: &'static str,
    pub population_reached: &'static str,
    pub partners: &'static str,
    pub speakers: &'static str,
    pub attendance: &'static str,
    pub pupils: &'static str,
    pub adults: &'static str,
    pub public: &'static str,
    pub no_shows: &'static str,
    pub walk_ins: &'static str,
    pub checked_in: &'static str,
    pub by_format: &'static str,
    pub format: &'static str,
    pub no_format: &'static str,
    pub by_audience: &'static str,
    pub audience: &'static str,
    pub by_theme: &'static str,
    pub theme: &'static str,
    pub partners_by_kind: &'static str,
    pub organisation_type: &'static str,
    pub organisations: &'static str,
    pub gender_balance: &'static str,
    pub gender: &'static str,
    pub gender_unknown: &'static str,
    pub share: &'static str,
    pub bookings: &'static str,
    pub bookable_sessions: &'static str,
    pub capacity: &'static str,
    pub booked: &'static str,
    pub fill_rate: &'static str,
    pub full_sessions: &'static str,
    pub pending: &'static str,
    pub waitlisted: &'static str,
    pub sessions_with_waitlist: &'static str,
    pub coverage: &'static str,
    pub coverage_of: &'static str,
    pub commune: &'static str,
    pub insee: &'static str,
    pub epci: &'static str,
    pub population: &'static str,
    pub communes: &'static str,
    pub communes_total: &'static str,
    pub never_reached: &'static str,
    pub epci_coverage: &'static str,
    pub epci_reached: &'static str,
    pub gained: &'static str,
    pub lost: &'static str,
    pub gained_lost: &'static str,
    pub outside: &'static str,
    pub map: &'static str,
    pub map_alt: &'static str,
    pub map_reached: &'static str,
    pub map_not_reached: &'static str,
    /// The legend of the EPCI boundaries drawn on the map (approximated
    /// from the communes' positions).
    pub map_epci_boundary: &'static str,
    /// Where the département's outline comes from.
    pub map_source: &'static str,
    /// What the team writes in a section, and its highlights.
    pub commentary: &'static str,
    pub highlights: &'static str,
    pub section: &'static str,
    pub no_previous: &'static str,
    pub none: &'static str,
    pub chart_formats: &'static str,
    pub chart_attendance: &'static str,
    pub chart_audiences: &'static str,
    pub questionnaire: &'static str,
    pub responses: &'static str,
    pub question: &'static str,
    pub answered: &'static str,
    pub results: &'static str,
    pub mean: &'static str,
    pub median: &'static str,
    pub comments: &'static str,
    /// The answers of a yes/no question.
    pub yes: &'static str,
    pub no: &'static str,
}

pub const FR: Labels = Labels {
    bilan: "Bilan",
    key_figures: "Chiffres clés",
    indicator: "Indicateur",
    this_edition: "Cette édition",
    previous_edition: "Édition précédente",
    change: "Évolution",
    activities: "Activités",
    sessions: "Séances",
    communes_reached: "Communes touchées",
    population_reached: "Population des communes touchées",
    partners: "Structures partenaires",
    speakers: "Intervenant·es",
    attendance: "Fréquentation",
    pupils: "Élèves",
    adults: "Adultes accompagnateurs",
    public: "Grand public",
    no_shows: "Réservations sans personne présente",
    walk_ins: "Entrées sans réservation (relevés)",
    checked_in: "Réservations pointées",
    by_format: "Activités et séances par format",
    format: "Format",
    no_format: "Format non renseigné",
    by_audience: "Activités par public",
    audience: "Public",
    by_theme: "Activités par thème",
    theme: "Thème",
    partners_by_kind: "Structures par type",
    organisation_type: "Type de structure",
    organisations: "Structures",
    gender_balance: "Parité des intervenant·es",
    gender: "Genre",
    gender_unknown: "Non renseigné",
    share: "Part",
    bookings: "Réservations",
    bookable_sessions: "Séances sur réservation",
    capacity: "Places offertes (séances à jauge)",
    booked: "Personnes inscrites",
    fill_rate: "Taux de remplissage",
    full_sessions: "Séances complètes",
    pending: "Inscriptions en attente de validation",
    waitlisted: "Personnes en liste d'attente",
    sessions_with_waitlist: "Séances avec liste d'attente",
    coverage: "Maillage du territoire",
    coverage_of: "Couverture du département",
    commune: "Commune",
    insee: "Code INSEE",
    epci: "EPCI",
    population: "Population",
    communes: "Communes",
    communes_total: "Communes du département",
    never_reached: "Non touchées par cette édition",
    epci_coverage: "Couverture par EPCI",
    epci_reached: "Communes touchées",
    gained: "Gagnée",
    lost: "Perdue",
    gained_lost: "Communes gagnées et perdues depuis l'édition précédente",
    outside: "Communes touchées hors du département",
    map: "Carte des communes",
    map_alt: "Carte des communes du département dans son contour, avec les limites approchées des intercommunalités : les communes touchées en couleur, les autres en gris, les noms des principales communes.",
    map_reached: "Commune touchée",
    map_not_reached: "Commune non touchée",
    map_epci_boundary: "Limite d'intercommunalité (approchée)",
    commentary: "Commentaire",
    highlights: "Temps forts",
    section: "Partie du bilan",
    map_source: "contour : IGN, GEOFLA, Licence Ouverte ; limites intercommunales approchées d'après la position des communes",
    no_previous: "Pas d'édition précédente",
    none: "Aucune",
    chart_formats: "Activités par format",
    chart_attendance: "Fréquentation par public",
    chart_audiences: "Activités par public",
    questionnaire: "Questionnaire",
    responses: "réponses",
    question: "Question",
    answered: "Réponses",
    results: "Résultats",
    mean: "moyenne",
    median: "médiane",
    comments: "commentaires",
    yes: "oui",
    no: "non",
};

pub const EN: Labels = Labels {
    bilan: "Report",
    key_figures: "Key figures",
    indicator: "Indicator",
    this_edition: "This edition",
    previous_edition: "Previous edition",
    change: "Change",
    activities: "Activities",
    sessions: "Sessions",
    communes_reached: "Communes reached",
    population_reached: "Population of the communes reached",
    partners: "Partner organisations",
    speakers: "Speakers",
    attendance: "Attendance",
    pupils: "Pupils",
    adults: "Accompanying adults",
    public: "General public",
    no_shows: "Bookings where nobody came",
    walk_ins: "Walk-ins (records)",
    checked_in: "Bookings checked in",
    by_format: "Activities and sessions by format",
    format: "Format",
    no_format: "No format given",
    by_audience: "Activities by audience",
    audience: "Audience",
    by_theme: "Activities by theme",
    theme: "Theme",
    partners_by_kind: "Organisations by type",
    organisation_type: "Type of organisation",
    organisations: "Organisations",
    gender_balance: "Speakers' gender balance",
    gender: "Gender",
    gender_unknown: "Not given",
    share: "Share",
    bookings: "Bookings",
    bookable_sessions: "Sessions taking bookings",
    capacity: "Places offered (sessions with a capacity)",
    booked: "Persons booked",
    fill_rate: "Fill rate",
    full_sessions: "Full sessions",
    pending: "Bookings awaiting approval",
    waitlisted: "Persons on waiting lists",
    sessions_with_waitlist: "Sessions with a waiting list",
    coverage: "Coverage of the territory",
    coverage_of: "Coverage of the département",
    commune: "Commune",
    insee: "INSEE code",
    epci: "EPCI",
    population: "Population",
    communes: "Communes",
    communes_total: "Communes of the département",
    never_reached: "Not reached this edition",
    epci_coverage: "Coverage by EPCI",
    epci_reached: "Communes reached",
    gained: "Gained",
    lost: "Lost",
    gained_lost: "Communes gained and lost since the previous edition",
    outside: "Communes reached outside the département",
    map: "Map of the communes",
    map_alt: "Map of the communes within the outline of the département, with the approximate boundaries of the intercommunalities: communes reached in colour, the others in grey, the names of the main communes.",
    map_reached: "Commune reached",
    map_not_reached: "Commune not reached",
    map_epci_boundary: "Intercommunal boundary (approximate)",
    commentary: "Commentary",
    highlights: "Highlights",
    section: "Section of the report",
    map_source: "outline: IGN, GEOFLA, Open Licence; intercommunal boundaries approximated from the communes' positions",
    no_previous: "No previous edition",
    none: "None",
    chart_formats: "Activities by format",
    chart_attendance: "Attendance by kind of public",
    chart_audiences: "Activities by audience",
    questionnaire: "Questionnaire",
    responses: "responses",
    question: "Question",
    answered: "Answers",
    results: "Results",
    mean: "mean",
    median: "median",
    comments: "comments",
    yes: "yes",
    no: "no",
};

pub fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// An integer with thousands separated: "12 345" (narrow no-break space)
/// in French, "12,345" in English.
pub fn int(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match locale {
        Locale::Fr => '\u{202F}',
        Locale::En => ',',
    };
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// A share (0 to 1) as a percentage with one decimal: "45,2 %" / "45.2%".
pub fn percent(locale: Locale, share: f64) -> String {
    let v = locale.decimal(share * 100.0, 1);
    match locale {
        Locale::Fr => format!("{v}\u{202F}%"),
        Locale::En => format!("{v}%"),
    }
}

/// The change from `before` to `now`: "+12", "−3", "=" and the relative
/// change when `before` is not zero ("+12 (+8,5 %)").
pub fn change(locale: Locale, now: i64, before: i64) -> String {
    let diff = now - before;
    let abs = match diff.cmp(&0) {
        std::cmp::Ordering::Greater => format!("+{}", int(locale, diff)),
        std::cmp::Ordering::Less => format!("\u{2212}{}", int(locale, -diff)),
        std::cmp::Ordering::Equal => return "=".into(),
    };
    if before == 0 {
        return abs;
    }
    let rel = diff as f64 / before as f64;
    let pct = percent(locale, rel.abs());
    let sign = if rel >= 0.0 { "+" } else { "\u{2212}" };
    format!("{abs} ({sign}{pct})")
}

/// A date in words: "3 décembre 2026", "1er octobre 2026" / "3 December
/// 2026".
pub fn date(locale: Locale, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = locale.month_name(d.month0());
    match locale {
        Locale::Fr if d.day() == 1 => format!("1er {month} {}", d.year()),
        _ => format!("{} {month} {}", d.day(), d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(int(Locale::Fr, 1234567), "1\u{202F}234\u{202F}567");
        assert_eq!(int(Locale::En, 1234567), "1,234,567");
        assert_eq!(int(Locale::Fr, -999), "-999");
        assert_eq!(int(Locale::Fr, 1000), "1\u{202F}000");
        assert_eq!(percent(Locale::Fr, 0.4523), "45,2\u{202F}%");
        assert_eq!(percent(Locale::En, 0.4523), "45.2%");
        assert_eq!(Locale::Fr.decimal(4.25, 2), "4,25");
        assert_eq!(Locale::En.decimal(8.0, 1), "8.0");
        assert_eq!(change(Locale::En, 110, 100), "+10 (+10.0%)");
        assert_eq!(change(Locale::En, 90, 100), "\u{2212}10 (\u{2212}10.0%)");
        assert_eq!(change(Locale::En, 5, 0), "+5");
        assert_eq!(change(Locale::Fr, 5, 5), "=");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 3).unwrap();
        assert_eq!(date(Locale::Fr, d), "3 octobre 2026");
        assert_eq!(date(Locale::En, d), "3 October 2026");
    }
}
