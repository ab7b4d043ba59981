use maillage_db::users::{self, Changes, NewUser, UserFilter};
use maillage_db::{PageRequest, now, organisations, testing, unique_violation};
use maillage_domain::{Email, Locale, Password, Role};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

#[tokio::test]
async fn create_find_and_unique_email() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    let org = organisations::create(&tx, "La Casemate", now())
        .await
        .unwrap();
    let e = email("Ada@Example.org");
    let u = users::create(
        &tx,
        NewUser {
            email: &e,
            name: "Ada <b>Lovelace</b>",
            role: Role::Partner,
            organisation_id: Some(org.id),
            password: Some(Password::new("correct horse battery").unwrap().hash()),
            locale: Locale::En,
        },
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(u.email, "ada@example.org");
    assert_eq!(u.role, Role::Partner);
    assert_eq!(u.locale, Locale::En);
    assert!(u.has_password && u.is_active());

    let (found, hash) = users::credentials(db.conn(), &e).await.unwrap().unwrap();
    assert_eq!(found, u);
    assert!(hash.unwrap().verify("correct horse battery"));

    let tx = db.write().await.unwrap();
    let err = users::create(
        &tx,
        NewUser {
            email: &email("ada@example.org"),
            name: "Other",
            role: Role::Staff,
            organisation_id: None,
            password: None,
            locale: Locale::Fr,
        },
        now(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        unique_violation(&err),
        Some(vec!["email".to_string()]),
        "{err:?}"
    );
}

#[tokio::test]
async fn list_filters_and_update() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    for (i, (name, role)) in [
        ("Zoé Martin", Role::Staff),
        ("Ali 100%_sure", Role::Intern),
        ("Bob", Role::Staff),
    ]
    .into_iter()
    .enumerate()
    {
        testing::user_named(&tx, &format!("u{i}@example.org"), name, role).await;
    }
    tx.commit().await.unwrap();

    let all = users::list(db.conn(), &UserFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.items[0].name, "Ali 100%_sure");

    let staff = users::list(
        db.conn(),
        &UserFilter {
            role: Some(Role::Staff),
            ..Default::default()
        },
        PageRequest::new(1, 1),
    )
    .await
    .unwrap();
    assert_eq!(staff.total, 2);
    assert_eq!(staff.items.len(), 1);
    assert!(staff.has_next());

    let q = |s: &str| UserFilter {
        query: Some(s.into()),
        ..Default::default()
    };
    let pct = users::list(db.conn(), &q("100%_"), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(pct.total, 1, "% and _ are matched literally");
    let none = users::list(db.conn(), &q("%"), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(none.total, 1);
    let zoe = users::list(db.conn(), &q("ZOÉ"), PageRequest::default())
        .await
        .unwrap();
    assert!(zoe.total <= 1);

    let bob = &users::list(db.conn(), &q("bob"), PageRequest::default())
        .await
        .unwrap()
        .items[0];
    let tx = db.write().await.unwrap();
    let changed = users::update(
        &tx,
        bob.id,
        Changes {
            role: Some(Role::Admin),
            disabled: Some(true),
            ..Changes::NONE
        },
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(changed.role, Role::Admin);
    assert!(!changed.is_active());
    assert_eq!(changed.name, "Bob");
    assert_eq!(users::count_active_admins(db.conn()).await.unwrap(), 0);
    let active = users::list(db.conn(), &UserFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(active.total, 2, "disabled users are hidden by default");
}

#[tokio::test]
async fn timestamps_round_trip_to_the_microsecond() {
    let db = crate::db().await;
    let t = now();
    let tx = db.write().await.unwrap();
    let org = organisations::create(&tx, "Cosmocité", t).await.unwrap();
    tx.commit().await.unwrap();
    let back = organisations::find(db.conn(), org.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.created_at, t);
}

#[tokio::test]
async fn a_user_made_outside_the_team_space_is_recorded_with_it() {
    use maillage_db::audit::{self, Actor, AuditFilter};
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    let e = email("grace@example.org");
    let new = NewUser {
        email: &e,
        name: "Grace Hopper",
        role: Role::Staff,
        organisation_id: None,
        password: None,
        locale: Locale::Fr,
    };
    let u = users::create_recorded(&tx, &Actor::system("cli"), new, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let filter = AuditFilter {
        entity_type: Some("user".into()),
        ..AuditFilter::default()
    };
    let page = audit::list(db.conn(), &filter, PageRequest::default());
    let entries = page.await.unwrap().items;
    let [entry] = entries.as_slice() else {
        panic!("{entries:?}");
    };
    assert_eq!(
        (entry.action.as_str(), entry.entity_type.as_str()),
        ("create", "user")
    );
    assert_eq!(entry.entity_id, u.id.to_string());
    assert_eq!(entry.actor_label, "cli");
    assert_eq!(
        entry.changes,
        serde_json::json!({"email": "grace@example.org", "name": "Grace Hopper", "role": "staff"})
    );
}
