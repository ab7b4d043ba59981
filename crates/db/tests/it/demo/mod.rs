//! The demo season: accounts, directory, programme, bookings, forms.

mod bookings;
mod forms;
mod programme;

use maillage_db::audit::{self, AuditFilter};
use maillage_db::demo::{self, Outcome};
use maillage_db::organisations::{self, Filter};
use maillage_db::venues;
use maillage_db::{PageRequest, people, users};
use maillage_domain::directory::{OrgKind, SpaceKind};
use maillage_domain::{Email, Role};
use std::collections::BTreeSet;

/// A fresh database with the demo loaded (the time it took on stderr).
pub async fn loaded_demo() -> maillage_db::testing::TestDb {
    let db = crate::db().await;
    let started = std::time::Instant::now();
    assert!(matches!(demo::load(&db).await.unwrap(), Outcome::Loaded(_)));
    eprintln!("demo loaded in {:?}", started.elapsed());
    db
}

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
        if let Some(org) = u.organisation_id {
            let org = organisations::find(db.conn(), org).await.unwrap().unwrap();
            assert_eq!(org.name(), "Les Petits Débrouillards Auvergne-Rhône-Alpes");
            assert_eq!(org.kind, OrgKind::Association);
        }
    }
    assert!(matches!(
        demo::load(&db).await.unwrap(),
        Outcome::NotEmpty { users: 5 }
    ));
}

#[tokio::test]
async fn demo_directory_is_a_network_across_isere() {
    let db = loaded_demo().await;
    let c = db.conn();

    let orgs = organisations::list_all_matching(c, &Filter::default())
        .await
        .unwrap();
    assert!(orgs.len() >= 80, "{} organisations", orgs.len());
    let kinds: BTreeSet<OrgKind> = orgs.iter().map(|o| o.kind).collect();
    for k in OrgKind::ALL {
        assert!(kinds.contains(k), "no organisation of kind {k:?}");
    }
    let communes: BTreeSet<&str> = orgs
        .iter()
        .filter_map(|o| o.data.commune_insee.as_deref())
        .collect();
    assert!(communes.iter().all(|c| c.starts_with("38")), "{communes:?}");
    assert!(communes.len() >= 60, "{} communes", communes.len());
    let tds = organisations::find_by_name(c, "Territoire de Sciences")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tds.kind, OrgKind::Museum);
    assert_eq!(tds.data.commune_insee.as_deref(), Some("38185"));

    let people = people::count(c).await.unwrap();
    assert!(people >= 150, "{people} people");
    let members = people::members_of(c, tds.id).await.unwrap();
    assert!(members.iter().all(|(_, f)| f.is_some()));
    assert!(members.len() >= 10);

    let all_venues = venues::list_all_matching(c, &venues::Filter::default())
        .await
        .unwrap();
    assert!(all_venues.len() >= 25, "{} venues", all_venues.len());
    let venue = |name: &str| {
        all_venues
            .iter()
            .find(|v| v.data.name == name)
            .unwrap_or_else(|| panic!("no venue {name}"))
    };
    let casemate = venue("La Casemate");
    assert_eq!(casemate.data.commune_insee.as_deref(), Some("38185"));
    assert_eq!(casemate.data.organisation_id, Some(tds.id));
    let kinds: Vec<SpaceKind> = casemate.spaces.iter().map(|s| s.data.kind).collect();
    assert!(kinds.contains(&SpaceKind::FabLab) && kinds.contains(&SpaceKind::MediaLab));
    let cosmocite = venue("Cosmocité");
    assert_eq!(cosmocite.data.commune_insee.as_deref(), Some("38317"));
    assert_eq!(cosmocite.data.organisation_id, Some(tds.id));
    let kinds: Vec<SpaceKind> = cosmocite.spaces.iter().map(|s| s.data.kind).collect();
    for k in [
        SpaceKind::Planetarium,
        SpaceKind::ImmersiveRoom,
        SpaceKind::Belvedere,
        SpaceKind::ExhibitionFloor,
    ] {
        assert!(kinds.contains(&k), "Cosmocité has no {k:?}");
    }
    assert!(
        cosmocite
            .spaces
            .iter()
            .any(|s| s.data.name == "Plateau jeunes publics (dès 3 ans)")
    );

    // One audit entry per record created.
    for (entity, at_least) in [("organisation", orgs.len()), ("person", 150), ("venue", 25)] {
        let page = audit::list(
            c,
            &AuditFilter {
                entity_type: Some(entity.into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert!(page.total >= at_least as u64, "{entity}: {}", page.total);
    }
}
