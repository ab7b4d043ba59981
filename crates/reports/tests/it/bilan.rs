//! The bilan of the demo's past Fête de la science, on SQLite and on
//! PostgreSQL (`MAILLAGE_TEST_DATABASE_URL`): every figure is counted again
//! here with plain SQL over the tables and must match, and the edition
//! before it is found and compared.

use chrono::Datelike;
use maillage_db::programme::projects::{self, Project};
use maillage_db::testing::TestDb;
use maillage_db::{ConnectionTrait, demo};
use maillage_domain::Locale;
use maillage_domain::programme::ProjectKind;
use maillage_reports::bilan::{self, Bilan};
use maillage_reports::output::{self, Format};
use sea_orm::Statement;

/// Activities that took place: published or full (cancelled ones did not).
const PUBLIC: &str = "('published', 'full')";

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    let c = db.conn();
    let row = c
        .query_one_raw(Statement::from_string(c.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<Option<i64>>(0).unwrap().unwrap_or(0)
}

async fn grouped(db: &TestDb, sql: &str) -> Vec<(String, i64)> {
    let c = db.conn();
    let rows = c
        .query_all_raw(Statement::from_string(c.get_database_backend(), sql))
        .await
        .unwrap();
    let mut out: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get_by_index::<Option<String>>(0)
                    .unwrap()
                    .unwrap_or_default(),
                r.try_get_by_index::<i64>(1).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn sorted(m: &std::collections::BTreeMap<String, i64>) -> Vec<(String, i64)> {
    m.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

/// The demo's Fête de la science editions that are over, latest last.
pub(crate) async fn past_festivals(db: &TestDb) -> Vec<Project> {
    let today = chrono::Utc::now().date_naive();
    projects::of_kind(db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.data.ends_on < today)
        .collect()
}

/// Checks every figure of `b` against plain SQL over the tables.
async fn check_against_the_tables(db: &TestDb, b: &Bilan) {
    let id = b.project.id;
    let acts = format!("activities a WHERE a.project_id = {id} AND a.status IN {PUBLIC}");
    let f = &b.now;
    assert_eq!(
        f.activities,
        scalar(db, &format!("SELECT COUNT(*) FROM {acts}")).await
    );
    let sessions = format!(
        "activity_sessions s JOIN activities a ON a.id = s.activity_id \
         WHERE a.project_id = {id} AND a.status IN {PUBLIC} AND s.status <> 'cancelled'"
    );
    assert_eq!(
        f.sessions,
        scalar(db, &format!("SELECT COUNT(*) FROM {sessions}")).await
    );
    assert_eq!(
        f.by_format
            .iter()
            .map(|(k, v)| (k.clone(), v.0))
            .collect::<Vec<_>>(),
        grouped(
            db,
            &format!("SELECT a.format, COUNT(*) FROM {acts} GROUP BY a.format")
        )
        .await
    );
    assert_eq!(
        sorted(&f.by_audience),
        grouped(
            db,
            &format!(
                "SELECT t.audience, COUNT(*) FROM activity_audiences t \
                 JOIN activities a ON a.id = t.activity_id \
                 WHERE a.project_id = {id} AND a.status IN {PUBLIC} GROUP BY t.audience"
            )
        )
        .await
    );
    assert_eq!(
        sorted(&f.by_theme),
        grouped(
            db,
            &format!(
                "SELECT t.theme, COUNT(*) FROM activity_themes t \
                 JOIN activities a ON a.id = t.activity_id \
                 WHERE a.project_id = {id} AND a.status IN {PUBLIC} GROUP BY t.theme"
            )
        )
        .await
    );
    assert_eq!(
        sorted(&f.partners_by_kind),
        grouped(
            db,
            &format!(
                "SELECT o.kind, COUNT(DISTINCT o.id) FROM organisations o WHERE o.id IN \
                 (SELECT t.organisation_id FROM activity_organisations t \
                  JOIN activities a ON a.id = t.activity_id \
                  WHERE a.project_id = {id} AND a.status IN {PUBLIC}) GROUP BY o.kind"
            )
        )
        .await
    );
    assert_eq!(
        sorted(&f.speakers_by_gender),
        grouped(
            db,
            &format!(
                "SELECT p.gender, COUNT(*) FROM people p WHERE p.id IN \
                 (SELECT t.person_id FROM activity_speakers t \
                  JOIN activities a ON a.id = t.activity_id \
                  WHERE a.project_id = {id} AND a.status IN {PUBLIC}) GROUP BY p.gender"
            )
        )
        .await
    );
    // Attendance from check-in, walk-ins included.
    let checked = format!(
        "bookings b JOIN activity_sessions s ON s.id = b.session_id \
         JOIN activities a ON a.id = s.activity_id \
         WHERE a.project_id = {id} AND a.status IN {PUBLIC} AND s.status <> 'cancelled' \
         AND b.checked_in_at IS NOT NULL"
    );
    let sum = |col: &str| format!("SELECT CAST(SUM(b.{col}) AS BIGINT) FROM {checked}");
    let k = &f.bookings;
    assert_eq!(k.came_pupils, scalar(db, &sum("came_pupils")).await);
    assert_eq!(k.came_adults, scalar(db, &sum("came_adults")).await);
    assert_eq!(k.came_public, scalar(db, &sum("came_public")).await);
    assert_eq!(
        k.walk_ins,
        scalar(
            db,
            &format!("SELECT COUNT(*) FROM {checked} AND b.kind = 'walk_in'")
        )
        .await
    );
    let waiting = format!(
        "bookings b JOIN activity_sessions s ON s.id = b.session_id \
         JOIN activities a ON a.id = s.activity_id \
         WHERE a.project_id = {id} AND a.status IN {PUBLIC} AND s.status <> 'cancelled' \
         AND b.status = 'waitlisted'"
    );
    assert_eq!(
        k.waitlisted,
        scalar(
            db,
            &format!("SELECT CAST(SUM(b.seats) AS BIGINT) FROM {waiting}")
        )
        .await
    );

    // Coverage: communes of the département with a public activity, and
    // the population living there.
    let cov = b.coverage.as_ref().expect("coverage");
    assert_eq!(cov.departement, "38");
    let reached = grouped(
        db,
        &format!(
            "SELECT v.commune_insee, COUNT(DISTINCT a.id) FROM {} AND v.commune_insee LIKE '38%' \
             GROUP BY v.commune_insee",
            // Each session where it takes place: its venue, else its activity's.
            acts.replace(
                "activities a WHERE",
                "activities a LEFT JOIN activity_sessions s ON s.activity_id = a.id \
                 JOIN venues v ON v.id = COALESCE(s.venue_id, a.venue_id) WHERE"
            )
        ),
    )
    .await;
    assert_eq!(cov.reached.len(), reached.len());
    let population: u64 = reached
        .iter()
        .map(|(insee, _)| {
            u64::from(
                maillage_geo::commune(insee)
                    .unwrap()
                    .population
                    .unwrap_or(0),
            )
        })
        .sum();
    assert_eq!(cov.population_reached, population);
    for (r, (insee, n)) in cov.reached.iter().zip({
        let mut by_name = reached.clone();
        by_name.sort_by_cached_key(|(i, _)| {
            let c = maillage_geo::commune(i).unwrap();
            (maillage_domain::text::fold(c.name), c.insee)
        });
        by_name
    }) {
        assert_eq!((r.insee, r.figures.activities), (insee.as_str(), n));
    }
    assert_eq!(
        cov.reached.len() + cov.never_reached.len(),
        maillage_geo::communes_of_departement("38").len()
    );
}

#[tokio::test]
async fn the_past_festival_bilan_matches_the_tables_and_compares_with_the_edition_before() {
    let db = TestDb::new().await;
    demo::load(&db).await.unwrap();
    let festivals = past_festivals(&db).await;
    assert!(festivals.len() >= 2, "the demo has two past editions");
    let past = festivals.last().unwrap().clone();
    let before = &festivals[festivals.len() - 2];
    let b = bilan::of_project(db.conn(), past.clone(), maillage_db::now())
        .await
        .unwrap();
    assert_eq!(b.previous.as_ref().map(|p| p.id), Some(before.id));
    assert_eq!(
        b.previous.as_ref().unwrap().data.starts_on.year() + 1,
        past.data.starts_on.year()
    );
    check_against_the_tables(&db, &b).await;
    // The demo's festival is well covered and attended, both years.
    let cov = b.coverage.as_ref().unwrap();
    assert!(cov.reached.len() > 60, "{}", cov.reached.len());
    assert!(!cov.never_reached.is_empty());
    assert!(b.now.bookings.attendance() > 1000);
    let prev = b.before.as_ref().unwrap();
    assert!(prev.activities > 0 && prev.bookings.attendance() > 0);
    assert!(!cov.gained.is_empty() || !cov.lost.is_empty());

    // The edition before, checked the same way (no previous of its own).
    let b0 = bilan::of_project(db.conn(), before.clone(), maillage_db::now())
        .await
        .unwrap();
    check_against_the_tables(&db, &b0).await;
    assert!(b0.previous.is_none());
    assert_eq!(b.before.as_ref(), Some(&b0.now));

    // The questionnaire of the festival, summarised: as many responses as
    // the table holds.
    assert_eq!(b.questionnaires.len(), 1);
    let q = &b.questionnaires[0];
    assert_eq!(
        q.results.responses as i64,
        scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM questionnaire_responses WHERE form_id = {}",
                q.id
            )
        )
        .await
    );
    assert!(q.results.responses > 100);
    // Beside it, the edition before's questionnaire for the same audience,
    // counted from its own responses.
    let p = q.previous.as_deref().expect("the previous questionnaire");
    assert_ne!(p.id, q.id);
    assert_eq!(
        p.results.responses as i64,
        scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM questionnaire_responses r JOIN forms f ON f.id = r.form_id \
                 WHERE r.form_id = {} AND f.project_id = {}",
                p.id, before.id
            )
        )
        .await
    );
    assert!(p.results.responses > 100);
    assert_ne!(p.results.responses, q.results.responses);
    let tables = b.tables(Locale::Fr);
    let t = tables.iter().find(|t| t.key == "questionnaire").unwrap();
    assert_eq!(t.header.len(), 4, "{:?}", t.header);
    assert_eq!(t.header[3], "Édition précédente");
    assert!(t.title.contains("édition précédente"), "{}", t.title);
    let nps = t
        .rows
        .iter()
        .find(|r| r[2].as_text().contains("NPS"))
        .unwrap();
    assert!(nps[3].as_text().contains("NPS"), "{:?}", nps);
    assert_ne!(nps[2].as_text(), nps[3].as_text());
    // The edition before has no comparison of its own.
    assert!(b0.questionnaires.iter().all(|q| q.previous.is_none()));
    assert_eq!(b0.questionnaires.len(), 1);

    // JSON: the figures and the coverage under the names the API promises.
    let json = b.json();
    assert_eq!(json["project"]["slug"], past.data.slug.as_str());
    assert_eq!(json["figures"]["activities"], b.now.activities);
    assert_eq!(json["coverage"]["communes_reached"], cov.reached.len());
    assert_eq!(
        json["coverage"]["population_reached"],
        cov.population_reached
    );
    let never = json["coverage"]["communes_never_reached"]
        .as_array()
        .unwrap();
    assert_eq!(never.len(), cov.never_reached.len());
    assert_eq!(never[0]["insee"], cov.never_reached[0].insee);
    assert_eq!(json["previous"]["project"]["id"], before.id);
    assert_eq!(
        json["questionnaires"][0]["previous"]["responses"],
        p.results.responses
    );
    assert_eq!(
        json["figures"]["attendance"]["total"],
        b.now.bookings.attendance()
    );

    // Tables and charts in both languages; the workbook has a sheet per
    // table with the figures as numbers.
    for locale in Locale::ALL {
        let tables = b.tables(locale);
        assert!(tables.len() >= 12, "{}", tables.len());
        let charts = b.charts(locale);
        assert!(
            charts
                .iter()
                .any(|c| c.key == "map" && c.svg.contains("<circle"))
        );
        let xlsx = output::render(&b, Format::Xlsx, locale).unwrap();
        let read = maillage_tabular::read_xlsx(&xlsx).unwrap();
        // The first sheet is the key figures: activities first, as a number.
        assert_eq!(read.rows[0].cells[1], b.now.activities.to_string());
    }
    // The PDF, typeset in-process, in both languages.
    for locale in Locale::ALL {
        let pdf = output::render(&b, Format::Pdf, locale).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 20_000, "{}", pdf.len());
    }
    let fr = b.tables(Locale::Fr);
    let never_table = fr.iter().find(|t| t.key == "never_reached").unwrap();
    assert_eq!(never_table.rows.len(), cov.never_reached.len());
}

/// Words of `text` that are program codes rather than words: `level:college`,
/// `a:school` (a `:`-prefixed key), and in French the English codes of a
/// yes/no answer.
pub(crate) fn raw_codes(text: &str, locale: Locale) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '<' | '>' | '"'))
        .filter(|w| {
            let keyed = w.split_once(':').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && b.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            let english = locale == Locale::Fr && matches!(*w, "yes" | "no");
            keyed || english
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn no_raw_code_in_the_bilan_in_either_language() {
    let db = TestDb::new().await;
    demo::load(&db).await.unwrap();
    let past = past_festivals(&db).await.last().unwrap().clone();
    let b = bilan::of_project(db.conn(), past, maillage_db::now())
        .await
        .unwrap();
    assert_eq!(
        raw_codes("level:college, yes 79 %", Locale::Fr),
        ["level:college", "yes"]
    );
    for locale in Locale::ALL {
        let mut words: Vec<String> = Vec::new();
        for t in b.tables(locale) {
            words.push(t.title.clone());
            words.extend(t.header.iter().cloned());
            for row in &t.rows {
                for cell in row {
                    if let bilan::Cell::Text(s) = cell {
                        words.push(s.clone());
                    }
                }
            }
        }
        for c in b.charts(locale) {
            words.push(c.caption.clone());
            words.push(c.alt.clone());
            // The SVG's texts (titles, labels), not its attributes.
            words.extend(
                c.svg
                    .split('>')
                    .filter_map(|p| p.split('<').next())
                    .map(str::to_owned),
            );
        }
        let xlsx = output::render(&b, Format::Xlsx, locale).unwrap();
        let read = maillage_tabular::read_xlsx(&xlsx).unwrap();
        for row in &read.rows {
            words.extend(row.cells.iter().cloned());
        }
        let found: Vec<String> = words.iter().flat_map(|w| raw_codes(w, locale)).collect();
        assert!(found.is_empty(), "{locale:?}: raw codes {found:?}");
    }
}
