//! What an upload must be: described, an image, not enlarged.

use super::*;
use crate::util::assert_says;
use axum::http::StatusCode;
use maillage_db::media::{self, Owner};
use maillage_media::image::{self};

#[tokio::test]
async fn the_alternative_text_is_required_and_not_a_file_name() {
    let (app, s, mut staff) = staffed().await;
    let r = upload(
        &mut staff,
        s.published,
        &[("alt_fr", "  "), ("credit", "© Jeanne Martin")],
        "photo.jpg",
        &jpeg(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-alt_fr-error\""), "{}", r.body);
    assert_says(
        &r.body,
        "Décrivez l'image : le texte alternatif est obligatoire.",
    );
    assert!(
        r.body.contains("value=\"© Jeanne Martin\""),
        "typed credit kept"
    );
    assert!(r.body.contains("Choisissez à nouveau le fichier"));

    let r = upload(
        &mut staff,
        s.published,
        &[("alt_fr", "IMG_2041"), ("alt_en", "Kids with a telescope")],
        "IMG_2041.JPG",
        &jpeg(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Le nom du fichier ne décrit pas l"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"IMG_2041\""));
    assert!(r.body.contains("value=\"Kids with a telescope\""));
    assert_eq!(
        media::find(app.db.conn(), Owner::Activity(s.published))
            .await
            .unwrap(),
        None
    );

    // In English, in English.
    staff.get("/lang/en").await;
    let r = upload(&mut staff, s.published, &[], "photo.jpg", &jpeg(400, 300)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Describe the image: the alternative text is required."),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn only_images_are_accepted_and_small_ones_are_not_enlarged() {
    let (app, s, mut staff) = staffed().await;
    let r = upload(
        &mut staff,
        s.published,
        &[("alt_fr", "Une affiche")],
        "affiche.jpg",
        b"Ceci est un fichier texte, pas une image.\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-file-error\""));
    assert_says(&r.body, "Ce fichier n'est pas une image JPEG, PNG ou WebP.");
    assert!(r.body.contains("value=\"Une affiche\""));
    // A truncated picture.
    let mut broken = jpeg(800, 600);
    broken.truncate(300);
    let r = upload(
        &mut staff,
        s.published,
        &[("alt_fr", "Une affiche")],
        "affiche.jpg",
        &broken,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-file-error\""));
    // No file and no image yet.
    let r = staff
        .post_multipart(
            &form_path(s.published),
            &[("alt_fr", "Une affiche")],
            ("file", "", b""),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une image."));
    assert_eq!(
        media::find(app.db.conn(), Owner::Activity(s.published))
            .await
            .unwrap(),
        None
    );

    let r = upload(
        &mut staff,
        s.published,
        &[("alt_fr", "Un petit logo rond")],
        "logo.jpg",
        &jpeg(200, 100),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let img = image_of(&app, s.published).await;
    assert_eq!(img.variants.len(), 1);
    assert_eq!((img.variants[0].width, img.variants[0].height), (200, 100));
    let (status, _, bytes) = get_bytes(&app, None, &img.path(200), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (200, 100));
}
