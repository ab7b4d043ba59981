//! Questionnaires: versions, one answer per link, results and their filters.

use super::{QUESTIONNAIRE_V1, QUESTIONNAIRE_V2, at, pairs, questionnaire, respond, schema};
use chrono::NaiveDate;
use maillage_db::forms::questionnaires::{self, Filter, NewResponse, Refused};
use maillage_db::forms::{self, Saved};
use maillage_db::now;
use maillage_db::testing::{self, Bookable};

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
    // No response number: it would give the order of the answers.
    assert_eq!(header[0], "day");
    assert_eq!(header[4], "Avec qui êtes-vous venu·e ?");
    assert_eq!(header.last().unwrap(), "Avez-vous aimé ?");
    let first_row = &rows[1];
    assert!(first.is_some());
    assert_eq!(first_row.len(), header.len());
    assert!(chrono::NaiveDate::parse_from_str(&first_row[0], "%Y-%m-%d").is_ok());
    assert_eq!(first_row[4], "Avec l'école");
    assert_eq!(first_row.last().unwrap(), "no");
    assert_eq!(rows[320][4], "En famille");
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
    let issued = maillage_db::forms::links::issue(db.conn(), f.id, 2, now())
        .await
        .unwrap();
    let (t1, t2): (&'static str, &'static str) = (
        Box::leak(issued[0].clone().into_boxed_str()),
        Box::leak(issued[1].clone().into_boxed_str()),
    );
    assert_eq!(go(None).await, Err(Refused::LinkRequired));
    // A link the team did not issue, even well formed, answers nothing.
    let made_up: &'static str = Box::leak(maillage_domain::token::generate().into_boxed_str());
    assert_eq!(go(Some(made_up)).await, Err(Refused::LinkRequired));
    assert_eq!(
        go(Some("link-of-teacher-1")).await,
        Err(Refused::LinkRequired)
    );
    // Nor one issued for another questionnaire.
    let other = questionnaire(&db, QUESTIONNAIRE_V1, true).await;
    let elsewhere = maillage_db::forms::links::issue(db.conn(), other.id, 1, now())
        .await
        .unwrap();
    let elsewhere: &'static str = Box::leak(elsewhere[0].clone().into_boxed_str());
    assert_eq!(go(Some(elsewhere)).await, Err(Refused::LinkRequired));
    assert!(go(Some(t1)).await.is_ok());
    assert!(
        questionnaires::link_answered(db.conn(), f.id, t1)
            .await
            .unwrap()
    );
    assert_eq!(go(Some(t1)).await, Err(Refused::AlreadyAnswered));
    assert!(go(Some(t2)).await.is_ok());
    assert_eq!(
        maillage_db::forms::links::counts(db.conn(), f.id)
            .await
            .unwrap(),
        maillage_db::forms::links::Issued {
            issued: 2,
            answered: 2
        }
    );
    // Inside a transaction the refusal leaves it usable (no failed insert).
    let tx = db.write().await.unwrap();
    let again = questionnaires::respond(
        &tx,
        f.id,
        &NewResponse {
            answers: answers.clone(),
            link_token: Some(t2),
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
        vec![(empty.id, 0), (open.id, 3), (other.id, 0), (f.id, 2)]
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
    assert_eq!(rows[1][0], "2026-10-10");
    assert_eq!(rows[5][0], "2026-10-13");
    assert_eq!(rows[5][3], "");
}

/// A questionnaire takes responses inside its window only, opening
/// included, closing excluded.
#[tokio::test]
async fn responses_are_taken_inside_the_window_only() {
    use chrono::TimeDelta;
    use maillage_db::forms::calls::Window;
    let db = crate::db().await;
    let f = questionnaire(&db, QUESTIONNAIRE_V1, false).await;
    let t = now();
    let (opens, closes) = (t + TimeDelta::days(1), t + TimeDelta::days(8));
    let data = forms::FormData {
        opens_at: Some(opens),
        closes_at: Some(closes),
        ..f.data.clone()
    };
    forms::update(db.conn(), f.id, &data, t).await.unwrap();
    let answers = f
        .version
        .schema
        .parse_answers(
            &pairs(&[("came_for", "school"), ("liked", "yes"), ("rating", "4")]),
            None,
        )
        .unwrap();
    let new = || NewResponse {
        answers: answers.clone(),
        ..Default::default()
    };
    for (at, expected) in [
        (t, Err(Refused::Window(Window::NotYetOpen(opens)))),
        (closes, Err(Refused::Window(Window::Closed(closes)))),
        (
            closes + TimeDelta::days(30),
            Err(Refused::Window(Window::Closed(closes))),
        ),
    ] {
        let r = questionnaires::respond(db.conn(), f.id, &new(), at)
            .await
            .unwrap();
        assert_eq!(r.map(|_| ()), expected, "{at}");
    }
    for at in [opens, closes - TimeDelta::seconds(1)] {
        assert!(
            questionnaires::respond(db.conn(), f.id, &new(), at)
                .await
                .unwrap()
                .is_ok()
        );
    }
    let n = questionnaires::count(db.conn(), f.id, &Filter::default())
        .await
        .unwrap();
    assert_eq!(n, 2);
}

/// Forms made before public keys get one each, all different.
#[tokio::test]
async fn existing_forms_get_a_public_key_when_migrating() {
    use maillage_db::migrate;
    use maillage_db::testing::TestDb;
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::Query;
    let db = TestDb::unmigrated().await;
    migrate::run_until(&db, 12).await.unwrap();
    for title in ["Avis 2024", "Avis 2025"] {
        db.conn()
            .execute(
                Query::insert()
                    .into_table("forms")
                    .columns([
                        "title",
                        "purpose",
                        "anonymous",
                        "one_per_link",
                        "created_at",
                        "updated_at",
                    ])
                    .values_panic([
                        title.into(),
                        "questionnaire".into(),
                        true.into(),
                        false.into(),
                        now().into(),
                        now().into(),
                    ]),
            )
            .await
            .unwrap();
    }
    assert!(migrate::run(&db).await.unwrap().contains(&13));
    let keys: Vec<String> = db
        .conn()
        .query_all(
            Query::select()
                .expr(sea_orm::sea_query::Expr::cust("public_key"))
                .from("forms"),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<String>("", "public_key").unwrap())
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
    assert!(keys.iter().all(|k| k.len() == 16));
}
