//! Uploads resized, served with year-long caching, shown on the public
//! pages; drafts kept private, replacing changes the address.

use super::*;
use crate::util::json_ld;
use axum::http::{StatusCode, header};
use maillage_db::audit::{self, AuditFilter};
use maillage_db::media::{self, Owner};
use maillage_db::programme::activities::{self};
use maillage_db::{PageRequest, now};
use maillage_domain::programme::ActivityStatus;
use maillage_media::image::{self};

#[tokio::test]
async fn an_upload_is_resized_served_and_shown() {
    let (app, s, mut staff) = staffed().await;
    let r = staff.get(&form_path(s.published)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("enctype=\"multipart/form-data\""));

    let r = upload(
        &mut staff,
        s.published,
        &[
            ("alt_fr", "La coupole du planétarium sous un ciel étoilé"),
            ("alt_en", "The planetarium dome under a starry sky"),
            ("credit", "© Cosmocité"),
        ],
        "coupole.png",
        &png(2000, 1200),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), form_path(s.published));

    let img = media::find(app.db.conn(), Owner::Activity(s.published))
        .await
        .unwrap()
        .expect("stored");
    assert_eq!((img.width, img.height), (2000, 1200));
    let widths: Vec<u32> = img.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![320, 640, 1280]);

    // Every copy is a JPEG of its width, served for a year to anyone.
    for v in &img.variants {
        let path = img.path(v.width);
        assert!(path.starts_with(&format!("/media/{}-", img.id)), "{path}");
        let (status, headers, bytes) = get_bytes(&app, None, &path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(bytes.len() as u64, v.byte_length);
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(decoded.width(), v.width);
        assert_eq!(decoded.height(), v.width * 1200 / 2000);
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        let (status, _, body) =
            get_bytes(&app, None, &path, &[("if-none-match", etag.as_str())]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(body.is_empty());
    }
    // A width that was not made, a wrong digest: not found.
    let (status, _, _) = get_bytes(&app, None, &img.path(1000), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let wrong = format!("/media/{}-00000000-320.jpg", img.id);
    assert_eq!(
        get_bytes(&app, None, &wrong, &[]).await.0,
        StatusCode::NOT_FOUND
    );

    // The form shows the current image and keeps the texts.
    let r = staff.get(&form_path(s.published)).await;
    assert!(r.body.contains(&img.path(640)), "{}", r.body);
    assert!(r.body.contains("value=\"© Cosmocité\""));

    // The public page: srcset, sizes, width and height, alt, credit.
    let mut visitor = app.client();
    let r = visitor.get(PUBLISHED_URL).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(
        b.contains(&format!(
            "srcset=\"{} 320w, {} 640w, {} 1280w\"",
            img.path(320),
            img.path(640),
            img.path(1280)
        )),
        "{b}"
    );
    assert!(b.contains(&format!("src=\"{}\"", img.path(640))));
    assert!(b.contains("sizes=\""));
    assert!(b.contains("width=\"1280\" height=\"768\""));
    assert!(b.contains("alt=\"La coupole du planétarium sous un ciel étoilé\""));
    assert!(b.contains("<figcaption>© Cosmocité</figcaption>"));
    let large = format!("http://localhost:8080{}", img.path(1280));
    assert!(b.contains(&format!("<meta property=\"og:image\" content=\"{large}\">")));
    assert!(b.contains("<meta property=\"og:image:width\" content=\"1280\">"));
    let ld = json_ld(b);
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["image"]["@type"], "ImageObject");
    assert_eq!(ld["image"]["url"], large.as_str());
    assert_eq!(ld["image"]["width"], 1280);
    assert_eq!(ld["image"]["creditText"], "© Cosmocité");

    // In English, the English text.
    visitor.get("/lang/en").await;
    let r = visitor.get(PUBLISHED_URL).await;
    assert!(
        r.body
            .contains("alt=\"The planetarium dome under a starry sky\" fetchpriority")
    );

    // The programme shows the thumbnail.
    let r = visitor.get("/p/fds-2025").await;
    assert!(
        r.body.contains(&format!("src=\"{}\"", img.path(320))),
        "{}",
        r.body
    );

    // The change is in the audit log.
    let log = audit::list(
        app.db.conn(),
        &AuditFilter {
            entity_type: Some("activity".into()),
            entity_id: Some(s.published.to_string()),
            actor_user_id: None,
        },
        PageRequest::new(1, 10),
    )
    .await
    .unwrap();
    assert_eq!(log.items[0].action, "image_add");
}

#[tokio::test]
async fn drafts_stay_private_and_replacing_changes_the_url() {
    let (app, s, mut staff) = staffed().await;
    let r = upload(
        &mut staff,
        s.draft,
        &[("alt_fr", "Des enfants autour d'une maquette")],
        "atelier.png",
        &png(700, 500),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let first = image_of(&app, s.draft).await;
    let widths: Vec<u32> = first.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![320, 640, 700]);
    let path = first.path(320);
    // A visitor does not see a draft's image; the team does, uncached.
    assert_eq!(
        get_bytes(&app, None, &path, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, headers, _) = get_bytes(&app, Some(&staff), &path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");

    activities::set_status(app.db.conn(), &[s.draft], ActivityStatus::Published, now())
        .await
        .unwrap();
    let (status, headers, _) = get_bytes(&app, None, &path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        headers.get(header::SET_COOKIE).is_none(),
        "an image shared caches keep sets no cookie"
    );

    // Changing only the texts keeps the picture and its URL.
    let r = staff
        .post_multipart(
            &form_path(s.draft),
            &[("alt_fr", "Des enfants construisent une maquette")],
            ("file", "", b""),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let same = image_of(&app, s.draft).await;
    assert_eq!(same.path(320), path);
    assert_eq!(same.text.alt_fr, "Des enfants construisent une maquette");

    // A new picture gets a new URL; the old one is gone.
    let r = upload(
        &mut staff,
        s.draft,
        &[("alt_fr", "Une maquette de fusée")],
        "fusee.jpg",
        &jpeg(900, 600),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let second = image_of(&app, s.draft).await;
    assert_ne!(second.path(320), path);
    assert_eq!(
        get_bytes(&app, None, &path, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_bytes(&app, None, &second.path(320), &[]).await.0,
        StatusCode::OK
    );

    // Deleting it.
    let r = staff
        .post(&format!("{}/delete", form_path(s.draft)), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        media::find(app.db.conn(), Owner::Activity(s.draft))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        get_bytes(&app, None, &second.path(320), &[]).await.0,
        StatusCode::NOT_FOUND
    );
    let r = app.client().get("/p/fds-2025/a/brouillon").await;
    assert!(!r.body.contains("/media/"));
}
