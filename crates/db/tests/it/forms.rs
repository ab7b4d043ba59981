use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use maillage_db::forms::calls::{self, Call, CallData};
use maillage_db::forms::questionnaires::{self, Filter, NewResponse, Refused};
use maillage_db::forms::submissions::{self, Refusal, Submission, Submitter};
use maillage_db::forms::{self, FormData, Saved, uploads};
use maillage_db::programme::activities;
use maillage_db::testing::{self, Bookable};
use maillage_db::venues::{self, VenueData};
use maillage_db::{Db, now, organisations};
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{Answer, Answers, CallKind, FormAudience, Purpose, Schema};
use maillage_domain::programme::{ActivityStatus, Audience, Format};
use maillage_domain::{FieldError, Locale, Role};

fn schema(json: &str) -> Schema {
    let s = Schema::from_json(json).unwrap();
    s.validate().unwrap();
    s
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

const QUESTIONNAIRE_V1: &str = r#"{"items":[
  {"type":"field","key":"came_for","label":"Vous êtes venu·e","required":true,
   "kind":{"type":"single_choice","options":[{"key":"family","label":"En famille"},{"key":"school","label":"Avec l'école"}]}},
  {"type":"field","key":"liked","label":"Avez-vous aimé ?","kind":{"type":"yes_no"}},
  {"type":"field","key":"rating","label":"Note","kind":{"type":"scale","min":1,"max":5}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

/// Version 2: "liked" removed, "came_for" relabelled with a new option, a
/// new NPS question.
const QUESTIONNAIRE_V2: &str = r#"{"items":[
  {"type":"field","key":"came_for","label":"Avec qui êtes-vous venu·e ?","required":true,
   "kind":{"type":"single_choice","options":[{"key":"family","label":"En famille"},{"key":"friends","label":"Entre amis"}]}},
  {"type":"field","key":"rating","label":"Note","kind":{"type":"scale","min":1,"max":5}},
  {"type":"field","key":"nps","label":"Recommanderiez-vous ?","kind":{"type":"nps"}},
  {"type":"field","key":"comment","label":"Un commentaire ?","kind":{"type":"long_text"}}
]}"#;

pub(crate) async fn questionnaire(db: &Db, json: &str, one_per_link: bool) -> forms::Form {
    forms::create(
        db.conn(),
        &FormData {
            title: "Évaluation Fête de la science".into(),
            purpose: Purpose::Questionnaire,
            project_id: None,
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: true,
            one_per_link,
        },
        &schema(json),
        now(),
    )
    .await
    .unwrap()
}

async fn respond(db: &Db, form: &forms::Form, p: &[(&str, &str)], r: NewResponse<'_>) -> i64 {
    let answers = form.version.schema.parse_answers(&pairs(p), None).unwrap();
    questionnaires::respond(db.conn(), form.id, &NewResponse { answers, ..r }, now())
        .await
        .unwrap()
        .unwrap()
}

/// The issue's example: a questionnaire edited after 300 answers keeps
/// them readable (with the version they answered) and counted.
#[tokio::test]
async fn editing_after_300_answers_keeps_them_readable_and_counted() {
    let db = crate::db().await;
    let f = questionnaire(&db, QUESTIONNAIRE_V1, false).await;
    // Without answers, an edit replaces the version.
    let saved = forms::save_schema(db.conn(), f.id, &schema(QUESTIONNAIRE_V1), now())
        .await
        .unwrap();
    assert_eq!(saved, Saved::Replaced);
    let tx = db.write().await.unwrap();
    let t = now();
    let mut first = None;
    for i in 0..300 {
        let p = [
            ("came_for", if i % 3 == 0 { "school" } else { "family" }),
            ("liked", if i % 4 == 0 { "no" } else { "yes" }),
            ("rating", ["1", "2", "3", "4", "5"][i % 5]),
        ];
        let answers = f.version.schema.parse_answers(&pairs(&p), None).unwrap();
        let id = questionnaires::respond(
            &tx,
            f.id,
            &NewResponse {
                answers,
                ..Default::default()
            },
            t,
        )
        .await
        .unwrap()
        .unwrap();
        first.get_or_insert(id);
    }
    tx.commit().await.unwrap();
    assert!(forms::has_answers(db.conn(), f.version.id).await.unwrap());
    // Now an edit makes version 2; version 1 is unchanged.
    let saved = forms::save_schema(db.conn(), f.id, &schema(QUESTIONNAIRE_V2), now())
        .await
        .unwrap();
    let Saved::NewVersion { number: 2, id: v2 } = saved else {
        panic!("{saved:?}")
    };
    let f2 = forms::find(db.conn(), f.id).await.unwrap().unwrap();
    assert_eq!(f2.version.id, v2);
    assert_eq!(forms::versions(db.conn(), f.id).await.unwrap().len(), 2);
    let v1 = forms::version(db.conn(), f.version.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v1.schema, schema(QUESTIONNAIRE_V1));
    for i in 0..20 {
        respond(
            &db,
            &f2,
            &[
                ("came_for", if i % 2 == 0 { "friends" } else { "family" }),
                ("rating", "5"),
                ("nps", "9"),
            ],
            NewResponse::default(),
        )
        .await;
    }
    // Counted: all versions together, by field key.
    let r = questionnaires::results(db.conn(), f.id, &Filter::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.responses, 320);
    let q = |k: &str| r.questions.iter().find(|q| q.key == k).unwrap();
    let came = q("came_for");
    assert_eq!(came.label, "Avec qui êtes-vous venu·e ?");
    assert_eq!(came.answered, 320);
    let count = |key: &str| came.options.iter().find(|o| o.key == key).unwrap().count;
    assert_eq!(count("school"), 100);
    assert_eq!(count("family"), 200 + 10);
    assert_eq!(count("friends"), 10);
    let liked = q("liked");
    assert!(!liked.current);
    assert_eq!(liked.label, "Avez-vous aimé ?");
    assert_eq!(liked.answered, 300);
    assert_eq!(liked.options[1].count, 75);
    let rating = q("rating");
    assert_eq!(rating.answered, 320);
    assert_eq!(rating.options[4].count, 60 + 20);
    assert_eq!(q("nps").answered, 20);
    assert_eq!(q("nps").nps, Some(100.0));
    // Readable: a response exported with the labels of its version.
    let mut rows = Vec::new();
    let n = questionnaires::export(db.conn(), f.id, &Filter::default(), |r| {
        rows.push(r.to_vec())
    })
    .await
    .unwrap();
    assert_eq!(n, 320);
    assert_eq!(rows.len(), 321);
    let header = &rows[0];
    assert_eq!(header[5], "Avec qui êtes-vous venu·e ?");
    assert_eq!(header.last().unwrap(), "Avez-vous aimé ?");
    let first_row = &rows[1];
    assert_eq!(first_row[0], first.unwrap().to_string());
    assert_eq!(first_row[5], "Avec l'école");
    assert_eq!(first_row.last().unwrap(), "no");
    assert_eq!(rows[320][5], "En famille");
}

async fn call(db: &Db, kind: CallKind, opens: DateTime<Utc>, closes: DateTime<Utc>) -> Call {
    let fixture = testing::bookable(db, Bookable::default()).await;
    let form = forms::create(
        db.conn(),
        &FormData {
            title: "Appel à participation".into(),
            purpose: match kind {
                CallKind::Participation => Purpose::ParticipationCall,
                CallKind::Application => Purpose::ApplicationCall,
            },
            project_id: Some(fixture.project_id),
            activity_id: None,
            session_id: None,
            audience: None,
            anonymous: false,
            one_per_link: false,
        },
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
        },
        now(),
    )
    .await
    .unwrap()
}

const PROPOSAL: &str = r#"{"items":[
  {"type":"field","key":"title","label":"Titre","required":true,"kind":{"type":"short_text"}},
  {"type":"field","key":"summary","label":"Résumé","kind":{"type":"long_text"}},
  {"type":"field","key":"format","label":"Format","kind":{"type":"dropdown","options":[{"key":"workshop","label":"Atelier"},{"key":"talk","label":"Conférence"}]}},
  {"type":"field","key":"audience","label":"Publics","kind":{"type":"multiple_choice","options":[{"key":"families","label":"Familles"},{"key":"school","label":"Scolaires"}]}},
  {"type":"field","key":"venue","label":"Lieu","kind":{"type":"short_text"}},
  {"type":"field","key":"cv","label":"CV","kind":{"type":"file","types":["pdf","odt","docx"],"max_bytes":1000}}
]}"#;

fn partner(org: Option<i64>) -> Submitter {
    Submitter {
        name: "Ada Lovelace".into(),
        email: "ada@example.org".into(),
        locale: Locale::Fr,
        organisation_id: org,
        user_id: None,
    }
}

async fn submitted(db: &Db, call: &Call, title: &str) -> Submission {
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

#[tokio::test]
async fn drafts_resume_by_secret_link_and_late_submissions_are_refused() {
    let db = crate::db().await;
    let t = now();
    let closes = t + TimeDelta::hours(1);
    let c = call(&db, CallKind::Application, t - TimeDelta::days(1), closes).await;
    assert!(c.is_open(t));
    assert!(!c.is_open(closes));
    let open = calls::open(db.conn(), t).await.unwrap();
    assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c.id]);
    assert!(calls::open(db.conn(), closes).await.unwrap().is_empty());
    assert_eq!(
        calls::find_by_slug(db.conn(), &c.data.slug).await.unwrap(),
        Some(c.clone())
    );

    // Before it opens.
    let early = t - TimeDelta::days(2);
    let r = submissions::start(db.conn(), &c, &partner(None), &Answers::default(), early)
        .await
        .unwrap();
    assert_eq!(r.unwrap_err(), Refusal::NotYetOpen(c.data.opens_at));

    // A draft, saved and resumed by its secret.
    let (draft, secret) = submissions::start(db.conn(), &c, &partner(None), &Answers::default(), t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, Status::Draft);
    let resumed = submissions::resume(db.conn(), &secret)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resumed.id, draft.id);
    assert!(
        submissions::resume(db.conn(), &maillage_domain::token::generate())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        submissions::resume(db.conn(), "junk")
            .await
            .unwrap()
            .is_none()
    );
    let mut answers = Answers::default();
    answers.insert("title", Answer::Text("Fusées".into()));
    let saved = submissions::save_answers(db.conn(), draft.id, &answers, t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.answers, answers);

    // After the closing time: neither saved nor submitted, nor started.
    let late = closes + TimeDelta::seconds(1);
    assert_eq!(
        submissions::save_answers(db.conn(), draft.id, &answers, late)
            .await
            .unwrap(),
        Err(Refusal::Closed(closes))
    );
    assert_eq!(
        submissions::submit(db.conn(), draft.id, late)
            .await
            .unwrap(),
        Err(Refusal::Closed(closes))
    );
    assert_eq!(
        submissions::start(db.conn(), &c, &partner(None), &answers, closes)
            .await
            .unwrap()
            .unwrap_err(),
        Refusal::Closed(closes)
    );
    let still = submissions::find(db.conn(), draft.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, Status::Draft);
    assert_eq!(still.submitted_at, None);
    // In time, it goes.
    let s = submissions::submit(db.conn(), draft.id, closes - TimeDelta::seconds(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.status, Status::Submitted);
    assert!(s.submitted_at.is_some());
    // Submitted answers are no longer editable.
    assert_eq!(
        submissions::save_answers(db.conn(), s.id, &answers, t)
            .await
            .unwrap(),
        Err(Refusal::NotEditable)
    );
    // The answers read back against their version.
    let (sub, version) = submissions::with_version(db.conn(), s.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(version.schema.read(&sub.answers)[0].text, "Fusées");
}

#[tokio::test]
async fn status_changes_follow_the_table_and_are_recorded() {
    let db = crate::db().await;
    let t = now();
    let c = call(
        &db,
        CallKind::Application,
        t - TimeDelta::days(1),
        t + TimeDelta::days(1),
    )
    .await;
    let staff = crate::sessions::user(&db, "staff@example.org", Role::Staff).await;
    let s = submitted(&db, &c, "Candidature").await;
    let go = |to, actor, msg: Option<&'static str>| {
        let db = db.db.clone();
        let id = s.id;
        let user = (actor == Actor::Staff).then_some(staff.id);
        async move {
            submissions::transition(db.conn(), id, to, actor, user, msg, now())
                .await
                .unwrap()
        }
    };
    // A submitter cannot accept their own submission; staff cannot withdraw it.
    assert_eq!(
        go(Status::Accepted, Actor::Submitter, None)
            .await
            .unwrap_err(),
        Refusal::Illegal {
            from: Status::Submitted,
            to: Status::Accepted
        }
    );
    assert!(go(Status::Withdrawn, Actor::Staff, None).await.is_err());
    assert!(go(Status::Draft, Actor::Staff, None).await.is_err());
    go(Status::UnderReview, Actor::Staff, None).await.unwrap();
    submissions::comment(
        db.conn(),
        s.id,
        Actor::Staff,
        Some(staff.id),
        "Budget à vérifier",
        true,
        t,
    )
    .await
    .unwrap();
    go(
        Status::ChangesRequested,
        Actor::Staff,
        Some("Précisez le budget."),
    )
    .await
    .unwrap();
    // The submitter may edit and submit again, even after the closing
    // date: the team asked.
    let mut answers = s.answers.clone();
    answers.insert("summary", Answer::Text("Budget : 300 €".into()));
    let later = c.data.closes_at + TimeDelta::days(3);
    submissions::save_answers(db.conn(), s.id, &answers, later)
        .await
        .unwrap()
        .unwrap();
    let again = submissions::submit(db.conn(), s.id, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.status, Status::Submitted);
    go(Status::Rejected, Actor::Staff, None).await.unwrap();
    go(Status::UnderReview, Actor::Staff, None).await.unwrap();
    go(Status::Withdrawn, Actor::Submitter, None).await.unwrap();
    // Withdrawn is final.
    for to in Status::ALL {
        assert!(go(*to, Actor::Staff, None).await.is_err());
        assert!(go(*to, Actor::Submitter, None).await.is_err());
    }
    let all = submissions::events(db.conn(), s.id, true).await.unwrap();
    let public = submissions::events(db.conn(), s.id, false).await.unwrap();
    assert_eq!(all.len(), public.len() + 1);
    let steps: Vec<(Status, Status)> = public
        .iter()
        .filter_map(|e| match e.kind {
            submissions::EventKind::Status { from, to } => Some((from, to)),
            submissions::EventKind::Comment => None,
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (Status::Draft, Status::Submitted),
            (Status::Submitted, Status::UnderReview),
            (Status::UnderReview, Status::ChangesRequested),
            (Status::ChangesRequested, Status::Submitted),
            (Status::Submitted, Status::Rejected),
            (Status::Rejected, Status::UnderReview),
            (Status::UnderReview, Status::Withdrawn),
        ]
    );
    assert_eq!(public[2].comment.as_deref(), Some("Précisez le budget."));
    assert_eq!(public[2].user_id, Some(staff.id));
    assert_eq!(public[3].actor, Actor::Submitter);
    assert!(
        all.iter()
            .any(|e| e.internal && e.comment.as_deref() == Some("Budget à vérifier"))
    );
}

#[tokio::test]
async fn scores_average_with_criterion_weights() {
    let db = crate::db().await;
    let t = now();
    let c = call(
        &db,
        CallKind::Application,
        t - TimeDelta::days(1),
        t + TimeDelta::days(1),
    )
    .await;
    let r1 = crate::sessions::user(&db, "r1@example.org", Role::Staff).await;
    let r2 = crate::sessions::user(&db, "r2@example.org", Role::Intern).await;
    let a = submitted(&db, &c, "A").await;
    let b = submitted(&db, &c, "B").await;
    let _unscored = submitted(&db, &c, "C").await;
    let quality = calls::add_criterion(db.conn(), c.id, "quality", "Qualité", 2, 5)
        .await
        .unwrap();
    let reach = calls::add_criterion(db.conn(), c.id, "reach", "Territoire", 1, 5)
        .await
        .unwrap();
    assert_eq!(
        calls::criteria(db.conn(), c.id)
            .await
            .unwrap()
            .iter()
            .map(|k| k.key.as_str())
            .collect::<Vec<_>>(),
        vec!["quality", "reach"]
    );
    for (sub, rev, crit, score) in [
        (a.id, r1.id, quality.id, 4),
        (a.id, r1.id, reach.id, 1),
        (a.id, r2.id, quality.id, 2),
        (a.id, r2.id, reach.id, 5),
        (b.id, r1.id, quality.id, 5),
    ] {
        submissions::score(db.conn(), sub, rev, crit, score, t)
            .await
            .unwrap();
    }
    // A: (4×2 + 1×1 + 2×2 + 5×1) / (2+1+2+1) = 18/6 = 3; B: 5×2/2 = 5.
    let avg = submissions::averages(db.conn(), c.id).await.unwrap();
    assert_eq!(avg.len(), 2);
    assert_eq!(
        (avg[0].submission_id, avg[0].average, avg[0].reviewers),
        (b.id, 5.0, 1)
    );
    assert_eq!(
        (avg[1].submission_id, avg[1].average, avg[1].reviewers),
        (a.id, 3.0, 2)
    );
    // A score changed replaces the old one.
    submissions::score(db.conn(), a.id, r1.id, reach.id, 4, t)
        .await
        .unwrap();
    let avg = submissions::averages(db.conn(), c.id).await.unwrap();
    assert_eq!(avg[1].average, 3.5);
    // Reviewers: assigned once, listed, filtered on.
    for _ in 0..2 {
        submissions::assign_reviewer(db.conn(), a.id, r2.id, t)
            .await
            .unwrap();
    }
    submissions::assign_reviewer(db.conn(), a.id, r1.id, t)
        .await
        .unwrap();
    let mut both = vec![r1.id, r2.id];
    both.sort();
    assert_eq!(submissions::reviewers(db.conn(), a.id).await.unwrap(), both);
    submissions::unassign_reviewer(db.conn(), a.id, r1.id)
        .await
        .unwrap();
    assert_eq!(
        submissions::reviewers(db.conn(), a.id).await.unwrap(),
        vec![r2.id]
    );
    let mine = submissions::list(
        db.conn(),
        &submissions::Filter {
            reviewer_id: Some(r2.id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(mine.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a.id]);
}

#[tokio::test]
async fn staged_decisions_are_sent_in_one_batch() {
    let db = crate::db().await;
    let t = now();
    let c = call(
        &db,
        CallKind::Application,
        t - TimeDelta::days(1),
        t + TimeDelta::days(1),
    )
    .await;
    let a = submitted(&db, &c, "A").await;
    let b = submitted(&db, &c, "B").await;
    let d = submitted(&db, &c, "D").await;
    let w = submitted(&db, &c, "W").await;
    let (draft, _) = submissions::start(db.conn(), &c, &partner(None), &Answers::default(), t)
        .await
        .unwrap()
        .unwrap();
    let stage = |id, to: Status, msg: &str| {
        let db = db.db.clone();
        let msg = msg.to_owned();
        async move {
            submissions::stage(db.conn(), id, Some((to, Some(msg))), now())
                .await
                .unwrap()
        }
    };
    stage(a.id, Status::Accepted, "Bienvenue !").await.unwrap();
    stage(b.id, Status::Rejected, "Merci, mais non.")
        .await
        .unwrap();
    stage(d.id, Status::ChangesRequested, "Précisez.")
        .await
        .unwrap();
    stage(w.id, Status::Accepted, "Oui").await.unwrap();
    assert_eq!(
        stage(a.id, Status::UnderReview, "").await,
        Err(Refusal::NotADecision)
    );
    assert_eq!(
        stage(draft.id, Status::Accepted, "").await,
        Err(Refusal::Illegal {
            from: Status::Draft,
            to: Status::Accepted
        })
    );
    // Staged, not sent: nothing changed for the submitters.
    assert_eq!(
        submissions::find(db.conn(), a.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Submitted
    );
    let staged = submissions::list(
        db.conn(),
        &submissions::Filter {
            call_id: Some(c.id),
            staged: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(staged.len(), 4);
    // One withdraws meanwhile: its decision is dropped.
    submissions::transition(
        db.conn(),
        w.id,
        Status::Withdrawn,
        Actor::Submitter,
        None,
        None,
        t,
    )
    .await
    .unwrap()
    .unwrap();
    let tx = db.write().await.unwrap();
    let sent = submissions::send_staged(&tx, c.id, None, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let got: Vec<(i64, Status, Status, Option<&str>)> = sent
        .iter()
        .map(|s| {
            (
                s.submission.id,
                s.from,
                s.submission.status,
                s.message.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                a.id,
                Status::Submitted,
                Status::Accepted,
                Some("Bienvenue !")
            ),
            (
                b.id,
                Status::Submitted,
                Status::Rejected,
                Some("Merci, mais non.")
            ),
            (
                d.id,
                Status::Submitted,
                Status::ChangesRequested,
                Some("Précisez.")
            ),
        ]
    );
    // An application call makes no activity.
    assert_eq!(sent[0].submission.activity_id, None);
    // Nothing staged remains; a second batch sends nothing.
    let tx = db.write().await.unwrap();
    assert!(
        submissions::send_staged(&tx, c.id, None, now())
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    let w = submissions::find(db.conn(), w.id).await.unwrap().unwrap();
    assert_eq!((w.status, w.staged), (Status::Withdrawn, None));
    let counts = submissions::counts(db.conn(), c.id).await.unwrap();
    let n = |s: Status| counts.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!(
        (
            n(Status::Accepted),
            n(Status::Rejected),
            n(Status::Withdrawn),
            n(Status::Draft)
        ),
        (1, 1, 1, 1)
    );
}

#[tokio::test]
async fn an_accepted_proposal_becomes_a_draft_activity_of_its_organisation_and_venue() {
    let db = crate::db().await;
    let t = now();
    let c = call(
        &db,
        CallKind::Participation,
        t - TimeDelta::days(1),
        t + TimeDelta::days(1),
    )
    .await;
    let org = organisations::create(db.conn(), "Club d'astronomie de Vizille", t)
        .await
        .unwrap();
    let venue = venues::insert(
        db.conn(),
        &VenueData {
            name: "Médiathèque de Vizille".into(),
            organisation_id: Some(org.id),
            commune_insee: Some("38562".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let form = forms::find(db.conn(), c.data.form_id)
        .await
        .unwrap()
        .unwrap();
    let venue_id = venue.id.to_string();
    let answers = form
        .version
        .schema
        .parse_answers(
            &pairs(&[
                ("title", "Fusées à eau"),
                ("summary", "On construit et on lance des fusées."),
                ("format", "workshop"),
                ("audience", "families"),
                ("audience", "school"),
                ("venue", &venue_id),
            ]),
            None,
        )
        .unwrap();
    // The venue field is a short text here: the mapping reads a number
    // from a choice, so give it as a choice as the web layer does.
    let mut answers = answers;
    answers.insert("venue", Answer::Choice(venue_id.clone()));
    let tx = db.write().await.unwrap();
    let (s, _) = submissions::start(&tx, &c, &partner(Some(org.id)), &answers, t)
        .await
        .unwrap()
        .unwrap();
    submissions::submit(&tx, s.id, t).await.unwrap().unwrap();
    let accepted =
        submissions::transition(&tx, s.id, Status::Accepted, Actor::Staff, None, None, t)
            .await
            .unwrap()
            .unwrap();
    tx.commit().await.unwrap();
    let id = accepted.activity_id.expect("an activity");
    let a = activities::find(db.conn(), id).await.unwrap().unwrap();
    assert_eq!(a.status, ActivityStatus::Draft);
    assert_eq!(a.data.project_id, c.data.project_id);
    assert_eq!(a.data.title, "Fusées à eau");
    assert_eq!(
        a.data.summary.as_deref(),
        Some("On construit et on lance des fusées.")
    );
    assert_eq!(a.format, Format::Workshop);
    assert_eq!(a.data.audiences, vec![Audience::Families, Audience::School]);
    assert_eq!(
        a.organisers,
        vec![(org.id, "Club d'astronomie de Vizille".to_owned())]
    );
    assert_eq!(a.venue.as_ref().map(|v| v.id), Some(venue.id));
    assert_eq!(a.data.slug, "fusees-a-eau");
    // Accepted is final: no second activity.
    assert!(
        submissions::transition(
            db.conn(),
            s.id,
            Status::Accepted,
            Actor::Staff,
            None,
            None,
            t
        )
        .await
        .unwrap()
        .is_err()
    );
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_size() {
    let db = crate::db().await;
    let t = now();
    let c = call(
        &db,
        CallKind::Application,
        t - TimeDelta::days(1),
        t + TimeDelta::days(1),
    )
    .await;
    let s = submitted(&db, &c, "Stage").await;
    let form = forms::find(db.conn(), c.data.form_id)
        .await
        .unwrap()
        .unwrap();
    let cv = &form.version.schema.field("cv").unwrap().kind;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let up = |name: &'static str, bytes: Vec<u8>| {
        let db = db.db.clone();
        let kind = cv.clone();
        async move {
            uploads::insert(db.conn(), s.id, "cv", &kind, name, &bytes, now())
                .await
                .unwrap()
        }
    };
    assert_eq!(up("cv.pdf", exe.to_vec()).await, Err(FieldError::FileType));
    // A PNG is a real file, but not one this field takes.
    assert_eq!(
        up("cv.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).await,
        Err(FieldError::FileType)
    );
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(1001, b' ');
    assert_eq!(
        up("cv.pdf", big).await,
        Err(FieldError::FileTooLarge { max: 1000 })
    );
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    let ok = up("C:\\fakepath\\CV Ada.PDF", pdf.clone()).await.unwrap();
    assert_eq!(ok.filename, "CV Ada.pdf");
    assert_eq!(ok.size, pdf.len() as u64);
    assert_eq!(ok.sha256, maillage_domain::token::digest_bytes(&pdf));
    let (info, bytes) = uploads::read(db.conn(), ok.id).await.unwrap().unwrap();
    assert_eq!(info, ok);
    assert_eq!(bytes, pdf);
    assert_eq!(
        uploads::of_submission(db.conn(), s.id).await.unwrap(),
        vec![ok.clone()]
    );
    // Answers may point at this submission's own files only.
    let other = submitted(&db, &c, "Autre").await;
    let mut answers = Answers::default();
    answers.insert(
        "cv",
        Answer::File(maillage_domain::forms::FileRef {
            upload_id: ok.id,
            name: ok.filename.clone(),
        }),
    );
    let tx = db.write().await.unwrap();
    let (draft, _) = submissions::start(&tx, &c, &partner(None), &Answers::default(), t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        submissions::save_answers(&tx, draft.id, &answers, t)
            .await
            .unwrap(),
        Err(Refusal::ForeignUpload)
    );
    assert_eq!(
        submissions::start(&tx, &c, &partner(None), &answers, t)
            .await
            .unwrap()
            .unwrap_err(),
        Refusal::ForeignUpload
    );
    tx.commit().await.unwrap();
    assert_ne!(other.id, s.id);
    // Its own file is fine (a request for changes makes it editable).
    submissions::transition(
        db.conn(),
        s.id,
        Status::ChangesRequested,
        Actor::Staff,
        None,
        None,
        t,
    )
    .await
    .unwrap()
    .unwrap();
    let saved = submissions::save_answers(db.conn(), s.id, &answers, t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.answers.uploads(), vec![ok.id]);
    assert!(uploads::delete(db.conn(), ok.id).await.unwrap());
    assert!(uploads::read(db.conn(), ok.id).await.unwrap().is_none());
}

#[tokio::test]
async fn one_answer_per_link() {
    let db = crate::db().await;
    let f = questionnaire(&db, QUESTIONNAIRE_V1, true).await;
    let answers = f
        .version
        .schema
        .parse_answers(&pairs(&[("came_for", "school")]), None)
        .unwrap();
    let go = |link: Option<&'static str>| {
        let db = db.db.clone();
        let answers = answers.clone();
        async move {
            questionnaires::respond(
                db.conn(),
                f.id,
                &NewResponse {
                    answers,
                    link_token: link,
                    ..Default::default()
                },
                now(),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(go(None).await, Err(Refused::LinkRequired));
    assert!(go(Some("link-of-teacher-1")).await.is_ok());
    assert!(
        questionnaires::link_answered(db.conn(), f.id, "link-of-teacher-1")
            .await
            .unwrap()
    );
    assert_eq!(
        go(Some("link-of-teacher-1")).await,
        Err(Refused::AlreadyAnswered)
    );
    assert!(go(Some("link-of-teacher-2")).await.is_ok());
    // Inside a transaction the refusal leaves it usable (no failed insert).
    let tx = db.write().await.unwrap();
    let again = questionnaires::respond(
        &tx,
        f.id,
        &NewResponse {
            answers: answers.clone(),
            link_token: Some("link-of-teacher-2"),
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(again, Err(Refused::AlreadyAnswered));
    assert_eq!(
        questionnaires::count(&tx, f.id, &Filter::default())
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    // Without the option, any number of anonymous responses.
    let open = questionnaire(&db, QUESTIONNAIRE_V1, false).await;
    for _ in 0..3 {
        respond(
            &db,
            &open,
            &[("came_for", "family")],
            NewResponse::default(),
        )
        .await;
    }
    assert_eq!(
        questionnaires::count(db.conn(), open.id, &Filter::default())
            .await
            .unwrap(),
        3
    );
    // The list counts responses in one query, empty questionnaires too.
    let empty = questionnaire(&db, QUESTIONNAIRE_V2, false).await;
    let listed = questionnaires::list(db.conn()).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|l| (l.id, l.responses))
            .collect::<Vec<_>>(),
        vec![(empty.id, 0), (open.id, 3), (f.id, 2)]
    );
    assert_eq!(listed[0].title, "Évaluation Fête de la science");
}

#[tokio::test]
async fn results_filter_by_activity_session_commune_and_days() {
    let db = crate::db().await;
    let fixture = testing::bookable(
        &db,
        Bookable {
            sessions: 2,
            ..Default::default()
        },
    )
    .await;
    let f = questionnaire(&db, QUESTIONNAIRE_V1, false).await;
    let (s1, s2) = (fixture.sessions[0], fixture.sessions[1]);
    // (session, commune, day, came_for, liked)
    let rows = [
        (
            Some(s1),
            Some("38185"),
            at(2026, 10, 10, 9),
            "family",
            "yes",
        ),
        (
            Some(s1),
            Some("38185"),
            at(2026, 10, 10, 21),
            "family",
            "no",
        ),
        (
            Some(s1),
            Some("38317"),
            at(2026, 10, 11, 9),
            "school",
            "yes",
        ),
        (
            Some(s2),
            Some("38317"),
            at(2026, 10, 12, 9),
            "school",
            "yes",
        ),
        (Some(s2), None, at(2026, 10, 12, 23), "family", "yes"),
        (None, None, at(2026, 10, 13, 9), "school", "no"),
    ];
    for (session, commune, t, came, liked) in rows {
        let answers = f
            .version
            .schema
            .parse_answers(&pairs(&[("came_for", came), ("liked", liked)]), None)
            .unwrap();
        questionnaires::respond(
            db.conn(),
            f.id,
            &NewResponse {
                answers,
                activity_id: session.map(|_| fixture.activity_id),
                session_id: session,
                commune_insee: commune.map(str::to_owned),
                link_token: None,
            },
            t,
        )
        .await
        .unwrap()
        .unwrap();
    }
    let n = |filter: Filter| {
        let db = db.db.clone();
        async move {
            let r = questionnaires::results(db.conn(), f.id, &filter)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                questionnaires::count(db.conn(), f.id, &filter)
                    .await
                    .unwrap(),
                r.responses
            );
            r.responses
        }
    };
    assert_eq!(n(Filter::default()).await, 6);
    assert_eq!(
        n(Filter {
            activity_id: Some(fixture.activity_id),
            ..Default::default()
        })
        .await,
        5
    );
    assert_eq!(
        n(Filter {
            session_id: Some(s2),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        n(Filter {
            commune_insee: Some("38317".into()),
            ..Default::default()
        })
        .await,
        2
    );
    // Days are Paris days: 23:00 UTC on the 12th is the 13th in Paris.
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    assert_eq!(
        n(Filter {
            from: Some(day(11)),
            to: Some(day(12)),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        n(Filter {
            from: Some(day(13)),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        n(Filter {
            session_id: Some(s1),
            commune_insee: Some("38185".into()),
            to: Some(day(10)),
            ..Default::default()
        })
        .await,
        2
    );
    // The figures follow the filter, and so does the cross-tabulation.
    let r = questionnaires::results(
        db.conn(),
        f.id,
        &Filter {
            session_id: Some(s1),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .unwrap();
    let liked = r.questions.iter().find(|q| q.key == "liked").unwrap();
    assert_eq!((liked.options[0].count, liked.options[1].count), (2, 1));
    assert_eq!(liked.options[0].percent, 66.7);
    let x = questionnaires::crosstab(db.conn(), f.id, &Filter::default(), "came_for", "liked")
        .await
        .unwrap()
        .unwrap();
    // family: yes 2, no 1; school: yes 2, no 1.
    assert_eq!(x.counts, vec![vec![2, 1], vec![2, 1]]);
    assert!(
        questionnaires::crosstab(db.conn(), f.id, &Filter::default(), "came_for", "comment")
            .await
            .unwrap()
            .is_none()
    );
    // The export carries the day only, never a time.
    let mut rows = Vec::new();
    questionnaires::export(db.conn(), f.id, &Filter::default(), |r| {
        rows.push(r.to_vec())
    })
    .await
    .unwrap();
    assert_eq!(rows[1][1], "2026-10-10");
    assert_eq!(rows[5][1], "2026-10-13");
    assert_eq!(rows[5][4], "");
}
