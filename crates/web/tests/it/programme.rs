//! The public programme as a visitor sees it: filters and shareable URLs,
//! activity pages with schema.org Event data, iCalendar and Atom feeds read
//! back by real parsers, the page cache following the programme.

use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::venues::{self, VenueData};
use maillage_db::{now, organisations};
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectKind, ProjectStatus, RegistrationMode, SchoolLevel,
    SessionStatus,
};
use serde_json::Value;

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

struct Season {
    planetarium: i64,
    draft: i64,
}

/// A published edition with a planetarium show for classes at Cosmocité
/// (Le Pont-de-Claix) on both sides of the end of summer time, a paid talk
/// in Grenoble, a cancelled film and a draft; and an unpublished project.
async fn season(app: &TestApp) -> Season {
    let c = app.db.conn();
    let t = now();
    let project = |slug: &str, name: &str, status| ProjectData {
        slug: slug.into(),
        name: name.into(),
        kind: ProjectKind::Festival,
        starts_on: NaiveDate::from_ymd_opt(2025, 10, 3).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        description: Some("La **science** en fête dans toute l'Isère.".into()),
        lead_user_id: None,
        status,
    };
    let p = projects::insert(
        c,
        &project(
            "fds-2025",
            "Fête de la science 2025",
            ProjectStatus::Published,
        ),
        t,
    )
    .await
    .unwrap();
    projects::insert(
        c,
        &project("secret", "Projet en préparation", ProjectStatus::Draft),
        t,
    )
    .await
    .unwrap();
    let org = organisations::create(c, "La Casemate", t).await.unwrap();
    let cosmo = venues::insert(
        c,
        &VenueData {
            name: "Cosmocité".into(),
            address: Some("1 place Michel Couëtoux".into()),
            postcode: Some("38800".into()),
            commune_insee: Some("38317".into()),
            lat: Some(45.1403),
            lon: Some(5.6997),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let casemate = venues::insert(
        c,
        &VenueData {
            name: "La Casemate".into(),
            commune_insee: Some("38185".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let activity = |slug: &str, title: &str| ActivityData {
        project_id: p.id,
        slug: slug.into(),
        title: title.into(),
        status: Some(ActivityStatus::Published),
        ..Default::default()
    };
    let planetarium = activities::insert(
        c,
        &ActivityData {
            summary: Some("Les étoiles d'automne sous la coupole.".into()),
            description: Some(
                "## Au programme\n\nLe ciel du soir, <script>alert(1)</script> les planètes."
                    .into(),
            ),
            format: Some(Format::Planetarium),
            audiences: vec![Audience::School, Audience::Families],
            levels: vec![SchoolLevel::College],
            themes: vec![Theme::Astronomy],
            organisations: vec![org.id],
            venue_id: Some(cosmo.id),
            free: true,
            registration: Some(RegistrationMode::Booking),
            ..activity("voyage-planetarium", "Voyage au planétarium")
        },
        t,
    )
    .await
    .unwrap();
    let session = |start: DateTime<Utc>, status| SessionData {
        starts_at: start,
        ends_at: start + chrono::Duration::minutes(90),
        capacity: Some(30),
        status,
    };
    sessions::insert_many(
        c,
        planetarium.id,
        &[
            session(paris(2025, 10, 24, 10, 0), SessionStatus::Scheduled),
            session(paris(2025, 10, 27, 10, 0), SessionStatus::Scheduled),
        ],
        t,
    )
    .await
    .unwrap();
    let village = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Village),
            venue_id: Some(casemate.id),
            ..activity("village-grenoble", "Village des sciences de Grenoble")
        },
        t,
    )
    .await
    .unwrap();
    let talk = activities::insert(
        c,
        &ActivityData {
            parent_id: Some(village.id),
            format: Some(Format::Talk),
            audiences: vec![Audience::General],
            venue_id: Some(casemate.id),
            free: false,
            price: Some("5 €".into()),
            registration: Some(RegistrationMode::External),
            registration_url: Some("https://billetterie.example.org/trous-noirs".into()),
            ..activity("trous-noirs", "Conférence : les trous noirs")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(
        c,
        talk.id,
        &session(paris(2025, 10, 10, 20, 0), SessionStatus::Scheduled),
        t,
    )
    .await
    .unwrap();
    let film = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Screening),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Cancelled),
            ..activity("cine-debat", "Ciné-débat sur le climat")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(
        c,
        film.id,
        &session(paris(2025, 10, 11, 18, 0), SessionStatus::Scheduled),
        t,
    )
    .await
    .unwrap();
    let draft = activities::insert(
        c,
        &ActivityData {
            format: Some(Format::Workshop),
            venue_id: Some(casemate.id),
            status: Some(ActivityStatus::Draft),
            ..activity("robots", "Atelier robots")
        },
        t,
    )
    .await
    .unwrap();
    sessions::insert(
        c,
        draft.id,
        &session(paris(2025, 10, 12, 14, 0), SessionStatus::Scheduled),
        t,
    )
    .await
    .unwrap();
    Season {
        planetarium: planetarium.id,
        draft: draft.id,
    }
}

/// Titles of the activity cards of a programme page.
fn titles(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in body.split("href=\"/p/fds-2025/a/").skip(1) {
        if let Some(end) = part.find("</a>") {
            let inner = &part[..end];
            if let Some(gt) = inner.find('>') {
                out.push(inner[gt + 1..].trim().to_owned());
            }
        }
    }
    out
}

#[tokio::test]
async fn the_programme_page_filters_with_shareable_urls() {
    let app = TestApp::new().await;
    season(&app).await;
    let mut c = app.client();

    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("href=\"/p/fds-2025\""),
        "home lists the project"
    );
    assert!(!home.body.contains("/p/secret"), "not the draft project");

    let all = c.get("/p/fds-2025").await;
    assert_eq!(all.status, StatusCode::OK);
    let t = titles(&all.body);
    assert!(t.iter().any(|x| x.contains("planétarium")), "{t:?}");
    assert!(t.iter().any(|x| x.contains("trous noirs")), "{t:?}");
    assert!(
        t.iter().any(|x| x.contains("Ciné-débat")),
        "cancelled activities stay listed"
    );
    assert!(
        !all.body.contains("Atelier robots"),
        "drafts are not public"
    );
    assert!(
        all.body.contains("<strong>science</strong>"),
        "project description as Markdown"
    );

    // A visitor types the commune's name and picks the school level.
    let r = c
        .get("/p/fds-2025?commune=Le+Pont-de-Claix&level=college")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(titles(&r.body), ["Voyage au planétarium"]);
    assert!(
        r.body.contains("value=\"Le Pont-de-Claix\""),
        "the filter stays in the form"
    );
    assert!(
        r.body.contains(
            "href=\"/p/fds-2025/programme.ics?commune=Le%20Pont-de-Claix&#38;level=college\""
        ),
        "the calendar feed follows the filters"
    );
    // The same by INSEE code, and accent- and case-insensitive text search.
    for url in [
        "/p/fds-2025?commune=38317",
        "/p/fds-2025?q=PLANETARIUM",
        "/p/fds-2025?q=plan%C3%A9t",
        "/p/fds-2025?q=etoiles+automne",
        "/p/fds-2025?format=planetarium&audience=school",
        "/p/fds-2025?from=2025-10-27&to=2025-10-27",
        "/p/fds-2025?free=1&theme=astronomy",
    ] {
        let r = c.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        assert_eq!(titles(&r.body), ["Voyage au planétarium"], "{url}");
    }
    let r = c.get("/p/fds-2025?commune=38185&registration=1").await;
    assert_eq!(titles(&r.body), ["Conférence : les trous noirs"]);
    let r = c.get("/p/fds-2025?q=robots").await;
    assert!(titles(&r.body).is_empty(), "a draft is not found by search");
    let r = c.get("/p/fds-2025?level=lycee").await;
    assert!(titles(&r.body).is_empty());

    // Bad values: a message next to the field, what was typed kept.
    let r = c
        .get("/p/fds-2025?commune=Atlantis&level=licence&from=2025-13-01")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Atlantis\""), "{}", r.body);
    assert!(r.body.contains("id=\"f-commune-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("value=\"2025-13-01\""));
    let r = c.get("/p/fds-2025?from=2025-10-20&to=2025-10-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Unknown projects and drafts are not found.
    assert_eq!(c.get("/p/nope").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/p/secret").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get("/p/fds-2025/a/robots").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_are_paginated_and_page_links_keep_the_filters() {
    let app = TestApp::new().await;
    season(&app).await;
    let p = projects::find_by_slug(app.db.conn(), "fds-2025")
        .await
        .unwrap()
        .unwrap();
    let tx = app.db.write().await.unwrap();
    for i in 0..45 {
        let a = activities::insert(
            &tx,
            &ActivityData {
                project_id: p.id,
                slug: format!("expo-{i:02}"),
                title: format!("Exposition {i:02}"),
                format: Some(Format::Exhibition),
                status: Some(ActivityStatus::Published),
                ..Default::default()
            },
            now(),
        )
        .await
        .unwrap();
        sessions::insert(
            &tx,
            a.id,
            &SessionData {
                starts_at: paris(2025, 10, 5, 9, i),
                ends_at: paris(2025, 10, 5, 18, 0),
                capacity: None,
                status: SessionStatus::Scheduled,
            },
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.client();
    let mut seen = Vec::new();
    let mut url = "/p/fds-2025?format=exhibition".to_owned();
    for _ in 0..5 {
        let r = c.get(&url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        seen.extend(titles(&r.body));
        match r.body.split("rel=\"next\"").next().and_then(|before| {
            before.rfind("href=\"").map(|i| {
                before[i + 6..]
                    .split('"')
                    .next()
                    .unwrap()
                    .replace("&#38;", "&")
            })
        }) {
            Some(next) if r.body.contains("rel=\"next\"") => {
                assert!(next.contains("format=exhibition"), "{next}");
                url = next;
            }
            _ => break,
        }
    }
    let expected: Vec<String> = (0..45).map(|i| format!("Exposition {i:02}")).collect();
    assert_eq!(seen, expected, "every page once, in order of first session");
}

/// The schema.org properties of `Event` (and of what it inherits from
/// `Thing`) that may appear, with what each must hold.
fn check_event(e: &Value) {
    const ALLOWED: &[&str] = &[
        "@context",
        "@type",
        "name",
        "description",
        "url",
        "image",
        "startDate",
        "endDate",
        "eventStatus",
        "eventAttendanceMode",
        "isAccessibleForFree",
        "inLanguage",
        "superEvent",
        "location",
        "organizer",
        "performer",
        "offers",
        "typicalAgeRange",
        "audience",
        "keywords",
    ];
    let o = e.as_object().expect("an Event is an object");
    for k in o.keys() {
        assert!(ALLOWED.contains(&k.as_str()), "unexpected property {k}");
    }
    assert_eq!(e["@context"], "https://schema.org");
    assert_eq!(e["@type"], "Event");
    assert!(e["name"].as_str().is_some_and(|s| !s.is_empty()));
    let start = DateTime::parse_from_rfc3339(e["startDate"].as_str().unwrap()).unwrap();
    let end = DateTime::parse_from_rfc3339(e["endDate"].as_str().unwrap()).unwrap();
    assert!(end > start);
    assert!(
        [
            "https://schema.org/EventScheduled",
            "https://schema.org/EventCancelled",
            "https://schema.org/EventPostponed",
            "https://schema.org/EventRescheduled",
            "https://schema.org/EventMovedOnline"
        ]
        .contains(&e["eventStatus"].as_str().unwrap())
    );
    assert!(
        [
            "https://schema.org/OfflineEventAttendanceMode",
            "https://schema.org/OnlineEventAttendanceMode",
            "https://schema.org/MixedEventAttendanceMode"
        ]
        .contains(&e["eventAttendanceMode"].as_str().unwrap())
    );
    let loc = &e["location"];
    match loc["@type"].as_str() {
        Some("Place") => {
            assert!(loc["name"].is_string());
            assert_eq!(loc["address"]["@type"], "PostalAddress");
            if let Some(geo) = loc.get("geo") {
                assert_eq!(geo["@type"], "GeoCoordinates");
                assert!(geo["latitude"].is_number() && geo["longitude"].is_number());
            }
        }
        Some("VirtualLocation") => assert!(loc["url"].is_string()),
        other => panic!("location must be a Place or a VirtualLocation, not {other:?}"),
    }
    if let Some(offers) = e.get("offers") {
        assert_eq!(offers["@type"], "Offer");
        assert!(offers["price"].as_str().unwrap().parse::<f64>().is_ok());
        assert_eq!(offers["priceCurrency"], "EUR");
        assert!(
            offers["availability"]
                .as_str()
                .unwrap()
                .starts_with("https://schema.org/")
        );
    }
    for who in ["organizer", "performer"] {
        if let Some(list) = e.get(who) {
            for x in list.as_array().unwrap() {
                assert!(["Organization", "Person"].contains(&x["@type"].as_str().unwrap()));
                assert!(x["name"].is_string());
            }
        }
    }
    assert!(e["isAccessibleForFree"].is_boolean());
    assert_eq!(e["superEvent"]["@type"], "EventSeries");
}

fn json_ld(body: &str) -> Value {
    let start = body
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).expect("valid JSON")
}

fn meta(body: &str, property: &str) -> Option<String> {
    let tag = format!("<meta property=\"{property}\" content=\"");
    let i = body.find(&tag)? + tag.len();
    Some(body[i..].split('"').next()?.to_owned())
}

#[tokio::test]
async fn activity_pages_carry_schema_org_events_and_open_graph() {
    let app = TestApp::with_base_url("https://programme.example.org").await;
    season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/a/voyage-planetarium").await;
    assert_eq!(r.status, StatusCode::OK);
    let ld = json_ld(&r.body);
    let events = ld.as_array().expect("one Event per session");
    assert_eq!(events.len(), 2);
    for e in events {
        check_event(e);
        assert_eq!(
            e["url"],
            "https://programme.example.org/p/fds-2025/a/voyage-planetarium"
        );
        assert_eq!(
            e["location"]["address"]["addressLocality"],
            "Le Pont-de-Claix"
        );
        assert_eq!(e["location"]["address"]["postalCode"], "38800");
        assert_eq!(e["organizer"][0]["name"], "La Casemate");
        assert_eq!(e["offers"]["price"], "0");
    }
    // Summer time on the 24th, winter time on the 27th: 10:00 in Paris both days.
    assert_eq!(events[0]["startDate"], "2025-10-24T10:00:00+02:00");
    assert_eq!(events[1]["startDate"], "2025-10-27T10:00:00+01:00");
    assert_eq!(
        meta(&r.body, "og:title").as_deref(),
        Some("Voyage au planétarium")
    );
    assert_eq!(
        meta(&r.body, "og:url").as_deref(),
        Some("https://programme.example.org/p/fds-2025/a/voyage-planetarium")
    );
    assert!(meta(&r.body, "og:description").unwrap().contains("étoiles"));
    assert_eq!(meta(&r.body, "og:locale").as_deref(), Some("fr_FR"));
    assert!(
        r.body
            .contains("<link rel=\"alternate\" type=\"text/calendar\"")
    );
    assert!(
        r.body
            .contains("href=\"/p/fds-2025/a/voyage-planetarium/activity.ics\"")
    );
    // The Markdown description is rendered; raw HTML in it is only text.
    assert!(r.body.contains("<h2>Au programme</h2>"));
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(r.body.contains("vendredi 24 octobre 2025, 10:00–11:30"));
    assert!(r.body.contains("lundi 27 octobre 2025, 10:00–11:30"));

    // A village des sciences and what it holds link to each other.
    let r = c.get("/p/fds-2025/a/village-grenoble").await;
    assert!(r.body.contains("href=\"/p/fds-2025/a/trous-noirs\""));
    let r = c.get("/p/fds-2025/a/trous-noirs").await;
    assert!(r.body.contains("href=\"/p/fds-2025/a/village-grenoble\""));

    // The cancelled film says so to search engines.
    let r = c.get("/p/fds-2025/a/cine-debat").await;
    let e = json_ld(&r.body);
    check_event(&e);
    assert_eq!(e["eventStatus"], "https://schema.org/EventCancelled");
    assert!(
        e.get("offers").is_none(),
        "no offer when the price is not free"
    );

    // In English: the same page, English labels and dates.
    c.get("/lang/en").await;
    let r = c.get("/p/fds-2025/a/voyage-planetarium").await;
    assert!(r.body.contains("lang=\"en\""), "{}", &r.body[..300]);
    assert!(
        r.body.contains("Friday 24 October 2025, 10:00–11:30"),
        "{}",
        r.body
    );
    assert_eq!(meta(&r.body, "og:locale").as_deref(), Some("en_GB"));
    let r = c
        .get("/p/fds-2025?commune=Le+Pont-de-Claix&level=college")
        .await;
    assert_eq!(titles(&r.body), ["Voyage au planétarium"]);
    assert!(
        r.body.contains("Middle school") || r.body.contains("Collège"),
        "level label"
    );
}

/// Events of a calendar read by the `icalendar` crate's parser: (UID,
/// start as an instant, SUMMARY, STATUS).
fn read_calendar(body: &str) -> Vec<(String, DateTime<Utc>, String, String)> {
    use icalendar::parser::{read_calendar, unfold};
    let unfolded = unfold(body);
    let parsed = read_calendar(&unfolded).unwrap_or_else(|e| panic!("icalendar: {e}\n{body}"));
    let tz = parsed
        .components
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("a VTIMEZONE");
    assert!(
        tz.properties
            .iter()
            .any(|p| p.name == "TZID" && p.val.as_str() == "Europe/Paris")
    );
    parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|e| {
            let prop = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == n)
                    .unwrap_or_else(|| panic!("{n} in a VEVENT"))
            };
            let start = prop("DTSTART");
            assert!(
                start.params.iter().any(|p| p.key == "TZID"
                    && p.val.as_ref().map(|v| v.as_str()) == Some("Europe/Paris")),
                "DTSTART in Paris time"
            );
            let local =
                chrono::NaiveDateTime::parse_from_str(start.val.as_str(), "%Y%m%dT%H%M%S").unwrap();
            let at = Paris
                .from_local_datetime(&local)
                .earliest()
                .unwrap()
                .with_timezone(&Utc);
            (
                prop("UID").val.to_string(),
                at,
                prop("SUMMARY").val.to_string(),
                prop("STATUS").val.to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn calendar_feeds_load_in_a_real_parser() {
    let app = TestApp::new().await;
    let s = season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/programme.ics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/calendar"));
    let all = read_calendar(&r.body);
    assert_eq!(all.len(), 4, "every session of the public activities");
    assert!(all.iter().all(|e| e.2 != "Atelier robots"));
    assert!(
        all.iter()
            .any(|e| e.2 == "Ciné-débat sur le climat" && e.3 == "CANCELLED")
    );
    let mut uids: Vec<&str> = all.iter().map(|e| e.0.as_str()).collect();
    uids.dedup();
    assert_eq!(uids.len(), 4, "one UID per session");

    let r = c
        .get("/p/fds-2025/programme.ics?commune=Le+Pont-de-Claix&level=college")
        .await;
    let filtered = read_calendar(&r.body);
    let starts: Vec<DateTime<Utc>> = filtered.iter().map(|e| e.1).collect();
    assert_eq!(
        starts,
        [paris(2025, 10, 24, 10, 0), paris(2025, 10, 27, 10, 0)]
    );
    let r = c.get("/p/fds-2025/a/voyage-planetarium/activity.ics").await;
    assert_eq!(read_calendar(&r.body).len(), 2);
    assert_eq!(
        c.get("/p/fds-2025/programme.ics?level=licence")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        c.get("/p/fds-2025/a/robots/activity.ics").await.status,
        StatusCode::NOT_FOUND
    );
    let _ = s.planetarium;
}

#[tokio::test]
async fn the_atom_feed_lists_published_activities() {
    let app = TestApp::new().await;
    season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/feed.atom").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<String> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert!(!entries.iter().any(|t| t.contains("robots")));
    assert!(entries.iter().any(|t| t == "Conférence : les trous noirs"));
}

#[tokio::test]
async fn publishing_shows_at_once_and_unchanged_pages_revalidate() {
    let app = TestApp::new().await;
    let s = season(&app).await;
    let mut c = app.client();
    let first = c.get("/p/fds-2025?format=workshop").await;
    assert!(titles(&first.body).is_empty());
    let etag = first.header("etag").to_owned();
    assert!(!etag.is_empty());
    assert!(first.header("vary").contains("Accept-Language"));
    assert_eq!(
        first.header("set-cookie"),
        "",
        "a page shared caches keep sets no cookie"
    );
    c.headers.push(("if-none-match".into(), etag.clone()));
    let again = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // The same address in English is another page: the French validator
    // must not keep the French copy.
    c.headers.push(("accept-language".into(), "en".into()));
    let english = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(
        english.status,
        StatusCode::OK,
        "not a 304 for another language"
    );
    assert!(english.body.contains("lang=\"en\""));
    assert_ne!(english.header("etag"), etag);
    c.headers.clear();

    let tx = app.db.write().await.unwrap();
    activities::set_status(&tx, &[s.draft], ActivityStatus::Published, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = c.get("/p/fds-2025?format=workshop").await;
    assert_eq!(
        titles(&after.body),
        ["Atelier robots"],
        "the cached page is not served"
    );
    assert_ne!(after.header("etag"), etag);
    c.headers.push(("if-none-match".into(), etag));
    assert_eq!(
        c.get("/p/fds-2025?format=workshop").await.status,
        StatusCode::OK,
        "an old validator gets the new page"
    );
    assert_eq!(c.get("/p/fds-2025/a/robots").await.status, StatusCode::OK);
}
