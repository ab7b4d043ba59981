//! The JSON API against its OpenAPI document (`/api/openapi.json`): every
//! API route is documented and every documented route answers; every
//! answer, errors included, has a documented status and media type and a
//! body valid against the document's schema (JSON Schema 2020-12); every
//! documented value of every query parameter is accepted and a bad one is
//! refused with problem+json naming it; cursors walk each list exactly
//! once; conditional requests get `304`; and the shape the checks
//! rely on.

use crate::util::{Client, Resp, TestApp};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::people::{self, PersonData};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::venues::{self, Access, SpaceData, VenueData};
use maillage_db::{api_tokens, now};
use maillage_domain::Role;
use maillage_domain::directory::{OrgKind, SpaceKind, Theme};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, PartnerRole, ProjectKind, ProjectStatus, RegistrationMode,
    SchoolLevel, SessionStatus,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn session(start: DateTime<Utc>, capacity: Option<i32>) -> SessionData {
    SessionData {
        starts_at: start,
        ends_at: start + Duration::minutes(90),
        capacity,
        status: SessionStatus::Scheduled,
    }
}

fn project_data(slug: &str, status: ProjectStatus) -> ProjectData {
    ProjectData {
        slug: slug.into(),
        name: format!("Projet {slug}"),
        kind: ProjectKind::Festival,
        starts_on: NaiveDate::from_ymd_opt(2025, 10, 3).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        description: Some("La **science** en fête <script>alert(1)</script>.".into()),
        lead_user_id: None,
        status,
    }
}

fn venue_data(name: &str, insee: &str) -> VenueData {
    VenueData {
        name: name.into(),
        commune_insee: Some(insee.into()),
        ..Default::default()
    }
}

/// What [`programme`] made.
struct Data {
    planetarium: i64,
    village: i64,
    talk: i64,
    film: i64,
    online: i64,
    draft: i64,
    /// A published activity of an unpublished project.
    hidden: i64,
    /// The planetarium's first session (no capacity of its own).
    session: i64,
    hidden_session: i64,
    cosmocite: i64,
    casemate: i64,
    mediatheque: i64,
    /// A venue where nothing takes place.
    unused: i64,
    /// The venue of the unpublished project only.
    secret_venue: i64,
    /// An API token of a staff member.
    token: String,
    /// A questionnaire with one response.
    questionnaire: i64,
}

/// A published edition: a planetarium show for classes at Cosmocité (Le
/// Pont-de-Claix, a space with 60 places), a village des sciences in
/// Grenoble with a talk inside it, a cancelled film in Voiron, an online
/// activity, a draft; an unpublished project with a published activity in
/// a venue of its own; a venue where nothing takes place.
async fn programme(app: &TestApp) -> Data {
    let c = app.db.conn();
    let t = now();
    let p = projects::insert(c, &project_data("fds-2025", ProjectStatus::Published), t)
        .await
        .unwrap();
    let secret = projects::insert(c, &project_data("secret", ProjectStatus::Draft), t)
        .await
        .unwrap();
    let org = organisations::insert(
        c,
        &OrganisationData {
            name: "La Casemate".into(),
            kind: Some(OrgKind::Museum),
            commune_insee: Some("38185".into()),
            email: Some("contact@example.org".into()),
            public_listing: true,
            themes: vec![Theme::Astronomy],
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
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
            ..venue_data("Cosmocité", "38317")
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
    let casemate = venues::insert(c, &venue_data("La Casemate", "38185"), t)
        .await
        .unwrap();
    let mediatheque = venues::insert(c, &venue_data("Médiathèque", "38563"), t)
        .await
        .unwrap();
    let unused = venues::insert(c, &venue_data("Entrepôt", "38185"), t)
        .await
        .unwrap();
    let secret_venue = venues::insert(c, &venue_data("Salle secrète", "38421"), t)
        .await
        .unwrap();
    let activity = |project: i64, slug: &str, title: &str| ActivityData {
        project_id: project,
        slug: slug.into(),
        title: title.into(),
        status: Some(ActivityStatus::Published),
        ..Default::default()
    };
    let planetarium = activities::insert(
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
            ..activity(p.id, "voyage-planetarium", "Voyage au planétarium")
        },
        t,
    )
    .await
    .unwrap();
    let first = sessions::insert(
        c,
        planetarium.id,
        &session(paris(2025, 10, 24, 10, 0), None),
        t,
    )
    .await
    .unwrap();
    sessions::insert(
        c,
        planetarium.id,
        &session(paris(2025, 10, 27, 10, 0), Some(30)),
        t,
    )
    .await
    .unwrap();
    let village = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Village),
            audiences: vec![Audience::General],
            venue_id: Some(casemate.id),
            ..activity(p.id, "village-grenoble", "Village des sciences de Grenoble")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(c, village.id, &session(paris(2025, 10, 10, 14, 0), None), t)
        .await
        .unwrap();
    let talk = activities::insert(
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
            ..activity(p.id, "trous-noirs", "Conférence : les trous noirs")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(c, talk.id, &session(paris(2025, 10, 10, 20, 0), None), t)
        .await
        .unwrap();
    let film = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Screening),
            venue_id: Some(mediatheque.id),
            status: Some(ActivityStatus::Cancelled),
            ..activity(p.id, "cine-debat", "Ciné-débat sur le climat")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(c, film.id, &session(paris(2025, 10, 11, 18, 0), None), t)
        .await
        .unwrap();
    let online = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Meeting),
            online_url: Some("https://visio.example.org/astro".into()),
            ..activity(p.id, "en-ligne", "Rencontre en ligne")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(c, online.id, &session(paris(2025, 10, 15, 18, 0), None), t)
        .await
        .unwrap();
    let draft = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Workshop),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Draft),
            ..activity(p.id, "robots", "Atelier robots")
        },
        t,
    )
    .await
    .unwrap();
    let hidden = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Planetarium),
            venue_id: Some(secret_venue.id),
            ..activity(secret.id, "avant-premiere", "Avant-première")
        },
        t,
    )
    .await
    .unwrap();
    let hidden_session =
        sessions::insert(c, hidden.id, &session(paris(2025, 10, 12, 9, 0), None), t)
            .await
            .unwrap();
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

/// The OpenAPI document, and checks of answers against it.
/// The one route of the API that writes.
pub const BOOKINGS: &str = "/api/v1/sessions/{id}/bookings";

pub struct Doc(Value);

impl Doc {
    pub async fn load(c: &mut Client) -> Doc {
        let r = c.get("/api/openapi.json").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type"), "application/json");
        let doc: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        Doc(doc)
    }

    fn paths(&self) -> BTreeSet<String> {
        self.0["paths"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn operation(&self, path: &str) -> &Value {
        let item = &self.0["paths"][path];
        assert!(item.is_object(), "{path} is not documented");
        let methods: Vec<&String> = item.as_object().unwrap().keys().collect();
        if path == BOOKINGS {
            assert_eq!(methods, ["post"], "{path}");
            return &item["post"];
        }
        assert_eq!(methods, ["get"], "{path}: only booking requests write");
        &item["get"]
    }

    /// `v`, or what its `$ref` points to in the document.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self
                .0
                .pointer(r.strip_prefix('#').unwrap())
                .unwrap_or_else(|| panic!("dangling {r}")),
            None => v,
        }
    }

    /// The query parameters of an operation.
    fn query_parameters(&self, path: &str) -> Vec<&Value> {
        self.operation(path)["parameters"]
            .as_array()
            .map(|a| a.iter().map(|p| self.resolve(p)).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p["in"] == "query")
            .collect()
    }

    /// Checks `instance` against `schema`, whose references are resolved in
    /// the document's components (JSON Schema 2020-12, formats checked).
    fn validate(&self, schema: &Value, instance: &Value, what: &str) {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.0["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{what}: the schema does not build: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{what}: the answer does not match the document:\n{}\n{instance:#}",
            errors.join("\n")
        );
    }

    /// Checks an answer of the route `path`: its status is documented for
    /// the operation, with its media type, headers and body schema.
    pub fn check(&self, path: &str, r: &Resp) {
        let op = self.operation(path);
        let status = r.status.as_u16().to_string();
        let documented = op["responses"]
            .get(&status)
            .unwrap_or_else(|| panic!("{path}: status {status} is not documented: {}", r.body));
        let documented = self.resolve(documented);
        if let Some(headers) = documented.get("headers").and_then(Value::as_object) {
            for name in headers.keys() {
                assert!(!r.header(name).is_empty(), "{path} {status}: no {name}");
            }
        }
        match documented.get("content").and_then(Value::as_object) {
            None => assert!(r.body.is_empty(), "{path} {status}: a body"),
            Some(content) => {
                let media = content.get(r.header("content-type")).unwrap_or_else(|| {
                    panic!(
                        "{path} {status}: {} is not documented",
                        r.header("content-type")
                    )
                });
                // Files (CSV, XLSX, PDF) are checked by their own tests.
                if !r.header("content-type").contains("json") {
                    assert!(!r.bytes.is_empty(), "{path} {status}: empty");
                    return;
                }
                let body: Value = serde_json::from_str(&r.body)
                    .unwrap_or_else(|e| panic!("{path} {status}: not JSON ({e}): {}", r.body));
                self.validate(&media["schema"], &body, &format!("{path} {status}"));
            }
        }
    }
}

fn body(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

fn enc(s: &str) -> String {
    maillage_web::ctx::urlencode(s)
}

#[tokio::test]
async fn every_api_route_is_documented_and_every_documented_route_answers() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let documented = doc.paths();

    // The index links every route; it is made from the router's own list.
    let index = c.get("/api/v1").await;
    doc.check("/api/v1", &index);
    let index = body(&index);
    assert_eq!(index["openapi"], "/api/openapi.json");
    let mut linked: BTreeSet<String> = index["links"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    linked.insert("/api/v1".into());
    assert_eq!(linked, documented);
    for route in maillage_web::route_table() {
        if route.path.starts_with("/api/") {
            assert!(
                documented.contains(route.path),
                "{} is not documented",
                route.path
            );
        }
    }
    // The document's operations, as the crate lists them for the tests
    // that hold it and the routes together.
    let operations: BTreeSet<(String, String)> = maillage_web::openapi_operations()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p))
        .collect();
    assert_eq!(
        operations
            .iter()
            .map(|o| o.1.clone())
            .collect::<BTreeSet<_>>(),
        documented
    );
    // Every API route of the router, with or without a token, is
    // documented with its method, and every documented operation is routed.
    let routed: BTreeSet<(String, String)> = maillage_web::route_table()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .chain(
            maillage_web::open_route_table()
                .into_iter()
                .map(|r| (r.method.to_string(), r.path.to_owned())),
        )
        .filter(|(_, p)| p.starts_with("/api/") && p != "/api/openapi.json")
        .collect();
    assert_eq!(
        routed, operations,
        "routed API operations = documented ones"
    );
    // Every API path the router source names, in any file, is documented
    // (a route added beside the document would show here).
    let mut named = Vec::new();
    api_paths_in(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut named,
    );
    assert!(named.len() >= 20, "{named:?}");
    for (file, path) in named {
        assert!(
            documented.contains(&path) || path == "/api/openapi.json",
            "{path} is named in {file} but not documented"
        );
    }

    // Every documented route answers, as documented (booking requests are
    // checked against the document by the booking tests).
    for path in documented.iter().filter(|p| *p != BOOKINGS) {
        let id = if path.starts_with("/api/v1/activities/") {
            d.planetarium
        } else if path.starts_with("/api/v1/sessions/") {
            d.session
        } else if path.starts_with("/api/v1/venues/") {
            d.cosmocite
        } else if path.starts_with("/api/v1/questionnaires/") {
            d.questionnaire
        } else {
            assert!(!path.contains("{id}"), "no example id for {path}");
            0
        };
        let url = path
            .replace("{id}", &id.to_string())
            .replace("{slug}", "fds-2025");
        assert!(!url.contains('{'), "no example for {path}");
        let r = c.get(&url).await;
        doc.check(path, &r);
        if r.status == StatusCode::UNAUTHORIZED {
            assert!(doc.operation(path)["security"][0]["bearerAuth"].is_array());
            let r = c.api_get(&url, &d.token).await;
            doc.check(path, &r);
            assert_eq!(r.status, StatusCode::OK, "{url} with a token");
        } else {
            assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
        }
    }
}

/// The string literals of the `.rs` files under `dir` that are paths of the
/// API (`/api/v…`, no query string), with their file.
fn api_paths_in(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            api_paths_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for (at, _) in source.match_indices("\"/api/") {
                let literal = source[at + 1..].split('"').next().unwrap_or_default();
                if literal.len() > "/api/".len() && !literal.contains('?') {
                    out.push((path.display().to_string(), literal.to_owned()));
                }
            }
        }
    }
}

/// The `$ref`s of `v`.
fn references<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                out.push(r);
            }
            m.values().for_each(|x| references(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// The schemas of `v` that give a default value.
fn with_defaults<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("default") && (m.contains_key("type") || m.contains_key("$ref")) {
                out.push(v);
            }
            m.values().for_each(|x| with_defaults(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| with_defaults(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    // The schema of OpenAPI 3.1 documents of the OpenAPI Initiative.
    let schema: Value = serde_json::from_str(include_str!("openapi-3.1.schema.json")).unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc.0)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not OpenAPI 3.1:\n{}", errors.join("\n"));
    // What an OpenAPI validator checks beside: every default value is one
    // its schema accepts.
    let mut defaults = Vec::new();
    with_defaults(&doc.0, &mut defaults);
    assert!(!defaults.is_empty());
    for schema in defaults {
        doc.validate(schema, &schema["default"], "a default value");
    }
    // The check can fail.
    let mut broken = doc.0.clone();
    broken["paths"]["/api/v1"]["get"]["responses"]["200"] = json!({ "content": {} });
    assert!(
        !validator.is_valid(&broken),
        "a response needs a description"
    );
}

#[tokio::test]
async fn the_document_is_served_with_a_validator_and_its_schemas_are_valid() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    for (name, schema) in doc.0["components"]["schemas"].as_object().unwrap() {
        assert!(
            jsonschema::draft202012::meta::is_valid(schema),
            "{name} is not a valid JSON Schema"
        );
    }
    // Every reference resolves.
    let mut refs = Vec::new();
    references(&doc.0, &mut refs);
    assert!(refs.len() > 50);
    for r in refs {
        assert!(
            doc.0.pointer(r.strip_prefix('#').unwrap()).is_some(),
            "dangling {r}"
        );
    }
    // Operation ids are unique.
    let mut ids: Vec<&str> = doc.0["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{ids:?}");
    // The vocabularies are the domain's codes; the public sees no draft.
    let schemas = &doc.0["components"]["schemas"];
    let codes = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not enumerated"))
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes("Format"),
        Format::ALL.iter().map(|f| f.code()).collect::<Vec<_>>()
    );
    assert_eq!(codes("Theme").len(), Theme::ALL.len());
    assert!(codes("ActivityStatus").contains(&"cancelled".to_owned()));
    assert!(!codes("ActivityStatus").contains(&"draft".to_owned()));
    // Answers are closed objects (a flattened view included); requests are
    // as derived.
    let detail = &schemas["ActivityDetail"];
    assert_eq!(detail["additionalProperties"], false);
    assert!(detail["properties"]["title"].is_object(), "{detail}");
    assert!(
        detail["required"]
            .as_array()
            .unwrap()
            .contains(&json!("summary"))
    );
    let r = c.get("/api/openapi.json").await;
    let etag = r.header("etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    c.headers.push(("if-none-match".into(), etag));
    let again = c.get("/api/openapi.json").await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn every_answer_matches_the_document() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let cases: Vec<(&str, String, StatusCode)> = vec![
        ("/api/v1", "/api/v1".into(), StatusCode::OK),
        (
            "/api/v1/communes",
            format!("/api/v1/communes?q={}", enc("pont de claix")),
            StatusCode::OK,
        ),
        (
            "/api/v1/communes",
            "/api/v1/communes?q=x&limit=0".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/organisations",
            "/api/v1/organisations".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects",
            "/api/v1/projects".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/fds-2025".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/secret".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/nope".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?project=fds-2025&commune=38563".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            format!("/api/v1/activities?q={}", enc("trous noirs")),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?level=licence&from=2025-13-01&commune=Atlantis".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?level=college&level=lycee".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.planetarium),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.talk),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.online),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.film),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.draft),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.hidden),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities/{id}",
            "/api/v1/activities/abc".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sessions/{id}",
            format!("/api/v1/sessions/{}", d.session),
            StatusCode::OK,
        ),
        (
            "/api/v1/sessions/{id}",
            format!("/api/v1/sessions/{}", d.hidden_session),
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/venues", "/api/v1/venues".into(), StatusCode::OK),
        (
            "/api/v1/venues",
            "/api/v1/venues?q=cosmo&epci=200040715".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/venues",
            "/api/v1/venues?project=secret".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.cosmocite),
            StatusCode::OK,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.unused),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.secret_venue),
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/me", "/api/v1/me".into(), StatusCode::UNAUTHORIZED),
    ];
    for (path, url, status) in &cases {
        let r = c.get(url).await;
        assert_eq!(r.status, *status, "{url}: {}", r.body);
        doc.check(path, &r);
    }
    for (path, url) in [
        ("/api/v1/me", "/api/v1/me"),
        ("/api/v1/organisations", "/api/v1/organisations"),
        ("/api/v1/activities", "/api/v1/activities"),
    ] {
        let r = c.api_get(url, &d.token).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        doc.check(path, &r);
    }

    // What the public sees, and only that.
    let all = body(&c.get("/api/v1/activities").await);
    let listed: BTreeSet<i64> = ids(&all).into_iter().collect();
    let expected: BTreeSet<i64> = [d.planetarium, d.village, d.talk, d.film, d.online].into();
    assert_eq!(
        listed, expected,
        "no draft, nothing of an unpublished project"
    );
    assert_eq!(all["next"], Value::Null);
    let venues = body(&c.get("/api/v1/venues").await);
    let listed: Vec<i64> = ids(&venues);
    assert_eq!(
        listed,
        [d.cosmocite, d.casemate, d.mediatheque],
        "the venues of public activities, by name"
    );
    let projects = body(&c.get("/api/v1/projects").await);
    assert_eq!(projects["items"].as_array().unwrap().len(), 1);
    assert_eq!(projects["items"][0]["partners"][0]["role"], "organiser");
    let with_token = body(&c.api_get("/api/v1/organisations", &d.token).await);
    assert_eq!(
        with_token["items"][0]["private"]["email"],
        "contact@example.org"
    );
    assert!(
        body(&c.get("/api/v1/organisations").await)["items"][0]
            .get("private")
            .is_none()
    );

    // The planetarium: sessions with the capacity of the space unless their
    // own, in Paris time across the end of summer time.
    let a = body(
        &c.get(&format!("/api/v1/activities/{}", d.planetarium))
            .await,
    );
    let sessions = a["sessions"].as_array().unwrap();
    assert_eq!(sessions[0]["starts_at"], "2025-10-24T10:00:00+02:00");
    assert_eq!(sessions[1]["starts_at"], "2025-10-27T10:00:00+01:00");
    assert_eq!(sessions[0]["capacity"], 60, "the space's capacity");
    assert_eq!(sessions[1]["capacity"], 30, "the session's own");
    assert_eq!(a["venue"]["space"], "Coupole");
    assert_eq!(
        a["venue"]["commune"],
        json!({"insee": "38317", "name": "Le Pont-de-Claix"})
    );
    assert_eq!(a["accessibility"], json!(["wheelchair", "hearing_loop"]));
    assert_eq!(a["levels"], json!(["college", "lycee"]));
    assert_eq!(a["speakers"], json!(["Marie Curie"]));
    assert_eq!(a["organisers"], json!(["La Casemate"]));
    assert_eq!(
        a["url"],
        "http://localhost:8080/p/fds-2025/a/voyage-planetarium"
    );
    let html = a["description_html"].as_str().unwrap();
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>"),
        "{html}"
    );
    let s = body(&c.get(&format!("/api/v1/sessions/{}", d.session)).await);
    assert_eq!(s["capacity"], 60);
    assert_eq!(s["activity"]["id"], d.planetarium);
    let talk = body(&c.get(&format!("/api/v1/activities/{}", d.talk)).await);
    assert_eq!(talk["parent"]["id"], d.village);
    assert_eq!(talk["registration"], "external");
    let online = body(&c.get(&format!("/api/v1/activities/{}", d.online)).await);
    assert_eq!(online["venue"], Value::Null);
    let v = body(&c.get(&format!("/api/v1/venues/{}", d.cosmocite)).await);
    assert_eq!(v["epci"]["siren"], "200040715");
    assert_eq!(
        v["spaces"],
        json!([{"id": v["spaces"][0]["id"], "name": "Coupole", "kind": "planetarium", "capacity": 60}]),
        "no internal notes"
    );
    let p = body(&c.get("/api/v1/projects/fds-2025").await);
    assert_eq!(
        p["activities_url"],
        "http://localhost:8080/api/v1/activities?project=fds-2025"
    );
    let by_epci = body(&c.get("/api/v1/venues?epci=200040715").await);
    assert_eq!(
        ids(&by_epci),
        [d.cosmocite, d.casemate],
        "Voiron is elsewhere"
    );
    let bad = body(
        &c.get("/api/v1/activities?level=licence&from=2025-13-01&commune=Atlantis")
            .await,
    );
    let fields: BTreeSet<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["commune", "from", "level"].into());
}

/// A bad value for a query parameter, from its schema or its meaning;
/// `None` for free text.
fn bad_value(doc: &Doc, param: &Value) -> Option<String> {
    let name = param["name"].as_str().unwrap();
    let schema = doc.resolve(&param["schema"]);
    if schema.get("enum").is_some() {
        return Some("zz-not-a-code".into());
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("boolean"), _) => return Some("maybe".into()),
        (Some("string"), Some("date")) => return Some("2025-02-30".into()),
        (Some("integer"), _) => {
            return Some((schema["minimum"].as_i64().unwrap_or(1) - 1).to_string());
        }
        _ => {}
    }
    match name {
        "commune" => Some("Atlantis".into()),
        "epci" => Some("000000000".into()),
        "project" => Some("no-such-project".into()),
        "cursor" => Some("!!".into()),
        "q" | "departement" => None,
        other => panic!("no bad value known for the parameter {other}"),
    }
}

/// Values of a query parameter that must be accepted.
fn good_values(doc: &Doc, param: &Value) -> Vec<String> {
    let name = param["name"].as_str().unwrap();
    let schema = doc.resolve(&param["schema"]);
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("boolean"), _) => return ["true", "false", "1", "0"].map(String::from).to_vec(),
        (Some("string"), Some("date")) => return vec!["2025-10-24".into()],
        (Some("integer"), _) => {
            let mut v = vec![schema["minimum"].as_i64().unwrap_or(1).to_string()];
            if let Some(max) = schema["maximum"].as_i64() {
                v.push(max.to_string());
            }
            return v;
        }
        _ => {}
    }
    match name {
        "commune" => ["38317", "38000", "Le Pont-de-Claix"]
            .map(String::from)
            .to_vec(),
        "epci" => vec!["200040715".into()],
        "project" => vec!["fds-2025".into()],
        "q" => vec!["planétarium".into(), "".into()],
        "departement" => vec!["38".into()],
        // Valid cursors come from `next` (see the pagination test).
        "cursor" => vec!["".into()],
        other => panic!("no good value known for the parameter {other}"),
    }
}

#[tokio::test]
async fn every_documented_parameter_value_is_accepted_and_bad_ones_are_refused_by_name() {
    let app = TestApp::new().await;
    programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let mut tried = 0;
    for path in doc.paths().iter().filter(|p| !p.contains('{')) {
        for param in doc.query_parameters(path) {
            let name = param["name"].as_str().unwrap();
            for value in good_values(&doc, param) {
                let url = format!("{path}?{name}={}", enc(&value));
                let r = c.get(&url).await;
                assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
                doc.check(path, &r);
                tried += 1;
                // The filter is applied: every activity listed has the value.
                if path == "/api/v1/activities" {
                    let field = match name {
                        "audience" => "audiences",
                        "level" => "levels",
                        "theme" => "themes",
                        "format" => "format",
                        _ => continue,
                    };
                    for item in body(&r)["items"].as_array().unwrap() {
                        let has = match &item[field] {
                            Value::Array(a) => a.iter().any(|x| x == value.as_str()),
                            x => x == value.as_str(),
                        };
                        assert!(has, "{url}: {item}");
                    }
                }
            }
            let Some(bad) = bad_value(&doc, param) else {
                continue;
            };
            let url = format!("{path}?{name}={}", enc(&bad));
            let r = c.get(&url).await;
            assert!(
                r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
                "{url}: {} {}",
                r.status,
                r.body
            );
            assert_eq!(r.header("content-type"), "application/problem+json");
            doc.check(path, &r);
            let problem = body(&r);
            assert_eq!(problem["status"], r.status.as_u16());
            assert!(
                problem["errors"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|e| e["field"] == name)),
                "{url}: the problem does not name {name}: {problem}"
            );
        }
    }
    assert!(tried > 60, "{tried}");
    // The programme's routes refuse with 400, as the issue wants.
    let r = c.get("/api/v1/activities?level=licence").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c.get("/api/v1/venues?epci=000000000").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // `false` does not mean yes.
    let free = body(&c.get("/api/v1/activities?free=false").await);
    assert_eq!(ids(&free).len(), 5);
    let free = body(&c.get("/api/v1/activities?free=true").await);
    assert_eq!(ids(&free).len(), 1);
}

/// Follows `next` from `url` to the end: the ids of every page.
async fn walk(c: &mut Client, doc: &Doc, path: &str, url: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let sep = if url.contains('?') { '&' } else { '?' };
        let page_url = match &next {
            None => url.to_owned(),
            Some(cursor) => format!("{url}{sep}cursor={}", enc(cursor)),
        };
        let r = c.get(&page_url).await;
        assert_eq!(r.status, StatusCode::OK, "{page_url}: {}", r.body);
        doc.check(path, &r);
        let v = body(&r);
        let page = ids(&v);
        assert!(page.len() <= 50, "{page_url}: {} items", page.len());
        pages.push(page);
        match v["next"].as_str() {
            Some(n) => next = Some(n.to_owned()),
            None => break,
        }
        assert!(pages.len() < 50, "{url}: the cursor does not end");
    }
    pages
}

fn exactly_once(pages: &[Vec<i64>], expected: &BTreeSet<i64>, what: &str) {
    let all: Vec<i64> = pages.iter().flatten().copied().collect();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len(), "{what}: an item seen twice");
    assert_eq!(&distinct, expected, "{what}");
}

#[tokio::test]
async fn cursors_walk_every_item_exactly_once() {
    let app = TestApp::new().await;
    let tx = app.db.write().await.unwrap();
    let t = now();
    let p = projects::insert(&tx, &project_data("fds-2025", ProjectStatus::Published), t)
        .await
        .unwrap();
    let secret = projects::insert(&tx, &project_data("secret", ProjectStatus::Draft), t)
        .await
        .unwrap();
    // 60 venues, names given twice (in two communes), for ties on the name.
    let mut venue_ids = Vec::new();
    for i in 0..60 {
        let insee = if i % 2 == 0 { "38185" } else { "38317" };
        let v = venues::insert(&tx, &venue_data(&format!("Salle {:02}", i / 2), insee), t)
            .await
            .unwrap();
        venue_ids.push((v.id, insee));
    }
    let mut public = BTreeSet::new();
    let mut in_grenoble = BTreeSet::new();
    for i in 0..160 {
        // Every eighth is of the unpublished project, some are drafts:
        // pages are made of all of them mixed, by date.
        let (project, status) = match i % 8 {
            3 => (secret.id, ActivityStatus::Published),
            5 if i < 40 => (p.id, ActivityStatus::Draft),
            _ => (p.id, ActivityStatus::Published),
        };
        let (venue, insee) = venue_ids[i % 60];
        let a = activities::insert(
            &tx,
            &ActivityData {
                project_id: project,
                slug: format!("activite-{i}"),
                title: format!("Activité {i}"),
                status: Some(status),
                venue_id: Some(venue),
                ..Default::default()
            },
            t,
        )
        .await
        .unwrap();
        let day = u32::try_from(i % 20).unwrap() + 5;
        sessions::insert(&tx, a.id, &session(paris(2025, 10, day, 14, 0), None), t)
            .await
            .unwrap();
        if project == p.id && status == ActivityStatus::Published {
            public.insert(a.id);
            if insee == "38185" {
                in_grenoble.insert(a.id);
            }
        }
    }
    tx.commit().await.unwrap();
    assert!(public.len() > 120);
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;

    let pages = walk(&mut c, &doc, "/api/v1/activities", "/api/v1/activities").await;
    assert!(pages.len() >= 3, "{} pages", pages.len());
    exactly_once(&pages, &public, "activities");
    let pages = walk(
        &mut c,
        &doc,
        "/api/v1/activities",
        "/api/v1/activities?project=fds-2025&commune=38185",
    )
    .await;
    assert!(pages.len() >= 2);
    exactly_once(&pages, &in_grenoble, "activities in Grenoble");

    let pages = walk(&mut c, &doc, "/api/v1/venues", "/api/v1/venues").await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [50, 10]);
    let all: BTreeSet<i64> = venue_ids.iter().map(|v| v.0).collect();
    exactly_once(&pages, &all, "venues");
    // By name, then id for equal names.
    let mut sorted: Vec<(String, i64)> = Vec::new();
    for v in &venue_ids {
        let name = venues::find(app.db.conn(), v.0)
            .await
            .unwrap()
            .unwrap()
            .data
            .name;
        sorted.push((name, v.0));
    }
    sorted.sort();
    let order: Vec<i64> = sorted.into_iter().map(|x| x.1).collect();
    assert_eq!(pages.concat(), order);
    let pages = walk(
        &mut c,
        &doc,
        "/api/v1/venues",
        "/api/v1/venues?commune=38317",
    )
    .await;
    let expected: BTreeSet<i64> = venue_ids
        .iter()
        .filter(|v| v.1 == "38317")
        .map(|v| v.0)
        .collect();
    exactly_once(&pages, &expected, "venues in Le Pont-de-Claix");
    // A cursor of one list is refused by another.
    let r = c.get("/api/v1/activities").await;
    let cursor = body(&r)["next"].as_str().unwrap().to_owned();
    let r = c.get(&format!("/api/v1/venues?cursor={cursor}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unchanged_answers_revalidate_with_etag_and_last_modified() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let path = "/api/v1/activities";
    let url = "/api/v1/activities?project=fds-2025";
    let first = c.get(url).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), "public, max-age=60");
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(DateTime::parse_from_rfc2822(first.header("last-modified")).is_ok());

    let with = |name: &str, value: &str| {
        let mut c = app.client();
        c.headers.push((name.into(), value.into()));
        c
    };
    for inm in [etag.clone(), format!("\"other\", {etag}"), "*".into()] {
        let r = with("if-none-match", &inm).get(url).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "If-None-Match: {inm}");
        assert_eq!(r.header("etag"), etag);
        doc.check(path, &r);
    }
    let r = with("if-none-match", "\"other\"").get(url).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = with("if-none-match", &etag)
        .get("/api/v1/activities?project=fds-2025&level=college")
        .await;
    assert_eq!(r.status, StatusCode::OK, "a validator is for one request");
    let r = with("if-none-match", "*")
        .get("/api/v1/activities/999999")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "`*` needs a resource");
    let r = with("if-none-match", &etag)
        .get("/api/v1/activities?level=licence")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.header("etag").is_empty(), "no validator on errors");
    let other = app.second_instance();
    let mut c2 = app.client();
    c2.app = other;
    c2.headers.push(("if-none-match".into(), etag.clone()));
    assert_eq!(
        c2.get(url).await.status,
        StatusCode::NOT_MODIFIED,
        "every instance makes the same validator"
    );

    // Last-Modified: a second later it is settled, and answers If-Modified-Since.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = c.get(url).await;
    let lm = r.header("last-modified").to_owned();
    let lm_time = DateTime::parse_from_rfc2822(&lm)
        .unwrap()
        .with_timezone(&Utc);
    assert!(lm_time <= Utc::now());
    let r = with("if-modified-since", &lm).get(url).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_MODIFIED,
        "If-Modified-Since: {lm}"
    );
    doc.check(path, &r);
    let day_before = (lm_time - Duration::days(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    assert_eq!(
        with("if-modified-since", &day_before).get(url).await.status,
        StatusCode::OK
    );
    let tomorrow = (Utc::now() + Duration::days(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    assert_eq!(
        with("if-modified-since", &tomorrow).get(url).await.status,
        StatusCode::OK,
        "a date in the future is ignored"
    );
    assert_eq!(
        with("if-modified-since", "yesterday").get(url).await.status,
        StatusCode::OK
    );
    let mut both = with("if-modified-since", &lm);
    both.headers
        .push(("if-none-match".into(), "\"other\"".into()));
    assert_eq!(
        both.get(url).await.status,
        StatusCode::OK,
        "If-None-Match wins over If-Modified-Since"
    );

    // A change of the programme: old validators get the new answer.
    let tx = app.db.write().await.unwrap();
    activities::set_status(&tx, &[d.draft], ActivityStatus::Published, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = with("if-none-match", &etag).get(url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.header("etag"), etag);
    assert!(
        ids(&body(&r)).contains(&d.draft),
        "not served from the cache"
    );
    let r = with("if-modified-since", &lm).get(url).await;
    assert_eq!(r.status, StatusCode::OK, "changed since {lm}");
    let new_lm = DateTime::parse_from_rfc2822(r.header("last-modified")).unwrap();
    assert!(new_lm >= lm_time);
    // Every programme route carries validators (but a session, whose
    // booking figures change with every booking).
    for url in [
        "/api/v1/projects".to_owned(),
        "/api/v1/projects/fds-2025".into(),
        format!("/api/v1/activities/{}", d.planetarium),
        "/api/v1/venues".into(),
        format!("/api/v1/venues/{}", d.cosmocite),
    ] {
        let r = c.get(&url).await;
        let etag = r.header("etag").to_owned();
        assert!(
            !etag.is_empty() && !r.header("last-modified").is_empty(),
            "{url}"
        );
        let r = with("if-none-match", &etag).get(&url).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{url}");
    }
}

#[tokio::test]
async fn activities_have_the_shape_the_checks_use() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let url = format!(
        "/api/v1/activities?project=fds-2025&q={}&commune=38317&audience=school&level=college&from=2025-10-20&to=2025-10-31",
        enc("planétarium")
    );
    let r = c.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/json");
    let v = body(&r);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let a = &items[0];
    assert_eq!(a["id"], d.planetarium);
    assert_eq!(a["slug"], "voyage-planetarium");
    assert_eq!(a["title"], "Voyage au planétarium");
    assert_eq!(
        a["url"],
        "http://localhost:8080/p/fds-2025/a/voyage-planetarium"
    );
    assert_eq!(a["venue"]["commune"]["insee"], "38317");
    let sessions = a["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    for s in sessions {
        assert!(s["id"].as_i64().is_some());
        for k in ["starts_at", "ends_at"] {
            DateTime::parse_from_rfc3339(s[k].as_str().unwrap()).unwrap();
        }
        assert!(s["capacity"].as_i64().is_some());
    }
    assert!(v.get("next").is_some_and(Value::is_null));
    // Each filter narrows: elsewhere, for other levels, on other days.
    for other in [
        "commune=38185",
        "level=maternelle",
        "from=2025-10-01&to=2025-10-05",
        "audience=professionals",
    ] {
        let v = body(
            &c.get(&format!(
                "/api/v1/activities?project=fds-2025&q=planetarium&{other}"
            ))
            .await,
        );
        assert!(v["items"].as_array().unwrap().is_empty(), "{other}: {v}");
    }
    let p = body(&c.get("/api/v1/projects").await);
    let first = &p["items"][0];
    assert_eq!(first["slug"], "fds-2025");
    assert_eq!(first["kind"], "festival");
    assert_eq!(first["starts_on"], "2025-10-03");
    assert!(first["name"].is_string());
}
