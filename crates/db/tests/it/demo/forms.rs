//! The demo's calls, submissions and questionnaire.

use super::loaded_demo;
use maillage_db::demo::{self};

#[tokio::test]
async fn demo_has_calls_submissions_and_a_questionnaire_with_responses() {
    use maillage_db::forms::{self, calls, questionnaires, submissions, uploads};
    use maillage_domain::forms::review::Status;
    use maillage_domain::forms::{FileKind, Purpose};

    let db = loaded_demo().await;
    let c = db.conn();
    let now = maillage_db::now();

    // Both calls are open now and close in a few weeks.
    let open = calls::open(c, now).await.unwrap();
    assert_eq!(open.len(), 2, "{open:?}");
    for call in &open {
        let weeks = (call.data.closes_at - now).num_days();
        assert!(
            (14..=40).contains(&weeks),
            "{}: {weeks} days",
            call.data.title
        );
    }
    let fds = calls::find_by_slug(c, demo::forms::PARTICIPATION_CALL)
        .await
        .unwrap()
        .unwrap();
    let list = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(fds.id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let statuses: Vec<Status> = list.iter().map(|s| s.status).collect();
    for st in [
        Status::Accepted,
        Status::Rejected,
        Status::Submitted,
        Status::UnderReview,
    ] {
        assert!(statuses.contains(&st), "{st:?} in {statuses:?}");
    }
    let accepted = list.iter().find(|s| s.status == Status::Accepted).unwrap();
    let activity = maillage_db::programme::activities::find(c, accepted.activity_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(activity.data.project_id, fds.data.project_id);
    assert_eq!(activity.data.title, "Les secrets des glaciers alpins");

    // The internship: three applications, each with two PDFs.
    let stage = calls::find_by_slug(c, demo::forms::INTERNSHIP_CALL)
        .await
        .unwrap()
        .unwrap();
    let form = forms::find(c, stage.data.form_id).await.unwrap().unwrap();
    let text = form.version.schema.to_json();
    assert!(
        text.contains("35 heures") && text.contains("4,35"),
        "{text}"
    );
    let apps = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(stage.id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(apps.len(), 3);
    for a in &apps {
        assert_ne!(a.status, Status::Draft);
        let files = uploads::of_submission(c, a.id).await.unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| f.kind == FileKind::Pdf));
        assert_eq!(a.answers.uploads().len(), 2);
    }

    // The questionnaires of the past festival and of the edition before
    // it, newest first: a few hundred responses each.
    let listed = questionnaires::list(c).await.unwrap();
    assert_eq!(listed.len(), 2);
    let q = &listed[0];
    assert!((300..=400).contains(&q.responses), "{}", q.responses);
    assert!(
        (200..300).contains(&listed[1].responses),
        "{}",
        listed[1].responses
    );
    assert_ne!(q.project_id, listed[1].project_id);
    let f = forms::find(c, q.id).await.unwrap().unwrap();
    assert_eq!(f.data.purpose, Purpose::Questionnaire);
    assert!(f.data.anonymous);
    let results = questionnaires::results(c, q.id, &Default::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(results.responses, q.responses as u64);
    let nps = results.questions.iter().find(|r| r.key == "nps").unwrap();
    assert!(nps.nps.is_some());
    let mut days = std::collections::BTreeSet::new();
    let mut with_activity = 0;
    questionnaires::stream(c, q.id, &Default::default(), true, |r| {
        days.insert(r.day);
        with_activity += usize::from(r.activity_id.is_some() && r.commune_insee.is_some());
    })
    .await
    .unwrap();
    assert!(days.len() >= 4, "{days:?}");
    assert!(with_activity > 300, "{with_activity}");
}
