//! The forms of the demo season, made through the storage functions:
//!
//! - the call for participation of the next Fête de la science (its
//!   project in preparation), open now and closing in a few weeks, with
//!   proposals from organisations of the directory: one accepted (it
//!   became a draft activity), one refused, two submitted or under review;
//! - a call for applications to an internship, with a CV and a cover
//!   letter (PDF) for each of three applications;
//! - the evaluation questionnaire of the past Fête de la science for the
//!   public, anonymous, with a few hundred responses spread over its days,
//!   about its activities and from its communes.
//!
//! Everything follows from index arithmetic (no random numbers) and from
//! the day of loading.

use super::directory::communes;
use super::programme::{festival_dates, paris, past_festival_year};
use crate::forms::questionnaires::{self, NewResponse};
use crate::forms::submissions::{self, Submitter};
use crate::forms::{self, FormData, calls, uploads};
use crate::organisations;
use crate::programme::activities;
use crate::programme::projects::{self, ProjectData};
use crate::venues;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::Locale;
use maillage_domain::directory::Theme;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{
    Answer, Answers, CallKind, Choice, Condition, Field, FileKind, FileRef, FormAudience, Item,
    Kind, Purpose, Schema,
};
use maillage_domain::programme::{Audience, Format, ProjectKind, ProjectStatus, SchoolLevel};
use sea_orm::{ConnectionTrait, DbErr};

/// What the forms part created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub calls: usize,
    pub submissions: usize,
    pub responses: usize,
}

/// Slug of the call for participation.
pub const PARTICIPATION_CALL: &str = "appel-fete-de-la-science";
/// Slug of the internship call.
pub const INTERNSHIP_CALL: &str = "stage-ingenierie-culturelle";

fn field(key: &str, label: &str, required: bool, kind: Kind) -> Item {
    Item::field(key, label, required, kind)
}

fn choices(list: &[(&str, &str)]) -> Vec<Choice> {
    vocabulary(list.iter().copied())
}

/// Choices of (key, label).
fn vocabulary<'a>(list: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Choice> {
    list.map(|(key, label)| Choice {
        key: key.into(),
        label: label.into(),
    })
    .collect()
}

fn day_plus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

/// A tiny valid PDF of one empty page.
fn pdf(title: &str) -> Vec<u8> {
    let body = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
         4 0 obj << /Title ({title}) >> endobj\n\
         trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    );
    body.into_bytes()
}

pub(super) async fn load(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Counts, DbErr> {
    let mut counts = Counts::default();
    let today = now.with_timezone(&Paris).date_naive();
    let year = past_festival_year(today);
    participation(c, now, today, year + 1, &mut counts).await?;
    internship(c, now, today, &mut counts).await?;
    // The edition before answered the same questionnaire, a little less
    // satisfied: the bilan compares the two.
    questionnaire(c, year - 1, RESPONSES_BEFORE, 5, &mut counts).await?;
    questionnaire(c, year, RESPONSES, 0, &mut counts).await?;
    Ok(counts)
}

async fn org(c: &impl ConnectionTrait, name: &str) -> Result<Option<i64>, DbErr> {
    Ok(organisations::find_by_name(c, name).await?.map(|o| o.id))
}

/// The call for participation of the next Fête de la science.
async fn participation(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    today: NaiveDate,
    year: i32,
    counts: &mut Counts,
) -> Result<(), DbErr> {
    let (start, end) = festival_dates(year);
    let project = projects::insert(
        c,
        &ProjectData {
            slug: format!("fete-de-la-science-{year}-isere"),
            name: format!("Fête de la science {year} en Isère"),
            kind: ProjectKind::Festival,
            starts_on: start,
            ends_on: end,
            description: Some(format!(
                "La {}e édition de la Fête de la science en Isère, en préparation : l'appel à \
                 participation est ouvert aux laboratoires, associations, musées, \
                 bibliothèques et établissements du département.",
                year - 1991
            )),
            lead_user_id: None,
            status: ProjectStatus::Draft,
        },
        now,
    )
    .await?;
    let l = Locale::Fr;
    let formats = vocabulary(Format::ALL.iter().map(|f| (f.code(), f.label(l))));
    let audiences = vocabulary(Audience::ALL.iter().map(|a| (a.code(), a.label(l))));
    let themes = vocabulary(Theme::ALL.iter().map(|t| (t.code(), t.label(l))));
    let mut venue_list = venues::list_all_matching(c, &venues::Filter::default()).await?;
    venue_list.truncate(12);
    let venue_options: Vec<Choice> = venue_list
        .iter()
        .map(|v| Choice {
            key: v.id.to_string(),
            label: v.data.name.clone(),
        })
        .collect();
    let mut items = vec![
        Item::HelpText {
            text: format!(
                "Vous souhaitez proposer une animation pour la Fête de la science {year} en \
                 Isère (du {} au {} octobre) ? Décrivez-la ci-dessous. Les propositions \
                 retenues entrent au programme après un échange avec l'équipe.",
                start.day(),
                end.day()
            ),
        },
        Item::Section {
            title: "Votre proposition".into(),
            help: None,
        },
        field("title", "Titre de l'animation", true, Kind::ShortText),
        field(
            "summary",
            "Résumé (une ou deux phrases)",
            true,
            Kind::ShortText,
        ),
        field("description", "Description", true, Kind::LongText),
        field(
            "format",
            "Format",
            true,
            Kind::SingleChoice { options: formats },
        ),
        field(
            "audience",
            "Publics visés",
            true,
            Kind::MultipleChoice {
                options: audiences,
                min: Some(1),
                max: None,
            },
        ),
        field(
            "themes",
            "Thèmes",
            false,
            Kind::MultipleChoice {
                options: themes,
                min: None,
                max: Some(3),
            },
        ),
        field(
            "min_age",
            "Âge minimum",
            false,
            Kind::Number {
                min: Some(0),
                max: Some(99),
                integer: true,
            },
        ),
    ];
    items.push(field(
        "levels",
        "Niveaux scolaires accueillis (pour les classes)",
        false,
        Kind::MultipleChoice {
            options: vocabulary(SchoolLevel::ALL.iter().map(|x| (x.code(), x.label(l)))),
            min: None,
            max: None,
        },
    ));
    items.push(Item::Section {
        title: "Accueil du public".into(),
        help: None,
    });
    items.push(field(
        "registration",
        "Comment le public vient-il ?",
        true,
        Kind::SingleChoice {
            options: choices(&[
                ("none", "Entrée libre"),
                ("booking", "Sur réservation"),
                ("groups", "Classes, sur réservation"),
            ]),
        },
    ));
    items.push(field(
        "capacity",
        "Personnes accueillies par séance",
        false,
        Kind::Number {
            min: Some(1),
            max: Some(2000),
            integer: true,
        },
    ));
    items.push(field(
        "needs",
        "Besoins matériels (tables, prises, vidéoprojecteur, accès internet…)",
        false,
        Kind::LongText,
    ));
    if !venue_options.is_empty() {
        items.push(field(
            "venue",
            "Lieu souhaité, s'il figure dans la liste",
            false,
            Kind::Dropdown {
                options: venue_options,
            },
        ));
    }
    items.push(field("contact_phone", "Téléphone", false, Kind::Phone));
    items.push(Item::Section {
        title: "Séances proposées".into(),
        help: Some(
            "Jusqu'à trois séances, chacune avec son lieu : une animation peut se tenir \
             dans plusieurs communes."
                .into(),
        ),
    });
    for n in 1..=3 {
        let first = n == 1;
        let key = |part: &str| format!("session{n}_{part}");
        items.push(Item::HelpText {
            text: format!("Séance {n}"),
        });
        items.push(field(&key("date"), "Date", first, Kind::Date));
        items.push(field(&key("start"), "Début", first, Kind::Time));
        items.push(field(&key("end"), "Fin", first, Kind::Time));
        items.push(field(&key("place"), "Lieu (nom)", false, Kind::ShortText));
        items.push(field(&key("commune"), "Commune", first, Kind::ShortText));
    }
    let spec = NewCall {
        project: project.id,
        purpose: Purpose::ParticipationCall,
        audience: Some(FormAudience::Partners),
        form_title: format!("Appel à participation — Fête de la science {year}"),
        kind: CallKind::Participation,
        slug: PARTICIPATION_CALL,
        title: format!("Fête de la science {year} : appel à participation"),
        open_days: (20, 25),
        criteria: &[
            ("science", "Intérêt scientifique", 2),
            ("public", "Accessibilité au grand public", 2),
            ("feasibility", "Faisabilité (lieu, matériel, équipe)", 1),
        ],
    };
    let (_, call) = open_call(c, &spec, &Schema { items }, today, now, counts).await?;
    let venue = venue_list.first().map(|v| v.id.to_string());
    let proposals: [Proposal; 5] = [
        (
            "Université Grenoble Alpes",
            "Claire Vasseur",
            "Les secrets des glaciers alpins",
            "Carottes de glace, mesures et maquettes : comment les glaciers racontent le climat.",
            Format::Workshop,
            &["families", "general"],
            Status::Accepted,
        ),
        (
            "CNRS – Délégation Alpes",
            "Mathis Lebreton",
            "Nuit des capteurs",
            "Une soirée pour fabriquer un petit capteur de qualité de l'air.",
            Format::Workshop,
            &["general"],
            Status::Rejected,
        ),
        (
            "Les Petits Débrouillards Auvergne-Rhône-Alpes",
            "Inès Morel",
            "Expériences en bas de chez toi",
            "Des expériences de physique en plein air, au pied des immeubles.",
            Format::Workshop,
            &["young", "families"],
            Status::Submitted,
        ),
        (
            "Institut de Planétologie et d'Astrophysique de Grenoble",
            "Yannick Roussel",
            "Rencontre avec une planétologue",
            "Une conversation sur les exoplanètes, suivie de questions du public.",
            Format::Talk,
            &["general"],
            Status::UnderReview,
        ),
        (
            "Les Petits Débrouillards Auvergne-Rhône-Alpes",
            "Zoé Mallet",
            "Énigmes et petites expériences au quartier",
            "Un parcours d'énigmes scientifiques à résoudre en famille, d'expérience en expérience.",
            Format::Game,
            &["families", "young"],
            Status::Accepted,
        ),
    ];
    for (i, (org_name, person, title, summary, format, auds, status)) in
        proposals.iter().enumerate()
    {
        let organisation_id = org(c, org_name).await?;
        let mut a = Answers::default();
        a.insert("title", Answer::Text((*title).into()));
        a.insert("summary", Answer::Text((*summary).into()));
        a.insert(
            "description",
            Answer::Text(format!(
                "{summary}\n\nAnimation proposée par {org_name}, animée par {person} et \
                 son équipe. Durée : une heure environ, jusqu'à vingt personnes à la fois."
            )),
        );
        a.insert("format", Answer::Choice(format.code().into()));
        a.insert(
            "audience",
            Answer::Choices(auds.iter().map(|s| (*s).to_owned()).collect()),
        );
        a.insert(
            "themes",
            Answer::Choices(vec![
                [Theme::Environment, Theme::Physics, Theme::Astronomy][i % 3]
                    .code()
                    .into(),
            ]),
        );
        a.insert("min_age", Answer::Number([7.0, 14.0, 6.0, 12.0, 6.0][i]));
        if let Some(v) = &venue
            && i == 0
        {
            a.insert("venue", Answer::Choice(v.clone()));
        }
        a.insert(
            "registration",
            Answer::Choice(["booking", "none", "none", "booking", "booking"][i].into()),
        );
        a.insert(
            "capacity",
            Answer::Number([20.0, 15.0, 40.0, 80.0, 24.0][i]),
        );
        a.insert(
            "needs",
            Answer::Text(
                [
                    "Deux tables, une prise électrique, un point d'eau.",
                    "Un accès internet et quatre tables.",
                    "Un espace de plein air de 100 m², repli en salle si pluie.",
                    "Un vidéoprojecteur, un micro, 80 chaises.",
                    "Six tables, un point d'eau, un abri en cas de pluie.",
                ][i]
                    .into(),
            ),
        );
        // The sessions proposed: in two communes for the first.
        let places: &[(u64, &str, &str, &str)] = match i {
            0 => &[
                (1, "10:00", "Médiathèque de Voiron", "Voiron"),
                (2, "14:30", "Salle des fêtes", "Vif"),
            ],
            1 => &[(3, "20:00", "", "Grenoble")],
            2 => &[
                (1, "15:00", "Place du marché", "Échirolles"),
                (8, "15:00", "Parc Jean-Verlhac", "Grenoble"),
            ],
            3 => &[(9, "18:30", "Amphithéâtre Weil", "Saint-Martin-d'Hères")],
            _ => &[
                (
                    1,
                    "14:00",
                    "Maison des habitants du Village 2",
                    "Échirolles",
                ),
                (2, "10:30", "Parc de la Poya", "Fontaine (38600)"),
            ],
        };
        for (n, (day, at, place, commune)) in places.iter().enumerate() {
            let key = |part: &str| format!("session{}_{part}", n + 1);
            a.insert(key("date"), Answer::Date(day_plus(start, *day)));
            a.insert(key("start"), Answer::Text((*at).into()));
            if !place.is_empty() {
                a.insert(key("place"), Answer::Text((*place).into()));
            }
            a.insert(key("commune"), Answer::Text((*commune).into()));
        }
        let email = format!(
            "{}@example.org",
            person
                .to_lowercase()
                .replace(' ', ".")
                .replace(['é', 'è'], "e")
                .replace('ï', "i")
        );
        let who = Submitter {
            name: (*person).into(),
            email,
            locale: Locale::Fr,
            organisation_id,
            user_id: None,
        };
        let Ok((s, _secret)) = submissions::start(c, &call, &who, &a, now).await? else {
            return Err(DbErr::Custom("demo: the call refused a proposal".into()));
        };
        refused(submissions::submit(c, s.id, now).await?)?;
        if *status == Status::UnderReview || *status == Status::Accepted {
            staff_moves(c, s.id, Status::UnderReview, None, now).await?;
        }
        if matches!(status, Status::Accepted | Status::Rejected) {
            let message = if *status == Status::Accepted {
                "Merci ! Votre animation est retenue : complétez-la dans votre espace partenaire (textes et séances), puis transmettez-la à l'équipe."
            } else {
                "Merci pour votre proposition. Le programme de cette édition est complet sur ce format."
            };
            staff_moves(c, s.id, *status, Some(message), now).await?;
        }
        counts.submissions += 1;
    }
    Ok(())
}

/// A call of the demo and its form.
struct NewCall<'a> {
    project: i64,
    purpose: Purpose,
    audience: Option<FormAudience>,
    form_title: String,
    kind: CallKind,
    slug: &'a str,
    title: String,
    /// Opened that many days before today, closing that many days after.
    open_days: (u64, u64),
    /// Key, label and weight, scored out of 5.
    criteria: &'a [(&'a str, &'a str, i32)],
}

/// Creates the form of a call, the call and its criteria.
async fn open_call(
    c: &impl ConnectionTrait,
    spec: &NewCall<'_>,
    schema: &Schema,
    today: NaiveDate,
    now: DateTime<Utc>,
    counts: &mut Counts,
) -> Result<(forms::Form, calls::Call), DbErr> {
    let data = FormData {
        title: spec.form_title.clone(),
        purpose: spec.purpose,
        project_id: Some(spec.project),
        activity_id: None,
        session_id: None,
        audience: spec.audience,
        anonymous: false,
        one_per_link: false,
        opens_at: None,
        closes_at: None,
    };
    let form = forms::create(c, &data, schema, now).await?;
    let (opened, closes) = spec.open_days;
    let data = calls::CallData {
        form_id: form.id,
        project_id: spec.project,
        kind: spec.kind,
        slug: spec.slug.into(),
        title: spec.title.clone(),
        opens_at: paris(today - Days::new(opened), 9, 0),
        closes_at: paris(day_plus(today, closes), 23, 59),
        retention_months: calls::DEFAULT_RETENTION_MONTHS,
    };
    let call = calls::create(c, &data, now).await?;
    counts.calls += 1;
    for (key, label, weight) in spec.criteria {
        calls::add_criterion(c, call.id, key, label, *weight, 5).await?;
    }
    Ok((form, call))
}

/// A demo proposal: organisation, person, title, summary, format,
/// audiences, and where it stands.
type Proposal = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Format,
    &'static [&'static str],
    Status,
);

/// The team moves a submission to `status`, with a message to its submitter.
async fn staff_moves(
    c: &impl ConnectionTrait,
    submission: i64,
    status: Status,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let moved =
        submissions::transition(c, submission, status, Actor::Staff, None, message, now).await?;
    refused(moved).map(|_| ())
}

fn refused<T>(r: Result<T, submissions::Refusal>) -> Result<T, DbErr> {
    r.map_err(|e| DbErr::Custom(format!("demo: refused {e:?}")))
}

/// The description of the internship call.
pub const INTERNSHIP_TEXT: &str = "Stage de six mois à partir de janvier, au sein de l'équipe de \
Territoire de Sciences à Grenoble : vous participez à la conception et au suivi des projets \
d'ingénierie culturelle (Fête de la science, résidences, appels à projets), aux bilans et à la \
relation avec les partenaires du territoire. 35 heures par semaine ; gratification de 4,35 € \
par heure de présence. Envoyez un CV et une lettre de motivation en PDF.";

async fn internship(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    today: NaiveDate,
    counts: &mut Counts,
) -> Result<(), DbErr> {
    // Attached to the first project still running (the team's season).
    let all = projects::list(c, false).await?;
    let Some(project) = all.iter().find(|p| p.data.ends_on >= today).or(all.first()) else {
        return Ok(());
    };
    let next_january = NaiveDate::from_ymd_opt(today.year() + 1, 1, 5).unwrap_or(today);
    let pdf_kind = Kind::File {
        types: vec![FileKind::Pdf],
        max_bytes: 5 * 1024 * 1024,
    };
    let schema = Schema {
        items: vec![
            Item::HelpText {
                text: format!(
                    "{INTERNSHIP_TEXT} Début : {}. Candidatures jusqu'au {}.",
                    next_january.format("%d/%m/%Y"),
                    day_plus(today, 21).format("%d/%m/%Y")
                ),
            },
            field("name", "Nom et prénom", true, Kind::ShortText),
            field("email", "Adresse électronique", true, Kind::Email),
            field("school", "Formation en cours", true, Kind::ShortText),
            field("cv", "CV (PDF)", true, pdf_kind.clone()),
            field("letter", "Lettre de motivation (PDF)", true, pdf_kind),
        ],
    };
    let spec = NewCall {
        project: project.id,
        purpose: Purpose::ApplicationCall,
        audience: None,
        form_title: "Stage : assistant·e chargé·e de projets Ingénierie culturelle".into(),
        kind: CallKind::Application,
        slug: INTERNSHIP_CALL,
        title: "Assistant·e chargé·e de projets Ingénierie culturelle".into(),
        open_days: (10, 21),
        criteria: &[
            ("motivation", "Motivation et projet professionnel", 2),
            (
                "experience",
                "Expérience de la médiation ou de l'événementiel",
                1,
            ),
            ("writing", "Qualité rédactionnelle", 1),
        ],
    };
    let (current, call) = open_call(c, &spec, &schema, today, now, counts).await?;
    let applicants = [
        (
            "Alice Fournier",
            "alice.fournier",
            "Master Médiation culturelle",
        ),
        (
            "Bilal Chevalier",
            "bilal.chevalier",
            "Master Direction de projets culturels",
        ),
        (
            "Jeanne Lambert",
            "jeanne.lambert",
            "Licence pro Médiation scientifique",
        ),
    ];
    for (i, (name, local, school)) in applicants.iter().enumerate() {
        let who = Submitter {
            name: (*name).into(),
            email: format!("{local}@example.org"),
            locale: Locale::Fr,
            organisation_id: None,
            user_id: None,
        };
        let Ok((s, _)) = submissions::start(c, &call, &who, &Answers::default(), now).await? else {
            return Err(DbErr::Custom(
                "demo: the call refused an application".into(),
            ));
        };
        let mut a = Answers::default();
        a.insert("name", Answer::Text((*name).into()));
        a.insert("email", Answer::Text(who.email.clone()));
        a.insert("school", Answer::Text((*school).into()));
        for (key, what) in [("cv", "CV"), ("letter", "Lettre de motivation")] {
            let Some(f) = current.version.schema.field(key) else {
                continue;
            };
            let filename = format!("{what} {name}.pdf");
            let up = uploads::insert(
                c,
                s.id,
                key,
                &f.kind,
                &filename,
                &pdf(&format!("{what} - {name}")),
                now,
            )
            .await?
            .map_err(|e| DbErr::Custom(format!("demo upload: {e:?}")))?;
            a.insert(
                key,
                Answer::File(FileRef {
                    upload_id: up.id,
                    name: up.filename,
                }),
            );
        }
        refused(submissions::save_answers(c, s.id, &a, now).await?)?;
        refused(submissions::submit(c, s.id, now).await?)?;
        if i == 0 {
            staff_moves(c, s.id, Status::UnderReview, None, now).await?;
        }
        counts.submissions += 1;
    }
    Ok(())
}

/// The questions of the evaluation questionnaire.
pub fn questionnaire_schema() -> Schema {
    Schema {
        items: vec![
            Item::HelpText {
                text: "Merci d'avoir participé à la Fête de la science ! Ce questionnaire \
                       anonyme prend deux minutes."
                    .into(),
            },
            field(
                "satisfaction",
                "Dans l'ensemble, êtes-vous satisfait·e de votre visite ?",
                true,
                Kind::Scale {
                    min: 1,
                    max: 5,
                    min_label: Some("Pas du tout".into()),
                    max_label: Some("Tout à fait".into()),
                },
            ),
            field(
                "nps",
                "Recommanderiez-vous la Fête de la science à un proche ?",
                true,
                Kind::Nps,
            ),
            field(
                "format",
                "Quel type d'animation avez-vous préféré ?",
                false,
                Kind::SingleChoice {
                    options: choices(&[
                        ("workshop", "Atelier"),
                        ("talk", "Conférence ou rencontre"),
                        ("exhibition", "Exposition"),
                        ("visit", "Visite de laboratoire"),
                        ("show", "Spectacle ou projection"),
                    ]),
                },
            ),
            field(
                "heard",
                "Comment avez-vous connu la Fête de la science ?",
                false,
                Kind::MultipleChoice {
                    options: choices(&[
                        ("poster", "Affiche"),
                        ("press", "Presse ou radio"),
                        ("social", "Réseaux sociaux"),
                        ("school", "École"),
                        ("friends", "Bouche à oreille"),
                        ("website", "Site internet"),
                    ]),
                    min: None,
                    max: None,
                },
            ),
            field(
                "come_back",
                "Reviendrez-vous l'an prochain ?",
                true,
                Kind::YesNo,
            ),
            Item::Field(Field {
                key: "why_not".into(),
                label: "Qu'est-ce qui vous en empêcherait ?".into(),
                help: None,
                required: false,
                condition: Some(Condition {
                    field: "come_back".into(),
                    value: "no".into(),
                }),
                kind: Kind::ShortText,
            }),
            field("comment", "Un commentaire ?", false, Kind::LongText),
        ],
    }
}

/// Responses to the questionnaire of the past festival.
pub const RESPONSES: usize = 360;
/// Responses to the questionnaire of the edition before it.
pub const RESPONSES_BEFORE: usize = 290;

const COMMENTS: &[&str] = &[
    "Super atelier, les enfants ont adoré.",
    "Très bien organisé, merci aux bénévoles.",
    "Un peu trop de monde le samedi après-midi.",
    "Les chercheurs étaient passionnants.",
    "Il faudrait plus d'animations pour les tout-petits.",
    "On reviendra !",
];

/// The public questionnaire of the festival of `year`, with `n` responses;
/// `shift` moves the answers along their patterns (another edition, other
/// opinions).
async fn questionnaire(
    c: &impl ConnectionTrait,
    year: i32,
    n: usize,
    shift: usize,
    counts: &mut Counts,
) -> Result<(), DbErr> {
    let Some(project) =
        projects::find_by_slug(c, &format!("fete-de-la-science-{year}-isere")).await?
    else {
        return Ok(());
    };
    let (start, end) = festival_dates(year);
    let created = paris(start, 8, 0);
    let form = forms::create(
        c,
        &FormData {
            title: format!("Fête de la science {year} : votre avis"),
            purpose: Purpose::Questionnaire,
            project_id: Some(project.id),
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: true,
            one_per_link: false,
            opens_at: None,
            closes_at: None,
        },
        &questionnaire_schema(),
        created,
    )
    .await?;
    let list = activities::of_project(c, project.id).await?;
    let with_sessions: Vec<&activities::Activity> =
        list.iter().filter(|a| !a.sessions.is_empty()).collect();
    let days = (end - start).num_days().max(0) as usize + 1;
    let territory = communes()?;
    let formats = ["workshop", "talk", "exhibition", "visit", "show"];
    let heard = ["poster", "press", "social", "school", "friends", "website"];
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let j = i + shift;
        let mut a = Answers::default();
        // Mostly satisfied, a few less so.
        let mut satisfaction = [5, 4, 5, 4, 3, 5, 4, 2, 5, 4, 1, 4, 5][j % 13];
        if shift > 0 && j.is_multiple_of(4) && satisfaction > 1 {
            satisfaction -= 1;
        }
        a.insert("satisfaction", Answer::Number(f64::from(satisfaction)));
        let nps = [10, 9, 8, 10, 7, 9, 6, 10, 8, 9, 3, 10, 9, 5, 8][j % 15];
        a.insert("nps", Answer::Number(f64::from(nps)));
        if i % 9 != 4 {
            a.insert("format", Answer::Choice(formats[(i * 7) % 5].into()));
        }
        let picked: Vec<String> = heard
            .iter()
            .enumerate()
            .filter(|(k, _)| (i + k * 3) % 5 == 0 || (i / 3 + k) % 7 == 0)
            .map(|(_, h)| (*h).to_owned())
            .collect();
        if !picked.is_empty() {
            a.insert("heard", Answer::Choices(picked));
        }
        let back = j % 8 != 3 && (shift == 0 || j % 11 != 2);
        a.insert("come_back", Answer::Bool(back));
        if !back && i % 16 == 3 {
            a.insert("why_not", Answer::Text("Nous déménageons.".into()));
        }
        if i % 6 == 1 {
            a.insert(
                "comment",
                Answer::Text(COMMENTS[(i / 6) % COMMENTS.len()].into()),
            );
        }
        let activity =
            (!with_sessions.is_empty()).then(|| with_sessions[(i * 13) % with_sessions.len()]);
        let session = activity.and_then(|a| a.sessions.get(i % a.sessions.len()));
        let day = match session {
            Some(s) => s.data.starts_at.with_timezone(&Paris).date_naive(),
            None => day_plus(start, (i % days) as u64),
        };
        let commune = match activity.and_then(|a| a.venue.as_ref()) {
            Some(v) if i % 3 != 2 => v.data.commune_insee.clone(),
            _ => territory
                .get((i * 11) % territory.len().max(1))
                .map(|c| c.insee.to_owned()),
        };
        let response = NewResponse {
            answers: a,
            activity_id: activity.map(|a| a.id),
            session_id: session.map(|s| s.id),
            commune_insee: commune,
            link_token: None,
        };
        // Answered on the day, at noon.
        rows.push((response, paris(day, 12, 0)));
    }
    // Written in multi-row statements, as responses arrive by the hundred.
    let recorded = questionnaires::respond_many(c, form.id, &rows)
        .await?
        .map_err(|e| DbErr::Custom(format!("demo: responses refused: {e:?}")))?;
    counts.responses += recorded as usize;
    Ok(())
}
