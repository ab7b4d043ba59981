use maillage_db::organisations::{self, Filter, OrganisationData, Sort};
use maillage_db::people::{self, PersonData};
use maillage_db::venues::{self, SpaceData, VenueData};
use maillage_db::{PageRequest, now, users};
use maillage_domain::directory::{Gender, OrgKind, PersonRole, SpaceKind, Theme};
use maillage_domain::{Email, Locale, Role};

fn org(name: &str, kind: OrgKind, insee: Option<&str>) -> OrganisationData {
    OrganisationData {
        name: name.into(),
        kind: Some(kind),
        commune_insee: insee.map(Into::into),
        ..Default::default()
    }
}

fn person(first: &str, last: &str, email: Option<&str>) -> PersonData {
    PersonData {
        first_name: Some(first.into()),
        last_name: last.into(),
        email: email.map(Into::into),
        ..Default::default()
    }
}

#[tokio::test]
async fn organisations_search_filter_sort_and_page() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    let mut casemate = org("La Casemate", OrgKind::Museum, Some("38185"));
    casemate.themes = vec![Theme::Making, Theme::Digital, Theme::Making];
    casemate.public_listing = true;
    organisations::insert(&tx, &casemate, now()).await.unwrap();
    organisations::insert(
        &tx,
        &org(
            "Médiathèque du Pont-de-Claix",
            OrgKind::Library,
            Some("38317"),
        ),
        now(),
    )
    .await
    .unwrap();
    organisations::insert(
        &tx,
        &org(
            "Les Petits Débrouillards",
            OrgKind::Association,
            Some("38185"),
        ),
        now(),
    )
    .await
    .unwrap();
    organisations::insert(
        &tx,
        &org("Planète Sciences 100%_x", OrgKind::Association, None),
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let find = |f: Filter| {
        let db = db.db.clone();
        async move {
            organisations::list(db.conn(), &f, PageRequest::default())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.data.name)
                .collect::<Vec<_>>()
        }
    };
    let q = |s: &str| Filter {
        query: Some(s.into()),
        ..Default::default()
    };
    assert_eq!(
        find(q("pont claix")).await,
        ["Médiathèque du Pont-de-Claix"]
    );
    assert_eq!(
        find(q("MEDIATHEQUE")).await,
        ["Médiathèque du Pont-de-Claix"]
    );
    assert_eq!(find(q("debrou")).await, ["Les Petits Débrouillards"]);
    assert_eq!(find(q("100%")).await, ["Planète Sciences 100%_x"]);
    assert!(find(q("zzz")).await.is_empty());
    assert_eq!(
        find(q("   ")).await.len(),
        4,
        "a blank query filters nothing"
    );
    let assocs = find(Filter {
        kind: Some(OrgKind::Association),
        ..Default::default()
    })
    .await;
    assert_eq!(
        assocs,
        ["Les Petits Débrouillards", "Planète Sciences 100%_x"]
    );
    let grenoble = find(Filter {
        communes: Some(vec!["38185".into()]),
        ..Default::default()
    })
    .await;
    assert_eq!(grenoble, ["La Casemate", "Les Petits Débrouillards"]);
    let making = find(Filter {
        theme: Some(Theme::Making),
        ..Default::default()
    })
    .await;
    assert_eq!(making, ["La Casemate"]);
    let public = find(Filter {
        public_only: true,
        ..Default::default()
    })
    .await;
    assert_eq!(public, ["La Casemate"]);
    let recent = find(Filter {
        sort: Sort::Recent,
        ..Default::default()
    })
    .await;
    assert_eq!(recent[0], "Planète Sciences 100%_x");
    let page = organisations::list(db.conn(), &Filter::default(), PageRequest::new(2, 3))
        .await
        .unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.items.len(), 1);
    let c = organisations::find_by_name(db.conn(), "La Casemate")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.data.themes, vec![Theme::Digital, Theme::Making]);
}

#[tokio::test]
async fn duplicates_by_name_and_commune_email_or_siret() {
    let db = crate::db().await;
    let mut a = org(
        "Les Petits Débrouillards",
        OrgKind::Association,
        Some("38185"),
    );
    a.email = Some("Contact@Example.org".into());
    a.siret = Some("73282932000074".into());
    let a = organisations::insert(db.conn(), &a, now()).await.unwrap();
    let same = organisations::duplicates(
        db.conn(),
        &org("les petits debrouillards", OrgKind::Other, Some("38185")),
        None,
    )
    .await
    .unwrap();
    assert_eq!(same.len(), 1);
    let elsewhere = organisations::duplicates(
        db.conn(),
        &org("Les Petits Débrouillards", OrgKind::Other, Some("38317")),
        None,
    )
    .await
    .unwrap();
    assert!(
        elsewhere.is_empty(),
        "same name in another commune is another organisation"
    );
    let mut by_mail = org("Autre nom", OrgKind::Other, None);
    by_mail.email = Some("contact@example.org".into());
    assert_eq!(
        organisations::duplicates(db.conn(), &by_mail, None)
            .await
            .unwrap()
            .len(),
        1
    );
    let mut by_siret = org("Encore", OrgKind::Other, None);
    by_siret.siret = Some("73282932000074".into());
    assert_eq!(
        organisations::duplicates(db.conn(), &by_siret, None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        organisations::duplicates(db.conn(), &by_siret, Some(a.id))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Merging two duplicate organisations keeps every link of both.
#[tokio::test]
async fn merging_organisations_keeps_every_link() {
    let db = crate::db().await;
    let t = now();
    let tx = db.write().await.unwrap();
    let mut a_data = org("Petits Débrouillards", OrgKind::Association, Some("38185"));
    a_data.themes = vec![Theme::Chemistry];
    let a = organisations::insert(&tx, &a_data, t).await.unwrap();
    let mut b_data = org("Les Petits Débrouillards ARA", OrgKind::Other, None);
    b_data.themes = vec![Theme::Physics];
    b_data.website = Some("https://www.lespetitsdebrouillards.org".into());
    b_data.public_listing = true;
    let b = organisations::insert(&tx, &b_data, t).await.unwrap();
    let shared = people::insert(&tx, &person("Ada", "Lovelace", None), t)
        .await
        .unwrap();
    let only_b = people::insert(&tx, &person("Marie", "Curie", None), t)
        .await
        .unwrap();
    let only_a = people::insert(&tx, &person("Émilie", "du Châtelet", None), t)
        .await
        .unwrap();
    people::add_membership(&tx, shared.id, a.id, Some("présidente"), t)
        .await
        .unwrap();
    people::add_membership(&tx, shared.id, b.id, Some("trésorière"), t)
        .await
        .unwrap();
    people::add_membership(&tx, only_b.id, b.id, Some("animatrice"), t)
        .await
        .unwrap();
    people::add_membership(&tx, only_a.id, a.id, None, t)
        .await
        .unwrap();
    let partner = users::create(
        &tx,
        users::NewUser {
            email: &Email::parse("partner@example.org").unwrap(),
            name: "Partner",
            role: Role::Partner,
            organisation_id: Some(b.id),
            password: None,
            locale: Locale::Fr,
        },
        t,
    )
    .await
    .unwrap();
    let venue = venues::insert(
        &tx,
        &VenueData {
            name: "Local de l'association".into(),
            organisation_id: Some(b.id),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let merged = organisations::merge(&tx, a.id, b.id, t).await.unwrap();
    tx.commit().await.unwrap();

    assert!(
        organisations::find(db.conn(), b.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(merged.data.name, "Petits Débrouillards");
    assert_eq!(merged.kind, OrgKind::Association);
    assert_eq!(
        merged.data.website.as_deref(),
        Some("https://www.lespetitsdebrouillards.org")
    );
    assert!(merged.data.public_listing);
    assert_eq!(
        merged.data.themes,
        vec![Theme::Physics, Theme::Chemistry]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let members = people::members_of(db.conn(), a.id).await.unwrap();
    let names: Vec<String> = members.iter().map(|(p, _)| p.name()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let shared_fn = members
        .iter()
        .find(|(p, _)| p.id == shared.id)
        .unwrap()
        .1
        .clone();
    assert_eq!(
        shared_fn.as_deref(),
        Some("présidente"),
        "the kept record's membership wins"
    );
    assert_eq!(
        users::find(db.conn(), partner.id)
            .await
            .unwrap()
            .unwrap()
            .organisation_id,
        Some(a.id)
    );
    assert_eq!(
        venues::find(db.conn(), venue.id)
            .await
            .unwrap()
            .unwrap()
            .data
            .organisation_id,
        Some(a.id)
    );
    // The search index follows.
    let found = organisations::list(
        db.conn(),
        &Filter {
            query: Some("ARA".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 0);
    assert!(
        organisations::merge(db.conn(), a.id, a.id, t)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn people_roles_memberships_merge_export_and_erasure() {
    let db = crate::db().await;
    let t = now();
    let o = organisations::insert(
        db.conn(),
        &org(
            "Université Grenoble Alpes",
            OrgKind::University,
            Some("38185"),
        ),
        t,
    )
    .await
    .unwrap();
    let mut d = person("Katherine", "Johnson", Some("K.Johnson@Example.org"));
    d.roles = vec![PersonRole::Researcher, PersonRole::Speaker];
    d.gender = Some(Gender::Female);
    d.phone = Some("04 76 00 00 00".into());
    let k = people::insert(db.conn(), &d, t).await.unwrap();
    people::add_membership(db.conn(), k.id, o.id, Some("maîtresse de conférences"), t)
        .await
        .unwrap();
    let dup = people::duplicates(db.conn(), &person("Katherine", "Johnson", None), None)
        .await
        .unwrap();
    assert_eq!(dup.len(), 1);
    let dup = people::duplicates(
        db.conn(),
        &person("K.", "J.", Some("k.johnson@example.org")),
        None,
    )
    .await
    .unwrap();
    assert_eq!(dup.len(), 1, "same e-mail");
    let other = people::insert(
        db.conn(),
        &PersonData {
            roles: vec![PersonRole::Teacher],
            ..person("Kathy", "Johnson", Some("kj@example.org"))
        },
        t,
    )
    .await
    .unwrap();

    let found = people::list(
        db.conn(),
        &people::Filter {
            query: Some("johnson kath".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 2);
    let researchers = people::list(
        db.conn(),
        &people::Filter {
            role: Some(PersonRole::Researcher),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(researchers.total, 1);
    let uga = people::list(
        db.conn(),
        &people::Filter {
            organisation_id: Some(o.id),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        uga.items[0].memberships[0].organisation_name,
        "Université Grenoble Alpes"
    );

    let merged = people::merge(db.conn(), k.id, other.id, t).await.unwrap();
    assert_eq!(
        merged.data.roles,
        vec![
            PersonRole::Researcher,
            PersonRole::Speaker,
            PersonRole::Teacher
        ]
    );
    assert_eq!(merged.data.email.as_deref(), Some("k.johnson@example.org"));

    let export = people::export(db.conn(), k.id).await.unwrap().unwrap();
    assert_eq!(export["email"], "k.johnson@example.org");
    assert_eq!(
        export["memberships"][0]["function"],
        "maîtresse de conférences"
    );

    assert!(people::erase(db.conn(), k.id, t).await.unwrap());
    let erased = people::find(db.conn(), k.id).await.unwrap().unwrap();
    assert!(
        erased.data.email.is_none()
            && erased.data.phone.is_none()
            && erased.data.first_name.is_none()
    );
    assert_eq!(
        erased.data.gender,
        Some(Gender::Female),
        "kept for parity statistics"
    );
    assert_eq!(erased.memberships.len(), 1, "kept for counts");
    let found = people::list(
        db.conn(),
        &people::Filter {
            query: Some("johnson".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 0, "no longer findable by name");
    assert!(!people::erase(db.conn(), k.id, t).await.unwrap());
}

#[tokio::test]
async fn venues_and_spaces() {
    let db = crate::db().await;
    let t = now();
    let v = venues::insert(
        db.conn(),
        &VenueData {
            name: "Cosmocité".into(),
            address: Some("85 cours Saint-André".into()),
            postcode: Some("38800".into()),
            commune_insee: Some("38317".into()),
            lat: Some(45.1425),
            lon: Some(5.7019),
            access: venues::Access {
                wheelchair: true,
                hearing_loop: true,
                ..Default::default()
            },
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let planetarium = venues::add_space(
        db.conn(),
        v.id,
        &SpaceData {
            name: "Planétarium".into(),
            kind: SpaceKind::Planetarium,
            capacity: Some(80),
            notes: None,
        },
        t,
    )
    .await
    .unwrap();
    venues::add_space(
        db.conn(),
        v.id,
        &SpaceData {
            name: "Belvédère".into(),
            kind: SpaceKind::Belvedere,
            capacity: None,
            notes: None,
        },
        t,
    )
    .await
    .unwrap();
    let back = venues::find(db.conn(), v.id).await.unwrap().unwrap();
    assert_eq!(back.spaces.len(), 2);
    assert_eq!(back.data.lat, Some(45.1425));
    assert!(back.data.access.wheelchair && !back.data.access.visual);
    let s = venues::find_space(db.conn(), planetarium)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.data.capacity, Some(80));
    let found = venues::list(
        db.conn(),
        &venues::Filter {
            query: Some("saint andre".into()),
            wheelchair: true,
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(
        venues::duplicates(
            db.conn(),
            &VenueData {
                name: "COSMOCITE".into(),
                commune_insee: Some("38317".into()),
                ..Default::default()
            },
            None
        )
        .await
        .unwrap()
        .len(),
        1
    );
    assert!(venues::delete(db.conn(), v.id).await.unwrap());
    assert!(
        venues::find_space(db.conn(), planetarium)
            .await
            .unwrap()
            .is_none(),
        "spaces go with their venue"
    );
}
