//! Answers to calls: drafts and their secret links, the status table, scores.

use super::{call, open_call, partner, submitted};
use chrono::TimeDelta;
use maillage_db::forms::calls::{self};
use maillage_db::forms::submissions::{self, Refusal};
use maillage_db::now;
use maillage_db::testing::{self};
use maillage_domain::Role;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{Answer, Answers, CallKind};

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
    let c = open_call(&db, CallKind::Application).await;
    let staff = testing::user(db.conn(), "staff@example.org", Role::Staff).await;
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
    let c = open_call(&db, CallKind::Application).await;
    let r1 = testing::user(db.conn(), "r1@example.org", Role::Staff).await;
    let r2 = testing::user(db.conn(), "r2@example.org", Role::Intern).await;
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
