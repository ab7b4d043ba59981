//! Decisions on answers to calls, the activity an accepted proposal makes,
//! uploads.

use super::{open_call, pairs, partner, submitted};
use maillage_db::forms::submissions::{self, Refusal};
use maillage_db::forms::{self, uploads};
use maillage_db::programme::activities;
use maillage_db::venues::{self, VenueData};
use maillage_db::{now, organisations};
use maillage_domain::FieldError;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{Answer, Answers, CallKind};
use maillage_domain::programme::{ActivityStatus, Audience, Format};

#[tokio::test]
async fn staged_decisions_are_sent_in_one_batch() {
    let db = crate::db().await;
    let t = now();
    let c = open_call(&db, CallKind::Application).await;
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
    let c = open_call(&db, CallKind::Participation).await;
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
    let c = open_call(&db, CallKind::Application).await;
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
async fn an_accepted_proposal_brings_its_sessions_each_at_its_place() {
    let db = crate::db().await;
    let t = now();
    let c = open_call(&db, CallKind::Participation).await;
    let org = organisations::create(db.conn(), "Club d'astronomie de Vizille", t)
        .await
        .unwrap();
    let vizille = venues::insert(
        db.conn(),
        &VenueData {
            name: "Médiathèque de Vizille".into(),
            commune_insee: Some("38562".into()),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let day = |d| Answer::Date(chrono::NaiveDate::from_ymd_opt(2025, 10, d).unwrap());
    let text = |s: &str| Answer::Text(s.into());
    let mut answers = Answers::default();
    for (k, a) in [
        ("title", text("Observer le Soleil")),
        ("format", Answer::Choice("workshop".into())),
        ("audience", Answer::Choices(vec!["school".into()])),
        (
            "levels",
            Answer::Choices(vec!["elementaire".into(), "college".into()]),
        ),
        ("registration", Answer::Choice("groups".into())),
        ("capacity", Answer::Number(28.0)),
        ("needs", text("Deux tables, une prise électrique")),
        // At a venue of the directory, named as it is there.
        ("session1_date", day(10)),
        ("session1_start", text("14:00")),
        ("session1_end", text("15:30")),
        ("session1_place", text("médiathèque de vizille")),
        ("session1_commune", text("Vizille")),
        // At a place the directory does not know yet, no end given.
        ("session2_date", day(11)),
        ("session2_start", text("10:00")),
        ("session2_commune", text("Vif")),
        // A commune that does not exist: the session has no place.
        ("session3_date", day(12)),
        ("session3_start", text("9:30")),
        ("session3_commune", text("Atlantis")),
        // No date: no session.
        ("session4_start", text("10:00")),
    ] {
        answers.insert(k, a);
    }
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
    let a = activities::find(db.conn(), accepted.activity_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        a.registration,
        maillage_domain::programme::RegistrationMode::Groups
    );
    let mut levels = a.data.levels.clone();
    levels.sort();
    assert_eq!(
        levels,
        vec![
            maillage_domain::programme::SchoolLevel::Elementaire,
            maillage_domain::programme::SchoolLevel::College
        ]
    );
    assert_eq!(
        a.venue.as_ref().map(|v| v.id),
        Some(vizille.id),
        "the first place"
    );
    assert_eq!(a.sessions.len(), 3);
    let paris = |d, h, m| maillage_db::testing::paris(2025, 10, d, h, m);
    let times: Vec<_> = a
        .sessions
        .iter()
        .map(|s| (s.data.starts_at, s.data.ends_at, s.data.capacity))
        .collect();
    assert_eq!(
        times,
        [
            (paris(10, 14, 0), paris(10, 15, 30), Some(28)),
            (paris(11, 10, 0), paris(11, 11, 0), Some(28)),
            (paris(12, 9, 30), paris(12, 10, 30), Some(28)),
        ]
    );
    assert_eq!(a.sessions[0].data.venue_id, None, "at the activity's venue");
    let vif = a.venue_of(&a.sessions[1]).expect("a venue made in Vif");
    assert_eq!(vif.data.commune_insee.as_deref(), Some("38545"));
    assert_eq!(
        vif.data.name, "Club d'astronomie de Vizille",
        "named after its organisation"
    );
    assert_eq!(a.sessions[2].data.venue_id, None);
}
