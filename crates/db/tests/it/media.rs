//! Images: one per owner, replaced in one transaction with a new id, their
//! copies read back byte for byte, gone with their owner's visibility.

use maillage_db::media::{self, ImageText, NewImage, NewVariant, Owner};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::{counters, now, testing};
use maillage_domain::programme::ActivityStatus;

fn image(digest: &str, widths: &[u32]) -> NewImage {
    NewImage {
        text: ImageText {
            alt_fr: "Une coupole étoilée".into(),
            alt_en: Some("A starry dome".into()),
            credit: Some("© Cosmocité".into()),
        },
        width: 2000,
        height: 1000,
        digest: digest.repeat(64 / digest.len()),
        variants: widths
            .iter()
            .map(|w| NewVariant {
                width: *w,
                height: w / 2,
                bytes: vec![u8::try_from(w % 251).unwrap(); *w as usize],
            })
            .collect(),
    }
}

#[tokio::test]
async fn put_replace_find_and_delete() {
    let db = crate::db().await;
    let c = db.conn();
    let t = now();
    let p = testing::project(c, &testing::project_data("fds", "Fête de la science", 2025)).await;
    let a = activities::insert(
        c,
        &ActivityData {
            project_id: p.id,
            slug: "coupole".into(),
            title: "Sous la coupole".into(),
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let owner = Owner::Activity(a.id);
    assert_eq!(media::find(c, owner).await.unwrap(), None);

    let v0 = counters::get(c, counters::PROGRAMME).await.unwrap();
    let tx = db.write().await.unwrap();
    let first = media::put(&tx, owner, image("ab", &[320, 640, 1280]), t)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(counters::get(c, counters::PROGRAMME).await.unwrap() > v0);
    assert_eq!(first.owner, owner);
    assert_eq!(first.alt(true), "A starry dome");
    assert_eq!(first.alt(false), "Une coupole étoilée");
    let widths: Vec<u32> = first.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![320, 640, 1280]);
    assert_eq!(first.variants[1].byte_length, 640);
    assert_eq!(first.largest().unwrap().width, 1280);
    assert_eq!(first.at_least(500).unwrap().width, 640);
    assert_eq!(
        first.path(640),
        format!("/media/{}-abababab-640.jpg", first.id)
    );
    let bytes = media::variant_bytes(c, first.id, 640)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bytes, vec![640u32.rem_euclid(251) as u8; 640]);
    assert_eq!(media::variant_bytes(c, first.id, 999).await.unwrap(), None);

    // A draft activity's image is not public; published, it is.
    assert!(!media::is_public(c, owner).await.unwrap());
    activities::set_status(c, &[a.id], ActivityStatus::Published, t)
        .await
        .unwrap();
    assert!(media::is_public(c, owner).await.unwrap());
    assert!(media::is_public(c, Owner::Project(p.id)).await.unwrap());

    // Replacing gives a new id and drops the old copies.
    let tx = db.write().await.unwrap();
    let second = media::put(&tx, owner, image("cd", &[200]), t)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_ne!(second.id, first.id);
    assert_ne!(second.path(200), first.path(200));
    assert_eq!(media::variant_bytes(c, first.id, 640).await.unwrap(), None);
    assert_eq!(media::find_by_id(c, first.id).await.unwrap(), None);
    assert_eq!(media::find(c, owner).await.unwrap().unwrap().id, second.id);
    let many = media::of_activities(c, &[a.id, a.id + 100]).await.unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(many[&a.id].variants.len(), 1);

    // A failed transaction keeps the old image.
    {
        let tx = db.write().await.unwrap();
        media::put(&tx, owner, image("ef", &[320]), t)
            .await
            .unwrap();
        // Dropped without commit.
    }
    assert_eq!(media::find(c, owner).await.unwrap().unwrap().id, second.id);

    // The words change without a new picture.
    assert!(
        media::set_text(
            c,
            owner,
            ImageText {
                alt_fr: "Autre texte".into(),
                alt_en: None,
                credit: None,
            },
        )
        .await
        .unwrap()
    );
    let again = media::find(c, owner).await.unwrap().unwrap();
    assert_eq!(again.id, second.id);
    assert_eq!(again.alt(true), "Autre texte");

    assert!(media::delete(c, owner).await.unwrap());
    assert!(!media::delete(c, owner).await.unwrap());
    assert_eq!(media::find(c, owner).await.unwrap(), None);
    assert_eq!(media::variant_bytes(c, second.id, 200).await.unwrap(), None);

    // An image whose activity is deleted is purged.
    media::put(c, owner, image("12", &[320]), t).await.unwrap();
    media::put(c, Owner::Project(p.id), image("34", &[320]), t)
        .await
        .unwrap();
    activities::delete(c, a.id).await.unwrap();
    assert!(!media::is_public(c, owner).await.unwrap());
    assert_eq!(
        media::find(c, owner).await.unwrap(),
        None,
        "deleting an activity deletes its image"
    );
    assert_eq!(
        media::purge_orphans(c).await.unwrap(),
        0,
        "nothing left over"
    );
    assert!(
        media::find(c, Owner::Project(p.id))
            .await
            .unwrap()
            .is_some()
    );
}
