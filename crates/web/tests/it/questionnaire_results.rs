//! The team's questionnaires: the list, the results page of a questionnaire
//! with known responses (counts, percentages, mean, median, NPS, charts and
//! their tables, free texts), its filters and their refused values, the
//! cross-tabulation, the downloads with the same filters, who may see it,
//! and the printable QR codes (read back to the address they encode).

use crate::util::{Client, Resp, TestApp, escaped};
use axum::http::StatusCode;
use chrono::NaiveDate;
use maillage_db::forms::questionnaires::{self, NewResponse};
use maillage_db::forms::{self, FormData};
use maillage_db::programme::activities::{self};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing;
use maillage_domain::Role;
use maillage_domain::forms::{Answer, Answers, FormAudience, Purpose, Schema};
use maillage_domain::programme::SessionStatus;

const SCHEMA: &str = r#"{"items":[
  {"type":"field","key":"format","label":"Animation préférée","kind":{"type":"single_choice","options":[
    {"key":"a","label":"Atelier"},{"key":"b","label":"Conférence"}]}},
  {"type":"field","key":"nps","label":"Recommanderiez-vous ?","kind":{"type":"nps"}},
  {"type":"field","key":"rating","label":"Satisfaction","kind":{"type":"scale","min":1,"max":5,"min_label":"Pas du tout","max_label":"Tout à fait"}},
  {"type":"field","key":"back","label":"Reviendrez-vous ?","kind":{"type":"yes_no"}},
  {"type":"field","key":"heard","label":"Comment nous avez-vous connus ?","kind":{"type":"multiple_choice","options":[
    {"key":"x","label":"Affiche"},{"key":"y","label":"Radio"}]}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

const NPS: [u8; 12] = [10, 10, 9, 9, 9, 8, 7, 6, 5, 3, 10, 0];

struct Setup {
    form: i64,
    /// The key of its public address.
    key: String,
    /// The activity of the first 8 responses, and of the last 4.
    a1: i64,
    a2: i64,
    s1: i64,
}

/// A questionnaire of a project with 12 responses: 8 on 4 October about
/// activity 1 (session 1) from Grenoble, 4 on 5 October about activity 2
/// from Le Pont-de-Claix.
async fn setup(app: &TestApp) -> Setup {
    let c = app.db.conn();
    let t = maillage_db::now();
    let fds = testing::project_data("fds-2025", "Fête de la science 2025", 2025);
    let p = testing::project(c, &fds).await;
    let activity = |slug: &str, title: &str| testing::published_activity(p.id, slug, title);
    let a1 = activities::insert(c, &activity("fusees", "Fusées à eau"), t)
        .await
        .unwrap();
    let a2 = activities::insert(c, &activity("fossiles", "Fossiles"), t)
        .await
        .unwrap();
    let s1 = sessions::insert(
        c,
        a1.id,
        &SessionData {
            starts_at: t,
            ends_at: t + chrono::TimeDelta::hours(1),
            capacity: None,
            status: SessionStatus::Scheduled,
            venue_id: None,
        },
        t,
    )
    .await
    .unwrap();
    let schema = Schema::from_json(SCHEMA).unwrap();
    schema.validate().unwrap();
    let form = forms::create(
        c,
        &FormData {
            title: "Votre avis <sur> la Fête".into(),
            purpose: Purpose::Questionnaire,
            project_id: Some(p.id),
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: true,
            one_per_link: false,
            opens_at: None,
            closes_at: None,
        },
        &schema,
        t,
    )
    .await
    .unwrap();
    for (i, nps) in NPS.iter().enumerate() {
        let mut a = Answers::default();
        a.insert(
            "format",
            Answer::Choice(if i < 9 { "a" } else { "b" }.into()),
        );
        a.insert("nps", Answer::Number(f64::from(*nps)));
        a.insert("rating", Answer::Number((i % 5 + 1) as f64));
        a.insert("back", Answer::Bool(i % 4 != 0));
        let mut heard = Vec::new();
        if i % 2 == 0 {
            heard.push("x".to_owned());
        }
        if i % 3 == 0 {
            heard.push("y".to_owned());
        }
        if !heard.is_empty() {
            a.insert("heard", Answer::Choices(heard));
        }
        if i < 3 {
            a.insert("comment", Answer::Text(format!("Commentaire <b>{i}</b>")));
        }
        let first = i < 8;
        let day = if first { 4 } else { 5 };
        let at = NaiveDate::from_ymd_opt(2025, 10, day)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc();
        let r = NewResponse {
            answers: a,
            activity_id: Some(if first { a1.id } else { a2.id }),
            session_id: first.then_some(s1.id),
            commune_insee: Some(if first { "38185" } else { "38317" }.into()),
            link_token: None,
        };
        questionnaires::respond(c, form.id, &r, at)
            .await
            .unwrap()
            .unwrap();
    }
    Setup {
        form: form.id,
        key: form.public_key.clone(),
        a1: a1.id,
        a2: a2.id,
        s1: s1.id,
    }
}

/// A row of a data table: its heading and cells.
fn row(head: &str, cells: &[&str]) -> String {
    let mut s = format!(r#"<tr><th scope="row">{head}</th>"#);
    for c in cells {
        s.push_str(&format!(r#"<td class="num">{c}</td>"#));
    }
    s.push_str("</tr>");
    s
}

const NNBSP: &str = "\u{202F}";

fn pct(v: &str) -> String {
    format!("{v}{NNBSP}%")
}

/// Asserts the page at `url` is refused with a message beside `field`.
async fn assert_refused(c: &mut Client, url: &str, field: &str) -> Resp {
    let r = c.get(url).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
    assert!(
        r.body.contains(&format!(r#"id="f-{field}-error""#)),
        "{url}: {}",
        r.body
    );
    r
}

#[tokio::test]
async fn results_page_counts_filters_and_crosses() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut c = app.signed_in(Role::Staff).await;
    let url = format!("/team/questionnaires/{}", s.form);

    // The list: the questionnaire, its project, audience, responses, link.
    let r = c.get("/team/questionnaires").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(
        b.contains(&format!(
            r#"<a href="{url}">{}</a>"#,
            escaped("Votre avis <sur> la Fête")
        )),
        "{b}"
    );
    assert!(b.contains("Fête de la science 2025"));
    assert!(b.contains(r#"<td data-label="Public interrogé">Public</td>"#));
    assert!(
        b.contains(r#"<td class="num" data-label="Réponses">12</td>"#),
        "{b}"
    );
    let public = format!("http://localhost:8080/q/{}", s.key);
    assert!(b.contains(&format!(r#"<a href="{public}">{public}</a>"#)));
    // The team's navigation leads there.
    assert!(b.contains(r#"<a href="/team/questionnaires" aria-current="page">"#));

    // All responses.
    let r = c.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("12 réponses"), "{b}");
    // Single choice: 9 and 3 of 12.
    assert!(b.contains(&row("Atelier", &["9", &pct("75,0")])), "{b}");
    assert!(b.contains(&row("Conférence", &["3", &pct("25,0")])));
    // NPS: 6 promoters, 2 passives, 4 detractors of 12; mean 86/12,
    // median (8 + 9) / 2.
    assert!(b.contains(r#"<span class="kf-value">+16,7</span> <span class="kf-label">NPS</span>"#));
    assert!(
        b.contains(r#"<span class="kf-value">7,2</span> <span class="kf-label">Moyenne</span>"#)
    );
    assert!(
        b.contains(r#"<span class="kf-value">8,5</span> <span class="kf-label">Médiane</span>"#)
    );
    assert!(b.contains(&row("Promoteurs (9 ou 10)", &["6", &pct("50,0")])));
    assert!(b.contains(&row("Passifs (7 ou 8)", &["2", &pct("16,7")])));
    assert!(b.contains(&row("Détracteurs (0 à 6)", &["4", &pct("33,3")])));
    assert!(b.contains(&row("10", &["3", &pct("25,0")])));
    // Scale: each end labelled; yes/no in words.
    assert!(b.contains(&row("1 (Pas du tout)", &["3", &pct("25,0")])));
    assert!(b.contains(&row("Oui", &["9", &pct("75,0")])));
    assert!(b.contains(&row("Non", &["3", &pct("25,0")])));
    // Multiple choice: 6 and 4 ticked of the 8 that answered.
    assert!(b.contains("8 réponses à cette question"), "{b}");
    assert!(b.contains(&row("Affiche", &["6", &pct("75,0")])));
    assert!(b.contains(&row("Radio", &["4", &pct("50,0")])));
    // One accessible chart per choice, scale, NPS and yes/no question,
    // each followed by its table.
    assert_eq!(b.matches(r#"<figure class="chart"><svg"#).count(), 5);
    assert_eq!(b.matches(r#"role="img""#).count(), 5);
    assert!(b.contains(r#"aria-labelledby="chart-q1-t chart-q1-d""#));
    assert!(b.contains(r#"<title id="chart-q1-t">Animation préférée</title>"#));
    // Free texts, escaped.
    assert!(b.contains(&escaped("Commentaire <b>0</b>")));
    assert!(!b.contains("<b>0</b>"));
    // Downloads without filters.
    assert!(b.contains(&format!(r#"href="{url}/responses.csv""#)));
    assert!(b.contains(&format!(r#"href="{url}/responses.xlsx""#)));

    // Filters: each one narrows to the last 4 (or the first 8).
    for (query, n) in [
        ("commune=38317".to_owned(), 4),
        ("commune=Le+Pont-de-Claix".to_owned(), 4),
        (format!("activity={}", s.a2), 4),
        (format!("activity={}&session={}", s.a1, s.s1), 8),
        ("from=2025-10-05".to_owned(), 4),
        ("from=2025-10-01&to=2025-10-04".to_owned(), 8),
    ] {
        let r = c.get(&format!("{url}?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        assert!(
            r.body
                .contains(&format!("{n} réponses sur 12 correspondent aux filtres")),
            "{query}: {}",
            r.body
        );
    }
    let r = c.get(&format!("{url}?commune=Le+Pont-de-Claix")).await;
    let b = &r.body;
    // Of the last 4: one workshop, three talks.
    assert!(b.contains(&row("Atelier", &["1", &pct("25,0")])), "{b}");
    assert!(b.contains(&row("Conférence", &["3", &pct("75,0")])));
    assert!(
        b.contains("Le Pont-de-Claix (38800)"),
        "the postcode, not the INSEE code"
    );
    // The downloads keep the filter, as the code the responses carry.
    assert!(b.contains(&format!(r#"href="{url}/responses.csv?commune=38317""#)));
    // The activity and session lists come from the project.
    let r = c.get(&format!("{url}?activity={}", s.a1)).await;
    assert!(
        r.body.contains(&format!(
            r#"<option value="{}" selected>Fusées à eau</option>"#,
            s.a1
        )),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(r#"<option value="{}">"#, s.s1)));

    // Refused values: a message beside the field, no results, no 500.
    for (query, field) in [
        ("activity=x", "activity"),
        ("session=-3", "session"),
        ("commune=Atlantis", "commune"),
        ("from=2025-02-30", "from"),
        ("to=demain", "to"),
        ("from=2025-10-06&to=2025-10-01", "to"),
    ] {
        let r = assert_refused(&mut c, &format!("{url}?{query}"), field).await;
        assert!(r.body.contains(&format!(r##"href="#f-{field}""##)));
        assert!(r.body.contains("Corrigez les filtres signalés"));
        assert!(!r.body.contains("réponses à cette question"));
    }

    // Cross-tabulation: format × come back (yes, no).
    let r = c.get(&format!("{url}?rows=format&cols=back")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("Animation préférée (en lignes) × Reviendrez-vous ? (en colonnes)"));
    // Cells of fewer than 5 respondents are not shown, nor what would
    // give them away (the 6 beside a 3 in its row, the total of a row
    // whose other cell is empty).
    let few = "masqué";
    assert!(b.contains(&row("Atelier", &[few, few, "9"])), "{b}");
    assert!(b.contains(&row("Conférence", &[few, "0", few])), "{b}");
    assert!(b.contains(
        r#"<tr class="total"><th scope="row">Total</th><td class="num">9</td><td class="num">masqué</td><td class="num">masqué</td></tr>"#
    ), "{b}");
    assert!(b.contains("Les cases de moins de 5 réponses sont masquées"));
    // With a filter too.
    let r = c
        .get(&format!("{url}?rows=format&cols=back&from=2025-10-05"))
        .await;
    assert!(
        r.body.contains(&row("Atelier", &["0", "masqué", "masqué"])),
        "{}",
        r.body
    );
    // A free-text question, the same question twice, or one missing.
    for (query, field) in [
        ("rows=comment&cols=back", "rows"),
        ("rows=format&cols=format", "cols"),
        ("rows=format", "cols"),
    ] {
        assert_refused(&mut c, &format!("{url}?{query}"), field).await;
    }

    // Another kind of form, or none: 404.
    let r = c.get("/team/questionnaires/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn downloads_follow_the_filters() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut c = app.signed_in(Role::Intern).await;
    let base = format!("/team/questionnaires/{}/responses", s.form);
    let r = c.get(&format!("{base}.csv")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert!(r.header("content-disposition").starts_with("attachment"));
    let t = maillage_tabular::read_csv(&r.bytes).unwrap();
    assert_eq!(t.rows.len(), 12);
    assert!(t.headers.iter().any(|h| h == "Animation préférée"));
    let r = c.get(&format!("{base}.csv?commune=38317")).await;
    assert_eq!(maillage_tabular::read_csv(&r.bytes).unwrap().rows.len(), 4);
    let r = c.get(&format!("{base}.xlsx?activity={}", s.a1)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert_eq!(maillage_tabular::read_xlsx(&r.bytes).unwrap().rows.len(), 8);
    let r = c.get(&format!("{base}.csv?from=nope")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_the_team_reads_results() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let paths = [
        "/team/questionnaires".to_owned(),
        format!("/team/questionnaires/{}", s.form),
        format!("/team/questionnaires/{}/print", s.form),
        format!("/team/questionnaires/{}/responses.csv", s.form),
        format!("/team/questionnaires/{}/responses.xlsx", s.form),
    ];
    let mut anonymous = app.client();
    let mut partner = app.signed_in(Role::Partner).await;
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    for p in &paths {
        let r = anonymous.get(p).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
        assert!(r.location().starts_with("/login?next="), "{p}");
        assert_eq!(partner.get(p).await.status, StatusCode::FORBIDDEN, "{p}");
        assert_eq!(volunteer.get(p).await.status, StatusCode::OK, "{p}");
    }
    // The partner's navigation has no link to them.
    let r = partner.get("/partner").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(r#"href="/team/questionnaires""#));
}

/// Reads the QR code of a grey image back.
fn decode(w: usize, h: usize, dark: impl FnMut(usize, usize) -> bool) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(w, h, dark);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn printable_qr_codes_encode_the_public_address() {
    let app = TestApp::with_base_url("https://evaluation.example.org/").await;
    let s = setup(&app).await;
    let expected = format!("https://evaluation.example.org/q/{}", s.key);
    let mut anyone = app.client();

    // PNG: decodes, and reads back as the address.
    let r = anyone.get(&format!("/q/{}/qr.png", s.key)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "image/png");
    let img = image::load_from_memory(&r.bytes).unwrap().to_luma8();
    assert!(img.width() >= 400, "printable size: {}", img.width());
    let (w, h) = (img.width() as usize, img.height() as usize);
    assert_eq!(
        decode(w, h, |x, y| img.get_pixel(x as u32, y as u32).0[0] < 128),
        expected
    );

    // SVG: well-formed, titled, and its dark runs read back too.
    let r = anyone.get(&format!("/q/{}/qr.svg", s.key)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "image/svg+xml");
    let doc = roxmltree::Document::parse(&r.body).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(title.contains(&expected), "{title}");
    let size: usize = root
        .attribute("viewBox")
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let d = root
        .descendants()
        .find(|n| n.has_tag_name("path"))
        .and_then(|n| n.attribute("d"))
        .unwrap();
    let mut grid = vec![false; size * size];
    for run in d.split('M').filter(|s| !s.is_empty()) {
        // "x yhNv1h-Nz"
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let len: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        for i in x..x + len {
            grid[y * size + i] = true;
        }
    }
    let scale = 6;
    let px = size * scale;
    assert_eq!(
        decode(px, px, |x, y| grid[(y / scale) * size + x / scale]),
        expected
    );

    // Only questionnaires have one.
    let r = anyone.get("/q/999999/qr.png").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = anyone.get("/q/999999/qr.svg").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The poster: title, QR code, address in clear.
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .get(&format!("/team/questionnaires/{}/print", s.form))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains(&format!("<h1>{}</h1>", escaped("Votre avis <sur> la Fête"))));
    assert!(b.contains(r#"<figure class="qr"><svg"#));
    assert!(b.contains(&format!(r#"<p class="qr-url">{expected}</p>"#)));
    assert!(b.contains(&format!(r#"href="/q/{}/qr.png""#, s.key)));
    // The results page links to the poster and the files.
    let r = staff.get(&format!("/team/questionnaires/{}", s.form)).await;
    assert!(
        r.body
            .contains(&format!(r#"href="/team/questionnaires/{}/print""#, s.form))
    );
    assert!(r.body.contains(&format!(r#"href="/q/{}/qr.svg""#, s.key)));
    assert!(
        r.body
            .contains(&format!(r#"<a href="{expected}">{expected}</a>"#))
    );
}
