//! The directory part of the demo season: a network of science-culture
//! actors all over Isère. Institutions, museums, laboratories and places are
//! real; a few small associations and companies (clubs, collectives, the
//! Atelier Boussole…) are invented, as are all the people (example.org
//! addresses, 04 76 00 … numbers). Capacities, contact details, functions and
//! the organisations' e-mail addresses are illustrative; no SIRET or UAI is
//! set.

use super::{add_venue, created};
use crate::audit::Actor;
use crate::organisations::{self, OrganisationData};
use crate::people::{self, PersonData};
use crate::venues::{Access, SpaceData, VenueData};
use chrono::{DateTime, Utc};
use maillage_domain::directory::{
    Gender, OrgKind as K, PersonRole as R, SpaceKind as S, Theme as T,
};
use maillage_domain::text::fold;
use maillage_geo::Commune;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

// ---------------------------------------------------------------- organisations

#[derive(Debug, Clone, Copy)]
struct Org {
    key: &'static str,
    name: &'static str,
    kind: K,
    insee: &'static str,
    themes: &'static [T],
    description: &'static str,
    address: Option<&'static str>,
    /// The address's postcode, when the commune has several; its first
    /// otherwise.
    postcode: Option<&'static str>,
    website: Option<&'static str>,
    public: bool,
}

const fn org(
    key: &'static str,
    name: &'static str,
    kind: K,
    insee: &'static str,
    themes: &'static [T],
    description: &'static str,
) -> Org {
    Org {
        key,
        name,
        kind,
        insee,
        themes,
        description,
        address: None,
        postcode: None,
        website: None,
        public: true,
    }
}

impl Org {
    const fn at(mut self, address: &'static str) -> Org {
        self.address = Some(address);
        self
    }

    const fn postcode(mut self, code: &'static str) -> Org {
        self.postcode = Some(code);
        self
    }

    const fn web(mut self, url: &'static str) -> Org {
        self.website = Some(url);
        self
    }

    /// Not shown in the public directory.
    const fn private(mut self) -> Org {
        self.public = false;
        self
    }
}

/// Territoire de Sciences and Les Petits Débrouillards, created by
/// `demo::load` before the rest of the directory, completed here.
const TDS: Org = org(
    "tds",
    "Territoire de Sciences",
    K::Museum,
    "38185",
    &[T::Astronomy, T::Earth, T::Environment, T::Making, T::Digital],
    "Établissement public de culture scientifique : La Casemate (Grenoble), Cosmocité (Le Pont-de-Claix) et un programme territorial qui anime le réseau des acteurs de la culture scientifique en Isère.",
)
.at("2 place Saint-Laurent");

const PD: Org = org(
    "pd",
    "Les Petits Débrouillards Auvergne-Rhône-Alpes",
    K::Association,
    "38185",
    &[T::Environment, T::Digital, T::Life, T::Making],
    "Association d'éducation populaire aux sciences : ateliers, animations de rue et clubs pour les enfants et les jeunes, partout dans le département.",
);

const ORGS: &[Org] = &[
    // Museums and science centres
    org("museum", "Muséum de Grenoble", K::Museum, "38185", &[T::Life, T::Earth, T::Environment],
        "Muséum d'histoire naturelle de la ville de Grenoble, au cœur du jardin des plantes : collections de minéralogie, de zoologie et d'entomologie.")
        .at("1 rue Dolomieu").web("https://www.museum-grenoble.fr"),
    org("dauphinois", "Musée dauphinois", K::Museum, "38185", &[T::History, T::Humanities],
        "Musée départemental d'ethnographie installé dans l'ancien couvent Sainte-Marie-d'en-Haut, sur les pentes de la Bastille.")
        .at("30 rue Maurice Gignoux"),
    org("resistance", "Musée de la Résistance et de la Déportation de l'Isère", K::Museum, "38185", &[T::History, T::Humanities],
        "Musée départemental consacré à l'histoire de l'Isère pendant la Seconde Guerre mondiale.")
        .at("14 rue Hébert"),
    org("champollion", "Musée Champollion", K::Museum, "38545", &[T::History, T::Humanities],
        "La maison de la famille Champollion, à Vif : l'aventure du déchiffrement des hiéroglyphes."),
    org("berges", "Musée de la Houille blanche – Maison Bergès", K::Museum, "38547", &[T::Energy, T::History, T::Engineering],
        "La maison d'Aristide Bergès, pionnier de l'hydroélectricité, et l'histoire industrielle de la vallée du Grésivaudan."),
    org("revolution", "Musée de la Révolution française", K::Museum, "38562", &[T::History, T::Humanities],
        "Musée départemental installé dans le château de Vizille, berceau de la Révolution, et son parc.")
        .at("Place du Château"),
    org("matheysin", "Musée matheysin", K::Museum, "38269", &[T::History, T::Earth],
        "Le patrimoine de la Matheysine : mines de charbon anthracite, agriculture et vie quotidienne."),
    org("mine_image", "La Mine Image", K::Museum, "38265", &[T::Earth, T::History, T::Energy],
        "Ancienne mine de charbon visitable : galeries, machines et mémoire des mineurs du plateau matheysin."),
    org("berlioz", "Musée Hector-Berlioz", K::Museum, "38130", &[T::History, T::ArtScience],
        "La maison natale du compositeur ; ateliers sur le son, l'acoustique et les instruments."),
    org("mineraux", "Musée des Minéraux et de la Faune des Alpes", K::Museum, "38052", &[T::Earth, T::Life],
        "Cristaux, minéraux et faune des Alpes dans la vallée de l'Oisans."),
    org("paladru", "Musée archéologique du lac de Paladru", K::Museum, "38082", &[T::History, T::Humanities],
        "Les villages engloutis du lac de Paladru, du néolithique à l'an mil : archéologie subaquatique."),
    org("musee_eau", "Musée de l'Eau", K::Museum, "38319", &[T::Environment, T::Earth],
        "Un musée ludique consacré à l'eau sous toutes ses formes, au pied du Vercors."),
    org("musees_vienne", "Musées de Vienne", K::Museum, "38544", &[T::History, T::Humanities],
        "Les musées de la ville de Vienne : archéologie gallo-romaine, beaux-arts et patrimoine."),
    // Research
    org("cnrs", "CNRS – Délégation Alpes", K::Research, "38185", &[T::Physics, T::Life, T::Environment, T::Humanities],
        "La délégation régionale du Centre national de la recherche scientifique pour les Alpes ; elle accompagne les laboratoires dans leurs actions vers les publics.")
        .at("25 avenue des Martyrs"),
    org("cea", "CEA Grenoble", K::Research, "38185", &[T::Energy, T::Engineering, T::Physics, T::Health],
        "Centre du Commissariat à l'énergie atomique et aux énergies alternatives : micro et nanotechnologies, énergies bas carbone, santé.")
        .at("17 avenue des Martyrs"),
    org("inria", "Centre Inria de l'Université Grenoble Alpes", K::Research, "38249", &[T::Digital, T::Mathematics],
        "Recherche en sciences et technologies du numérique, à Inovallée.")
        .at("655 avenue de l'Europe"),
    org("inrae", "INRAE – site de Grenoble", K::Research, "38421", &[T::Environment, T::Earth],
        "Recherche sur les risques naturels en montagne, les écosystèmes et les ressources en eau (anciennement Irstea).")
        .at("2 rue de la Papeterie"),
    org("ill", "Institut Laue-Langevin", K::Research, "38185", &[T::Physics, T::Chemistry, T::Life],
        "Centre international de recherche qui exploite une source de neutrons pour explorer la matière.")
        .at("71 avenue des Martyrs").web("https://www.ill.eu"),
    org("esrf", "ESRF – Installation européenne de rayonnement synchrotron", K::Research, "38185", &[T::Physics, T::Chemistry, T::History],
        "Le synchrotron européen : des rayons X très brillants pour étudier la matière, du vivant aux objets du patrimoine.")
        .at("71 avenue des Martyrs").web("https://www.esrf.fr"),
    org("osug", "Observatoire des Sciences de l'Univers de Grenoble", K::Research, "38421", &[T::Astronomy, T::Earth, T::Environment],
        "L'OSUG fédère les laboratoires grenoblois des sciences de l'Univers, de la Terre et de l'environnement."),
    org("ipag", "Institut de Planétologie et d'Astrophysique de Grenoble", K::Research, "38421", &[T::Astronomy, T::Physics],
        "L'IPAG étudie les étoiles, les planètes, les comètes et les instruments qui les observent."),
    org("isterre", "Institut des Sciences de la Terre (ISTerre)", K::Research, "38421", &[T::Earth],
        "Séismes, volcans, glissements de terrain et formation des montagnes."),
    org("ige", "Institut des Géosciences de l'Environnement", K::Research, "38421", &[T::Environment, T::Earth],
        "Glaciers, climat, atmosphère, cycle de l'eau : les enveloppes fluides de la Terre."),
    org("leca", "Laboratoire d'Écologie Alpine", K::Research, "38421", &[T::Life, T::Environment],
        "La biodiversité des montagnes et son adaptation aux changements globaux."),
    org("neel", "Institut Néel", K::Research, "38185", &[T::Physics],
        "Physique de la matière condensée : supraconductivité, magnétisme, nanosciences, basses températures."),
    org("lncmi", "Laboratoire national des champs magnétiques intenses", K::Research, "38185", &[T::Physics],
        "Des aimants parmi les plus puissants du monde pour explorer la matière."),
    org("ibs", "Institut de Biologie Structurale", K::Research, "38185", &[T::Life, T::Health],
        "La structure et la dynamique des protéines, des virus et des grandes machines du vivant."),
    org("gin", "Grenoble Institut des Neurosciences", K::Research, "38516", &[T::Health, T::Life],
        "Du neurone au cerveau entier : neurosciences fondamentales et cliniques."),
    org("iab", "Institut pour l'Avancée des Biosciences", K::Research, "38516", &[T::Health, T::Life],
        "Épigénétique, cancer, reproduction et environnement."),
    org("lig", "Laboratoire d'Informatique de Grenoble", K::Research, "38421", &[T::Digital],
        "Intelligence artificielle, données, interaction humain-machine, systèmes et réseaux."),
    org("ljk", "Laboratoire Jean Kuntzmann", K::Research, "38421", &[T::Mathematics, T::Digital],
        "Mathématiques appliquées et informatique : modélisation, calcul, statistiques, images."),
    org("lpnc", "Laboratoire de Psychologie et NeuroCognition", K::Research, "38421", &[T::Humanities, T::Health],
        "Perception, attention, langage, apprentissages et émotions."),
    org("pacte", "Pacte, laboratoire de sciences sociales", K::Research, "38421", &[T::Humanities],
        "Sociologie, science politique, géographie et urbanisme."),
    org("gipsa", "GIPSA-lab", K::Research, "38421", &[T::Engineering, T::Digital, T::Humanities],
        "Traitement du signal, automatique, parole et cognition."),
    org("cen", "Centre d'Études de la Neige", K::Research, "38421", &[T::Environment, T::Earth],
        "Le laboratoire de Météo-France et du CNRS consacré au manteau neigeux et aux avalanches."),
    // Universities and higher education
    org("uga", "Université Grenoble Alpes", K::University, "38421", &[T::Physics, T::Life, T::Earth, T::Humanities, T::Digital],
        "L'université du sillon alpin : 60 000 étudiantes et étudiants, des laboratoires dans tous les champs du savoir et un service de culture scientifique.")
        .at("621 avenue Centrale").web("https://www.univ-grenoble-alpes.fr"),
    org("inp", "Grenoble INP – UGA", K::University, "38185", &[T::Engineering, T::Digital, T::Energy],
        "L'institut d'ingénierie et de management de l'Université Grenoble Alpes.")
        .at("46 avenue Félix Viallet").web("https://www.grenoble-inp.fr"),
    org("scpo", "Sciences Po Grenoble – UGA", K::University, "38421", &[T::Humanities, T::Media],
        "Institut d'études politiques ; partenaire de la résidence de journalisme."),
    org("gem", "Grenoble École de Management", K::University, "38185", &[T::Humanities, T::Digital],
        "École de management, de la technologie et de l'innovation.")
        .at("12 rue Pierre Sémard"),
    org("ensag", "École nationale supérieure d'architecture de Grenoble", K::University, "38185", &[T::ArtScience, T::Engineering, T::Environment],
        "Architecture, construction en terre et transition écologique."),
    org("esad", "École supérieure d'art et design Grenoble-Valence", K::University, "38185", &[T::ArtScience],
        "École d'art : création, design graphique, recherche en art."),
    org("iut1", "IUT1 de Grenoble", K::University, "38185", &[T::Engineering, T::Chemistry],
        "Institut universitaire de technologie : chimie, génie électrique, mesures physiques."),
    // Libraries
    org("bm_grenoble", "Bibliothèques municipales de Grenoble", K::Library, "38185", &[T::History, T::Humanities],
        "Le réseau de lecture publique de la ville : bibliothèques de quartier et Bibliothèque d'étude et du patrimoine.")
        .web("https://www.bm-grenoble.fr"),
    org("med_fontaine", "Médiathèque de Fontaine", K::Library, "38169", &[T::Digital, T::Life],
        "Ateliers numériques, heures du conte scientifiques et rencontres pendant la Fête de la science."),
    org("med_echirolles", "Réseau des médiathèques d'Échirolles", K::Library, "38151", &[T::Digital, T::Making],
        "Des médiathèques de quartier ; un espace de fabrication numérique ouvert aux familles."),
    org("med_egreve", "Médiathèque de Saint-Égrève", K::Library, "38382", &[T::Environment],
        "Expositions et conférences sur la nature et le climat."),
    org("med_meylan", "Médiathèque de Meylan", K::Library, "38229", &[T::Astronomy, T::Digital],
        "Rencontres avec des chercheurs et soirées d'observation du ciel avec le club d'astronomie."),
    org("med_voiron", "Réseau des médiathèques du Pays Voironnais", K::Library, "38563", &[T::Environment, T::Life],
        "Les bibliothèques du Pays Voironnais en réseau ; une programmation scientifique chaque automne."),
    org("med_vienne", "Médiathèque Le Trente", K::Library, "38544", &[T::History, T::Digital],
        "La médiathèque de Vienne : expositions, ateliers numériques et conférences."),
    org("med_bourgoin", "Médiathèque de Bourgoin-Jallieu", K::Library, "38053", &[T::Life],
        "Une médiathèque du réseau de la Porte de l'Isère.")
        .private(),
    org("med_villefontaine", "Médiathèque de Villefontaine", K::Library, "38553", &[T::Making, T::Digital],
        "Ateliers de robotique et de programmation pour les jeunes."),
    org("med_crolles", "Médiathèque de Crolles", K::Library, "38140", &[T::Engineering, T::Digital],
        "Un espace sciences, des rencontres avec les ingénieurs de la vallée."),
    org("med_vizille", "Médiathèque de Vizille", K::Library, "38562", &[T::History],
        "Lecture publique et actions culturelles dans le sud de l'agglomération.")
        .private(),
    org("med_villard", "Médiathèque de Villard-de-Lans", K::Library, "38548", &[T::Environment, T::Astronomy],
        "Nature du Vercors, montagne et ciel étoilé.")
        .private(),
    org("med_oisans", "Médiathèque de l'Oisans", K::Library, "38052", &[T::Earth],
        "Géologie, glaciers et patrimoine de l'Oisans."),
    org("med_stmarcellin", "Médiathèque de Saint-Marcellin", K::Library, "38416", &[T::Life],
        "Une médiathèque du Sud-Grésivaudan, partenaire des écoles du territoire."),
    org("med_tdp", "Médiathèque de La Tour-du-Pin", K::Library, "38509", &[T::Environment],
        "Expositions itinérantes et ateliers scientifiques pour les familles."),
    org("med_pontcharra", "Médiathèque de Pontcharra", K::Library, "38314", &[T::Making],
        "Des ateliers de bricolage scientifique pour les enfants.")
        .private(),
    org("med_voreppe", "Médiathèque de Voreppe", K::Library, "38565", &[T::Life, T::Environment],
        "Cafés sciences et grainothèque."),
    org("med_eybens", "Médiathèque d'Eybens", K::Library, "38158", &[T::Digital],
        "Jeux vidéo, culture numérique et éducation aux médias."),
    org("med_roussillon", "Médiathèque de Roussillon", K::Library, "38344", &[T::Chemistry],
        "Une médiathèque au cœur de la vallée de la chimie.")
        .private(),
    org("med_cremieu", "Médiathèque de Crémieu", K::Library, "38138", &[T::History],
        "Patrimoine de l'Isle Crémieu et sciences de la nature.")
        .private(),
    org("med_morestel", "Médiathèque de Morestel", K::Library, "38261", &[T::Life],
        "Lecture publique dans les Balcons du Dauphiné.")
        .private(),
    org("med_trieves", "Médiathèque du Trièves", K::Library, "38226", &[T::Astronomy, T::Environment],
        "Médiathèque intercommunale ; nuits des étoiles avec le club d'astronomie du Trièves."),
    org("med_csa", "Médiathèque de La Côte-Saint-André", K::Library, "38130", &[T::ArtScience],
        "Musique et sciences, en lien avec le musée Hector-Berlioz.")
        .private(),
    org("med_allevard", "Médiathèque d'Allevard", K::Library, "38006", &[T::Earth, T::History],
        "Mines de fer, thermalisme et montagne.")
        .private(),
    org("med_sassenage", "Médiathèque de Sassenage", K::Library, "38474", &[T::Earth],
        "Les cuves de Sassenage et la géologie du Vercors."),
    org("med_seyssinet", "Médiathèque de Seyssinet-Pariset", K::Library, "38485", &[T::Digital],
        "Ateliers de culture numérique pour tous les âges.")
        .private(),
    org("med_slp", "Médiathèque de Saint-Laurent-du-Pont", K::Library, "38412", &[T::Environment],
        "La forêt de Chartreuse et ses habitants.")
        .private(),
    org("med_beaurepaire", "Médiathèque de Beaurepaire", K::Library, "38034", &[T::Life],
        "Lecture publique dans la Bièvre-Valloire.")
        .private(),
    // Local authorities
    org("dept", "Département de l'Isère", K::LocalAuthority, "38185", &[T::History, T::Environment],
        "Le Département soutient la culture scientifique, les musées départementaux et la lecture publique.")
        .at("7 rue Fantin-Latour"),
    org("metro", "Grenoble-Alpes Métropole", K::LocalAuthority, "38185", &[T::Environment, T::Engineering],
        "Quarante-neuf communes ; enseignement supérieur, recherche et innovation parmi ses compétences.")
        .at("3 rue Malakoff"),
    org("ville_grenoble", "Ville de Grenoble", K::LocalAuthority, "38185", &[T::Environment],
        "La ville centre, ses bibliothèques et son muséum."),
    org("ville_pdc", "Ville du Pont-de-Claix", K::LocalAuthority, "38317", &[T::Astronomy, T::Environment],
        "La commune qui accueille Cosmocité."),
    org("ville_echirolles", "Ville d'Échirolles", K::LocalAuthority, "38151", &[T::Digital],
        "Deuxième ville de l'agglomération ; politique jeunesse et culture scientifique."),
    org("pays_voironnais", "Communauté d'agglomération du Pays Voironnais", K::LocalAuthority, "38563", &[T::Environment],
        "Trente et une communes autour de Voiron ; réseau des bibliothèques."),
    org("gresivaudan", "Communauté de communes Le Grésivaudan", K::LocalAuthority, "38140", &[T::Engineering, T::Environment],
        "La vallée de l'innovation, entre Belledonne et Chartreuse."),
    org("capi", "Communauté d'agglomération Porte de l'Isère (CAPI)", K::LocalAuthority, "38193", &[T::Digital],
        "L'agglomération du Nord-Isère et son réseau de médiathèques."),
    org("vienne_agglo", "Vienne Condrieu Agglomération", K::LocalAuthority, "38544", &[T::History],
        "Trente communes de part et d'autre du Rhône."),
    org("smvic", "Saint-Marcellin Vercors Isère Communauté", K::LocalAuthority, "38416", &[T::Environment],
        "Quarante-sept communes entre Vercors et vallée de l'Isère.")
        .private(),
    org("cc_trieves", "Communauté de communes du Trièves", K::LocalAuthority, "38226", &[T::Environment, T::Astronomy],
        "Un territoire rural et montagnard au ciel préservé."),
    org("cc_oisans", "Communauté de communes de l'Oisans", K::LocalAuthority, "38052", &[T::Earth, T::Environment],
        "Les vallées de l'Oisans, de Livet-et-Gavet à La Grave.")
        .private(),
    org("cc_vercors", "Communauté de communes du Massif du Vercors", K::LocalAuthority, "38548", &[T::Environment],
        "Les Quatre Montagnes : Autrans-Méaudre, Corrençon, Lans et Villard.")
        .private(),
    org("cc_matheysine", "Communauté de communes de la Matheysine", K::LocalAuthority, "38269", &[T::History, T::Energy],
        "Le plateau matheysin, son patrimoine minier et ses lacs.")
        .private(),
    org("pnr_chartreuse", "Parc naturel régional de Chartreuse", K::LocalAuthority, "38442", &[T::Environment, T::Life],
        "Éducation au territoire, sorties nature et découverte des patrimoines de la Chartreuse."),
    org("pnr_vercors", "Parc naturel régional du Vercors", K::LocalAuthority, "38205", &[T::Environment, T::Earth, T::Life],
        "Le parc gère notamment la Réserve naturelle des Hauts-Plateaux du Vercors."),
    org("corps", "Commune de Corps", K::LocalAuthority, "38128", &[T::Astronomy],
        "Un village de montagne du Beaumont ; soirées d'observation du ciel l'été.")
        .private(),
    org("chamrousse", "Commune de Chamrousse", K::LocalAuthority, "38567", &[T::Environment, T::Earth],
        "Station de Belledonne ; sentiers de découverte et animations nature."),
    org("heyrieux", "Commune de Heyrieux", K::LocalAuthority, "38189", &[T::Life],
        "Une commune du Nord-Isère qui accueille chaque année un village des sciences.")
        .private(),
    org("sjb", "Commune de Saint-Jean-de-Bournay", K::LocalAuthority, "38399", &[T::Environment],
        "Commune des Collines du Nord-Dauphiné.")
        .private(),
    // Schools
    org("ly_champollion", "Lycée Champollion", K::School, "38185", &[T::Physics, T::Mathematics],
        "Lycée général et classes préparatoires scientifiques au centre de Grenoble."),
    org("europole", "Cité scolaire internationale Europole", K::School, "38185", &[T::Life, T::Physics],
        "Collège et lycée internationaux ; sections de langues.")
        .private(),
    org("ly_curie", "Lycée Marie-Curie", K::School, "38151", &[T::Chemistry, T::Physics],
        "Lycée général et technologique d'Échirolles.")
        .private(),
    org("ly_neruda", "Lycée Pablo-Neruda", K::School, "38421", &[T::Mathematics],
        "Lycée général et technologique de Saint-Martin-d'Hères.")
        .private(),
    org("ly_gresivaudan", "Lycée du Grésivaudan", K::School, "38229", &[T::Life, T::Astronomy],
        "Lycée de Meylan ; club d'astronomie des élèves."),
    org("ly_buisson", "Lycée Ferdinand-Buisson", K::School, "38563", &[T::Life],
        "Lycée général et technologique de Voiron.")
        .private(),
    org("ly_ponsard", "Lycée François-Ponsard", K::School, "38544", &[T::Physics],
        "Lycée général de Vienne.")
        .private(),
    org("ly_oiselet", "Lycée L'Oiselet", K::School, "38053", &[T::Engineering],
        "Lycée polyvalent de Bourgoin-Jallieu.")
        .private(),
    org("ly_cartan", "Lycée Élie-Cartan", K::School, "38509", &[T::Mathematics, T::Engineering],
        "Lycée polyvalent de La Tour-du-Pin.")
        .private(),
    org("ly_berlioz", "Lycée Hector-Berlioz", K::School, "38130", &[T::Physics],
        "Lycée général et technologique de La Côte-Saint-André.")
        .private(),
    org("ly_matheysine", "Lycée de la Matheysine", K::School, "38269", &[T::Earth],
        "Lycée polyvalent de La Mure.")
        .private(),
    org("ly_terrail", "Lycée Pierre-du-Terrail", K::School, "38314", &[T::Engineering],
        "Lycée polyvalent de Pontcharra.")
        .private(),
    org("ly_vinci", "Lycée Léonard-de-Vinci", K::School, "38553", &[T::Engineering, T::Digital],
        "Lycée polyvalent de Villefontaine.")
        .private(),
    org("co_valles", "Collège Jules-Vallès", K::School, "38169", &[T::Life, T::Astronomy],
        "Collège de Fontaine ; classes inscrites à Space Buzz."),
    org("co_grandsom", "Collège Le Grand Som", K::School, "38412", &[T::Environment],
        "Collège de Saint-Laurent-du-Pont, en Chartreuse.")
        .private(),
    org("co_massegu", "Collège Le Massegu", K::School, "38545", &[T::Physics],
        "Collège de Vif.")
        .private(),
    org("co_cuynat", "Collège Marcel-Cuynat", K::School, "38242", &[T::Life, T::Astronomy],
        "Collège de Monestier-de-Clermont, dans le Trièves.")
        .private(),
    org("co_oisans", "Collège des Six Vallées", K::School, "38052", &[T::Earth],
        "Collège du Bourg-d'Oisans.")
        .private(),
    org("jean_prevost", "Cité scolaire Jean-Prévost", K::School, "38548", &[T::Environment],
        "Collège et lycée de Villard-de-Lans ; sections sportives montagne.")
        .private(),
    org("ec_versoud", "Groupe scolaire du Versoud", K::School, "38538", &[T::Life],
        "École maternelle et élémentaire.")
        .private(),
    org("ec_poisat", "École élémentaire de Poisat", K::School, "38309", &[T::Astronomy],
        "Une classe de CM2 inscrite à Space Buzz.")
        .private(),
    // Companies
    org("st", "STMicroelectronics Crolles", K::Company, "38140", &[T::Digital, T::Engineering, T::Physics],
        "Site de recherche et de fabrication de semi-conducteurs ; ses ingénieures et ingénieurs interviennent dans les classes.")
        .at("850 rue Jean Monnet"),
    org("schneider", "Schneider Electric", K::Company, "38185", &[T::Energy, T::Engineering],
        "Gestion de l'énergie et automatismes ; des sites de recherche dans l'agglomération grenobloise."),
    org("soitec", "Soitec", K::Company, "38039", &[T::Engineering, T::Physics],
        "Conception et production de matériaux semi-conducteurs innovants."),
    org("alat", "Air Liquide Advanced Technologies", K::Company, "38474", &[T::Engineering, T::Astronomy],
        "Cryogénie pour le spatial, la science et l'énergie.")
        .private(),
    org("lynred", "Lynred", K::Company, "38540", &[T::Physics, T::Astronomy],
        "Détecteurs infrarouges pour l'observation de la Terre et l'astronomie."),
    org("bd", "Becton Dickinson – site du Pont-de-Claix", K::Company, "38317", &[T::Health],
        "Production de dispositifs médicaux.")
        .private(),
    org("arkema", "Arkema – plateforme chimique de Jarrie", K::Company, "38200", &[T::Chemistry],
        "Chimie du chlore ; visites du site pendant la Fête de la science.")
        .private(),
    org("rossignol", "Skis Rossignol", K::Company, "38400", &[T::Engineering, T::Physics],
        "Conception de skis et de matériel de sports d'hiver.")
        .private(),
    org("edf_hydro", "EDF Hydro Alpes", K::Company, "38185", &[T::Energy, T::Environment],
        "Les centrales hydroélectriques des Alpes et leur histoire."),
    org("boussole", "Atelier Boussole", K::Company, "38486", &[T::Making, T::ArtScience],
        "Coopérative de médiation scientifique : ateliers, jeux et expositions sur mesure.")
        .private(),
    // Media
    org("echosciences", "Échosciences Grenoble", K::Media, "38185", &[T::Media],
        "Le réseau social de la culture scientifique en Isère : agenda, articles et dossiers écrits par la communauté.")
        .web("https://www.echosciences-grenoble.fr"),
    org("rcf", "RCF Isère", K::Media, "38185", &[T::Media],
        "Radio locale ; une chronique scientifique hebdomadaire."),
    org("france_bleu", "France Bleu Isère (ici Isère)", K::Media, "38185", &[T::Media],
        "La radio locale du service public en Isère."),
    org("dauphine", "Le Dauphiné Libéré", K::Media, "38540", &[T::Media],
        "Le quotidien régional ; rédactions locales dans tout le département."),
    org("france3", "France 3 Alpes", K::Media, "38185", &[T::Media],
        "La rédaction régionale de France 3 à Grenoble."),
    org("radio_campus", "Radio Campus Grenoble", K::Media, "38421", &[T::Media, T::Humanities],
        "Radio associative étudiante ; une émission de vulgarisation animée par des doctorants."),
    org("petit_bulletin", "Le Petit Bulletin Grenoble", K::Media, "38185", &[T::Media],
        "Hebdomadaire culturel gratuit.")
        .private(),
    // Associations
    org("planete_sciences", "Planète Sciences Auvergne-Rhône-Alpes", K::Association, "38151", &[T::Astronomy, T::Engineering],
        "Activités scientifiques et techniques pour les jeunes : fusées à eau, robotique, astronomie."),
    org("fne", "France Nature Environnement Isère", K::Association, "38185", &[T::Environment, T::Life],
        "Fédération d'associations de protection de la nature et de l'environnement.")
        .at("5 place Bir-Hakeim"),
    org("lpo", "LPO Auvergne-Rhône-Alpes – délégation Isère", K::Association, "38185", &[T::Life, T::Environment],
        "Protection des oiseaux et de la biodiversité ; sorties et comptages participatifs."),
    org("gentiana", "Gentiana, société botanique dauphinoise", K::Association, "38185", &[T::Life],
        "Connaissance et protection de la flore de l'Isère."),
    org("femmes_sciences", "Femmes & Sciences – antenne de Grenoble", K::Association, "38185", &[T::Humanities],
        "Promouvoir les sciences et techniques auprès des filles ; partenaire de l'éditathon Femmes et Sciences."),
    org("astro_vercors", "Club d'astronomie du Vercors", K::Association, "38225", &[T::Astronomy],
        "Soirées d'observation sur le plateau, initiation et astrophotographie.")
        .postcode("38880"),
    org("astro_viennois", "Club d'astronomie du Pays viennois", K::Association, "38487", &[T::Astronomy],
        "Observations publiques et conférences à Vienne et alentour.")
        .private(),
    org("astro_voironnais", "Club d'astronomie du Pays voironnais", K::Association, "38239", &[T::Astronomy],
        "Un club d'amateurs équipé de télescopes mobiles."),
    org("astro_trieves", "Club d'astronomie du Trièves", K::Association, "38103", &[T::Astronomy],
        "Observer le ciel noir du Trièves, au pied du Mont Aiguille."),
    org("repair_eybens", "Repair Café d'Eybens", K::Association, "38158", &[T::Making, T::Environment],
        "Réparer ensemble plutôt que jeter, un samedi par mois.")
        .private(),
    org("robot_ida", "Club de robotique de L'Isle-d'Abeau", K::Association, "38193", &[T::Engineering, T::Digital],
        "Des jeunes qui construisent des robots pour les coupes de robotique."),
    org("geol_gresivaudan", "Amis de la géologie du Grésivaudan", K::Association, "38511", &[T::Earth],
        "Sorties de terrain et conférences sur la géologie des Alpes.")
        .private(),
    org("mjc_cheruy", "MJC de Pont-de-Chéruy", K::Association, "38316", &[T::Digital, T::Making],
        "Maison des jeunes et de la culture ; ateliers de programmation.")
        .private(),
    org("mathey_patrimoine", "Matheysine Sciences et Patrimoine", K::Association, "38499", &[T::History, T::Earth],
        "La mémoire scientifique et industrielle du plateau matheysin."),
    org("jeu_video_alpes", "Collectif Jeu Vidéo Alpes", K::Association, "38185", &[T::Digital, T::ArtScience],
        "Développeuses et développeurs de jeux indépendants ; coorganise le Scientific Game Jam."),
    org("wiki_grenoble", "Wikipédiennes et Wikipédiens de Grenoble", K::Association, "38185", &[T::Humanities, T::Media],
        "Groupe local de contributeurs ; anime l'éditathon Femmes et Sciences."),
    org("meteo_climat", "Météo et Climat des Alpes", K::Association, "38179", &[T::Environment, T::Earth],
        "Passionnés de météorologie ; stations amateurs et conférences sur le climat."),
    org("fabrique_rives", "La Fabrique de Rives", K::Association, "38337", &[T::Making],
        "Atelier partagé de fabrication : impression 3D, électronique, bois."),
    org("sciences_viennois", "Sciences en Pays viennois", K::Association, "38318", &[T::Physics, T::History],
        "Association de culture scientifique du Nord-Isère rhodanien.")
        .private(),
    // Others
    org("mps", "Maison pour la science en Alpes Dauphiné", K::Other, "38421", &[T::Physics, T::Life],
        "Formation des professeurs aux sciences, au contact des chercheurs."),
    org("minalogic", "Minalogic", K::Other, "38185", &[T::Digital, T::Engineering],
        "Pôle de compétitivité des technologies du numérique ; partenaire de l'iForum."),
    org("mnei", "Maison de la Nature et de l'Environnement de l'Isère", K::Other, "38185", &[T::Environment],
        "Lieu ressource qui héberge des associations d'environnement.")
        .at("5 place Bir-Hakeim"),
    org("chu", "CHU Grenoble Alpes", K::Other, "38516", &[T::Health],
        "Le centre hospitalier universitaire ; ses soignants et chercheurs interviennent aux Soirées Cult'.")
        .private(),
    org("inovallee", "Inovallée", K::Other, "38249", &[T::Digital, T::Engineering],
        "Technopole de Meylan et Montbonnot.")
        .private(),
    org("ot_huez", "Office de tourisme de l'Alpe d'Huez", K::Other, "38191", &[T::Astronomy, T::Environment],
        "Nuits des étoiles et balades nature en altitude."),
    org("ot_2alpes", "Office de tourisme des Deux Alpes", K::Other, "38253", &[T::Earth, T::Environment],
        "Découverte du glacier et de la haute montagne.")
        .postcode("38860")
        .private(),
    org("ludo_domene", "Ludothèque de Domène", K::Other, "38150", &[T::Mathematics],
        "Jeux de logique et de stratégie pour tous.")
        .private(),
];

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Copy)]
struct Person {
    first: &'static str,
    last: &'static str,
    gender: Option<Gender>,
    roles: &'static [R],
    org: &'static str,
    function: &'static str,
    also: Option<(&'static str, &'static str)>,
    notes: Option<&'static str>,
    email: bool,
}

const F: Gender = Gender::Female;
const M: Gender = Gender::Male;
const NB: Gender = Gender::NonBinary;

const fn p(
    first: &'static str,
    last: &'static str,
    gender: Gender,
    roles: &'static [R],
    org: &'static str,
    function: &'static str,
) -> Person {
    Person {
        first,
        last,
        gender: Some(gender),
        roles,
        org,
        function,
        also: None,
        notes: None,
        email: true,
    }
}

impl Person {
    /// A second membership.
    const fn also(mut self, org: &'static str, function: &'static str) -> Person {
        self.also = Some((org, function));
        self
    }

    const fn note(mut self, notes: &'static str) -> Person {
        self.notes = Some(notes);
        self
    }

    /// Gender not given.
    const fn unstated(mut self) -> Person {
        self.gender = None;
        self
    }

    const fn no_email(mut self) -> Person {
        self.email = false;
        self
    }
}

const STAFF: &[R] = &[R::Staff];
const CONTACT: &[R] = &[R::PartnerContact];
const RESEARCHER: &[R] = &[R::Researcher];
const RESEARCHER_SPEAKER: &[R] = &[R::Researcher, R::Speaker];
const PHD: &[R] = &[R::DoctoralStudent];
const PHD_SPEAKER: &[R] = &[R::DoctoralStudent, R::Speaker];
const SPEAKER: &[R] = &[R::Speaker];
const JOURNALIST: &[R] = &[R::Journalist];
const TEACHER: &[R] = &[R::Teacher];
const TEACHER_CONTACT: &[R] = &[R::Teacher, R::PartnerContact];
const VOLUNTEER: &[R] = &[R::Volunteer];
const VOLUNTEER_CONTACT: &[R] = &[R::Volunteer, R::PartnerContact];
const VOLUNTEER_SPEAKER: &[R] = &[R::Volunteer, R::Speaker];
const CONTACT_SPEAKER: &[R] = &[R::PartnerContact, R::Speaker];
const RESEARCHER_CONTACT: &[R] = &[R::Researcher, R::PartnerContact];

const PEOPLE: &[Person] = &[
    // Territoire de Sciences
    p("Hélène", "Vasseur", F, STAFF, "tds", "directrice"),
    p("Karim", "Benali", M, STAFF, "tds", "responsable du programme territorial"),
    p("Juliette", "Marchand", F, STAFF, "tds", "coordinatrice de la Fête de la science en Isère"),
    p("Thomas", "Nguyen", M, STAFF, "tds", "chargé de projets (Scientific Game Jam, iForum)"),
    p("Inès", "Ferreira", F, STAFF, "tds", "chargée de projets médias et égalité (résidence de journalisme, éditathon)"),
    p("Mathieu", "Girard", M, STAFF, "tds", "médiateur scientifique, planétarium de Cosmocité"),
    p("Clémence", "Rey", F, STAFF, "tds", "médiatrice scientifique, Fab Lab de La Casemate"),
    p("Yanis", "Haddad", M, STAFF, "tds", "fabmanager"),
    p("Sarah", "Lefèvre", F, STAFF, "tds", "chargée de communication"),
    p("Aurélien", "Bouvier", M, STAFF, "tds", "régisseur général"),
    p("Nadia", "Ouedraogo", F, STAFF, "tds", "chargée des publics scolaires (Space Buzz)"),
    p("Élodie", "Chabert", F, STAFF, "tds", "responsable d'Échosciences Grenoble").also("echosciences", "animatrice de la communauté"),
    p("Lucas", "Perrin", M, STAFF, "tds", "médiateur scientifique, salle immersive"),
    p("Bernard", "Faure", M, VOLUNTEER, "tds", "bénévole, accueil du planétarium").no_email(),
    p("Josette", "Vinet", F, VOLUNTEER, "tds", "bénévole, Fête de la science").no_email(),
    p("Ali", "Benkirane", M, VOLUNTEER, "tds", "étudiant bénévole, soirées Cult'"),
    p("Capucine", "Dufresne", F, VOLUNTEER, "tds", "bénévole, Media Lab"),
    p("Tom", "Lefort", M, VOLUNTEER, "tds", "étudiant bénévole, Fab Lab").unstated(),
    // Les Petits Débrouillards
    p("Zoé", "Mallet", F, CONTACT, "pd", "coordinatrice de l'antenne Isère"),
    p("Ibrahim", "Keita", M, CONTACT, "pd", "animateur scientifique"),
    p("Lou", "Reymond", NB, VOLUNTEER, "pd", "animateur·rice bénévole"),
    // Researchers and doctoral students
    p("Amélie", "Rochas", F, RESEARCHER_SPEAKER, "ipag", "astrophysicienne, chargée de recherche CNRS").also("cnrs", "chargée de recherche"),
    p("Baptiste", "Morel", M, PHD, "ipag", "doctorant en planétologie")
        .note("Thèse : la glace des comètes reproduite en laboratoire. Chercheur du Scientific Game Jam 2024."),
    p("Mei", "Zhang", F, PHD_SPEAKER, "ipag", "doctorante, exoplanètes").also("uga", "doctorante contractuelle"),
    p("Olivier", "Brunet", M, RESEARCHER, "isterre", "sismologue, physicien adjoint"),
    p("Fatou", "Diallo", F, PHD, "isterre", "doctorante en géophysique")
        .note("Thèse : les séismes des glaciers alpins. Candidate au Scientific Game Jam 2025."),
    p("Claire", "Dumas", F, RESEARCHER_SPEAKER, "ige", "glaciologue, directrice de recherche"),
    p("Hugo", "Lambert", M, PHD_SPEAKER, "ige", "doctorant en climatologie alpine")
        .note("Chercheur du Scientific Game Jam 2025 : l'avenir de l'enneigement des stations de moyenne montagne."),
    p("Pauline", "Giraud", F, RESEARCHER, "leca", "écologue, maîtresse de conférences").also("uga", "maîtresse de conférences"),
    p("Samuel", "Okafor", M, PHD, "leca", "doctorant en écologie alpine"),
    p("Vincent", "Carrel", M, RESEARCHER, "neel", "ingénieur de recherche, cryogénie"),
    p("Léna", "Bertrand", F, PHD_SPEAKER, "neel", "doctorante, supraconductivité"),
    p("Martin", "Keller", M, RESEARCHER_CONTACT, "ill", "physicien, responsable de la communication scientifique"),
    p("Sofia", "Rossi", F, RESEARCHER, "ill", "chercheuse postdoctorale"),
    p("Anne-Laure", "Petit", F, RESEARCHER_SPEAKER, "esrf", "ingénieure de recherche, imagerie du patrimoine"),
    p("Romain", "Fabre", M, RESEARCHER, "cea", "ingénieur-chercheur, batteries"),
    p("Aïcha", "Benhamou", F, CONTACT, "cea", "chargée de la culture scientifique"),
    p("Nicolas", "Roux", M, RESEARCHER_SPEAKER, "inria", "chercheur en robotique"),
    p("Chloé", "Martin", F, PHD, "inria", "doctorante, interaction humain-machine"),
    p("Maxime", "Faure", M, RESEARCHER, "lig", "maître de conférences en informatique").also("uga", "maître de conférences"),
    p("Yasmina", "Cherif", F, PHD_SPEAKER, "lig", "doctorante en intelligence artificielle et éthique")
        .note("Intervenante d'une Soirée Cult' sur les intelligences artificielles au cinéma."),
    p("Élise", "Bonnet", F, RESEARCHER, "ljk", "professeure de mathématiques appliquées"),
    p("Arthur", "Lemoine", M, PHD, "ljk", "doctorant en statistiques"),
    p("Marion", "Chevalier", F, RESEARCHER_SPEAKER, "lpnc", "maîtresse de conférences en psychologie cognitive")
        .note("Soirée Cult' : ce que les jeux vidéo font à notre cerveau."),
    p("Paul", "Mercier", M, RESEARCHER_SPEAKER, "gin", "neurobiologiste, directeur de recherche Inserm"),
    p("Laure", "Garnier", F, RESEARCHER, "iab", "chercheuse en biologie du cancer"),
    p("Nathalie", "Roussel", F, RESEARCHER, "ibs", "biologiste structurale"),
    p("Damien", "Caron", M, RESEARCHER, "lncmi", "physicien, ingénieur de recherche"),
    p("Alex", "Moreau", NB, PHD, "pacte", "doctorant·e en sociologie des sciences")
        .note("Travaille sur la représentation des femmes scientifiques dans les médias (résidence de journalisme)."),
    p("Bastien", "Vidal", M, RESEARCHER, "cen", "ingénieur nivologue"),
    p("Gaëlle", "Tessier", F, RESEARCHER_SPEAKER, "inrae", "ingénieure de recherche, risques naturels"),
    p("Florian", "Meunier", M, PHD, "inrae", "doctorant, torrents et laves torrentielles"),
    p("Sonia", "Belkacem", F, RESEARCHER, "gipsa", "chercheuse en traitement de la parole"),
    p("Jérôme", "Blanc", M, CONTACT, "osug", "chargé de communication et de culture scientifique"),
    p("Isabelle", "Roche", F, CONTACT, "uga", "responsable du service culture scientifique"),
    p("Kevin", "Tran", M, CONTACT, "uga", "chargé de mission culture scientifique"),
    p("Sandrine", "Lacroix", F, RESEARCHER, "inp", "enseignante-chercheuse en génie électrique"),
    p("Antoine", "Garcia", M, RESEARCHER_SPEAKER, "scpo", "maître de conférences en science politique")
        .note("Membre du jury de la résidence de journalisme."),
    p("Margaux", "Picard", F, SPEAKER, "ensag", "architecte, enseignante"),
    p("Théo", "Blanchard", M, SPEAKER, "esad", "artiste, enseignant"),
    p("Véronique", "Muller", F, CONTACT, "mps", "chargée de la formation des enseignants"),
    p("Mamadou", "Sow", M, SPEAKER, "chu", "neurologue")
        .note("Soirée Cult' : les neurosciences dans les séries médicales."),
    p("Emma", "Lucas", F, PHD, "chu", "infirmière, doctorante en sciences infirmières"),
    p("Aurore", "Deschamps", F, PHD_SPEAKER, "ige", "doctorante, chimie de l'atmosphère"),
    p("Quentin", "Perret", M, PHD, "isterre", "doctorant, glissements de terrain"),
    p("Nour", "El Amrani", F, PHD, "ibs", "doctorante, virologie structurale"),
    p("Jonathan", "Weber", M, RESEARCHER, "esrf", "physicien de ligne de lumière").unstated(),
    p("Héloïse", "Duclos", F, RESEARCHER_SPEAKER, "cnrs", "historienne des sciences").also("femmes_sciences", "membre"),
    // Journalists (journalism residency)
    p("Caroline", "Michel", F, JOURNALIST, "dauphine", "journaliste, rubrique sciences"),
    p("Patrick", "Blanchet", M, JOURNALIST, "dauphine", "photographe de presse"),
    p("Ludovic", "Guérin", M, JOURNALIST, "france_bleu", "journaliste, présentateur de la matinale"),
    p("Agnès", "Poulain", F, JOURNALIST, "rcf", "animatrice, chronique sciences"),
    p("Émilie", "Barbier", F, JOURNALIST, "france3", "journaliste reporter d'images"),
    p("Jade", "Lopes", F, JOURNALIST, "radio_campus", "journaliste bénévole, émission sciences"),
    p("Rayan", "Mansouri", M, JOURNALIST, "radio_campus", "chroniqueur"),
    p("Quentin", "Royer", M, JOURNALIST, "petit_bulletin", "journaliste culture"),
    p("Salomé", "Dufour", F, JOURNALIST, "echosciences", "contributrice, journaliste indépendante"),
    p("Océane", "Marchetti", F, JOURNALIST, "echosciences", "journaliste indépendante, résidente 2025")
        .note("Résidence de journalisme 2025 : portraits de chercheuses grenobloises."),
    p("Nora", "Benyahia", F, JOURNALIST, "france3", "journaliste, résidente 2025"),
    p("Benjamin", "Colin", M, VOLUNTEER, "echosciences", "rédacteur bénévole"),
    // Teachers (Space Buzz, school bookings)
    p("Valérie", "Gauthier", F, TEACHER, "ly_champollion", "professeure de physique-chimie"),
    p("David", "Morin", M, TEACHER, "europole", "professeur de SVT"),
    p("Samia", "Khelifi", F, TEACHER, "ly_curie", "professeure de physique-chimie"),
    p("Christophe", "Lemaire", M, TEACHER, "ly_neruda", "professeur de mathématiques"),
    p("Sylvie", "Renaud", F, TEACHER_CONTACT, "ly_gresivaudan", "professeure documentaliste"),
    p("Éric", "Leroy", M, TEACHER, "ly_buisson", "professeur de SVT"),
    p("Mélanie", "Robin", F, TEACHER, "ly_ponsard", "professeure de physique-chimie"),
    p("Stéphane", "Bernard", M, TEACHER_CONTACT, "ly_oiselet", "proviseur adjoint"),
    p("Céline", "Fournier", F, TEACHER, "ly_cartan", "professeure de SVT"),
    p("Franck", "Dupuis", M, TEACHER, "ly_berlioz", "professeur de physique-chimie"),
    p("Laetitia", "Boyer", F, TEACHER, "ly_matheysine", "professeure de SVT"),
    p("Jean-Marc", "Roger", M, TEACHER, "ly_terrail", "professeur de sciences de l'ingénieur"),
    p("Rachida", "Amrani", F, TEACHER, "ly_vinci", "professeure de mathématiques"),
    p("Anthony", "Mathieu", M, TEACHER, "co_valles", "professeur de technologie"),
    p("Manon", "Collet", F, TEACHER, "co_valles", "professeure de SVT")
        .note("Deux classes de 5e inscrites à Space Buzz."),
    p("Gilles", "Perret", M, TEACHER_CONTACT, "co_grandsom", "principal"),
    p("Julie", "Brun", F, TEACHER, "co_massegu", "professeure de physique-chimie"),
    p("Fabien", "Gros", M, TEACHER, "co_cuynat", "professeur de SVT"),
    p("Aurélie", "Pons", F, TEACHER, "co_oisans", "professeure de mathématiques"),
    p("Pierre-Yves", "Baron", M, TEACHER, "jean_prevost", "professeur de physique-chimie"),
    p("Marie", "Thomas", F, TEACHER, "ec_versoud", "professeure des écoles"),
    p("Sébastien", "Besson", M, TEACHER_CONTACT, "ec_poisat", "directeur d'école, classe de CM2"),
    p("Louise", "Arnaud", F, TEACHER, "ly_champollion", "professeure de mathématiques en classe préparatoire"),
    p("Karima", "Saïdi", F, TEACHER, "ly_curie", "professeure de SVT"),
    // Libraries
    p("Françoise", "Chapuis", F, CONTACT, "bm_grenoble", "responsable de l'action culturelle"),
    p("Cécile", "Andrieu", F, CONTACT, "med_fontaine", "bibliothécaire jeunesse"),
    p("Mohamed", "Zeroual", M, CONTACT, "med_echirolles", "médiateur numérique"),
    p("Audrey", "Gallet", F, CONTACT, "med_egreve", "bibliothécaire"),
    p("Philippe", "Charrier", M, CONTACT, "med_meylan", "directeur de la médiathèque"),
    p("Estelle", "Jacquet", F, CONTACT, "med_voiron", "coordinatrice du réseau"),
    p("Olivia", "Santos", F, CONTACT, "med_vienne", "chargée de l'action culturelle"),
    p("Hervé", "Chauvin", M, CONTACT, "med_bourgoin", "bibliothécaire"),
    p("Awa", "Traoré", F, CONTACT, "med_villefontaine", "médiatrice du livre"),
    p("Rémi", "Jourdan", M, CONTACT, "med_crolles", "bibliothécaire, espace sciences"),
    p("Virginie", "Clerc", F, CONTACT, "med_vizille", "directrice"),
    p("Benoît", "Arnoux", M, CONTACT, "med_villard", "bibliothécaire"),
    p("Sandra", "Vial", F, CONTACT, "med_oisans", "responsable de la médiathèque"),
    p("Loïc", "Berger", M, CONTACT, "med_stmarcellin", "bibliothécaire"),
    p("Karine", "Baudin", F, CONTACT, "med_tdp", "chargée des animations"),
    p("Alexis", "Rolland", M, CONTACT, "med_pontcharra", "bibliothécaire jeunesse"),
    p("Ophélie", "Granger", F, CONTACT, "med_voreppe", "bibliothécaire"),
    p("Tristan", "Maillet", M, CONTACT, "med_eybens", "médiateur numérique"),
    p("Nadège", "Pelletier", F, CONTACT, "med_roussillon", "directrice"),
    p("Christian", "Bailly", M, CONTACT, "med_cremieu", "bibliothécaire"),
    p("Bérénice", "Cuny", F, CONTACT, "med_morestel", "bibliothécaire"),
    p("Yves", "Reynaud", M, CONTACT, "med_trieves", "responsable de la médiathèque"),
    p("Maëlle", "Guillot", F, CONTACT, "med_csa", "bibliothécaire"),
    p("Cyril", "Bonnard", M, CONTACT, "med_allevard", "bibliothécaire"),
    p("Anaïs", "Delorme", F, CONTACT, "med_sassenage", "bibliothécaire jeunesse"),
    p("Jordan", "Petitjean", M, CONTACT, "med_seyssinet", "médiateur numérique"),
    p("Muriel", "Vincent", F, CONTACT, "med_slp", "bibliothécaire").no_email(),
    p("Denis", "Lacombe", M, CONTACT, "med_beaurepaire", "bibliothécaire"),
    // Associations
    p("Guillaume", "Hoarau", M, CONTACT_SPEAKER, "planete_sciences", "animateur espace (fusées à eau)"),
    p("Corinne", "Duval", F, CONTACT, "fne", "chargée d'éducation à l'environnement"),
    p("Arnaud", "Giroud", M, CONTACT_SPEAKER, "lpo", "ornithologue, chargé d'études"),
    p("Monique", "Berthet", F, VOLUNTEER_CONTACT, "gentiana", "présidente, botaniste bénévole"),
    p("Dominique", "Rivière", F, VOLUNTEER_SPEAKER, "femmes_sciences", "présidente de l'antenne, physicienne retraitée"),
    p("Jean-Louis", "Bertin", M, VOLUNTEER_CONTACT, "astro_vercors", "président"),
    p("Pascale", "Émery", F, VOLUNTEER, "astro_vercors", "animatrice d'observations"),
    p("Alain", "Thévenet", M, VOLUNTEER_CONTACT, "astro_viennois", "président").no_email(),
    p("René", "Cordier", M, VOLUNTEER_CONTACT, "astro_voironnais", "secrétaire"),
    p("Martine", "Eymard", F, VOLUNTEER, "astro_trieves", "trésorière"),
    p("Serge", "Durand", M, VOLUNTEER, "repair_eybens", "animateur du Repair Café"),
    p("Enzo", "Ricci", M, VOLUNTEER_CONTACT, "robot_ida", "président, étudiant ingénieur"),
    p("Michel", "Bouchet", M, VOLUNTEER_SPEAKER, "geol_gresivaudan", "géologue retraité"),
    p("Leïla", "Mebarki", F, CONTACT, "mjc_cheruy", "directrice"),
    p("Roger", "Achard", M, VOLUNTEER_SPEAKER, "mathey_patrimoine", "ancien mineur, guide").no_email(),
    p("Maxence", "Jolly", M, SPEAKER, "jeu_video_alpes", "game designer, jury du Scientific Game Jam"),
    p("Clara", "Nkemelu", F, CONTACT, "jeu_video_alpes", "développeuse, organisatrice de game jams"),
    p("Solène", "Martinet", F, VOLUNTEER, "wiki_grenoble", "contributrice Wikipédia"),
    p("Gabriel", "Renard", M, VOLUNTEER, "wiki_grenoble", "contributeur Wikipédia"),
    p("Xavier", "Bourdon", M, VOLUNTEER_SPEAKER, "meteo_climat", "prévisionniste retraité"),
    p("Noémie", "Favre", F, CONTACT, "fabrique_rives", "fabmanageuse"),
    p("Thierry", "Millet", M, VOLUNTEER_CONTACT, "sciences_viennois", "président"),
    p("Lina", "Bouaziz", F, VOLUNTEER, "wiki_grenoble", "étudiante, contributrice Wikipédia"),
    p("Pierre", "Lagier", M, VOLUNTEER, "astro_trieves", "bénévole, photographe du ciel").unstated(),
    // Local authorities
    p("Patricia", "Rousset", F, CONTACT, "dept", "chargée de mission culture scientifique"),
    p("Fabrice", "Lenoir", M, CONTACT, "metro", "chargé de mission enseignement supérieur et recherche"),
    p("Amandine", "Colas", F, CONTACT, "ville_grenoble", "chargée de projets culturels"),
    p("Jérémy", "Lagarde", M, CONTACT, "ville_pdc", "directeur des affaires culturelles"),
    p("Saliha", "Bouzid", F, CONTACT, "ville_echirolles", "chargée de la politique jeunesse"),
    p("Laurent", "Chaix", M, CONTACT, "pays_voironnais", "chargé de la lecture publique"),
    p("Delphine", "Riou", F, CONTACT, "gresivaudan", "chargée de mission culture"),
    p("Marc-Antoine", "Costa", M, CONTACT, "capi", "chargé des équipements culturels"),
    p("Sabine", "Lombard", F, CONTACT, "vienne_agglo", "chargée de mission patrimoine"),
    p("Bruno", "Gaillard", M, CONTACT, "smvic", "chargé de mission culture"),
    p("Élisabeth", "Rabatel", F, CONTACT, "cc_trieves", "chargée de la lecture publique"),
    p("Cédric", "Gonnet", M, CONTACT, "cc_oisans", "chargé de mission tourisme et patrimoine"),
    p("Justine", "Vallier", F, CONTACT, "cc_vercors", "chargée de mission culture"),
    p("Norbert", "Eyraud", M, CONTACT, "cc_matheysine", "chargé du patrimoine minier"),
    p("Aline", "Perrier", F, CONTACT, "pnr_chartreuse", "chargée d'éducation au territoire"),
    p("Sylvain", "Bois", M, CONTACT_SPEAKER, "pnr_vercors", "garde technicien, Réserve des Hauts-Plateaux"),
    p("Josiane", "Masson", F, CONTACT, "corps", "adjointe au maire chargée de la culture").no_email(),
    p("Patrice", "Gerbaud", M, CONTACT, "chamrousse", "chargé des animations"),
    p("Lydie", "Carron", F, CONTACT, "heyrieux", "chargée de la vie associative"),
    p("Farid", "Amara", M, CONTACT, "sjb", "adjoint au maire chargé de la jeunesse"),
    // Companies
    p("Mélissa", "Bouchard", F, CONTACT_SPEAKER, "st", "ingénieure procédés, ambassadrice égalité femmes-hommes"),
    p("Henri", "Lacoste", M, SPEAKER, "schneider", "ingénieur R&D, bénévole de la Fête de la science"),
    p("Ana", "Ribeiro", F, SPEAKER, "soitec", "ingénieure matériaux"),
    p("Pierre", "Dalmais", M, SPEAKER, "alat", "ingénieur en cryogénie spatiale"),
    p("Marine", "Chatelain", F, CONTACT, "lynred", "responsable de la communication"),
    p("Adrien", "Pascal", M, CONTACT, "bd", "ingénieur qualité"),
    p("Géraldine", "Tissot", F, CONTACT, "arkema", "chimiste, responsable des visites"),
    p("Bertrand", "Jacquier", M, SPEAKER, "rossignol", "ingénieur conception"),
    p("Carole", "Girardin", F, CONTACT, "edf_hydro", "chargée de la médiation, centrales hydroélectriques"),
    p("Romane", "Chevallier", F, CONTACT_SPEAKER, "boussole", "médiatrice scientifique"),
    p("Hakim", "Boudjema", M, CONTACT, "minalogic", "chargé d'événements (iForum)"),
    // Museums
    p("Catherine", "Brunel", F, CONTACT, "museum", "responsable des publics"),
    p("Louis", "Dubreuil", M, SPEAKER, "museum", "entomologiste, chargé des collections"),
    p("Odile", "Ferrand", F, CONTACT, "dauphinois", "chargée des publics"),
    p("Victor", "Morand", M, CONTACT, "resistance", "médiateur"),
    p("Aude", "Revol", F, CONTACT, "champollion", "responsable du musée"),
    p("Frédéric", "Boulanger", M, SPEAKER, "berges", "médiateur, histoire de l'hydroélectricité"),
    p("Séverine", "Mounier", F, CONTACT, "revolution", "chargée des publics"),
    p("Raymond", "Clavel", M, VOLUNTEER, "matheysin", "guide bénévole").no_email(),
    p("Cyrille", "Jacob", M, CONTACT, "mine_image", "responsable du site"),
    p("Agathe", "Lebrun", F, CONTACT, "berlioz", "médiatrice"),
    p("Stéphanie", "Tardy", F, CONTACT, "mineraux", "directrice"),
    p("Lucien", "Favier", M, SPEAKER, "paladru", "archéologue, médiateur"),
    p("Morgane", "Leclerc", F, CONTACT, "musee_eau", "animatrice"),
    p("Pascal", "Berthaud", M, CONTACT, "musees_vienne", "médiateur du patrimoine"),
    // Others
    p("Elsa", "Blanchon", F, CONTACT, "ot_huez", "chargée des animations"),
    p("Florent", "Dumont", M, CONTACT, "ot_2alpes", "chargé de projets"),
    p("Gisèle", "Barral", F, CONTACT, "mnei", "coordinatrice"),
    p("Cyprien", "Martel", M, CONTACT, "inovallee", "chargé d'animation"),
    p("Maud", "Pellet", F, CONTACT, "ludo_domene", "ludothécaire"),
];

// ---------------------------------------------------------------- venues

#[derive(Debug, Clone, Copy)]
struct Venue {
    name: &'static str,
    org: &'static str,
    insee: &'static str,
    address: Option<&'static str>,
    /// As for organisations.
    postcode: Option<&'static str>,
    /// Latitude and longitude; the commune's when not given.
    at: Option<(f64, f64)>,
    transport: &'static str,
    parking: Option<&'static str>,
    access: Access,
    access_notes: Option<&'static str>,
    description: &'static str,
    spaces: &'static [Space],
}

#[derive(Debug, Clone, Copy)]
struct Space(&'static str, S, i32, Option<&'static str>);

const ALL_ACCESS: Access = Access {
    wheelchair: true,
    hearing_loop: true,
    visual: true,
    cognitive: true,
};
const WHEELCHAIR: Access = Access {
    wheelchair: true,
    hearing_loop: false,
    visual: false,
    cognitive: false,
};
const WHEELCHAIR_LOOP: Access = Access {
    wheelchair: true,
    hearing_loop: true,
    visual: false,
    cognitive: false,
};
const NO_ACCESS: Access = Access {
    wheelchair: false,
    hearing_loop: false,
    visual: false,
    cognitive: false,
};

/// Public transport in the Grenoble area (M réso) and elsewhere in Isère.
const METRO_TRANSPORT: &str = "Bus et tram : voir mobilites-m.fr";
const ISERE_TRANSPORT: &str = "Cars et trains : voir itinisere.fr";

const fn venue(
    name: &'static str,
    org: &'static str,
    insee: &'static str,
    description: &'static str,
    spaces: &'static [Space],
) -> Venue {
    Venue {
        name,
        org,
        insee,
        address: None,
        postcode: None,
        at: None,
        transport: ISERE_TRANSPORT,
        parking: None,
        access: WHEELCHAIR,
        access_notes: None,
        description,
        spaces,
    }
}

impl Venue {
    const fn at(mut self, address: &'static str) -> Venue {
        self.address = Some(address);
        self
    }

    const fn postcode(mut self, code: &'static str) -> Venue {
        self.postcode = Some(code);
        self
    }

    const fn coords(mut self, lat: f64, lon: f64) -> Venue {
        self.at = Some((lat, lon));
        self
    }

    const fn transport(mut self, text: &'static str) -> Venue {
        self.transport = text;
        self
    }

    const fn parking(mut self, text: &'static str) -> Venue {
        self.parking = Some(text);
        self
    }

    const fn access(mut self, access: Access, notes: Option<&'static str>) -> Venue {
        self.access = access;
        self.access_notes = notes;
        self
    }
}

const LA_CASEMATE: &str = "La Casemate";
const COSMOCITE: &str = "Cosmocité";

const VENUES: &[Venue] = &[
    venue(LA_CASEMATE, "tds", "38185",
        "Centre de sciences de Territoire de Sciences consacré à l'innovation ouverte et au faire soi-même, dans une ancienne casemate militaire au pied de la Bastille.",
        &[
            Space("Fab Lab", S::FabLab, 20, Some("Imprimantes 3D, découpe laser, électronique ; 12 postes de travail.")),
            Space("Media Lab", S::MediaLab, 15, Some("Studio son et vidéo, postes de montage.")),
            Space("Salle d'exposition", S::ExhibitionFloor, 120, None),
            Space("Salle d'atelier", S::Workshop, 30, None),
        ])
        .at("2 place Saint-Laurent")
        .coords(45.1933, 5.7317)
        .transport("Tram B, arrêt Notre-Dame – Musée, puis le pont Saint-Laurent à pied ; bus et tram : voir mobilites-m.fr")
        .parking("Pas de parking sur place ; parkings publics en centre-ville")
        .access(WHEELCHAIR, Some("Rez-de-chaussée de plain-pied ; prévenir l'accueil pour l'accès aux autres niveaux.")),
    venue(COSMOCITE, "tds", "38317",
        "Centre de sciences de Territoire de Sciences ouvert le 30 septembre 2023, consacré aux sciences de la Terre, de l'Univers et de l'environnement.",
        &[
            Space("Plateau d'exposition permanente 1", S::ExhibitionFloor, 200, Some("La Terre et l'environnement.")),
            Space("Plateau d'exposition permanente 2", S::ExhibitionFloor, 200, Some("L'Univers.")),
            Space("Plateau jeunes publics (dès 3 ans)", S::ExhibitionFloor, 80, Some("Expositions temporaires pour les plus jeunes.")),
            Space("Planétarium", S::Planetarium, 90, Some("Dôme de projection numérique ; séances scolaires Space Buzz.")),
            Space("Salle immersive 3D interactive", S::ImmersiveRoom, 30, None),
            Space("Belvédère", S::Belvedere, 40, Some("À 20 m au-dessus du sol ; vue sur l'agglomération et les massifs.")),
        ])
        .at("85 cours Saint-André")
        .coords(45.1378, 5.6991)
        .transport(METRO_TRANSPORT)
        .parking("Parking visiteurs à proximité")
        .access(ALL_ACCESS, Some("Bâtiment entièrement accessible ; boucle magnétique à l'accueil et au planétarium.")),
    venue("Muséum de Grenoble", "museum", "38185",
        "Le muséum et son jardin des plantes.",
        &[
            Space("Salle d'exposition temporaire", S::ExhibitionFloor, 250, None),
            Space("Auditorium", S::Auditorium, 120, None),
            Space("Salle pédagogique", S::Workshop, 30, None),
            Space("Jardin des plantes", S::Outdoor, 300, None),
        ])
        .at("1 rue Dolomieu")
        .coords(45.1866, 5.7351)
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR_LOOP, None),
    venue("Musée dauphinois", "dauphinois", "38185",
        "Ancien couvent sur les pentes de la Bastille.",
        &[
            Space("Salle d'exposition temporaire", S::ExhibitionFloor, 150, None),
            Space("Chapelle baroque", S::Other, 80, None),
            Space("Jardins en terrasses", S::Outdoor, 100, None),
        ])
        .at("30 rue Maurice Gignoux")
        .coords(45.1951, 5.7262)
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR, Some("Accès par la montée Chalemont ou l'ascenseur ; certaines salles en étage.")),
    venue("Bibliothèque d'étude et du patrimoine", "bm_grenoble", "38185",
        "La bibliothèque patrimoniale de la ville de Grenoble.",
        &[
            Space("Auditorium", S::Auditorium, 100, None),
            Space("Salle d'exposition", S::ExhibitionFloor, 60, None),
        ])
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR_LOOP, None),
    venue("Campus universitaire – bâtiment Weil", "uga", "38421",
        "Le grand amphithéâtre du campus de Saint-Martin-d'Hères.",
        &[
            Space("Amphithéâtre Weil", S::Auditorium, 600, None),
            Space("Salle de réunion", S::MeetingRoom, 20, None),
        ])
        .coords(45.1926, 5.7672)
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR_LOOP, None),
    venue("Campus EPN – ESRF et ILL", "esrf", "38185",
        "Le campus des grands instruments européens, sur la presqu'île scientifique.",
        &[
            Space("Auditorium", S::Auditorium, 400, None),
            Space("Salle de séminaire", S::MeetingRoom, 40, None),
        ])
        .at("71 avenue des Martyrs")
        .coords(45.2085, 5.6905)
        .transport(METRO_TRANSPORT)
        .parking("Parking visiteurs sur réservation")
        .access(WHEELCHAIR, Some("Visite sur inscription, pièce d'identité demandée.")),
    venue("Centre Inria de l'Université Grenoble Alpes", "inria", "38249",
        "Bâtiment de recherche à Inovallée.",
        &[
            Space("Auditorium", S::Auditorium, 150, None),
            Space("Salle de réunion", S::MeetingRoom, 25, None),
        ])
        .at("655 avenue de l'Europe")
        .transport(METRO_TRANSPORT)
        .parking("Parking sur place"),
    venue("Musée de la Houille blanche – Maison Bergès", "berges", "38547",
        "La maison et le parc d'Aristide Bergès, à Lancey.",
        &[
            Space("Salles d'exposition", S::ExhibitionFloor, 80, None),
            Space("Parc", S::Outdoor, 150, None),
        ])
        .parking("Parking gratuit"),
    venue("Musée Champollion", "champollion", "38545",
        "La maison familiale des frères Champollion et son jardin.",
        &[
            Space("Salle pédagogique", S::Workshop, 25, None),
            Space("Jardin", S::Outdoor, 60, None),
        ])
        .access(WHEELCHAIR, Some("Étages accessibles par ascenseur.")),
    venue("Domaine de Vizille – Musée de la Révolution française", "revolution", "38562",
        "Le château et son parc de cent hectares.",
        &[
            Space("Salle de conférence", S::Auditorium, 80, None),
            Space("Parc du domaine", S::Outdoor, 500, None),
        ])
        .at("Place du Château")
        .parking("Parkings gratuits autour du domaine"),
    venue("La Mine Image", "mine_image", "38265",
        "Visite des galeries de l'ancienne mine de charbon.",
        &[
            Space("Galeries de la mine", S::Other, 25, Some("Casque fourni ; température de 12 °C.")),
            Space("Salle d'accueil", S::Workshop, 40, None),
        ])
        .parking("Parking gratuit")
        .access(NO_ACCESS, Some("Galeries non accessibles en fauteuil roulant.")),
    venue("Musée des Minéraux et de la Faune des Alpes", "mineraux", "38052",
        "Collections de minéraux et de faune alpine.",
        &[Space("Salles d'exposition", S::ExhibitionFloor, 100, None)]),
    venue("Médiathèque de Fontaine", "med_fontaine", "38169",
        "Médiathèque municipale.",
        &[
            Space("Salle d'animation", S::Workshop, 40, None),
            Space("Espace jeunesse", S::Library, 30, None),
        ])
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR_LOOP, None),
    venue("Médiathèque Le Trente", "med_vienne", "38544",
        "La médiathèque de Vienne.",
        &[
            Space("Auditorium", S::Auditorium, 90, None),
            Space("Salle d'atelier", S::Workshop, 25, None),
        ])
        .access(WHEELCHAIR_LOOP, None),
    venue("Médiathèque de Voiron", "med_voiron", "38563",
        "Tête du réseau des bibliothèques du Pays Voironnais.",
        &[
            Space("Salle d'animation", S::Workshop, 50, None),
            Space("Espace sciences", S::Library, 30, None),
        ]),
    venue("Médiathèque de Bourgoin-Jallieu", "med_bourgoin", "38053",
        "Médiathèque du réseau de la CAPI.",
        &[Space("Salle d'animation", S::Workshop, 45, None)]),
    venue("Médiathèque de Villard-de-Lans", "med_villard", "38548",
        "Médiathèque du plateau.",
        &[Space("Espace de lecture", S::Library, 35, None)]),
    venue("Médiathèque du Trièves", "med_trieves", "38226",
        "Médiathèque intercommunale à Mens.",
        &[Space("Salle d'animation", S::Workshop, 30, None)])
        .parking("Parking de la place du village"),
    venue("Médiathèque de La Tour-du-Pin", "med_tdp", "38509",
        "Médiathèque municipale.",
        &[Space("Salle d'exposition", S::ExhibitionFloor, 60, None)]),
    venue("Médiathèque de Crolles", "med_crolles", "38140",
        "Médiathèque municipale.",
        &[
            Space("Salle d'animation", S::Workshop, 40, None),
            Space("Espace numérique", S::MediaLab, 12, None),
        ]),
    venue("Salle polyvalente de Corps", "corps", "38128",
        "La salle des fêtes du village.",
        &[
            Space("Grande salle", S::Other, 150, None),
            Space("Terrain d'observation", S::Outdoor, 80, Some("Ciel peu pollué par la lumière.")),
        ])
        .parking("Parking de la salle"),
    venue("Salle des fêtes de Heyrieux", "heyrieux", "38189",
        "Accueille le village des sciences du Nord-Isère.",
        &[Space("Grande salle", S::Other, 250, None)])
        .parking("Grand parking gratuit"),
    venue("Salle des fêtes de Saint-Jean-de-Bournay", "sjb", "38399",
        "Salle municipale.",
        &[Space("Grande salle", S::Other, 200, None)]),
    venue("Lycée Champollion", "ly_champollion", "38185",
        "Lycée du centre-ville.",
        &[
            Space("Amphithéâtre", S::Auditorium, 120, None),
            Space("Laboratoire de physique", S::Classroom, 30, None),
        ])
        .transport(METRO_TRANSPORT)
        .access(WHEELCHAIR, Some("Accès par l'entrée latérale.")),
    venue("Collège Jules-Vallès", "co_valles", "38169",
        "Collège de Fontaine.",
        &[
            Space("CDI", S::Library, 40, None),
            Space("Salle de sciences", S::Classroom, 28, None),
        ])
        .transport(METRO_TRANSPORT),
    venue("Site d'observation d'Autrans", "astro_vercors", "38225",
        "Le terrain d'observation du club, sur le plateau.",
        &[Space("Terrain d'observation", S::Outdoor, 60, Some("Prévoir des vêtements chauds."))])
        .postcode("38880")
        .parking("Parking en bord de route")
        .access(NO_ACCESS, Some("Terrain en herbe.")),
    venue("Maison du Parc de Chartreuse", "pnr_chartreuse", "38442",
        "Centre d'information et d'exposition du parc naturel régional.",
        &[
            Space("Salle d'exposition", S::ExhibitionFloor, 50, None),
            Space("Salle de réunion", S::MeetingRoom, 30, None),
        ]),
    venue("Maison du Parc du Vercors", "pnr_vercors", "38205",
        "Siège du parc naturel régional du Vercors.",
        &[Space("Salle de conférence", S::Auditorium, 100, None)]),
    venue("La Fabrique de Rives", "fabrique_rives", "38337",
        "Atelier partagé.",
        &[Space("Atelier", S::FabLab, 15, None)])
        .access(WHEELCHAIR, None),
    venue("MJC de Pont-de-Chéruy", "mjc_cheruy", "38316",
        "Maison des jeunes et de la culture.",
        &[
            Space("Salle de spectacle", S::Auditorium, 180, None),
            Space("Salle d'activités", S::Workshop, 25, None),
        ]),
];

// ---------------------------------------------------------------- loading

/// How many records the directory part created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub organisations: usize,
    pub people: usize,
    pub memberships: usize,
    pub venues: usize,
    pub spaces: usize,
}

/// A commune of the official list (`maillage-geo`).
pub(super) fn commune(insee: &str) -> Result<&'static Commune, DbErr> {
    maillage_geo::commune(insee)
        .ok_or_else(|| DbErr::Custom(format!("demo: unknown commune {insee}")))
}

/// The demo's territory: the communes of the directory's organisations and
/// venues, from the official list, by name.
pub(super) fn communes() -> Result<Vec<&'static Commune>, DbErr> {
    let codes: BTreeSet<&str> = all_orgs()
        .map(|o| o.insee)
        .chain(VENUES.iter().map(|v| v.insee))
        .collect();
    let mut list = codes
        .into_iter()
        .map(commune)
        .collect::<Result<Vec<_>, _>>()?;
    list.sort_by_key(|c| c.name);
    Ok(list)
}

/// The postcode of an address: the one given, or the commune's first.
fn postcode(insee: &str, given: Option<&str>) -> Result<String, DbErr> {
    let first = commune(insee)?.postcodes.first().copied();
    given
        .or(first)
        .map(str::to_owned)
        .ok_or_else(|| DbErr::Custom(format!("demo: no postcode for {insee}")))
}

/// Every organisation, Territoire de Sciences and Les Petits Débrouillards
/// first.
fn all_orgs() -> impl Iterator<Item = Org> {
    [TDS, PD].into_iter().chain(ORGS.iter().copied())
}

/// The id and name of the organisation with this key.
fn id_of(
    ids: &HashMap<&str, (i64, &'static str)>,
    key: &str,
) -> Result<(i64, &'static str), DbErr> {
    ids.get(key)
        .copied()
        .ok_or_else(|| DbErr::Custom(format!("demo: unknown organisation {key}")))
}

/// An invented number in the 04 76 00 xx xx range.
fn phone(n: usize) -> String {
    format!("04 76 00 {:02} {:02}", n / 100 % 100, n % 100)
}

fn slug(s: &str) -> String {
    fold(s).replace(' ', "-")
}

fn person_email(p: &Person) -> String {
    format!("{}.{}@example.org", slug(p.first), slug(p.last))
}

fn org_email(o: &Org) -> String {
    format!("{}@example.org", o.key.replace('_', "."))
}

fn organisation_data(o: &Org, i: usize) -> Result<OrganisationData, DbErr> {
    Ok(OrganisationData {
        name: o.name.to_owned(),
        kind: Some(o.kind),
        siret: None,
        uai: None,
        address: o.address.map(str::to_owned),
        postcode: Some(postcode(o.insee, o.postcode)?),
        commune_insee: Some(o.insee.to_owned()),
        website: o.website.map(str::to_owned),
        email: (i % 3 != 2).then(|| org_email(o)),
        phone: i.is_multiple_of(2).then(|| phone(100 + i)),
        description: Some(o.description.to_owned()),
        public_listing: o.public,
        themes: o.themes.to_vec(),
    })
}

fn person_data(p: &Person, i: usize) -> PersonData {
    PersonData {
        first_name: Some(p.first.to_owned()),
        last_name: p.last.to_owned(),
        email: p.email.then(|| person_email(p)),
        phone: i.is_multiple_of(3).then(|| phone(300 + i)),
        gender: p.gender,
        notes: p.notes.map(str::to_owned),
        roles: p.roles.to_vec(),
    }
}

fn venue_data(v: &Venue, organisation_id: i64) -> Result<VenueData, DbErr> {
    let c = commune(v.insee)?;
    let (lat, lon) =
        v.at.map_or((c.lat, c.lon), |(lat, lon)| (Some(lat), Some(lon)));
    Ok(VenueData {
        name: v.name.to_owned(),
        organisation_id: Some(organisation_id),
        address: v.address.map(str::to_owned),
        postcode: Some(postcode(v.insee, v.postcode)?),
        commune_insee: Some(v.insee.to_owned()),
        lat,
        lon,
        public_transport: Some(v.transport.to_owned()),
        parking: v.parking.map(str::to_owned),
        access: v.access,
        accessibility_notes: v.access_notes.map(str::to_owned),
        description: Some(v.description.to_owned()),
    })
}

/// Loads the directory: completes Territoire de Sciences (`tds`) and Les
/// Petits Débrouillards (`pd`), already created by the caller, then adds the
/// other organisations, the people and their memberships, the venues and
/// their spaces, with one audit entry per record.
pub(super) async fn load(
    c: &impl ConnectionTrait,
    actor: &Actor,
    tds: i64,
    pd: i64,
    now: DateTime<Utc>,
) -> Result<Counts, DbErr> {
    let mut counts = Counts::default();
    let mut ids: HashMap<&str, (i64, &'static str)> = HashMap::new();
    for (i, o) in all_orgs().enumerate() {
        let data = organisation_data(&o, i)?;
        let saved = match o.key {
            "tds" => organisations::update(c, tds, &data, now).await?,
            "pd" => organisations::update(c, pd, &data, now).await?,
            _ => organisations::insert(c, &data, now).await?,
        };
        let changes = json!({
            "name": o.name,
            "kind": o.kind.code(),
            "commune_insee": o.insee,
            "public_listing": o.public,
            "themes": o.themes.iter().map(|t| t.code()).collect::<Vec<_>>(),
        });
        created(c, actor, "organisation", saved.id, o.name, changes, now).await?;
        ids.insert(o.key, (saved.id, o.name));
        counts.organisations += 1;
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let data = person_data(p, i);
        let person = people::insert(c, &data, now).await?;
        let mut memberships = Vec::new();
        for (key, function) in std::iter::once((p.org, p.function)).chain(p.also) {
            let (org, name) = id_of(&ids, key)?;
            people::add_membership(c, person.id, org, Some(function), now).await?;
            memberships.push(json!({"organisation": name, "function": function}));
        }
        counts.people += 1;
        counts.memberships += memberships.len();
        let name = data.display_name();
        let changes = json!({
            "name": name,
            "roles": p.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
            "memberships": memberships,
        });
        created(c, actor, "person", person.id, &name, changes, now).await?;
    }
    for v in VENUES {
        let (org, _) = id_of(&ids, v.org)?;
        let spaces: Vec<SpaceData> = v
            .spaces
            .iter()
            .map(|s| SpaceData {
                name: s.0.to_owned(),
                kind: s.1,
                capacity: Some(s.2),
                notes: s.3.map(str::to_owned),
            })
            .collect();
        add_venue(c, actor, &venue_data(v, org)?, &spaces, now).await?;
        counts.venues += 1;
        counts.spaces += v.spaces.len();
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_domain::Email;
    use maillage_domain::directory as dir;
    use std::collections::{BTreeMap, BTreeSet};

    fn all_orgs() -> Vec<Org> {
        super::all_orgs().collect()
    }

    #[test]
    fn every_commune_is_a_real_commune_of_isere() {
        let communes = communes().unwrap();
        for c in &communes {
            assert_eq!(
                c.departement, "38",
                "{} {} is not in Isère",
                c.insee, c.name
            );
            assert!(c.lat.is_some() && c.lon.is_some(), "{}", c.insee);
            assert!(!c.postcodes.is_empty(), "{}", c.insee);
        }
        let names: Vec<&str> = communes.iter().map(|c| c.name).collect();
        assert!(names.is_sorted(), "{names:?}");
        let given = all_orgs()
            .iter()
            .filter_map(|o| Some((o.insee, o.postcode?)))
            .chain(VENUES.iter().filter_map(|v| Some((v.insee, v.postcode?))))
            .collect::<Vec<_>>();
        for (insee, postcode) in given {
            let c = commune(insee).unwrap();
            assert!(c.postcodes.contains(&postcode), "{insee} {postcode}");
        }
        let org_communes: BTreeSet<&str> = all_orgs().iter().map(|o| o.insee).collect();
        assert!(org_communes.len() >= 60, "{} communes", org_communes.len());
    }

    #[test]
    fn organisations_cover_every_kind_and_pass_validation() {
        let orgs = all_orgs();
        assert!(orgs.len() >= 80, "{}", orgs.len());
        let keys: BTreeSet<&str> = orgs.iter().map(|o| o.key).collect();
        assert_eq!(keys.len(), orgs.len(), "duplicate key");
        let names: BTreeSet<String> = orgs.iter().map(|o| fold(o.name)).collect();
        assert_eq!(names.len(), orgs.len(), "duplicate name");
        for k in K::ALL {
            assert!(orgs.iter().any(|o| o.kind == *k), "{k:?}");
        }
        let public = orgs.iter().filter(|o| o.public).count();
        assert!(
            (55..=75).contains(&(public * 100 / orgs.len())),
            "{public} public"
        );
        let mut emails = BTreeSet::new();
        for (i, o) in orgs.iter().enumerate() {
            let d = organisation_data(o, i).unwrap();
            assert!(!o.themes.is_empty(), "{}", o.name);
            if let Some(w) = &d.website {
                assert_eq!(dir::website(w).as_deref(), Ok(w.as_str()));
            }
            if let Some(p) = &d.phone {
                assert!(dir::phone(p).is_ok(), "{p}");
            }
            if let Some(e) = &d.email {
                assert!(Email::parse(e).is_ok(), "{e}");
                assert!(e.ends_with("@example.org"));
                assert!(emails.insert(e.clone()), "{e} twice");
            }
            assert!(dir::postcode(d.postcode.as_deref().unwrap()).is_ok());
        }
    }

    #[test]
    fn people_and_venues_point_at_known_organisations() {
        let keys: BTreeSet<&str> = all_orgs().iter().map(|o| o.key).collect();
        assert!(PEOPLE.len() >= 150, "{}", PEOPLE.len());
        let mut emails = BTreeSet::new();
        let mut genders: BTreeMap<Option<Gender>, usize> = BTreeMap::new();
        for (i, p) in PEOPLE.iter().enumerate() {
            assert!(keys.contains(p.org), "{}: {}", p.last, p.org);
            if let Some((org, _)) = p.also {
                assert!(keys.contains(org), "{}: {org}", p.last);
                assert_ne!(org, p.org);
            }
            assert!(!p.roles.is_empty());
            *genders.entry(p.gender).or_default() += 1;
            let d = person_data(p, i);
            if let Some(e) = &d.email {
                assert!(Email::parse(e).is_ok(), "{e}");
                assert!(e.ends_with("@example.org"));
                assert!(emails.insert(e.clone()), "{e} twice");
            }
            if let Some(ph) = &d.phone {
                assert!(dir::phone(ph).is_ok(), "{ph}");
            }
        }
        let women = genders.get(&Some(Gender::Female)).copied().unwrap_or(0);
        assert!(
            (45..=55).contains(&(women * 100 / PEOPLE.len())),
            "{genders:?}"
        );
        assert!(genders.get(&None).copied().unwrap_or(0) * 10 < PEOPLE.len());
        for r in R::ALL {
            assert!(PEOPLE.iter().any(|p| p.roles.contains(r)), "{r:?}");
        }
        assert!(VENUES.len() >= 27, "{}", VENUES.len());
        for v in VENUES {
            assert!(keys.contains(v.org), "{}: {}", v.name, v.org);
            assert!(!v.spaces.is_empty(), "{}", v.name);
            assert!(v.spaces.iter().all(|s| s.2 > 0));
        }
        let cosmocite = VENUES.iter().find(|v| v.name == COSMOCITE).unwrap();
        for kind in [S::Planetarium, S::ImmersiveRoom, S::Belvedere] {
            assert!(cosmocite.spaces.iter().any(|s| s.1 == kind), "{kind:?}");
        }
        let casemate = VENUES.iter().find(|v| v.name == LA_CASEMATE).unwrap();
        for kind in [S::FabLab, S::MediaLab] {
            assert!(casemate.spaces.iter().any(|s| s.1 == kind), "{kind:?}");
        }
    }
}
