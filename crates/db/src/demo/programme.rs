//! The programme part of the demo season, laid out relative to the day it
//! is loaded so that it never goes stale:
//!
//! - the most recent past Fête de la science in Isère (first two weekends
//!   of October), with more than 200 activities in more than 60 communes,
//!   villages des sciences among them, and the edition before it for
//!   comparison (communes gained and lost);
//! - projects open for booking in the coming months: a season of Soirées
//!   Cult', Space Buzz planetarium sessions for classes at Cosmocité, the
//!   Scientific Game Jam, the Éditathon Femmes et Sciences, the journalism
//!   residency and iForum.
//!
//! Projects go through `projects::insert` and `set_partners`. The ~400
//! activities and their ~1,200 sessions go through
//! `activities::insert_many`, the batched form of `activities::insert`
//! (one call per activity would take seconds): the same rows, links,
//! first start, search tokens and facets as the editor and the imports
//! write (checked by a test that saves activities again through
//! `activities::update`). Communes (names, postcodes, coordinates) come
//! from the official list of `maillage-geo`. Content is deterministic
//! (index arithmetic, no random numbers); times are built in Europe/Paris
//! and stored in UTC.

use super::directory::{commune, communes};
use super::{add_venue, created};
use crate::audit::Actor;
use crate::organisations::{self, Organisation};
use crate::people;
use crate::programme::activities::{self, ActivityData};
use crate::programme::projects::{self, ProjectData};
use crate::programme::sessions::SessionData;
use crate::venues::{self, Access, SpaceData, Venue, VenueData};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use maillage_domain::directory::{OrgKind, PersonRole, SpaceKind, Theme as T};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format as F, PartnerRole, ProjectKind, ProjectStatus,
    RegistrationMode, SchoolLevel as L, SessionStatus, slugify,
};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashSet};

// ---------------------------------------------------------------- dates

/// An instant given in Paris local time (DST-correct).
pub(super) fn paris(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default());
    Paris
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
}

fn plus(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

/// The first `weekday` on or after `day`.
fn next_weekday(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    plus(day, u64::from(ahead))
}

/// Whether classes are in school on that day: not a weekend, not in the
/// summer or Christmas holidays, not a public holiday with a fixed date.
fn school_day(day: NaiveDate) -> bool {
    let (m, d) = (day.month(), day.day());
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        && !(m == 7 && d >= 5 || m == 8 || m == 12 && d >= 20 || m == 1 && d <= 3)
        && !matches!((m, d), (11, 1) | (11, 11) | (5, 1) | (5, 8) | (7, 14))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The Fête de la science of a year: from the first Friday of October to
/// the Monday after the second weekend (3–13 October in 2025).
pub(super) fn festival_dates(year: i32) -> (NaiveDate, NaiveDate) {
    let start = next_weekday(ymd(year, 10, 1), Weekday::Fri);
    (start, plus(start, 10))
}

/// The year of the most recent Fête de la science that has ended by `today`.
pub(super) fn past_festival_year(today: NaiveDate) -> i32 {
    let (_, end) = festival_dates(today.year());
    if end < today {
        today.year()
    } else {
        today.year() - 1
    }
}

// ---------------------------------------------------------------- templates

#[derive(Debug, Clone, Copy)]
enum Aud {
    General,
    /// General public from 14.
    Adults,
    /// Families, from this age.
    Families(i32),
    /// Young audiences, from this age.
    Young(i32),
    School(&'static [L]),
    /// General public and classes of these levels.
    Mixed(&'static [L]),
}

impl Aud {
    fn audiences(self) -> (Vec<Audience>, Vec<L>, Option<i32>) {
        match self {
            Aud::General => (vec![Audience::General], vec![], None),
            Aud::Adults => (vec![Audience::General], vec![], Some(14)),
            Aud::Families(age) => (
                vec![Audience::Families, Audience::General],
                vec![],
                Some(age),
            ),
            Aud::Young(age) => (vec![Audience::Young, Audience::Families], vec![], Some(age)),
            Aud::School(levels) => (vec![Audience::School], levels.to_vec(), None),
            Aud::Mixed(levels) => (
                vec![Audience::General, Audience::School],
                levels.to_vec(),
                None,
            ),
        }
    }

    fn school_only(self) -> bool {
        matches!(self, Aud::School(_))
    }
}

#[derive(Debug, Clone, Copy)]
struct Tpl {
    title: &'static str,
    summary: &'static str,
    format: F,
    themes: &'static [T],
    aud: Aud,
    minutes: u32,
}

const fn t(
    title: &'static str,
    format: F,
    themes: &'static [T],
    aud: Aud,
    minutes: u32,
    summary: &'static str,
) -> Tpl {
    Tpl {
        title,
        summary,
        format,
        themes,
        aud,
        minutes,
    }
}

const PRIMARY: &[L] = &[L::Elementaire];
const NURSERY_PRIMARY: &[L] = &[L::Maternelle, L::Elementaire];
const PRIMARY_MIDDLE: &[L] = &[L::Elementaire, L::College];
const MIDDLE: &[L] = &[L::College];
const MIDDLE_HIGH: &[L] = &[L::College, L::Lycee];
const HIGH: &[L] = &[L::Lycee];
const HIGH_UNI: &[L] = &[L::Lycee, L::Superieur];

/// Activities of the Fête de la science, spread over the communes.
const FESTIVAL: &[Tpl] = &[
    t(
        "Atelier robotique : programme ton robot",
        F::Workshop,
        &[T::Digital, T::Engineering],
        Aud::Young(8),
        90,
        "Des robots à assembler et à programmer par blocs pour relever des défis en équipe.",
    ),
    t(
        "Atelier : fabrique ton sismographe",
        F::Workshop,
        &[T::Earth, T::Making],
        Aud::Families(8),
        90,
        "Comment enregistre-t-on un séisme ? On construit un sismographe avec trois fois rien et on fait trembler la table.",
    ),
    t(
        "Conférence : les glaciers des Alpes fondent-ils ?",
        F::Talk,
        &[T::Environment, T::Earth],
        Aud::Adults,
        90,
        "Une glaciologue raconte un siècle de mesures sur les glaciers alpins et ce que nous disent les modèles pour 2100.",
    ),
    t(
        "Atelier chimie : les couleurs du chou rouge",
        F::Workshop,
        &[T::Chemistry],
        Aud::Young(6),
        60,
        "Acide ou basique ? Le jus de chou rouge change de couleur : une première expérience de chimie à refaire à la maison.",
    ),
    t(
        "Exposition : la météo des Alpes",
        F::Exhibition,
        &[T::Environment, T::Earth],
        Aud::General,
        480,
        "Foehn, orages, inversions de température : une exposition pour comprendre le temps qu'il fait en montagne.",
    ),
    t(
        "Atelier : à la découverte des insectes du jardin",
        F::Workshop,
        &[T::Life, T::Environment],
        Aud::Young(5),
        60,
        "Loupes en main, les enfants observent et classent les petites bêtes du jardin.",
    ),
    t(
        "Conférence : les séismes en Isère, faut-il s'inquiéter ?",
        F::Talk,
        &[T::Earth],
        Aud::General,
        90,
        "Failles actives, sismicité des Alpes et construction parasismique : ce que l'on sait du risque sismique dans le département.",
    ),
    t(
        "Atelier : l'électricité, comment ça marche ?",
        F::Workshop,
        &[T::Physics, T::Energy],
        Aud::School(PRIMARY),
        90,
        "Piles, ampoules et interrupteurs : les élèves réalisent leurs premiers circuits électriques.",
    ),
    t(
        "Balade géologique : lire le paysage",
        F::Walk,
        &[T::Earth],
        Aud::Families(8),
        150,
        "Une balade commentée pour comprendre comment se sont formées les montagnes qui nous entourent.",
    ),
    t(
        "Atelier Fab Lab : découpe laser et impression 3D",
        F::Workshop,
        &[T::Making, T::Digital],
        Aud::Families(10),
        120,
        "Dessiner un objet, le découper au laser ou l'imprimer en 3D : une initiation à la fabrication numérique.",
    ),
    t(
        "Conférence : à la recherche des exoplanètes",
        F::Talk,
        &[T::Astronomy],
        Aud::Adults,
        90,
        "Plus de 5 000 planètes découvertes autour d'autres étoiles : comment les détecte-t-on, et l'une d'elles abrite-t-elle la vie ?",
    ),
    t(
        "Atelier : code ton premier jeu vidéo",
        F::Workshop,
        &[T::Digital],
        Aud::Young(10),
        120,
        "Avec Scratch, on imagine un petit jeu, on le programme et on le teste entre amis.",
    ),
    t(
        "Visite de laboratoire : dans les coulisses de la recherche",
        F::Visit,
        &[T::Physics, T::Engineering],
        Aud::Mixed(HIGH_UNI),
        120,
        "Des chercheuses et chercheurs ouvrent les portes de leurs salles d'expérience et présentent leur métier.",
    ),
    t(
        "Atelier : l'eau dans tous ses états",
        F::Workshop,
        &[T::Physics, T::Environment],
        Aud::School(NURSERY_PRIMARY),
        60,
        "Glace, eau, vapeur : des manipulations simples pour les plus jeunes élèves.",
    ),
    t(
        "Café des sciences : que mangerons-nous en 2050 ?",
        F::Meeting,
        &[T::Environment, T::Health],
        Aud::Adults,
        90,
        "Une discussion conviviale avec des chercheurs sur l'alimentation de demain, autour d'un café.",
    ),
    t(
        "Exposition : femmes de sciences",
        F::Exhibition,
        &[T::Humanities, T::History],
        Aud::Mixed(MIDDLE_HIGH),
        480,
        "Portraits de scientifiques d'hier et d'aujourd'hui, pour déconstruire les stéréotypes sur les métiers de la recherche.",
    ),
    t(
        "Atelier : observe l'ADN d'une banane",
        F::Workshop,
        &[T::Life, T::Chemistry],
        Aud::Families(8),
        60,
        "Avec du sel, du liquide vaisselle et de l'alcool, on extrait l'ADN d'un fruit et on le voit à l'œil nu.",
    ),
    t(
        "Spectacle : le cirque des sciences",
        F::Show,
        &[T::Physics],
        Aud::Young(5),
        50,
        "Équilibres impossibles et jongleries : un spectacle burlesque où la physique fait son numéro.",
    ),
    t(
        "Conférence : l'intelligence artificielle, comment ça apprend ?",
        F::Talk,
        &[T::Digital, T::Mathematics],
        Aud::Mixed(HIGH_UNI),
        90,
        "Réseaux de neurones, données d'entraînement, biais : les mécanismes de l'apprentissage automatique expliqués simplement.",
    ),
    t(
        "Atelier : construis ta fusée à eau",
        F::Workshop,
        &[T::Astronomy, T::Physics],
        Aud::Young(8),
        90,
        "On fabrique une fusée avec une bouteille, on la lance et on comprend le principe d'action-réaction.",
    ),
    t(
        "Balade nature : les oiseaux de la rivière",
        F::Walk,
        &[T::Life, T::Environment],
        Aud::Families(6),
        120,
        "Jumelles autour du cou, une sortie au bord de l'eau pour reconnaître les oiseaux à leur chant et à leur vol.",
    ),
    t(
        "Atelier : démêler le vrai du faux sur les réseaux",
        F::Workshop,
        &[T::Media, T::Digital],
        Aud::School(MIDDLE_HIGH),
        90,
        "Vérifier une image, remonter à la source, reconnaître une fausse information : un atelier d'éducation aux médias.",
    ),
    t(
        "Conférence : le froid extrême, de la supraconductivité aux ordinateurs quantiques",
        F::Talk,
        &[T::Physics],
        Aud::Mixed(HIGH_UNI),
        90,
        "À quelques millièmes de degré du zéro absolu, la matière se comporte étrangement : visite guidée du monde quantique.",
    ),
    t(
        "Projection-débat : « La Panthère des neiges »",
        F::Screening,
        &[T::Life, T::Environment],
        Aud::General,
        120,
        "Le film documentaire suivi d'un échange avec un écologue sur la faune des hautes montagnes.",
    ),
    t(
        "Atelier : les maths en jeux",
        F::Game,
        &[T::Mathematics],
        Aud::Families(7),
        60,
        "Casse-têtes, jeux de stratégie et énigmes logiques : les mathématiques autrement.",
    ),
    t(
        "Conférence : l'hydroélectricité, de la houille blanche à demain",
        F::Talk,
        &[T::Energy, T::History],
        Aud::General,
        90,
        "Des conduites forcées d'Aristide Bergès aux stations de transfert d'énergie : l'eau des Alpes au service de l'électricité.",
    ),
    t(
        "Atelier : réparer plutôt que jeter",
        F::Workshop,
        &[T::Making, T::Environment],
        Aud::General,
        120,
        "Apportez un petit appareil en panne : des bénévoles vous aident à le diagnostiquer et à le réparer.",
    ),
    t(
        "Exposition : l'eau, une ressource à partager",
        F::Exhibition,
        &[T::Environment],
        Aud::General,
        480,
        "D'où vient l'eau du robinet ? Une exposition sur le cycle de l'eau, les nappes et les usages en Isère.",
    ),
    t(
        "Rencontre avec une chercheuse : le métier de glaciologue",
        F::Meeting,
        &[T::Environment, T::Earth],
        Aud::School(MIDDLE_HIGH),
        60,
        "Les élèves interrogent une scientifique sur son parcours, ses missions sur le terrain et son quotidien au laboratoire.",
    ),
    t(
        "Atelier : les secrets du cerveau et des illusions d'optique",
        F::Workshop,
        &[T::Health, T::Humanities],
        Aud::Young(8),
        60,
        "Pourquoi notre cerveau se laisse-t-il tromper ? Des illusions étonnantes pour comprendre la perception.",
    ),
    t(
        "Visite : la centrale hydroélectrique et ses turbines",
        F::Visit,
        &[T::Energy, T::Engineering],
        Aud::General,
        90,
        "La visite d'une centrale en fonctionnement, de la prise d'eau à la salle des machines.",
    ),
    t(
        "Conférence : biodiversité alpine et changement climatique",
        F::Talk,
        &[T::Life, T::Environment],
        Aud::General,
        90,
        "Les plantes montent-elles en altitude ? Ce que révèlent trente ans de suivis de la flore alpine.",
    ),
    t(
        "Escape game : sauvez le laboratoire !",
        F::Game,
        &[T::Chemistry, T::Mathematics],
        Aud::Young(10),
        60,
        "Une heure pour résoudre les énigmes scientifiques et empêcher l'expérience de mal tourner.",
    ),
    t(
        "Atelier : fossiles et minéraux des Alpes",
        F::Workshop,
        &[T::Earth],
        Aud::Young(6),
        60,
        "Ammonites, quartz et cristaux : on observe, on touche et on apprend à reconnaître les roches de la région.",
    ),
    t(
        "Exposition : voyage dans le système solaire",
        F::Exhibition,
        &[T::Astronomy],
        Aud::Families(6),
        480,
        "Une maquette géante des planètes et des panneaux interactifs pour mesurer les distances dans le système solaire.",
    ),
    t(
        "Rencontre : les femmes dans la recherche scientifique",
        F::Meeting,
        &[T::Humanities],
        Aud::Mixed(HIGH),
        90,
        "Chercheuses et doctorantes racontent leur parcours et les obstacles qu'elles ont rencontrés.",
    ),
    t(
        "Atelier : la lumière et ses couleurs",
        F::Workshop,
        &[T::Physics],
        Aud::School(PRIMARY_MIDDLE),
        60,
        "Prismes, filtres et spectroscopes : décomposer la lumière blanche et comprendre les couleurs.",
    ),
    t(
        "Soirée d'observation : la Lune et Saturne aux télescopes",
        F::Other,
        &[T::Astronomy],
        Aud::Families(6),
        120,
        "Les astronomes amateurs installent leurs instruments : observation de la Lune, de Saturne et des étoiles doubles si le ciel le permet.",
    ),
    t(
        "Conférence : le cerveau qui apprend",
        F::Talk,
        &[T::Health, T::Humanities],
        Aud::General,
        90,
        "Attention, mémoire, sommeil : ce que les neurosciences nous apprennent sur l'apprentissage.",
    ),
    t(
        "Jeu de piste : les énigmes de la médiathèque",
        F::Game,
        &[T::Mathematics, T::History],
        Aud::Families(7),
        90,
        "Un parcours d'énigmes entre les rayonnages, en famille ou entre amis.",
    ),
    t(
        "Atelier : semences et graines, la biodiversité cultivée",
        F::Workshop,
        &[T::Life, T::Environment],
        Aud::Families(6),
        90,
        "Trier, reconnaître et semer des graines anciennes, avec la grainothèque.",
    ),
    t(
        "Table ronde : la neige en moyenne montagne, quel avenir ?",
        F::Meeting,
        &[T::Environment],
        Aud::General,
        120,
        "Chercheurs, élus et professionnels de la montagne débattent de l'avenir des stations de moyenne altitude.",
    ),
    t(
        "Projection : la Terre vue de l'espace",
        F::Screening,
        &[T::Astronomy, T::Earth],
        Aud::Families(7),
        60,
        "Des images satellites commentées : glaciers, forêts, villes et océans vus d'en haut.",
    ),
    t(
        "Conférence : Champollion et le déchiffrement des hiéroglyphes",
        F::Talk,
        &[T::History, T::Humanities],
        Aud::General,
        75,
        "Comment un jeune Isérois a percé le secret de l'écriture égyptienne grâce à la pierre de Rosette.",
    ),
    t(
        "Atelier : le son et la musique, une histoire de vibrations",
        F::Workshop,
        &[T::Physics, T::ArtScience],
        Aud::Young(7),
        60,
        "Cordes, tuyaux et membranes : on fabrique des instruments et on visualise les sons.",
    ),
    t(
        "Exposition : le climat change, et nous ?",
        F::Exhibition,
        &[T::Environment],
        Aud::Mixed(MIDDLE_HIGH),
        480,
        "Une exposition sur les causes et les conséquences du réchauffement, et sur les solutions à portée de main.",
    ),
    t(
        "Visite guidée : le patrimoine industriel de la vallée",
        F::Visit,
        &[T::History, T::Engineering],
        Aud::General,
        90,
        "Papeteries, ganteries et centrales : une visite sur les traces de l'industrie qui a façonné la vallée.",
    ),
    t(
        "Théâtre d'improvisation scientifique",
        F::Show,
        &[T::Humanities],
        Aud::General,
        75,
        "Des comédiens improvisent à partir des questions du public et des réponses des chercheurs présents.",
    ),
    t(
        "Conférence : les neutrons, des sondes pour explorer la matière",
        F::Talk,
        &[T::Physics, T::Chemistry],
        Aud::Mixed(HIGH),
        75,
        "Des batteries aux protéines, comment les neutrons révèlent la structure intime des matériaux.",
    ),
    t(
        "Atelier : dessine la science, croquis naturalistes",
        F::Workshop,
        &[T::ArtScience, T::Life],
        Aud::Families(8),
        90,
        "Carnet et crayon en main, on apprend à observer et à dessiner plantes et animaux comme les naturalistes.",
    ),
    t(
        "Atelier : mesure l'air que tu respires",
        F::Workshop,
        &[T::Environment, T::Health],
        Aud::School(MIDDLE),
        90,
        "Avec des capteurs de particules fines, les élèves mènent l'enquête sur la qualité de l'air autour du collège.",
    ),
];

/// Stands and shows of a village des sciences.
const STANDS: &[Tpl] = &[
    t(
        "Stand : expériences sur l'air et le vide",
        F::Workshop,
        &[T::Physics],
        Aud::Families(5),
        0,
        "Ballons qui gonflent tout seuls, guimauves géantes : l'air a du poids et de la force.",
    ),
    t(
        "Stand : microscopes et petites bêtes",
        F::Workshop,
        &[T::Life],
        Aud::Families(5),
        0,
        "Observer une goutte d'eau de mare ou l'aile d'un papillon au microscope.",
    ),
    t(
        "Stand : robots et programmation",
        F::Workshop,
        &[T::Digital, T::Engineering],
        Aud::Families(7),
        0,
        "Faire avancer un robot dans un labyrinthe en lui donnant des instructions.",
    ),
    t(
        "Stand : minéraux, roches et volcans",
        F::Workshop,
        &[T::Earth],
        Aud::Families(5),
        0,
        "Toucher des roches volcaniques, faire entrer en éruption un volcan miniature.",
    ),
    t(
        "Stand : la chimie du quotidien",
        F::Workshop,
        &[T::Chemistry],
        Aud::Families(7),
        0,
        "Savon, vinaigre, bicarbonate : la chimie cachée dans nos placards.",
    ),
    t(
        "Stand : réalité virtuelle et corps humain",
        F::Workshop,
        &[T::Health, T::Digital],
        Aud::Families(10),
        0,
        "Un casque de réalité virtuelle pour voyager à l'intérieur du corps humain.",
    ),
    t(
        "Stand : énergie et défis solaires",
        F::Game,
        &[T::Energy],
        Aud::Families(7),
        0,
        "Pédaler pour allumer des ampoules, faire rouler une voiture solaire.",
    ),
    t(
        "Stand : le ciel et les étoiles en 3D",
        F::Workshop,
        &[T::Astronomy],
        Aud::Families(6),
        0,
        "Reconnaître les constellations et comprendre les phases de la Lune.",
    ),
    t(
        "Spectacle : les expériences explosives du professeur Bulle",
        F::Show,
        &[T::Chemistry],
        Aud::Young(4),
        45,
        "Mousses géantes et changements de couleur : un spectacle de chimie pour les petits.",
    ),
    t(
        "Exposition : portraits de chercheuses et de chercheurs",
        F::Exhibition,
        &[T::Humanities],
        Aud::General,
        0,
        "Des photographies et des témoignages de scientifiques du territoire.",
    ),
];

/// Villages des sciences: (commune, venue name, or the first venue there).
const VILLAGES: &[(&str, Option<&str>)] = &[
    ("38185", Some("Muséum de Grenoble")),
    ("38189", Some("Salle des fêtes de Heyrieux")),
    ("38544", Some("Médiathèque Le Trente")),
    ("38563", Some("Médiathèque de Voiron")),
    ("38140", Some("Médiathèque de Crolles")),
    ("38269", None),
    ("38053", Some("Médiathèque de Bourgoin-Jallieu")),
    ("38128", Some("Salle polyvalente de Corps")),
];

/// How many activities (besides villages) a commune gets in an edition.
fn weight(insee: &str, k: usize) -> usize {
    match insee {
        "38185" => 14,
        "38421" => 6,
        "38151" | "38544" | "38563" => 4,
        "38317" | "38053" | "38229" | "38169" | "38553" => 3,
        _ => 2 + usize::from(k.is_multiple_of(3)),
    }
}

// ---------------------------------------------------------------- the network

/// What the programme needs from the directory.
struct Network {
    orgs: Vec<Organisation>,
    by_name: BTreeMap<String, i64>,
    by_commune: BTreeMap<String, Vec<i64>>,
    by_theme: BTreeMap<T, Vec<i64>>,
    venues: Vec<Venue>,
    venues_in: BTreeMap<String, Vec<usize>>,
    /// Researchers and speakers with the themes of their organisations.
    speakers: Vec<(i64, BTreeSet<T>)>,
}

impl Network {
    async fn read(c: &impl ConnectionTrait) -> Result<Network, DbErr> {
        let orgs = organisations::list_all_matching(c, &organisations::Filter::default()).await?;
        let mut by_name = BTreeMap::new();
        let mut by_commune: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut by_theme: BTreeMap<T, Vec<i64>> = BTreeMap::new();
        let mut themes_of: BTreeMap<i64, Vec<T>> = BTreeMap::new();
        for o in &orgs {
            by_name.insert(o.data.name.clone(), o.id);
            if let Some(insee) = &o.data.commune_insee {
                by_commune.entry(insee.clone()).or_default().push(o.id);
            }
            if o.kind != OrgKind::Media && o.kind != OrgKind::LocalAuthority {
                for t in &o.data.themes {
                    by_theme.entry(*t).or_default().push(o.id);
                }
            }
            themes_of.insert(o.id, o.data.themes.clone());
        }
        let mut speakers = Vec::new();
        let mut seen = BTreeSet::new();
        for role in [
            PersonRole::Speaker,
            PersonRole::Researcher,
            PersonRole::DoctoralStudent,
        ] {
            let filter = people::Filter {
                role: Some(role),
                ..Default::default()
            };
            for p in people::list_all_matching(c, &filter).await? {
                if !seen.insert(p.id) {
                    continue;
                }
                let themes: BTreeSet<T> = p
                    .memberships
                    .iter()
                    .flat_map(|m| {
                        themes_of
                            .get(&m.organisation_id)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                speakers.push((p.id, themes));
            }
        }
        speakers.sort_by_key(|s| s.0);
        let mut net = Network {
            orgs,
            by_name,
            by_commune,
            by_theme,
            venues: Vec::new(),
            venues_in: BTreeMap::new(),
            speakers,
        };
        net.set_venues(venues::list_all_matching(c, &venues::Filter::default()).await?);
        Ok(net)
    }

    fn set_venues(&mut self, mut list: Vec<Venue>) {
        list.sort_by_key(|v| v.id);
        self.venues_in.clear();
        for (i, v) in list.iter().enumerate() {
            if let Some(insee) = &v.data.commune_insee {
                self.venues_in.entry(insee.clone()).or_default().push(i);
            }
        }
        self.venues = list;
    }

    fn org(&self, name: &str) -> Option<i64> {
        self.by_name.get(name).copied()
    }

    fn venue(&self, name: &str) -> Option<&Venue> {
        self.venues.iter().find(|v| v.data.name == name)
    }

    fn org_kind(&self, id: i64) -> Option<OrgKind> {
        self.orgs.iter().find(|o| o.id == id).map(|o| o.kind)
    }

    /// An organisation working on this theme (the `n`th, round robin).
    fn on_theme(&self, theme: T, n: usize) -> Option<i64> {
        let list = self.by_theme.get(&theme)?;
        list.get(n % list.len()).copied()
    }

    /// A speaker whose organisation works on one of these themes.
    fn speaker(&self, themes: &[T], n: usize) -> Option<i64> {
        let matching: Vec<i64> = self
            .speakers
            .iter()
            .filter(|(_, t)| themes.iter().any(|x| t.contains(x)))
            .map(|(id, _)| *id)
            .collect();
        let list = if matching.is_empty() {
            self.speakers.iter().map(|(id, _)| *id).collect()
        } else {
            matching
        };
        (!list.is_empty()).then(|| list[n % list.len()])
    }
}

/// "de Vif", "d'Eybens", "du Touvet", "des Deux Alpes".
fn of_commune(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if name.starts_with(['A', 'E', 'I', 'O', 'U', 'É', 'Y']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// Adds a venue in each demo commune that has none yet (the library, the
/// museum or the school of the commune, or its village hall), so that the
/// festival can reach every commune of the network.
async fn add_venues(
    c: &impl ConnectionTrait,
    net: &mut Network,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut added = 0;
    for place in communes()? {
        let (insee, name) = (place.insee, place.name);
        if net.venues_in.contains_key(insee) {
            continue;
        }
        let local: Vec<&Organisation> = net
            .orgs
            .iter()
            .filter(|o| o.data.commune_insee.as_deref() == Some(insee))
            .collect();
        let pick = |kind: OrgKind| local.iter().find(|o| o.kind == kind).copied();
        let (venue_name, org, space) = if let Some(o) = pick(OrgKind::Library) {
            (
                o.data.name.clone(),
                Some(o.id),
                ("Salle d'animation", SpaceKind::Workshop, 40),
            )
        } else if let Some(o) = pick(OrgKind::Museum) {
            (
                o.data.name.clone(),
                Some(o.id),
                ("Salles d'exposition", SpaceKind::ExhibitionFloor, 80),
            )
        } else if let Some(o) = pick(OrgKind::School) {
            (
                o.data.name.clone(),
                Some(o.id),
                ("Salle polyvalente", SpaceKind::Classroom, 60),
            )
        } else {
            (
                format!("Salle des fêtes {}", of_commune(name)),
                pick(OrgKind::LocalAuthority).map(|o| o.id),
                ("Grande salle", SpaceKind::Other, 200),
            )
        };
        // The postcode of the local organisations' addresses.
        let postcode = local
            .iter()
            .find_map(|o| o.data.postcode.clone())
            .or_else(|| place.postcodes.first().map(|p| (*p).to_owned()));
        let data = VenueData {
            name: venue_name,
            organisation_id: org,
            postcode,
            commune_insee: Some(insee.to_owned()),
            lat: place.lat,
            lon: place.lon,
            public_transport: Some("Cars et trains : voir itinisere.fr".into()),
            access: Access {
                wheelchair: true,
                ..Default::default()
            },
            description: Some(format!(
                "Lieu d'accueil d'animations scientifiques à {name}."
            )),
            ..Default::default()
        };
        let space = SpaceData {
            name: space.0.into(),
            kind: space.1,
            capacity: Some(space.2),
            notes: None,
        };
        add_venue(c, actor, &data, &[space], now).await?;
        added += 1;
    }
    if added > 0 {
        net.set_venues(venues::list_all_matching(c, &venues::Filter::default()).await?);
    }
    Ok(added)
}

// ---------------------------------------------------------------- building

/// How many records the programme part created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub projects: usize,
    pub activities: usize,
    pub sessions: usize,
    pub venues: usize,
}

/// Adds projects and activities, keeping the slugs of each project unique.
struct Builder<'a, C> {
    c: &'a C,
    now: DateTime<Utc>,
    counts: Counts,
    slugs: HashSet<(i64, String)>,
    pending: Vec<(ActivityData, Vec<SessionData>)>,
}

impl<C: ConnectionTrait> Builder<'_, C> {
    #[allow(clippy::too_many_arguments)]
    async fn project(
        &mut self,
        actor: &Actor,
        name: &str,
        slug: &str,
        kind: ProjectKind,
        (starts_on, ends_on): (NaiveDate, NaiveDate),
        description: &str,
        lead: Option<i64>,
        partners: &[(Option<i64>, PartnerRole)],
    ) -> Result<i64, DbErr> {
        let p = projects::insert(
            self.c,
            &ProjectData {
                slug: slug.into(),
                name: name.into(),
                kind,
                starts_on,
                ends_on,
                description: Some(description.into()),
                lead_user_id: lead,
                status: ProjectStatus::Published,
            },
            self.now,
        )
        .await?;
        let partners: Vec<(i64, PartnerRole)> = partners
            .iter()
            .filter_map(|(o, r)| Some(((*o)?, *r)))
            .collect();
        projects::set_partners(self.c, p.id, &partners).await?;
        let changes = json!({"name": name, "slug": slug, "kind": kind.code(),
               "starts_on": starts_on, "ends_on": ends_on,
               "partners": partners.iter().map(|(o, r)| json!({"organisation_id": o, "role": r.code()})).collect::<Vec<_>>()});
        created(self.c, actor, "project", p.id, name, changes, self.now).await?;
        self.counts.projects += 1;
        Ok(p.id)
    }

    fn slug(&mut self, project: i64, title: &str, place: &str) -> String {
        let base = slugify(title);
        let mut candidate = base.clone();
        if self.slugs.contains(&(project, candidate.clone())) {
            candidate = slugify(&format!("{title} {place}"));
        }
        let mut n = 2;
        let with_place = candidate.clone();
        while self.slugs.contains(&(project, candidate.clone())) {
            candidate = format!("{with_place}-{n}");
            n += 1;
        }
        self.slugs.insert((project, candidate.clone()));
        candidate
    }

    /// Adds an activity and its sessions, written with the others by
    /// [`Builder::flush`].
    fn activity(&mut self, d: &ActivityData, list: &[SessionData]) {
        self.pending.push((d.clone(), list.to_vec()));
        self.counts.activities += 1;
        self.counts.sessions += list.len();
    }

    /// Adds an activity that others go under, and writes it (with those
    /// added before it) to have its id.
    async fn parent(&mut self, d: &ActivityData, list: &[SessionData]) -> Result<i64, DbErr> {
        self.activity(d, list);
        let ids = self.flush().await?;
        ids.last().copied().ok_or(DbErr::RecordNotInserted)
    }

    /// Writes the activities added since the last flush, in order, through
    /// [`activities::insert_many`]. Returns their ids.
    async fn flush(&mut self) -> Result<Vec<i64>, DbErr> {
        let pending = std::mem::take(&mut self.pending);
        let list: Vec<(&ActivityData, &[SessionData])> =
            pending.iter().map(|(d, s)| (d, s.as_slice())).collect();
        activities::insert_many(self.c, &list, self.now).await
    }
}

fn session(
    day: NaiveDate,
    (h, m): (u32, u32),
    minutes: u32,
    capacity: Option<i32>,
    status: SessionStatus,
) -> SessionData {
    let starts_at = paris(day, h, m);
    let end_minutes = h * 60 + m + minutes.max(30);
    let ends_at = paris(day, (end_minutes / 60).min(23), end_minutes % 60);
    SessionData {
        starts_at,
        ends_at: ends_at.max(starts_at + chrono::TimeDelta::minutes(30)),
        capacity,
        status,
        venue_id: None,
    }
}

/// The space of a venue best suited to a format.
fn space_for(v: &Venue, format: F) -> Option<i64> {
    let wanted: &[SpaceKind] = match format {
        F::Talk | F::Screening | F::Meeting | F::Show => &[
            SpaceKind::Auditorium,
            SpaceKind::MeetingRoom,
            SpaceKind::Other,
        ],
        F::Workshop | F::Game => &[
            SpaceKind::Workshop,
            SpaceKind::FabLab,
            SpaceKind::Classroom,
            SpaceKind::MediaLab,
        ],
        F::Exhibition | F::Village => &[SpaceKind::ExhibitionFloor, SpaceKind::Library],
        F::Planetarium => &[SpaceKind::Planetarium],
        F::Walk | F::Other => &[SpaceKind::Outdoor, SpaceKind::Belvedere],
        F::Visit => &[SpaceKind::Other, SpaceKind::Outdoor],
    };
    wanted
        .iter()
        .find_map(|k| v.spaces.iter().find(|s| s.data.kind == *k))
        .or_else(|| v.spaces.first())
        .map(|s| s.id)
}

fn commune_name(insee: &str) -> &'static str {
    commune(insee).map_or("Isère", |c| c.name)
}

/// The days of an edition, from its first Friday.
struct Edition {
    project: i64,
    start: NaiveDate,
    year: i32,
}

impl Edition {
    /// Saturdays and Sundays of the two weekends.
    fn weekend(&self, n: usize) -> NaiveDate {
        plus(self.start, [1, 2, 8, 9][n % 4])
    }

    /// Weekdays (school days) of the edition.
    fn weekday(&self, n: usize) -> NaiveDate {
        plus(self.start, [0, 3, 4, 5, 6, 7, 10][n % 7])
    }
}

/// The sessions of a festival activity, by format and audience.
fn festival_sessions(e: &Edition, tpl: &Tpl, i: usize, capacity: Option<i32>) -> Vec<SessionData> {
    let status = SessionStatus::Scheduled;
    let s = |day, at, minutes| session(day, at, minutes, capacity, status);
    let mut out = Vec::new();
    if tpl.aud.school_only() {
        let day = e.weekday(i);
        out.push(s(day, (9, 30), tpl.minutes));
        out.push(s(day, (14, 0), tpl.minutes));
        if i.is_multiple_of(3) {
            out.push(s(e.weekday(i + 2), (9, 30), tpl.minutes));
        }
        return out;
    }
    match tpl.format {
        F::Exhibition => {
            // Every day of a week, opening hours.
            let first = i % 3;
            for k in 0..7 {
                let day = plus(e.start, (first + k) as u64);
                out.push(s(day, (10, 0), 480));
            }
        }
        F::Talk | F::Meeting | F::Screening => {
            let evening = if i.is_multiple_of(2) {
                (18, 30)
            } else {
                (20, 0)
            };
            out.push(s(e.weekday(i), evening, tpl.minutes));
            if matches!(tpl.aud, Aud::Mixed(_)) {
                out.push(s(e.weekday(i + 3), (10, 0), tpl.minutes));
            } else if i.is_multiple_of(4) {
                out.push(s(e.weekend(i), (16, 0), tpl.minutes));
            }
        }
        F::Walk | F::Visit => {
            if matches!(tpl.aud, Aud::Mixed(_)) {
                out.push(s(e.weekday(i), (10, 0), tpl.minutes));
                out.push(s(e.weekday(i), (14, 0), tpl.minutes));
            }
            out.push(s(e.weekend(i), (10, 0), tpl.minutes));
            out.push(s(e.weekend(i), (14, 30), tpl.minutes));
        }
        F::Other => {
            // An evening under the stars, on a Friday.
            let day = plus(e.start, if i.is_multiple_of(2) { 0 } else { 7 });
            out.push(s(day, (20, 30), tpl.minutes));
        }
        _ => {
            let day = e.weekend(i);
            let slots: &[(u32, u32)] = if tpl.minutes > 90 {
                &[(10, 0), (14, 30)]
            } else {
                &[(10, 0), (14, 0), (16, 0)]
            };
            for at in slots {
                out.push(s(day, *at, tpl.minutes));
            }
            if i.is_multiple_of(5) {
                out.push(s(e.weekend(i + 1), (14, 0), tpl.minutes));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn festival_activity(
    net: &Network,
    e: &Edition,
    tpl: &Tpl,
    i: usize,
    venue: &Venue,
    organisers: Vec<i64>,
    slug: String,
    parent: Option<i64>,
) -> ActivityData {
    let (audiences, levels, min_age) = tpl.aud.audiences();
    let booking = tpl.aud.school_only()
        || matches!(tpl.format, F::Game | F::Other)
        || (tpl.format == F::Workshop && i.is_multiple_of(2))
        || (tpl.format == F::Visit && !i.is_multiple_of(3));
    let external = tpl.format == F::Visit && i.is_multiple_of(3);
    let paid = parent.is_none()
        && matches!(tpl.format, F::Workshop | F::Visit | F::Show)
        && i % 9 == 4
        && !tpl.aud.school_only();
    let registration = if external {
        RegistrationMode::External
    } else if tpl.aud.school_only() && parent.is_none() {
        RegistrationMode::Groups
    } else if booking && parent.is_none() {
        RegistrationMode::Booking
    } else {
        RegistrationMode::None
    };
    let mut access = venue.data.access;
    if i.is_multiple_of(5) {
        access.cognitive = true;
    }
    if tpl.format == F::Walk {
        access.wheelchair = false;
    }
    let speakers: Vec<i64> = if matches!(tpl.format, F::Talk | F::Meeting | F::Screening) {
        let mut v: Vec<i64> = net.speaker(tpl.themes, i).into_iter().collect();
        if tpl.format == F::Meeting {
            v.extend(net.speaker(tpl.themes, i + 1));
        }
        v.dedup();
        v
    } else {
        Vec::new()
    };
    let commune = venue
        .data
        .commune_insee
        .as_deref()
        .map_or("Isère", commune_name);
    let description = format!(
        "{}\n\n**Durée** : {}. {}\n\nDans le cadre de la Fête de la science {} en Isère, à {}.",
        tpl.summary,
        if tpl.format == F::Exhibition || tpl.minutes == 0 {
            "en accès libre aux heures d'ouverture".to_owned()
        } else {
            format!("{} min", tpl.minutes)
        },
        match registration {
            RegistrationMode::Booking => "Sur réservation, places limitées.",
            RegistrationMode::Groups => "Pour les classes, sur réservation.",
            RegistrationMode::External => "Inscription auprès de l'organisateur.",
            RegistrationMode::None => "Entrée libre dans la limite des places disponibles.",
        },
        e.year,
        commune,
    );
    ActivityData {
        project_id: e.project,
        parent_id: parent,
        slug: slug.clone(),
        title: tpl.title.into(),
        summary: Some(tpl.summary.into()),
        description: Some(description),
        format: Some(tpl.format),
        audiences,
        levels,
        min_age,
        themes: tpl.themes.to_vec(),
        organisations: organisers,
        speakers,
        venue_id: Some(venue.id),
        space_id: space_for(venue, tpl.format),
        access,
        free: !paid,
        price: paid.then(|| "5 € ; gratuit pour les moins de 12 ans".to_owned()),
        registration: Some(registration),
        registration_url: external.then(|| format!("https://www.example.org/inscriptions/{slug}")),
        online_url: None,
        status: Some(ActivityStatus::Published),
        source: None,
    }
}

/// The organisers of a festival activity: a local actor when the commune
/// has one, plus a research or association partner on the theme.
fn organisers_for(net: &Network, venue: &Venue, tpl: &Tpl, i: usize) -> Vec<i64> {
    let insee = venue.data.commune_insee.clone().unwrap_or_default();
    let local: Vec<i64> = net
        .by_commune
        .get(&insee)
        .map(|l| {
            l.iter()
                .copied()
                .filter(|o| !matches!(net.org_kind(*o), Some(OrgKind::Media)))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    if let Some(o) = venue.data.organisation_id.filter(|_| i.is_multiple_of(2)) {
        out.push(o);
    } else if !local.is_empty() {
        out.push(local[i % local.len()]);
    }
    let theme = tpl.themes[i % tpl.themes.len()];
    if out.is_empty()
        || matches!(tpl.format, F::Talk | F::Meeting | F::Visit)
        || i.is_multiple_of(3)
    {
        out.extend(net.on_theme(theme, i));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// One edition of the Fête de la science in Isère.
#[allow(clippy::too_many_arguments)]
async fn festival<C: ConnectionTrait>(
    b: &mut Builder<'_, C>,
    net: &Network,
    actor: &Actor,
    year: i32,
    communes: &[&str],
    villages: &[(&str, Option<&str>)],
    stands_per_village: usize,
    offset: usize,
) -> Result<i64, DbErr> {
    let (start, end) = festival_dates(year);
    let partners = [
        (net.org("Territoire de Sciences"), PartnerRole::Organiser),
        (
            net.org("Université Grenoble Alpes"),
            PartnerRole::CoOrganiser,
        ),
        (net.org("CNRS – Délégation Alpes"), PartnerRole::CoOrganiser),
        (net.org("Département de l'Isère"), PartnerRole::Funder),
        (net.org("Grenoble-Alpes Métropole"), PartnerRole::Funder),
        (net.org("Ville de Grenoble"), PartnerRole::Host),
        (net.org("Ville du Pont-de-Claix"), PartnerRole::Host),
        (
            net.org("France Bleu Isère (ici Isère)"),
            PartnerRole::MediaPartner,
        ),
        (net.org("Le Dauphiné Libéré"), PartnerRole::MediaPartner),
        (net.org("Échosciences Grenoble"), PartnerRole::MediaPartner),
    ];
    let project = b
        .project(
            actor,
            &format!("Fête de la science {year} en Isère"),
            &format!("fete-de-la-science-{year}-isere"),
            ProjectKind::Festival,
            (start, end),
            &format!(
                "La {}e édition de la Fête de la science en Isère, du {} au {} octobre {year} : \
                 ateliers, conférences, expositions, visites de laboratoires et villages des \
                 sciences dans tout le département, gratuits pour la plupart, pour le grand \
                 public et les scolaires.",
                year - 1991,
                start.day(),
                end.day()
            ),
            None,
            &partners,
        )
        .await?;
    let e = Edition {
        project,
        start,
        year,
    };
    let mut i = offset;
    // Villages des sciences: a parent event over a weekend (and a school
    // day), with stands and shows under it.
    for (v, (insee, name)) in villages.iter().enumerate() {
        let Some(venue) = name.and_then(|n| net.venue(n)).or_else(|| {
            net.venues_in
                .get(*insee)
                .and_then(|l| l.first())
                .map(|k| &net.venues[*k])
        }) else {
            continue;
        };
        let place = commune_name(insee);
        let title = format!("Village des sciences {}", of_commune(place));
        let friday = plus(start, if v.is_multiple_of(2) { 0 } else { 7 });
        let (sat, sun) = (plus(friday, 1), plus(friday, 2));
        let days = [
            (friday, (9, 0), 450),
            (sat, (10, 0), 480),
            (sun, (10, 0), 480),
        ];
        let parent_sessions: Vec<SessionData> = days
            .iter()
            .map(|(d, at, min)| session(*d, *at, *min, None, SessionStatus::Scheduled))
            .collect();
        let mut organisers = organisers_for(net, venue, &FESTIVAL[0], 1);
        organisers.extend(net.org("Territoire de Sciences"));
        organisers.sort_unstable();
        organisers.dedup();
        let slug = b.slug(project, &title, place);
        let parent = b
            .parent(
                &ActivityData {
                    project_id: project,
                    slug,
                    title: title.clone(),
                    summary: Some(format!(
                        "Le rendez-vous de la Fête de la science {}: une dizaine de stands, des \
                         expériences, des spectacles et des chercheurs à rencontrer en famille.",
                        of_commune(place)
                    )),
                    description: Some(format!(
                        "Pendant trois jours, le village des sciences {} réunit associations, \
                         laboratoires, médiathèques et entreprises du territoire.\n\n\
                         - **vendredi** : accueil des classes sur réservation (de la maternelle \
                         au collège) ;\n- **samedi et dimanche** : ouvert à tous, entrée libre.",
                        of_commune(place)
                    )),
                    format: Some(F::Village),
                    audiences: vec![Audience::General, Audience::Families, Audience::School],
                    levels: vec![L::Maternelle, L::Elementaire, L::College],
                    themes: vec![T::Physics, T::Life, T::Earth, T::Digital],
                    organisations: organisers,
                    venue_id: Some(venue.id),
                    space_id: space_for(venue, F::Village),
                    access: venue.data.access,
                    free: true,
                    registration: Some(RegistrationMode::None),
                    status: Some(ActivityStatus::Published),
                    ..Default::default()
                },
                &parent_sessions,
            )
            .await?;
        for k in 0..stands_per_village {
            let tpl = &STANDS[(v * 3 + k) % STANDS.len()];
            i += 1;
            let slug = b.slug(project, tpl.title, place);
            let organisers = organisers_for(net, venue, tpl, i);
            let mut d = festival_activity(net, &e, tpl, i, venue, organisers, slug, Some(parent));
            let list: Vec<SessionData> = if tpl.format == F::Show {
                [
                    (sat, (11, 0)),
                    (sat, (15, 0)),
                    (sun, (11, 0)),
                    (sun, (15, 0)),
                    (sun, (16, 30)),
                ]
                .iter()
                .map(|(day, at)| session(*day, *at, tpl.minutes, None, SessionStatus::Scheduled))
                .collect()
            } else {
                d.audiences.push(Audience::School);
                d.levels = vec![L::Elementaire, L::College];
                days.iter()
                    .map(|(day, at, min)| session(*day, *at, *min, None, SessionStatus::Scheduled))
                    .collect()
            };
            b.activity(&d, &list);
        }
    }
    // The programme in every commune.
    for (k, insee) in communes.iter().enumerate() {
        let Some(here) = net.venues_in.get(*insee) else {
            continue;
        };
        let place = commune_name(insee);
        for n in 0..weight(insee, k) {
            i += 1;
            let venue = &net.venues[here[n % here.len()]];
            let mut tpl = FESTIVAL[(i * 7 + k) % FESTIVAL.len()];
            if *insee == "38317" && n == 0 {
                tpl = t(
                    "Planétarium : voyage au cœur du système solaire",
                    F::Planetarium,
                    &[T::Astronomy],
                    Aud::Families(6),
                    45,
                    "Sous le dôme du planétarium de Cosmocité, un médiateur vous emmène de \
                     planète en planète, du Soleil jusqu'aux confins de la ceinture de Kuiper.",
                );
            }
            let slug = b.slug(project, tpl.title, place);
            let organisers = organisers_for(net, venue, &tpl, i);
            let mut d = festival_activity(net, &e, &tpl, i, venue, organisers, slug, None);
            let bookable = matches!(
                d.registration,
                Some(RegistrationMode::Booking | RegistrationMode::Groups)
            );
            let capacity = bookable.then_some(if tpl.aud.school_only() {
                30
            } else {
                16 + (i % 3) as i32 * 4
            });
            let mut list = if tpl.format == F::Planetarium {
                let mut v = Vec::new();
                for day in [e.weekend(0), e.weekend(1), e.weekend(2), e.weekend(3)] {
                    for at in [(11, 0), (14, 30), (16, 0)] {
                        v.push(session(day, at, 45, Some(90), SessionStatus::Scheduled));
                    }
                }
                v
            } else {
                festival_sessions(&e, &tpl, i, capacity)
            };
            if i % 41 == 7 && bookable {
                d.status = Some(ActivityStatus::Full);
                for s in &mut list {
                    s.status = SessionStatus::Full;
                }
            } else if i % 59 == 23 {
                d.status = Some(ActivityStatus::Cancelled);
                for s in &mut list {
                    s.status = SessionStatus::Cancelled;
                }
            }
            b.activity(&d, &list);
        }
    }
    // A touring exhibition: one activity, a weekend in each of four
    // médiathèques (its sessions at their own venues).
    let tour: Vec<&Venue> = [
        "Médiathèque de Voiron",
        "Médiathèque de Crolles",
        "Médiathèque Le Trente",
        "Médiathèque de Bourgoin-Jallieu",
    ]
    .iter()
    .filter_map(|n| net.venue(n))
    .collect();
    if let Some(first) = tour.first() {
        let tpl = t(
            "Exposition itinérante : les Alpes, un climat qui change",
            F::Exhibition,
            &[T::Environment, T::Earth],
            Aud::General,
            420,
            "Glaciers qui reculent, saisons qui glissent, forêts qui montent : une exposition \
             qui fait étape dans quatre médiathèques de l'Isère pendant la Fête de la science.",
        );
        let slug = b.slug(project, tpl.title, "");
        let organisers = organisers_for(net, first, &tpl, offset);
        let d = festival_activity(net, &e, &tpl, offset, first, organisers, slug, None);
        let mut list = Vec::new();
        for (k, v) in tour.iter().enumerate() {
            for at in [(10, 0), (14, 0)] {
                let mut s = session(e.weekend(k), at, 180, None, SessionStatus::Scheduled);
                s.venue_id = (k > 0).then_some(v.id);
                list.push(s);
            }
        }
        b.activity(&d, &list);
    }
    Ok(project)
}

// ---------------------------------------------------------------- upcoming projects

/// A simple upcoming activity.
struct Simple<'a> {
    title: &'a str,
    summary: &'a str,
    format: F,
    themes: &'a [T],
    audiences: &'a [Audience],
    levels: &'a [L],
    min_age: Option<i32>,
    organisers: Vec<i64>,
    speakers: Vec<i64>,
    venue: Option<&'a Venue>,
    space: Option<&'a str>,
    registration: RegistrationMode,
}

impl Simple<'_> {
    fn data(&self, project: i64, slug: String) -> ActivityData {
        let space_id = self.venue.and_then(|v| match self.space {
            Some(name) => v.spaces.iter().find(|s| s.data.name == name).map(|s| s.id),
            None => space_for(v, self.format),
        });
        ActivityData {
            project_id: project,
            slug,
            title: self.title.into(),
            summary: Some(self.summary.into()),
            description: Some(format!(
                "{}\n\n{}",
                self.summary,
                match self.registration {
                    RegistrationMode::Booking => "Gratuit, sur réservation.",
                    RegistrationMode::Groups => "Gratuit, pour les classes, sur réservation.",
                    RegistrationMode::External => "Gratuit, sur inscription.",
                    RegistrationMode::None => "Gratuit, entrée libre.",
                }
            )),
            format: Some(self.format),
            audiences: self.audiences.to_vec(),
            levels: self.levels.to_vec(),
            min_age: self.min_age,
            themes: self.themes.to_vec(),
            organisations: self.organisers.clone(),
            speakers: self.speakers.clone(),
            venue_id: self.venue.map(|v| v.id),
            space_id,
            access: self.venue.map(|v| v.data.access).unwrap_or_default(),
            free: true,
            registration: Some(self.registration),
            status: Some(ActivityStatus::Published),
            ..Default::default()
        }
    }
}

const CULT: &[(&str, &str, &[T])] = &[
    (
        "Soirée Cult' : The Last of Us, un champignon peut-il nous transformer en zombies ?",
        "Une mycologue et un épidémiologiste décryptent la série : les champignons parasites existent-ils vraiment, et comment se prépare-t-on à une pandémie ?",
        &[T::Life, T::Health],
    ),
    (
        "Soirée Cult' : Interstellar, trous noirs et dilatation du temps",
        "Une astrophysicienne revient sur les images du trou noir Gargantua et sur la relativité du temps, extraits du film à l'appui.",
        &[T::Astronomy, T::Physics],
    ),
    (
        "Soirée Cult' : Jurassic Park, peut-on ressusciter les dinosaures ?",
        "ADN ancien, clonage, dé-extinction : ce que la paléogénétique permet vraiment aujourd'hui.",
        &[T::Life],
    ),
    (
        "Soirée Cult' : Black Mirror et nos données personnelles",
        "Notation sociale, deepfakes, surveillance : un chercheur en informatique et une juriste confrontent la série à la réalité.",
        &[T::Digital, T::Humanities],
    ),
    (
        "Soirée Cult' : Dune, l'écologie d'une planète désert",
        "Le cycle de l'eau d'Arrakis est-il crédible ? Une climatologue et un hydrologue analysent la planète imaginée par Frank Herbert.",
        &[T::Environment, T::Earth],
    ),
    (
        "Soirée Cult' : Outer Wilds, la physique d'un système solaire miniature",
        "Un jeu vidéo culte décortiqué par un planétologue : gravité, orbites et supernova dans un système solaire de poche.",
        &[T::Astronomy, T::Digital],
    ),
];

/// The projects open for booking in the coming months.
async fn upcoming<C: ConnectionTrait>(
    b: &mut Builder<'_, C>,
    net: &Network,
    actor: &Actor,
    today: NaiveDate,
    lead: Option<i64>,
) -> Result<(), DbErr> {
    let tds = net.org("Territoire de Sciences");
    let casemate = net.venue("La Casemate");
    let cosmocite = net.venue("Cosmocité");
    let ids = |names: &[&str]| -> Vec<i64> { names.iter().filter_map(|n| net.org(n)).collect() };

    // Soirées Cult': the second Thursday of each of the next six months
    // (with a summer break).
    let mut evenings = Vec::new();
    let mut month = today.with_day(1).unwrap_or(today);
    while evenings.len() < CULT.len() {
        let thursday = plus(next_weekday(month, Weekday::Thu), 7);
        if thursday > plus(today, 2) && !matches!(thursday.month(), 7 | 8) {
            evenings.push(thursday);
        }
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(month);
    }
    let (first, last) = (evenings[0], evenings[evenings.len() - 1]);
    let season = if first.month() >= 8 {
        format!("{}-{}", first.year(), first.year() + 1)
    } else {
        format!("{}-{}", first.year() - 1, first.year())
    };
    let p = b
        .project(
            actor,
            &format!("Soirées Cult' {season}"),
            &format!("soirees-cult-{season}"),
            ProjectKind::TalkSeries,
            (first, last),
            "Un jeudi par mois à La Casemate, des expertes et des experts décryptent une série, \
             un film ou un jeu vidéo culte : ce qui est vrai, ce qui est plausible et ce qui \
             relève de la pure fiction. Entrée gratuite sur réservation, verre de l'amitié \
             après la discussion.",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (
                    net.org("Université Grenoble Alpes"),
                    PartnerRole::CoOrganiser,
                ),
                (net.org("Grenoble-Alpes Métropole"), PartnerRole::Funder),
                (
                    net.org("Le Petit Bulletin Grenoble"),
                    PartnerRole::MediaPartner,
                ),
                (net.org("Radio Campus Grenoble"), PartnerRole::MediaPartner),
            ],
        )
        .await?;
    for (k, ((title, summary, themes), day)) in CULT.iter().zip(&evenings).enumerate() {
        let speakers: Vec<i64> = [net.speaker(themes, k), net.speaker(themes, k + 3)]
            .into_iter()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let a = Simple {
            title,
            summary,
            format: F::Meeting,
            themes,
            audiences: &[Audience::General],
            levels: &[],
            min_age: Some(14),
            organisers: tds.into_iter().collect(),
            speakers,
            venue: casemate,
            space: Some("Salle d'exposition"),
            registration: RegistrationMode::Booking,
        };
        let slug = b.slug(p, title, "");
        b.activity(
            &a.data(p, slug),
            &[session(
                *day,
                (19, 0),
                120,
                Some(100),
                SessionStatus::Scheduled,
            )],
        );
    }

    // Space Buzz: planetarium sessions for classes, Tuesday and Thursday
    // at 10:00 and 14:00, on the next twenty school days of those, and a
    // classroom sequence on Fridays.
    let monday = next_weekday(plus(today, 1), Weekday::Mon);
    let school_days = |weekdays: &[Weekday], n: usize| -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut day = monday;
        while out.len() < n {
            if weekdays.contains(&day.weekday()) && school_day(day) {
                out.push(day);
            }
            day = plus(day, 1);
        }
        out
    };
    let planetarium_days = school_days(&[Weekday::Tue, Weekday::Thu], 20);
    let class_days = school_days(&[Weekday::Fri], 10);
    let end = planetarium_days
        .iter()
        .chain(&class_days)
        .copied()
        .max()
        .unwrap_or(monday);
    let school_year = if monday.month() >= 8 {
        format!("{}-{}", monday.year(), monday.year() + 1)
    } else {
        format!("{}-{}", monday.year() - 1, monday.year())
    };
    let p = b
        .project(
            actor,
            &format!("Space Buzz {school_year}"),
            &format!("space-buzz-{school_year}"),
            ProjectKind::SchoolProgramme,
            (monday, end),
            "Un programme pour les classes : une séquence en classe autour de l'exploration \
             spatiale, préparée avec l'enseignant, puis une séance au planétarium de Cosmocité \
             au Pont-de-Claix. Réservation par classe (niveau, nombre d'élèves, \
             accompagnateurs).",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (
                    net.org("Institut de Planétologie et d'Astrophysique de Grenoble"),
                    PartnerRole::CoOrganiser,
                ),
                (
                    net.org("Observatoire des Sciences de l'Univers de Grenoble"),
                    PartnerRole::CoOrganiser,
                ),
                (net.org("Département de l'Isère"), PartnerRole::Funder),
                (net.org("Ville du Pont-de-Claix"), PartnerRole::Host),
            ],
        )
        .await?;
    let shows: [(&str, &str, &[L]); 4] = [
        (
            "Planétarium : voyage au cœur du système solaire",
            "Du Soleil aux planètes géantes, un voyage commenté sous le dôme pour comprendre l'organisation du système solaire.",
            &[L::College],
        ),
        (
            "Planétarium : la vie des étoiles",
            "Naissance, vie et mort des étoiles : nébuleuses, géantes rouges et supernovas.",
            &[L::College, L::Lycee],
        ),
        (
            "Planétarium : le ciel à l'œil nu",
            "Reconnaître les constellations, comprendre le mouvement apparent du Soleil et les phases de la Lune.",
            &[L::Elementaire, L::College],
        ),
        (
            "Planétarium : exoplanètes, à la recherche d'autres mondes",
            "Comment détecte-t-on une planète autour d'une autre étoile ? Une séance pour les collégiens et les lycéens.",
            &[L::College, L::Lycee],
        ),
    ];
    let mut slots: Vec<Vec<SessionData>> = vec![Vec::new(); shows.len()];
    let mut n = 0;
    for date in &planetarium_days {
        for at in [(10, 0), (14, 0)] {
            slots[n % shows.len()].push(session(*date, at, 75, Some(32), SessionStatus::Scheduled));
            n += 1;
        }
    }
    let mediator = net.speaker(&[T::Astronomy], 0);
    for ((title, summary, levels), list) in shows.iter().zip(&slots) {
        let a = Simple {
            title,
            summary,
            format: F::Planetarium,
            themes: &[T::Astronomy],
            audiences: &[Audience::School],
            levels,
            min_age: None,
            organisers: tds.into_iter().collect(),
            speakers: mediator.into_iter().collect(),
            venue: cosmocite,
            space: Some("Planétarium"),
            registration: RegistrationMode::Groups,
        };
        let slug = b.slug(p, title, "");
        b.activity(&a.data(p, slug), list);
    }
    let a = Simple {
        title: "Space Buzz en classe : préparer sa mission spatiale",
        summary: "Une séquence clé en main pour l'enseignant : construire une mission vers Mars, \
                  du choix du lanceur à la vie à bord, avant la visite au planétarium.",
        format: F::Workshop,
        themes: &[T::Astronomy, T::Engineering],
        audiences: &[Audience::School],
        levels: &[L::College],
        min_age: None,
        organisers: ids(&[
            "Territoire de Sciences",
            "Planète Sciences Auvergne-Rhône-Alpes",
        ]),
        speakers: Vec::new(),
        venue: cosmocite,
        space: Some("Salle immersive 3D interactive"),
        registration: RegistrationMode::Groups,
    };
    let slug = b.slug(p, a.title, "");
    let list: Vec<SessionData> = class_days
        .iter()
        .map(|day| session(*day, (9, 30), 90, Some(30), SessionStatus::Scheduled))
        .collect();
    b.activity(&a.data(p, slug), &list);

    // Scientific Game Jam: a weekend about nine weeks ahead.
    let friday = next_weekday(plus(today, 60), Weekday::Fri);
    let (sat, sun) = (plus(friday, 1), plus(friday, 2));
    let p = b
        .project(
            actor,
            &format!("Scientific Game Jam {}", friday.year()),
            &format!("scientific-game-jam-{}", friday.year()),
            ProjectKind::GameJam,
            (friday, sun),
            "48 heures pour créer un jeu vidéo autour du sujet de thèse d'un jeune chercheur : \
             équipes de développeurs, graphistes et sound designers, jury et présentation \
             publique des jeux le dimanche soir à La Casemate.",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (
                    net.org("Collectif Jeu Vidéo Alpes"),
                    PartnerRole::CoOrganiser,
                ),
                (
                    net.org("Université Grenoble Alpes"),
                    PartnerRole::CoOrganiser,
                ),
                (net.org("Grenoble-Alpes Métropole"), PartnerRole::Funder),
                (net.org("Échosciences Grenoble"), PartnerRole::MediaPartner),
            ],
        )
        .await?;
    let researcher = net.speaker(&[T::Environment], 1);
    let jam = [
        (
            Simple {
                title: "Scientific Game Jam : 48 h pour créer un jeu",
                summary: "Les équipes découvrent le sujet de recherche le vendredi soir et ont \
                          jusqu'au dimanche après-midi pour concevoir, programmer et tester leur jeu.",
                format: F::Game,
                themes: &[T::Digital, T::Environment],
                audiences: &[Audience::General],
                levels: &[],
                min_age: Some(16),
                organisers: ids(&["Territoire de Sciences", "Collectif Jeu Vidéo Alpes"]),
                speakers: researcher.into_iter().collect(),
                venue: casemate,
                space: Some("Fab Lab"),
                registration: RegistrationMode::Booking,
            },
            vec![
                session(friday, (18, 0), 300, Some(40), SessionStatus::Scheduled),
                session(sat, (9, 0), 780, Some(40), SessionStatus::Scheduled),
                session(sun, (9, 0), 420, Some(40), SessionStatus::Scheduled),
            ],
        ),
        (
            Simple {
                title: "Scientific Game Jam : présentation des jeux et remise des prix",
                summary: "Venez jouer aux jeux créés pendant le week-end et rencontrer le \
                          chercheur qui a inspiré les équipes.",
                format: F::Meeting,
                themes: &[T::Digital, T::Environment],
                audiences: &[Audience::General, Audience::Families],
                levels: &[],
                min_age: Some(8),
                organisers: ids(&["Territoire de Sciences"]),
                speakers: researcher.into_iter().collect(),
                venue: casemate,
                space: Some("Salle d'exposition"),
                registration: RegistrationMode::None,
            },
            vec![session(sun, (17, 0), 120, None, SessionStatus::Scheduled)],
        ),
    ];
    for (a, list) in &jam {
        let slug = b.slug(p, a.title, "");
        b.activity(&a.data(p, slug), list);
    }

    // Éditathon Femmes et Sciences: the Saturday nearest 8 March.
    let nearest = |year| next_weekday(ymd(year, 3, 5), Weekday::Sat);
    let mut saturday = nearest(today.year());
    if saturday < plus(today, 7) {
        saturday = nearest(today.year() + 1);
    }
    let friday_before = saturday.pred_opt().unwrap_or(saturday);
    let library = net
        .venue("Bibliothèque d'étude et du patrimoine")
        .or(casemate);
    let p = b
        .project(
            actor,
            &format!("Éditathon Femmes et Sciences {}", saturday.year()),
            &format!("editathon-femmes-et-sciences-{}", saturday.year()),
            ProjectKind::Editathon,
            (friday_before, saturday),
            "Une journée d'écriture collaborative pour créer et enrichir les articles \
             d'encyclopédie consacrés aux femmes scientifiques, autour de la Journée \
             internationale des droits des femmes. Aucune expérience nécessaire : des \
             contributrices et contributeurs expérimentés accompagnent les débutants.",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (
                    net.org("Femmes & Sciences – antenne de Grenoble"),
                    PartnerRole::CoOrganiser,
                ),
                (
                    net.org("Wikipédiennes et Wikipédiens de Grenoble"),
                    PartnerRole::CoOrganiser,
                ),
                (
                    net.org("Bibliothèques municipales de Grenoble"),
                    PartnerRole::Host,
                ),
            ],
        )
        .await?;
    let organisers = ids(&[
        "Territoire de Sciences",
        "Wikipédiennes et Wikipédiens de Grenoble",
        "Femmes & Sciences – antenne de Grenoble",
    ]);
    let edit = [
        (
            Simple {
                title: "Atelier : premiers pas de contributrice et de contributeur",
                summary: "Créer son compte, comprendre les règles de l'encyclopédie, citer ses \
                          sources : une soirée pour se préparer à l'éditathon.",
                format: F::Workshop,
                themes: &[T::Humanities, T::Digital],
                audiences: &[Audience::General],
                levels: &[],
                min_age: Some(15),
                organisers: organisers.clone(),
                speakers: Vec::new(),
                venue: library,
                space: None,
                registration: RegistrationMode::Booking,
            },
            vec![session(
                friday_before,
                (18, 0),
                120,
                Some(20),
                SessionStatus::Scheduled,
            )],
        ),
        (
            Simple {
                title: "Éditathon Femmes et Sciences : écrire les scientifiques dans l'encyclopédie",
                summary: "Toute la journée, on écrit et on améliore les biographies de \
                          chercheuses, d'ingénieures et d'inventrices, à partir des fonds de la \
                          bibliothèque.",
                format: F::Workshop,
                themes: &[T::Humanities, T::History],
                audiences: &[Audience::General, Audience::School],
                levels: &[L::Lycee, L::Superieur],
                min_age: Some(15),
                organisers,
                speakers: Vec::new(),
                venue: library,
                space: None,
                registration: RegistrationMode::Booking,
            },
            vec![session(
                saturday,
                (10, 0),
                420,
                Some(40),
                SessionStatus::Scheduled,
            )],
        ),
    ];
    for (a, list) in &edit {
        let slug = b.slug(p, a.title, "");
        b.activity(&a.data(p, slug), list);
    }

    // The journalism residency: twelve weeks from next month.
    let res_start = next_weekday(plus(today, 30), Weekday::Mon);
    let res_end = plus(res_start, 12 * 7 - 3);
    let p = b
        .project(
            actor,
            &format!("Résidence de journalisme {}", res_start.year()),
            &format!("residence-de-journalisme-{}", res_start.year()),
            ProjectKind::Residency,
            (res_start, res_end),
            "Une ou un journaliste en résidence pendant trois mois pour mener, avec des \
             lycéens et des étudiants, un travail d'éducation aux médias sur la représentation \
             des femmes scientifiques dans la presse et les médias.",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (
                    net.org("Sciences Po Grenoble – UGA"),
                    PartnerRole::CoOrganiser,
                ),
                (net.org("Département de l'Isère"), PartnerRole::Funder),
                (net.org("France 3 Alpes"), PartnerRole::MediaPartner),
                (net.org("Le Dauphiné Libéré"), PartnerRole::MediaPartner),
            ],
        )
        .await?;
    let journalist = {
        let filter = people::Filter {
            role: Some(PersonRole::Journalist),
            ..Default::default()
        };
        people::list_all_matching(b.c, &filter)
            .await?
            .into_iter()
            .map(|p| p.id)
            .min()
    };
    let scpo = net
        .venue("Campus universitaire – bâtiment Weil")
        .or(casemate);
    let residency = [
        (
            Simple {
                title: "Rencontre : comment les médias représentent-ils les femmes scientifiques ?",
                summary: "Ouverture de la résidence : la journaliste présente son projet et \
                          échange avec des chercheuses sur leur image dans les médias.",
                format: F::Meeting,
                themes: &[T::Media, T::Humanities],
                audiences: &[Audience::General, Audience::School],
                levels: &[L::Lycee, L::Superieur],
                min_age: None,
                organisers: ids(&["Territoire de Sciences", "Sciences Po Grenoble – UGA"]),
                speakers: journalist.into_iter().collect(),
                venue: scpo,
                space: None,
                registration: RegistrationMode::Booking,
            },
            vec![session(
                plus(res_start, 3),
                (18, 30),
                90,
                Some(80),
                SessionStatus::Scheduled,
            )],
        ),
        (
            Simple {
                title: "Atelier d'éducation aux médias : portrait de chercheuse",
                summary: "Des lycéens réalisent, avec la journaliste en résidence, le portrait \
                          d'une chercheuse d'un laboratoire grenoblois.",
                format: F::Workshop,
                themes: &[T::Media],
                audiences: &[Audience::School],
                levels: &[L::Lycee],
                min_age: None,
                organisers: ids(&["Territoire de Sciences"]),
                speakers: journalist.into_iter().collect(),
                venue: casemate,
                space: Some("Media Lab"),
                registration: RegistrationMode::Booking,
            },
            (0..6u64)
                .map(|w| {
                    session(
                        plus(res_start, 14 + w * 7 + 1),
                        (14, 0),
                        120,
                        Some(15),
                        SessionStatus::Scheduled,
                    )
                })
                .collect(),
        ),
        (
            Simple {
                title: "Restitution de la résidence de journalisme",
                summary: "Projection des reportages et des podcasts réalisés pendant la \
                          résidence, en présence des élèves et des chercheuses interviewées.",
                format: F::Screening,
                themes: &[T::Media, T::Humanities],
                audiences: &[Audience::General],
                levels: &[],
                min_age: None,
                organisers: ids(&["Territoire de Sciences", "Sciences Po Grenoble – UGA"]),
                speakers: journalist.into_iter().collect(),
                venue: casemate,
                space: Some("Salle d'exposition"),
                registration: RegistrationMode::None,
            },
            vec![session(
                res_end,
                (18, 0),
                120,
                None,
                SessionStatus::Scheduled,
            )],
        ),
    ];
    for (a, list) in &residency {
        let slug = b.slug(p, a.title, "");
        b.activity(&a.data(p, slug), list);
    }

    // iForum: one day, about four months ahead, on a Thursday.
    let day = next_weekday(plus(today, 120), Weekday::Thu);
    let p = b
        .project(
            actor,
            &format!("iForum {}", day.year()),
            &format!("iforum-{}", day.year()),
            ProjectKind::Forum,
            (day, day),
            "La rencontre annuelle des acteurs de l'innovation de la région grenobloise : \
             conférences, tables rondes et ateliers sur les questions technologiques et \
             sociales du moment.",
            lead,
            &[
                (tds, PartnerRole::Organiser),
                (net.org("Minalogic"), PartnerRole::CoOrganiser),
                (net.org("Inovallée"), PartnerRole::CoOrganiser),
                (net.org("Grenoble-Alpes Métropole"), PartnerRole::Funder),
                (
                    net.org("Centre Inria de l'Université Grenoble Alpes"),
                    PartnerRole::Host,
                ),
                (net.org("Échosciences Grenoble"), PartnerRole::MediaPartner),
            ],
        )
        .await?;
    let inria = net
        .venue("Centre Inria de l'Université Grenoble Alpes")
        .or(casemate);
    /// Title, summary, format, themes, start (Paris), minutes.
    type Item<'a> = (&'a str, &'a str, F, &'a [T], (u32, u32), u32);
    let forum: [Item; 5] = [
        (
            "iForum : conférence d'ouverture — l'IA frugale",
            "Peut-on concevoir une intelligence artificielle sobre en énergie et en données ?",
            F::Talk,
            &[T::Digital, T::Energy],
            (9, 30),
            60,
        ),
        (
            "Table ronde : semi-conducteurs, l'eau et le territoire",
            "Industriels, chercheurs et élus débattent des besoins en eau et en énergie de la microélectronique dans la vallée.",
            F::Meeting,
            &[T::Engineering, T::Environment],
            (11, 0),
            90,
        ),
        (
            "Atelier : innover avec les usagers",
            "Méthodes de conception participative, retours d'expérience de Fab Labs et de living labs.",
            F::Workshop,
            &[T::Making, T::Humanities],
            (14, 0),
            90,
        ),
        (
            "Table ronde : numérique et inclusion",
            "Comment l'innovation peut-elle ne laisser personne de côté ? Associations et entreprises témoignent.",
            F::Meeting,
            &[T::Digital, T::Humanities],
            (14, 0),
            90,
        ),
        (
            "Démonstrations : les start-up du territoire",
            "Un espace de démonstrations pour découvrir les prototypes des jeunes entreprises de l'agglomération.",
            F::Exhibition,
            &[T::Engineering, T::Digital],
            (9, 0),
            540,
        ),
    ];
    for (k, (title, summary, format, themes, at, minutes)) in forum.iter().enumerate() {
        let a = Simple {
            title,
            summary,
            format: *format,
            themes,
            audiences: &[Audience::Professionals, Audience::General],
            levels: &[],
            min_age: None,
            organisers: ids(&["Territoire de Sciences", "Minalogic"]),
            speakers: if matches!(format, F::Talk | F::Meeting) {
                net.speaker(themes, k).into_iter().collect()
            } else {
                Vec::new()
            },
            venue: inria,
            space: None,
            registration: RegistrationMode::Booking,
        };
        let slug = b.slug(p, title, "");
        b.activity(
            &a.data(p, slug),
            &[session(
                day,
                *at,
                *minutes,
                Some(120),
                SessionStatus::Scheduled,
            )],
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- loading

/// Loads the programme, after the directory.
pub(super) async fn load(
    c: &impl ConnectionTrait,
    actor: &Actor,
    lead: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Counts, DbErr> {
    let mut net = Network::read(c).await?;
    let venues_added = add_venues(c, &mut net, actor, now).await?;
    let today = now.with_timezone(&Paris).date_naive();
    let year = past_festival_year(today);
    let mut b = Builder {
        c,
        now,
        counts: Counts {
            venues: venues_added,
            ..Default::default()
        },
        slugs: HashSet::new(),
        pending: Vec::new(),
    };
    // A few communes took part only in the earlier edition, more only in
    // the latest one (communes gained and lost).
    let territory = communes()?;
    let latest: Vec<&str> = territory
        .iter()
        .enumerate()
        .filter(|(k, _)| k % 13 != 5)
        .map(|(_, c)| c.insee)
        .collect();
    let earlier: Vec<&str> = territory
        .iter()
        .enumerate()
        .filter(|(k, _)| k % 13 == 5 || k % 4 != 1)
        .map(|(_, c)| c.insee)
        .collect();
    festival(
        &mut b,
        &net,
        actor,
        year - 1,
        &earlier,
        &VILLAGES[..5],
        5,
        3,
    )
    .await?;
    festival(&mut b, &net, actor, year, &latest, VILLAGES, 6, 0).await?;
    upcoming(&mut b, &net, actor, today, lead).await?;
    b.flush().await?;
    Ok(b.counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn festival_dates_follow_the_calendar() {
        assert_eq!(festival_dates(2025), (ymd(2025, 10, 3), ymd(2025, 10, 13)));
        assert_eq!(festival_dates(2024), (ymd(2024, 10, 4), ymd(2024, 10, 14)));
        assert_eq!(festival_dates(2026), (ymd(2026, 10, 2), ymd(2026, 10, 12)));
        assert_eq!(past_festival_year(ymd(2026, 11, 29)), 2026);
        assert_eq!(past_festival_year(ymd(2026, 10, 5)), 2025);
        assert_eq!(past_festival_year(ymd(2026, 3, 1)), 2025);
    }

    #[test]
    fn school_days_skip_holidays() {
        assert!(school_day(ymd(2026, 12, 1)));
        assert!(!school_day(ymd(2026, 12, 5)), "a Saturday");
        assert!(!school_day(ymd(2026, 12, 22)), "Christmas holidays");
        assert!(!school_day(ymd(2027, 8, 10)), "summer");
        assert!(!school_day(ymd(2026, 11, 11)), "public holiday");
    }

    #[test]
    fn paris_times_follow_daylight_saving() {
        // 10:00 in Paris is 08:00 UTC in summer time, 09:00 UTC in winter.
        let summer = paris(ymd(2026, 10, 24), 10, 0);
        let winter = paris(ymd(2026, 10, 26), 10, 0);
        assert_eq!(summer.format("%H:%M").to_string(), "08:00");
        assert_eq!(winter.format("%H:%M").to_string(), "09:00");
    }

    #[test]
    fn communes_are_named_with_their_article() {
        for (name, with_article) in [
            ("Vif", "de Vif"),
            ("Eybens", "d'Eybens"),
            ("Le Touvet", "du Touvet"),
            ("Les Deux Alpes", "des Deux Alpes"),
            ("Échirolles", "d'Échirolles"),
        ] {
            assert_eq!(of_commune(name), with_article);
        }
    }

    #[test]
    fn templates_are_sound() {
        for tpl in FESTIVAL.iter().chain(STANDS) {
            assert!(!tpl.themes.is_empty(), "{}", tpl.title);
            assert!(!slugify(tpl.title).is_empty());
        }
        assert!(FESTIVAL.len() >= 40);
        let titles: BTreeSet<&str> = FESTIVAL.iter().map(|t| t.title).collect();
        assert_eq!(titles.len(), FESTIVAL.len(), "a title is listed twice");
        let territory = communes().unwrap();
        for (insee, _) in VILLAGES {
            assert!(territory.iter().any(|c| c.insee == *insee), "{insee}");
        }
    }
}
