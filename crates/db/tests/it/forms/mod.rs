//! Forms: questionnaires and their versions, calls, submissions and their
//! review, uploads.

mod call_answers;
mod decisions;
mod questionnaire;
mod retention;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use maillage_db::forms;
use maillage_db::forms::calls::{self, Call, CallData};
use maillage_db::forms::questionnaires::{self, NewResponse};
use maillage_db::forms::submissions::{self, Submission, Submitter};
use maillage_db::testing::{self, Bookable};
use maillage_db::{Db, now};
use maillage_domain::Locale;
use maillage_domain::forms::{CallKind, Schema};

pub fn schema(json: &str) -> Schema {
    let s = Schema::from_json(json).unwrap();
    s.validate().unwrap();
    s
}

pub fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

pub const QUESTIONNAIRE_V1: &str = r#"{"items":[
  {"type":"field","key":"came_for","label":"Vous êtes venu·e","required":true,
   "kind":{"type":"single_choice","options":[{"key":"family","label":"En famille"},{"key":"school","label":"Avec l'école"}]}},
  {"type":"field","key":"liked","label":"Avez-vous aimé ?","kind":{"type":"yes_no"}},
  {"type":"field","key":"rating","label":"Note","kind":{"type":"scale","min":1,"max":5}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

/// Version 2: "liked" removed, "came_for" relabelled with a new option, a
/// new NPS question.
pub const QUESTIONNAIRE_V2: &str = r#"{"items":[
  {"type":"field","key":"came_for","label":"Avec qui êtes-vous venu·e ?","required":true,
   "kind":{"type":"single_choice","options":[{"key":"family","label":"En famille"},{"key":"friends","label":"Entre amis"}]}},
  {"type":"field","key":"rating","label":"Note","kind":{"type":"scale","min":1,"max":5}},
  {"type":"field","key":"nps","label":"Recommanderiez-vous ?","kind":{"type":"nps"}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

pub async fn questionnaire(db: &Db, json: &str, one_per_link: bool) -> forms::Form {
    testing::questionnaire(
        db.conn(),
        "Évaluation Fête de la science",
        &schema(json),
        one_per_link,
    )
    .await
}

pub async fn respond(db: &Db, form: &forms::Form, p: &[(&str, &str)], r: NewResponse<'_>) -> i64 {
    let answers = form.version.schema.parse_answers(&pairs(p), None).unwrap();
    questionnaires::respond(db.conn(), form.id, &NewResponse { answers, ..r }, now())
        .await
        .unwrap()
        .unwrap()
}

pub async fn call(db: &Db, kind: CallKind, opens: DateTime<Utc>, closes: DateTime<Utc>) -> Call {
    let fixture = testing::bookable(db, Bookable::default()).await;
    let form = forms::create(
        db.conn(),
        &testing::call_form_data("Appel à participation", kind, fixture.project_id),
        &schema(PROPOSAL),
        now(),
    )
    .await
    .unwrap();
    calls::create(
        db.conn(),
        &CallData {
            form_id: form.id,
            project_id: fixture.project_id,
            kind,
            slug: format!("appel-{}", form.id),
            title: "Fête de la science 2027".into(),
            opens_at: opens,
            closes_at: closes,
            retention_months: maillage_db::forms::calls::DEFAULT_RETENTION_MONTHS,
        },
        now(),
    )
    .await
    .unwrap()
}

pub const PROPOSAL: &str = r#"{"items":[
  {"type":"field","key":"title","label":"Titre","required":true,"kind":{"type":"short_text"}},
  {"type":"field","key":"summary","label":"Résumé","kind":{"type":"long_text"}},
  {"type":"field","key":"format","label":"Format","kind":{"type":"dropdown","options":[{"key":"workshop","label":"Atelier"},{"key":"talk","label":"Conférence"}]}},
  {"type":"field","key":"audience","label":"Publics","kind":{"type":"multiple_choice","options":[{"key":"families","label":"Familles"},{"key":"school","label":"Scolaires"}]}},
  {"type":"field","key":"venue","label":"Lieu","kind":{"type":"short_text"}},
  {"type":"field","key":"cv","label":"CV","kind":{"type":"file","types":["pdf","odt","docx"],"max_bytes":1000}}
]}"#;

pub fn partner(org: Option<i64>) -> Submitter {
    Submitter {
        name: "Ada Lovelace".into(),
        email: "ada@example.org".into(),
        locale: Locale::Fr,
        organisation_id: org,
        user_id: None,
    }
}

pub async fn submitted(db: &Db, call: &Call, title: &str) -> Submission {
    let form = forms::find(db.conn(), call.data.form_id)
        .await
        .unwrap()
        .unwrap();
    let answers = form
        .version
        .schema
        .parse_answers(&pairs(&[("title", title)]), None)
        .unwrap();
    let tx = db.write().await.unwrap();
    let (s, _) = submissions::start(&tx, call, &partner(None), &answers, now())
        .await
        .unwrap()
        .unwrap();
    let s = submissions::submit(&tx, s.id, now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    s
}

/// A call of `kind` opened yesterday, closing tomorrow.
pub async fn open_call(db: &Db, kind: CallKind) -> Call {
    let t = now();
    call(db, kind, t - TimeDelta::days(1), t + TimeDelta::days(1)).await
}
