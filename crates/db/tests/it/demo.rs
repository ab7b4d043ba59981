use maillage_db::demo::{self, Outcome};
use maillage_db::users;
use maillage_domain::{Email, Role};

#[tokio::test]
async fn demo_loads_once_with_one_account_per_role() {
    let db = crate::db().await;
    let Outcome::Loaded(accounts) = demo::load(&db).await.unwrap() else {
        panic!("empty database must load");
    };
    let roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
    for r in Role::ALL {
        assert!(roles.contains(&r), "{r:?}");
    }
    for a in &accounts {
        let (u, hash) = users::credentials(db.conn(), &Email::parse(&a.email).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(hash.unwrap().verify(&a.password));
        assert_eq!(u.organisation_id.is_some(), u.role == Role::Partner);
    }
    assert!(matches!(
        demo::load(&db).await.unwrap(),
        Outcome::NotEmpty { users: 5 }
    ));
}
