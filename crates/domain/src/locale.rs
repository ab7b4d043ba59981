//! The two languages of Maillage: French first, English complete.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl_vocabulary!(Locale, as_str);

impl Locale {
    /// The name of a month (0 for January) as written inside a date:
    /// "décembre", "December".
    pub fn month_name(self, month0: u32) -> &'static str {
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (month0 as usize).min(11);
        match self {
            Locale::Fr => FR[i],
            Locale::En => EN[i],
        }
    }

    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// `x` with `digits` decimals and the language's decimal mark: "3,50"
    /// in French, "3.50" in English.
    pub fn decimal(self, x: f64, digits: usize) -> String {
        let s = format!("{x:.digits$}");
        match self {
            Locale::Fr => s.replace('.', ","),
            Locale::En => s,
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Locale {
        match self {
            Locale::Fr => Locale::En,
            Locale::En => Locale::Fr,
        }
    }

    /// Picks the preferred supported language of an `Accept-Language` header,
    /// honouring q-values; French when nothing matches.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::parse(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
                };
                if better {
                    best = Some((q, index, locale));
                }
            }
        }
        best.map(|(_, _, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_with_the_language_s_mark() {
        assert_eq!(Locale::Fr.decimal(3.5, 2), "3,50");
        assert_eq!(Locale::En.decimal(3.5, 2), "3.50");
        assert_eq!(Locale::Fr.decimal(-3.84, 1), "-3,8");
        assert_eq!(Locale::En.decimal(12.0, 0), "12");
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.5,en;q=0.4"),
            Locale::Fr
        );
        assert_eq!(Locale::from_accept_language("de, es"), Locale::Fr);
        assert_eq!(Locale::from_accept_language(""), Locale::Fr);
        assert_eq!(
            Locale::from_accept_language("fr;q=0.3, en;q=0.7"),
            Locale::En
        );
        assert_eq!(Locale::from_accept_language("en;q=0, fr;q=0.1"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("en;q=abc"), Locale::En);
    }
}
