//! The audited write path of team records: a change and its audit entries
//! are written in one transaction, or neither is.

use maillage_db::audit::{self, Actor, AuditFilter};
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::records::{self, Audited, Entry};
use maillage_db::{DbErr, PageRequest, now};
use serde_json::json;

async fn log(db: &maillage_db::Db) -> Vec<audit::AuditEntry> {
    audit::list(db.conn(), &AuditFilter::default(), PageRequest::new(1, 50))
        .await
        .unwrap()
        .items
}

fn data(name: &str) -> OrganisationData {
    OrganisationData {
        name: name.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_change_and_its_entries_are_written_together() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let tx = db.write().await.unwrap();
    let id = records::write(&tx, &actor, now(), async |tx, now| {
        let o = organisations::insert(tx, &data("La Casemate"), now).await?;
        Ok::<_, DbErr>(
            Audited::new(
                o.id,
                Entry::new("create", "organisation", o.id, "La Casemate", json!({})),
            )
            .and(Entry::new(
                "tag",
                "organisation",
                o.id,
                "second",
                json!({"n": 2}),
            )),
        )
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let entries = log(&db).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].action, "create", "in the order given");
    assert_eq!(entries[1].entity_type, "organisation");
    assert_eq!(entries[1].entity_id, id.to_string());
    assert_eq!(entries[1].actor_label, "test");
    assert_eq!(entries[0].changes, json!({"n": 2}));
}

#[tokio::test]
async fn a_failed_or_abandoned_change_records_nothing() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    // The change fails: no entry.
    let tx = db.write().await.unwrap();
    let r: Result<(), DbErr> = records::write(&tx, &actor, now(), async |tx, now| {
        organisations::insert(tx, &data("Lost"), now).await?;
        Err(DbErr::Custom("refused".into()))
    })
    .await;
    assert!(r.is_err());
    drop(tx);
    // The change succeeds but the transaction is not committed: neither stays.
    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        let o = organisations::insert(tx, &data("Abandoned"), now).await?;
        Ok::<_, DbErr>(Audited::new(
            (),
            Entry::new("create", "organisation", o.id, "Abandoned", json!({})),
        ))
    })
    .await
    .unwrap();
    drop(tx);
    assert!(log(&db).await.is_empty());
    assert_eq!(organisations::count(db.conn()).await.unwrap(), 0);
}

#[tokio::test]
async fn an_update_with_the_same_values_records_nothing() {
    let same = Entry::update("organisation", 1, "A", &json!({"a": 1}), &json!({"a": 1}));
    assert_eq!(same, None);
    let changed = Entry::update("organisation", 1, "A", &json!({"a": 1}), &json!({"a": 2}))
        .expect("a change");
    assert_eq!(changed.action, "update");
    assert_eq!(changed.changes, json!({"a": {"from": 1, "to": 2}}));

    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    records::write(&tx, &Actor::system("test"), now(), async |_, _| {
        Ok::<_, DbErr>(Audited::maybe((), same).and(changed))
    })
    .await
    .unwrap();
    records::write(&tx, &Actor::system("test"), now(), async |_, _| {
        Ok::<_, DbErr>(Audited::unchanged(()))
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(log(&db).await.len(), 1);
}
