//! The programme every test of the API reads: what the public sees and
//! what it must not.

use crate::util::TestApp;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::programme::activities::ActivityData;
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::SessionData;
use maillage_db::testing;
use maillage_db::venues::{self, Access, SpaceData, VenueData};
use maillage_db::{api_tokens, now};
use maillage_domain::Role;
use maillage_domain::directory::{SpaceKind, Theme};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, PartnerRole, ProjectStatus, RegistrationMode, SchoolLevel,
    SessionStatus,
};

pub fn session(start: DateTime<Utc>, capacity: Option<i32>) -> SessionData {
    SessionData {
        starts_at: start,
        ends_at: start + Duration::minutes(90),
        capacity,
        status: SessionStatus::Scheduled,
        venue_id: None,
    }
}

pub fn project_data(slug: &str, status: ProjectStatus) -> ProjectData {
    ProjectData {
        ends_on: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        description: Some("La **science** en fête <script>alert(1)</script>.".into()),
        status,
        ..testing::project_data(slug, &format!("Projet {slug}"), 2025)
    }
}

/// What [`programme`] made.
pub struct Data {
    pub planetarium: i64,
    pub village: i64,
    pub talk: i64,
    pub film: i64,
    pub online: i64,
    pub draft: i64,
    /// A published activity of an unpublished project.
    pub hidden: i64,
    /// The planetarium's first session (no capacity of its own).
    pub session: i64,
    pub hidden_session: i64,
    pub cosmocite: i64,
    pub casemate: i64,
    pub mediatheque: i64,
    /// A venue where nothing takes place.
    pub unused: i64,
    /// The venue of the unpublished project only.
    pub secret_venue: i64,
    /// An API token of a staff member.
    pub token: String,
    /// A questionnaire with one response.
    pub questionnaire: i64,
}

/// A published edition: a planetarium show for classes at Cosmocité (Le
/// Pont-de-Claix, a space with 60 places), a village des sciences in
/// Grenoble with a talk inside it, a cancelled film in Voiron, an online
/// activity, a draft; an unpublished project with a published activity in
/// a venue of its own; a venue where nothing takes place.
pub async fn programme(app: &TestApp) -> Data {
    let c = app.db.conn();
    let t = now();
    let p = projects::insert(c, &project_data("fds-2025", ProjectStatus::Published), t)
        .await
        .unwrap();
    let secret = projects::insert(c, &project_data("secret", ProjectStatus::Draft), t)
        .await
        .unwrap();
    let org = OrganisationData {
        themes: vec![Theme::Astronomy],
        ..crate::util::casemate()
    };
    let org = organisations::insert(c, &org, t).await.unwrap();
    projects::set_partners(c, p.id, &[(org.id, PartnerRole::Organiser)])
        .await
        .unwrap();
    let speaker = people::insert(
        c,
        &PersonData {
            first_name: Some("Marie".into()),
            last_name: "Curie".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let cosmocite = venues::insert(
        c,
        &VenueData {
            address: Some("1 place Michel Couëtoux".into()),
            postcode: Some("38800".into()),
            lat: Some(45.1403),
            lon: Some(5.6997),
            public_transport: Some("Tram A, arrêt Pont-de-Claix".into()),
            access: Access {
                wheelchair: true,
                ..Default::default()
            },
            ..testing::venue("Cosmocité", "38317")
        },
        t,
    )
    .await
    .unwrap();
    let coupole = venues::add_space(
        c,
        cosmocite.id,
        &SpaceData {
            name: "Coupole".into(),
            kind: SpaceKind::Planetarium,
            capacity: Some(60),
            notes: Some("Clé à l'accueil".into()),
        },
        t,
    )
    .await
    .unwrap();
    let casemate = venues::insert(c, &testing::venue("La Casemate", "38185"), t)
        .await
        .unwrap();
    let mediatheque = venues::insert(c, &testing::venue("Médiathèque", "38563"), t)
        .await
        .unwrap();
    let unused = venues::insert(c, &testing::venue("Entrepôt", "38185"), t)
        .await
        .unwrap();
    let secret_venue = venues::insert(c, &testing::venue("Salle secrète", "38421"), t)
        .await
        .unwrap();
    let planetarium = testing::activity(
        c,
        &ActivityData {
            summary: Some("Les étoiles d'automne sous la coupole.".into()),
            description: Some("Le ciel du soir, <script>alert(1)</script> les planètes.".into()),
            format: Some(Format::Planetarium),
            audiences: vec![Audience::School, Audience::Families],
            levels: vec![SchoolLevel::College, SchoolLevel::Lycee],
            min_age: Some(8),
            themes: vec![Theme::Astronomy],
            organisations: vec![org.id],
            speakers: vec![speaker.id],
            venue_id: Some(cosmocite.id),
            space_id: Some(coupole),
            access: Access {
                wheelchair: true,
                hearing_loop: true,
                ..Default::default()
            },
            free: true,
            registration: Some(RegistrationMode::Booking),
            ..testing::published_activity(p.id, "voyage-planetarium", "Voyage au planétarium")
        },
    )
    .await;
    let first = testing::session(
        c,
        planetarium.id,
        &session(testing::paris(2025, 10, 24, 10, 0), None),
    )
    .await;
    testing::session(
        c,
        planetarium.id,
        &session(testing::paris(2025, 10, 27, 10, 0), Some(30)),
    )
    .await;
    let village = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Village),
            audiences: vec![Audience::General],
            venue_id: Some(casemate.id),
            ..testing::published_activity(
                p.id,
                "village-grenoble",
                "Village des sciences de Grenoble",
            )
        },
    )
    .await;
    testing::session(
        c,
        village.id,
        &session(testing::paris(2025, 10, 10, 14, 0), None),
    )
    .await;
    let talk = testing::activity(
        c,
        &ActivityData {
            parent_id: Some(village.id),
            format: Some(Format::Talk),
            audiences: vec![Audience::General],
            themes: vec![Theme::Astronomy],
            venue_id: Some(casemate.id),
            price: Some("5 €".into()),
            registration: Some(RegistrationMode::External),
            registration_url: Some("https://billetterie.example.org/trous-noirs".into()),
            ..testing::published_activity(p.id, "trous-noirs", "Conférence : les trous noirs")
        },
    )
    .await;
    testing::session(
        c,
        talk.id,
        &session(testing::paris(2025, 10, 10, 20, 0), None),
    )
    .await;
    let film = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Screening),
            venue_id: Some(mediatheque.id),
            status: Some(ActivityStatus::Cancelled),
            ..testing::published_activity(p.id, "cine-debat", "Ciné-débat sur le climat")
        },
    )
    .await;
    testing::session(
        c,
        film.id,
        &session(testing::paris(2025, 10, 11, 18, 0), None),
    )
    .await;
    let online = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Meeting),
            online_url: Some("https://visio.example.org/astro".into()),
            ..testing::published_activity(p.id, "en-ligne", "Rencontre en ligne")
        },
    )
    .await;
    testing::session(
        c,
        online.id,
        &session(testing::paris(2025, 10, 15, 18, 0), None),
    )
    .await;
    let draft = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Workshop),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Draft),
            ..testing::published_activity(p.id, "robots", "Atelier robots")
        },
    )
    .await;
    let hidden = testing::activity(
        c,
        &ActivityData {
            format: Some(Format::Planetarium),
            venue_id: Some(secret_venue.id),
            ..testing::published_activity(secret.id, "avant-premiere", "Avant-première")
        },
    )
    .await;
    let hidden_session = testing::session(
        c,
        hidden.id,
        &session(testing::paris(2025, 10, 12, 9, 0), None),
    )
    .await;
    let staff = app.user("staff@example.org", Role::Staff).await;
    let (_, token) = api_tokens::create(c, staff.id, "api", t).await.unwrap();
    let questionnaire = maillage_db::forms::create(
        c,
        &maillage_db::forms::FormData {
            title: "Votre avis".into(),
            purpose: maillage_domain::forms::Purpose::Questionnaire,
            project_id: Some(p.id),
            activity_id: None,
            session_id: None,
            audience: None,
            anonymous: true,
            one_per_link: false,
            opens_at: None,
            closes_at: None,
        },
        &maillage_domain::forms::Schema {
            items: vec![maillage_domain::forms::Item::Field(
                maillage_domain::forms::Field {
                    key: "nps".into(),
                    label: "Recommanderiez-vous ?".into(),
                    help: None,
                    required: true,
                    condition: None,
                    kind: maillage_domain::forms::Kind::Nps,
                },
            )],
        },
        t,
    )
    .await
    .unwrap();
    let mut answers = maillage_domain::forms::Answers::default();
    answers.insert("nps", maillage_domain::forms::Answer::Number(9.0));
    maillage_db::forms::questionnaires::respond(
        c,
        questionnaire.id,
        &maillage_db::forms::questionnaires::NewResponse {
            answers,
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap()
    .unwrap();
    Data {
        questionnaire: questionnaire.id,
        planetarium: planetarium.id,
        village: village.id,
        talk: talk.id,
        film: film.id,
        online: online.id,
        draft: draft.id,
        hidden: hidden.id,
        session: first.id,
        hidden_session: hidden_session.id,
        cosmocite: cosmocite.id,
        casemate: casemate.id,
        mediatheque: mediatheque.id,
        unused: unused.id,
        secret_venue: secret_venue.id,
        token,
    }
}
