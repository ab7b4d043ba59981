use super::tally::{CrossTab, Tally};
use super::*;
use crate::field::FieldError;

fn opt(key: &str, label: &str) -> Choice {
    Choice {
        key: key.into(),
        label: label.into(),
    }
}

fn field(key: &str, kind: Kind) -> Item {
    Item::Field(Field {
        key: key.into(),
        label: format!("Question {key}"),
        help: None,
        required: false,
        condition: None,
        kind,
    })
}

fn required(item: Item) -> Item {
    match item {
        Item::Field(mut f) => {
            f.required = true;
            Item::Field(f)
        }
        other => other,
    }
}

fn when(item: Item, on: &str, value: &str) -> Item {
    match item {
        Item::Field(mut f) => {
            f.condition = Some(Condition {
                field: on.into(),
                value: value.into(),
            });
            Item::Field(f)
        }
        other => other,
    }
}

fn section(title: &str) -> Item {
    Item::Section {
        title: title.into(),
        help: None,
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An application form: three pages, a condition on a yes/no.
fn application() -> Schema {
    Schema {
        items: vec![
            required(field("name", Kind::ShortText)),
            required(field("email", Kind::Email)),
            field("phone", Kind::Phone),
            section("Vous"),
            Item::HelpText {
                text: "Dites-nous en plus.".into(),
            },
            required(field("student", Kind::YesNo)),
            required(when(field("school", Kind::ShortText), "student", "yes")),
            field(
                "age",
                Kind::Number {
                    min: Some(16),
                    max: Some(99),
                    integer: true,
                },
            ),
            field(
                "skills",
                Kind::MultipleChoice {
                    options: vec![opt("code", "Code"), opt("art", "Art"), opt("sound", "Son")],
                    min: None,
                    max: Some(2),
                },
            ),
            when(field("sound_kit", Kind::LongText), "skills", "sound"),
            section("Pièces"),
            field(
                "cv",
                Kind::File {
                    types: vec![FileKind::Pdf],
                    max_bytes: 2_000_000,
                },
            ),
            field("start", Kind::Date),
        ],
    }
}

#[test]
fn a_valid_schema_passes_and_round_trips_as_json() {
    let s = application();
    assert_eq!(s.validate(), Ok(()));
    let json = s.to_json();
    assert_eq!(Schema::from_json(&json).unwrap(), s);
    assert!(json.contains(r#""type":"yes_no""#), "{json}");
}

#[test]
fn schema_errors_are_keyed_by_item() {
    let s = Schema {
        items: vec![
            field("a", Kind::ShortText),
            field("a", Kind::ShortText),
            field("Bad Key", Kind::ShortText),
            field("empty", Kind::SingleChoice { options: vec![] }),
            field(
                "dup",
                Kind::Dropdown {
                    options: vec![opt("x", "X"), opt("x", "Y")],
                },
            ),
            field(
                "n",
                Kind::Number {
                    min: Some(5),
                    max: Some(1),
                    integer: false,
                },
            ),
            field(
                "s",
                Kind::Scale {
                    min: 5,
                    max: 5,
                    min_label: None,
                    max_label: None,
                },
            ),
            // On a text field, on a later field, on an unknown value.
            when(field("c1", Kind::ShortText), "a", "x"),
            when(field("c2", Kind::ShortText), "later", "yes"),
            field("yn", Kind::YesNo),
            when(field("c3", Kind::ShortText), "yn", "maybe"),
            when(field("c4", Kind::ShortText), "yn", "no"),
            field("later", Kind::YesNo),
            field(
                "f",
                Kind::File {
                    types: vec![],
                    max_bytes: MAX_FILE_BYTES + 1,
                },
            ),
            field(
                "m",
                Kind::MultipleChoice {
                    options: vec![opt("x", "X")],
                    min: Some(2),
                    max: Some(1),
                },
            ),
        ],
    };
    let e = s.validate().unwrap_err();
    assert_eq!(e.get("items.1.key"), Some(&FieldError::AlreadyTaken));
    assert_eq!(e.get("items.2.key"), Some(&FieldError::InvalidSlug));
    assert_eq!(e.get("items.3.options"), Some(&FieldError::Required));
    assert_eq!(
        e.get("items.4.options.1.key"),
        Some(&FieldError::AlreadyTaken)
    );
    assert_eq!(e.get("items.5.max"), Some(&FieldError::MinAboveMax));
    assert_eq!(e.get("items.6.max"), Some(&FieldError::MinAboveMax));
    assert_eq!(
        e.get("items.7.condition"),
        Some(&FieldError::InvalidCondition)
    );
    assert_eq!(
        e.get("items.8.condition"),
        Some(&FieldError::InvalidCondition)
    );
    assert_eq!(
        e.get("items.10.condition"),
        Some(&FieldError::InvalidCondition)
    );
    assert_eq!(e.get("items.11.condition"), None);
    assert_eq!(e.get("items.13.types"), Some(&FieldError::Required));
    assert_eq!(
        e.get("items.13.max_bytes"),
        Some(&FieldError::FileTooLarge {
            max: MAX_FILE_BYTES
        })
    );
    assert_eq!(e.get("items.14.max"), Some(&FieldError::MinAboveMax));
    assert_eq!(
        e.get("items.14.min"),
        Some(&FieldError::TooLarge { max: 1 })
    );
}

#[test]
fn pages_split_at_section_headings() {
    let s = application();
    let pages = s.pages();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].title, None);
    assert_eq!(pages[0].items.len(), 3);
    assert_eq!(pages[1].title, Some("Vous"));
    assert_eq!(pages[1].items.len(), 7);
    assert_eq!(pages[2].title, Some("Pièces"));
    // A form starting with a heading has no empty first page.
    let s = Schema {
        items: vec![section("Un"), field("a", Kind::ShortText), section("Deux")],
    };
    let pages = s.pages();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].title, Some("Un"));
    assert_eq!(Schema::default().pages().len(), 1);
}

#[test]
fn answers_are_typed_and_trimmed() {
    let s = application();
    let a = s
        .parse_answers(
            &pairs(&[
                ("name", "  Ada Lovelace "),
                ("email", " Ada@Example.ORG"),
                ("phone", "04 76 44 88 80"),
                ("student", "yes"),
                ("school", " UGA "),
                ("age", "19"),
                ("skills", "sound"),
                ("skills", "code"),
                ("sound_kit", "Un micro\r\net un casque"),
                ("cv", "12:cv.pdf"),
                ("start", "2027-01-04"),
                ("unknown", "ignored"),
            ]),
            None,
        )
        .unwrap();
    assert_eq!(a.get("name"), Some(&Answer::Text("Ada Lovelace".into())));
    assert_eq!(
        a.get("email"),
        Some(&Answer::Text("ada@example.org".into()))
    );
    assert_eq!(a.get("student"), Some(&Answer::Bool(true)));
    assert_eq!(a.get("school"), Some(&Answer::Text("UGA".into())));
    assert_eq!(a.get("age"), Some(&Answer::Number(19.0)));
    // In the form's order, whatever the order submitted.
    assert_eq!(
        a.get("skills"),
        Some(&Answer::Choices(vec!["code".into(), "sound".into()]))
    );
    assert_eq!(
        a.get("sound_kit"),
        Some(&Answer::Text("Un micro\net un casque".into()))
    );
    assert_eq!(
        a.get("cv"),
        Some(&Answer::File(FileRef {
            upload_id: 12,
            name: "cv.pdf".into()
        }))
    );
    assert_eq!(
        a.get("start"),
        Some(&Answer::Date(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()))
    );
    assert!(a.get("unknown").is_none());
    assert_eq!(a.uploads(), vec![12]);
    assert_eq!(Answers::from_json(&a.to_json()).unwrap(), a);
}

#[test]
fn invalid_values_get_their_codes() {
    let s = application();
    let e = s
        .parse_answers(
            &pairs(&[
                ("name", "Ada"),
                ("email", "ada@"),
                ("phone", "call me"),
                ("student", "perhaps"),
                ("age", "18,5"),
                ("skills", "code"),
                ("skills", "art"),
                ("skills", "sound"),
                ("start", "31/02/2027"),
            ]),
            None,
        )
        .unwrap_err();
    assert_eq!(e.get("email"), Some(&FieldError::InvalidEmail));
    assert_eq!(e.get("phone"), Some(&FieldError::InvalidPhone));
    assert_eq!(e.get("student"), Some(&FieldError::InvalidChoice));
    assert_eq!(e.get("age"), Some(&FieldError::NotWhole));
    assert_eq!(
        e.get("skills"),
        Some(&FieldError::TooManyChoices { max: 2 })
    );
    assert_eq!(e.get("start"), Some(&FieldError::InvalidDate));
    let e = s
        .parse_answers(&pairs(&[("age", "12"), ("skills", "dance")]), None)
        .unwrap_err();
    assert_eq!(
        e.get("age"),
        Some(&FieldError::OutOfRange { min: 16, max: 99 })
    );
    assert_eq!(e.get("skills"), Some(&FieldError::InvalidChoice));
    assert_eq!(e.get("name"), Some(&FieldError::Required));
}

#[test]
fn required_applies_to_visible_fields_and_hidden_answers_are_dropped() {
    let s = application();
    let base = [("name", "Ada"), ("email", "ada@example.org")];
    // Not a student: the school is hidden, so neither required nor kept.
    let mut p = base.to_vec();
    p.extend([("student", "no"), ("school", "UGA"), ("sound_kit", "micro")]);
    let a = s.parse_answers(&pairs(&p), None).unwrap();
    assert!(a.get("school").is_none());
    assert!(a.get("sound_kit").is_none());
    // A student must name the school.
    let mut p = base.to_vec();
    p.push(("student", "oui"));
    let e = s.parse_answers(&pairs(&p), None).unwrap_err();
    assert_eq!(e.get("school"), Some(&FieldError::Required));
    assert_eq!(e.iter().count(), 1);
    // A hidden field's invalid value is no error either.
    let mut p = base.to_vec();
    p.extend([("student", "no"), ("school", "a\u{7}b")]);
    assert!(s.parse_answers(&pairs(&p), None).is_ok());
}

#[test]
fn one_page_at_a_time_and_drafts() {
    let s = application();
    // Page 0 needs name and e-mail only.
    let e = s.parse_answers(&[], Some(0)).unwrap_err();
    assert_eq!(e.get("name"), Some(&FieldError::Required));
    assert!(e.get("student").is_none());
    // Page 1: its own required fields, the condition read from the answers.
    let e = s
        .parse_answers(&pairs(&[("student", "yes")]), Some(1))
        .unwrap_err();
    assert_eq!(e.get("school"), Some(&FieldError::Required));
    assert!(e.get("name").is_none());
    assert!(
        s.parse_answers(&pairs(&[("student", "no")]), Some(1))
            .is_ok()
    );
    // A draft requires nothing but checks what is there.
    assert_eq!(s.parse_draft(&[]).unwrap(), Answers::default());
    let e = s.parse_draft(&pairs(&[("email", "nope")])).unwrap_err();
    assert_eq!(e.get("email"), Some(&FieldError::InvalidEmail));
}

#[test]
fn numbers_scales_and_nps() {
    let s = Schema {
        items: vec![
            field(
                "budget",
                Kind::Number {
                    min: Some(0),
                    max: None,
                    integer: false,
                },
            ),
            field(
                "most",
                Kind::Number {
                    min: None,
                    max: Some(10),
                    integer: false,
                },
            ),
            field(
                "scale",
                Kind::Scale {
                    min: 1,
                    max: 5,
                    min_label: Some("Pas du tout".into()),
                    max_label: Some("Tout à fait".into()),
                },
            ),
            field("nps", Kind::Nps),
        ],
    };
    let a = s
        .parse_answers(
            &pairs(&[("budget", "1 250,50"), ("scale", "4"), ("nps", "10")]),
            None,
        )
        .unwrap();
    assert_eq!(a.get("budget"), Some(&Answer::Number(1250.5)));
    let e = s
        .parse_answers(
            &pairs(&[
                ("budget", "-1"),
                ("most", "11"),
                ("scale", "6"),
                ("nps", "4.5"),
            ]),
            None,
        )
        .unwrap_err();
    assert_eq!(e.get("budget"), Some(&FieldError::TooSmall { min: 0 }));
    assert_eq!(e.get("most"), Some(&FieldError::TooLarge { max: 10 }));
    assert_eq!(
        e.get("scale"),
        Some(&FieldError::OutOfRange { min: 1, max: 5 })
    );
    assert_eq!(e.get("nps"), Some(&FieldError::InvalidChoice));
    assert_eq!(number("1e3"), Err(FieldError::InvalidNumber));
    assert_eq!(number("abc"), Err(FieldError::InvalidNumber));
}

#[test]
fn an_old_answer_reads_against_its_own_version() {
    let v1 = Schema {
        items: vec![field(
            "colour",
            Kind::SingleChoice {
                options: vec![opt("red", "Rouge"), opt("blue", "Bleu")],
            },
        )],
    };
    let a = v1
        .parse_answers(&pairs(&[("colour", "red")]), None)
        .unwrap();
    let read = v1.read(&a);
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].text, "Rouge");
    // Version 2 dropped the option: the answer no longer parses with it,
    // but still reads with version 1.
    let v2 = Schema {
        items: vec![field(
            "colour",
            Kind::SingleChoice {
                options: vec![opt("blue", "Bleu")],
            },
        )],
    };
    assert!(
        v2.parse_answers(&pairs(&[("colour", "red")]), None)
            .is_err()
    );
    assert_eq!(v1.read(&a)[0].field.kind.options().len(), 2);
}

fn questionnaire() -> Schema {
    Schema {
        items: vec![
            field(
                "came_for",
                Kind::SingleChoice {
                    options: vec![opt("family", "En famille"), opt("school", "Avec l'école")],
                },
            ),
            field("liked", Kind::YesNo),
            field(
                "rating",
                Kind::Scale {
                    min: 1,
                    max: 5,
                    min_label: None,
                    max_label: None,
                },
            ),
            field("nps", Kind::Nps),
            field(
                "spent",
                Kind::Number {
                    min: None,
                    max: None,
                    integer: false,
                },
            ),
            field(
                "topics",
                Kind::MultipleChoice {
                    options: vec![opt("space", "Espace"), opt("earth", "Terre")],
                    min: None,
                    max: None,
                },
            ),
            field("comment", Kind::LongText),
        ],
    }
}

#[test]
fn tally_counts_percentages_means_medians_and_nps() {
    let s = questionnaire();
    let mut t = Tally::new(&s);
    let rows: &[&[(&str, &str)]] = &[
        &[
            ("came_for", "family"),
            ("liked", "yes"),
            ("rating", "5"),
            ("nps", "10"),
            ("spent", "12.5"),
            ("topics", "space"),
            ("topics", "earth"),
            ("comment", "Super"),
        ],
        &[
            ("came_for", "family"),
            ("liked", "yes"),
            ("rating", "4"),
            ("nps", "9"),
            ("spent", "2"),
            ("topics", "space"),
        ],
        &[
            ("came_for", "school"),
            ("liked", "no"),
            ("rating", "1"),
            ("nps", "3"),
            ("spent", "100"),
        ],
        &[("rating", "2"), ("nps", "7"), ("comment", "Trop court")],
    ];
    for r in rows {
        t.add(&s.parse_answers(&pairs(r), None).unwrap());
    }
    assert_eq!(t.responses(), 4);
    let res = t.finish();
    let q = |k: &str| res.iter().find(|r| r.key == k).unwrap();
    let came = q("came_for");
    assert_eq!(came.answered, 3);
    assert_eq!(
        came.options
            .iter()
            .map(|o| (o.key.as_str(), o.count, o.percent))
            .collect::<Vec<_>>(),
        vec![("family", 2, 66.7), ("school", 1, 33.3)]
    );
    assert_eq!(q("liked").options[0].count, 2);
    assert_eq!(q("liked").options[1].count, 1);
    let rating = q("rating");
    assert_eq!(rating.answered, 4);
    assert_eq!(rating.mean, Some(3.0));
    assert_eq!(rating.median, Some(3.0));
    assert_eq!(rating.options.len(), 5);
    let nps = q("nps");
    // Promoters 2 of 4, detractors 1 of 4: 50 − 25.
    assert_eq!(nps.nps, Some(25.0));
    assert_eq!(nps.median, Some(8.0));
    assert_eq!(nps.options.len(), 11);
    let spent = q("spent");
    assert_eq!(spent.median, Some(12.5));
    assert!((spent.mean.unwrap() - 38.1666).abs() < 0.001);
    let topics = q("topics");
    assert_eq!(topics.answered, 2);
    assert_eq!(topics.options[0].percent, 100.0);
    assert_eq!(topics.options[1].percent, 50.0);
    let comment = q("comment");
    assert_eq!(comment.texts, vec!["Super", "Trop court"]);
    assert_eq!(comment.texts_total, 2);
    assert_eq!(comment.answered, 2);
}

#[test]
fn tally_across_versions_counts_by_key() {
    let v1 = questionnaire();
    // Version 2: "liked" removed, "came_for" gains an option and loses one.
    let mut v2 = questionnaire();
    v2.items.remove(1);
    if let Item::Field(f) = &mut v2.items[0] {
        f.label = "Vous êtes venu·e".into();
        f.kind = Kind::SingleChoice {
            options: vec![opt("family", "En famille"), opt("friends", "Entre amis")],
        };
    }
    let mut t = Tally::new(&v2);
    t.include_version(&v1);
    for _ in 0..3 {
        t.add(
            &v1.parse_answers(&pairs(&[("came_for", "school"), ("liked", "yes")]), None)
                .unwrap(),
        );
    }
    t.add(
        &v2.parse_answers(&pairs(&[("came_for", "friends")]), None)
            .unwrap(),
    );
    let res = t.finish();
    let came = &res[0];
    assert_eq!(came.label, "Vous êtes venu·e");
    assert_eq!(came.answered, 4);
    let counts: Vec<(&str, u64)> = came
        .options
        .iter()
        .map(|o| (o.key.as_str(), o.count))
        .collect();
    assert_eq!(counts, vec![("family", 0), ("friends", 1), ("school", 3)]);
    let liked = res.iter().find(|r| r.key == "liked").unwrap();
    assert!(!liked.current);
    assert_eq!(liked.label, "Question liked");
    assert_eq!(liked.answered, 3);
    assert!(res.iter().filter(|r| r.key != "liked").all(|r| r.current));
}

#[test]
fn cross_tabulation_of_two_questions() {
    let s = questionnaire();
    let mut x = CrossTab::new(&s, "came_for", "topics").unwrap();
    for r in [
        &[
            ("came_for", "family"),
            ("topics", "space"),
            ("topics", "earth"),
        ][..],
        &[("came_for", "family"), ("topics", "space")],
        &[("came_for", "school"), ("topics", "earth")],
        &[("topics", "earth")],
    ] {
        x.add(&s.parse_answers(&pairs(r), None).unwrap());
    }
    assert_eq!(x.counts, vec![vec![2, 1], vec![0, 1]]);
    assert!(CrossTab::new(&s, "came_for", "comment").is_none());
    assert!(CrossTab::new(&s, "came_for", "nope").is_none());
    let mut y = CrossTab::new(&s, "liked", "rating").unwrap();
    y.add(
        &s.parse_answers(&pairs(&[("liked", "no"), ("rating", "2")]), None)
            .unwrap(),
    );
    assert_eq!(y.counts[1][1], 1);
    assert_eq!(y.counts.iter().flatten().sum::<u64>(), 1);
}

#[test]
fn a_proposal_maps_onto_activity_fields() {
    use crate::programme::{Audience, Format};
    let s = Schema {
        items: vec![
            field("title", Kind::ShortText),
            field("summary", Kind::LongText),
            field(
                "format",
                Kind::Dropdown {
                    options: vec![opt("workshop", "Atelier"), opt("talk", "Conférence")],
                },
            ),
            field(
                "audience",
                Kind::MultipleChoice {
                    options: vec![opt("families", "Familles"), opt("school", "Scolaires")],
                    min: None,
                    max: None,
                },
            ),
            field(
                "min_age",
                Kind::Number {
                    min: Some(0),
                    max: Some(99),
                    integer: true,
                },
            ),
            field(
                "venue",
                Kind::Dropdown {
                    options: vec![opt("42", "Médiathèque")],
                },
            ),
        ],
    };
    let a = s
        .parse_answers(
            &pairs(&[
                ("title", "Fusées à eau"),
                ("summary", "On lance des fusées."),
                ("format", "workshop"),
                ("audience", "families"),
                ("audience", "school"),
                ("min_age", "8"),
                ("venue", "42"),
            ]),
            None,
        )
        .unwrap();
    let p = ActivityProposal::from_answers(&a);
    assert_eq!(p.title.as_deref(), Some("Fusées à eau"));
    assert_eq!(p.format, Some(Format::Workshop));
    assert_eq!(p.audiences, vec![Audience::Families, Audience::School]);
    assert_eq!(p.min_age, Some(8));
    assert_eq!(p.venue_id, Some(42));
    assert_eq!(
        ActivityProposal::from_answers(&Answers::default()),
        ActivityProposal::default()
    );
}

#[test]
fn times_are_read_as_people_type_them_and_stored_as_hh_mm() {
    let s = Schema {
        items: vec![field("at", Kind::Time)],
    };
    for (typed, stored) in [
        ("14:30", "14:30"),
        ("9h", "09:00"),
        ("9h15", "09:15"),
        ("8", "08:00"),
    ] {
        let a = s.parse_answers(&pairs(&[("at", typed)]), None).unwrap();
        assert_eq!(a.get("at"), Some(&Answer::Text(stored.into())), "{typed}");
    }
    for bad in ["25:00", "midi", "14:75"] {
        let e = s.parse_answers(&pairs(&[("at", bad)]), None).unwrap_err();
        assert_eq!(e.get("at"), Some(&FieldError::InvalidTime), "{bad}");
    }
}

#[test]
fn text_before_the_first_section_opens_the_first_page() {
    let s = Schema {
        items: vec![
            Item::HelpText {
                text: "Bienvenue".into(),
            },
            Item::Section {
                title: "Votre proposition".into(),
                help: None,
            },
            field("title", Kind::ShortText),
            Item::Section {
                title: "Séances".into(),
                help: None,
            },
            field("session1_date", Kind::Date),
        ],
    };
    let pages = s.pages();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].title, Some("Votre proposition"));
    assert_eq!(
        pages[0].items.len(),
        3,
        "the welcome text, the heading, the title"
    );
}

#[test]
fn a_proposal_carries_its_sessions_and_how_the_public_comes() {
    let mut a = Answers::default();
    let day = NaiveDate::from_ymd_opt(2025, 10, 10).unwrap();
    a.insert("session1_date", Answer::Date(day));
    a.insert("session1_start", Answer::Text("14:00".into()));
    a.insert("session1_end", Answer::Text("13:00".into()));
    a.insert("session1_commune", Answer::Text("Vif".into()));
    a.insert("session2_start", Answer::Text("10:00".into()));
    a.insert("registration", Answer::Choice("groups".into()));
    a.insert("capacity", Answer::Number(28.0));
    let p = ActivityProposal::from_answers(&a);
    assert_eq!(p.sessions.len(), 1, "a session needs its date");
    let s = &p.sessions[0];
    assert_eq!(s.start.to_string(), "14:00:00");
    assert_eq!(
        s.end.to_string(),
        "15:00:00",
        "an end before the start: an hour"
    );
    assert_eq!(s.commune.as_deref(), Some("Vif"));
    assert_eq!(
        p.registration,
        Some(crate::programme::RegistrationMode::Groups)
    );
    assert_eq!(p.capacity, Some(28));
    assert!(is_commune_key("session2_commune"));
    assert!(!is_commune_key("session9_commune"));
    assert!(!is_commune_key("commune"));
}
