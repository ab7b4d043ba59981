//! Images of activities and projects: uploaded by the team with their
//! alternative text, resized without enlarging, served with year-long
//! caching under names that change with the picture, shown on the public
//! pages with `srcset`, sizes and alt, in JSON-LD and OpenGraph.

use crate::util::{Client, TestApp};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use maillage_db::audit::{self, AuditFilter};
use maillage_db::media::{self, Owner};
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::{PageRequest, now};
use maillage_domain::Role;
use maillage_domain::programme::{ActivityStatus, ProjectKind, ProjectStatus, SessionStatus};
use maillage_media::image::{self, ImageEncoder, Rgb, RgbImage};
use serde_json::Value;
use tower::ServiceExt;

fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    })
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = picture(width, height);
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = picture(width, height);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

struct Setup {
    project: i64,
    published: i64,
    draft: i64,
}

const PUBLISHED_URL: &str = "/p/fds-2025/a/voyage-planetarium";

async fn setup(app: &TestApp) -> Setup {
    let c = app.db.conn();
    let t = now();
    let p = projects::insert(
        c,
        &ProjectData {
            slug: "fds-2025".into(),
            name: "Fête de la science 2025".into(),
            kind: ProjectKind::Festival,
            starts_on: NaiveDate::from_ymd_opt(2025, 10, 3).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2025, 10, 13).unwrap(),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Published,
        },
        t,
    )
    .await
    .unwrap();
    let activity = |slug: &str, title: &str, status| ActivityData {
        project_id: p.id,
        slug: slug.into(),
        title: title.into(),
        summary: Some("Les étoiles d'automne sous la coupole.".into()),
        status: Some(status),
        ..Default::default()
    };
    let published = activities::insert(
        c,
        &activity(
            "voyage-planetarium",
            "Voyage au planétarium",
            ActivityStatus::Published,
        ),
        t,
    )
    .await
    .unwrap();
    let draft = activities::insert(
        c,
        &activity("brouillon", "Atelier en préparation", ActivityStatus::Draft),
        t,
    )
    .await
    .unwrap();
    let s = SessionData {
        starts_at: t,
        ends_at: t + chrono::TimeDelta::hours(1),
        capacity: None,
        status: SessionStatus::Scheduled,
    };
    sessions::insert(c, published.id, &s, t).await.unwrap();
    Setup {
        project: p.id,
        published: published.id,
        draft: draft.id,
    }
}

fn form_path(id: i64) -> String {
    format!("/team/programme/activities/{id}/image")
}

async fn upload(
    c: &mut Client,
    id: i64,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
) -> crate::util::Resp {
    c.post_multipart(&form_path(id), fields, ("file", file_name, bytes))
        .await
}

/// A GET that keeps the body as bytes, with the client's cookies.
async fn get_bytes(
    app: &TestApp,
    client: Option<&Client>,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(c) = client {
        let cookie = c
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        req = req.header(header::COOKIE, cookie);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

fn json_ld(body: &str) -> Value {
    let start = body
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).unwrap()
}

#[tokio::test]
async fn an_upload_is_resized_served_and_shown() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
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
async fn the_alternative_text_is_required_and_not_a_file_name() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
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
    assert!(
        r.body
            .contains("Décrivez l&#39;image : le texte alternatif est obligatoire.")
            || r.body
                .contains("Décrivez l'image : le texte alternatif est obligatoire."),
        "{}",
        r.body
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
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
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
    assert!(
        r.body
            .contains("Ce fichier n&#39;est pas une image JPEG, PNG ou WebP.")
            || r.body
                .contains("Ce fichier n'est pas une image JPEG, PNG ou WebP."),
        "{}",
        r.body
    );
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
    let img = media::find(app.db.conn(), Owner::Activity(s.published))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(img.variants.len(), 1);
    assert_eq!((img.variants[0].width, img.variants[0].height), (200, 100));
    let (status, _, bytes) = get_bytes(&app, None, &img.path(200), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (200, 100));
}

#[tokio::test]
async fn drafts_stay_private_and_replacing_changes_the_url() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let r = upload(
        &mut staff,
        s.draft,
        &[("alt_fr", "Des enfants autour d'une maquette")],
        "atelier.png",
        &png(700, 500),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let first = media::find(app.db.conn(), Owner::Activity(s.draft))
        .await
        .unwrap()
        .unwrap();
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
    let same = media::find(app.db.conn(), Owner::Activity(s.draft))
        .await
        .unwrap()
        .unwrap();
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
    let second = media::find(app.db.conn(), Owner::Activity(s.draft))
        .await
        .unwrap()
        .unwrap();
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

#[tokio::test]
async fn projects_have_an_image_too() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let path = format!("/team/programme/projects/{}/image", s.project);
    assert_eq!(staff.get(&path).await.status, StatusCode::OK);
    let r = staff
        .post_multipart(
            &path,
            &[("alt_fr", "Le village des sciences sur la place")],
            ("file", "village.webp.png", &png(1400, 700)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let img = media::find(app.db.conn(), Owner::Project(s.project))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(img.variants.len(), 3);
    assert_eq!(
        get_bytes(&app, None, &img.path(1280), &[]).await.0,
        StatusCode::OK
    );
    // Interns edit activities, not projects.
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(intern.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        intern.get(&form_path(s.published)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_the_programme_team_uploads() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        volunteer.get(&form_path(s.published)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = upload(
        &mut volunteer,
        s.published,
        &[("alt_fr", "Une coupole")],
        "coupole.png",
        &png(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut anonymous = app.client();
    let r = anonymous.get(&form_path(s.published)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    let r = upload(
        &mut anonymous,
        s.published,
        &[("alt_fr", "Une coupole")],
        "coupole.png",
        &png(400, 300),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    assert_eq!(
        media::find(app.db.conn(), Owner::Activity(s.published))
            .await
            .unwrap(),
        None
    );
    // Without the CSRF token, refused.
    let mut staff = app.signed_in(Role::Staff).await;
    staff.cookies.insert("mlg_csrf".into(), "x".repeat(43));
    let r = staff
        .send(
            Request::post(form_path(s.published))
                .header(
                    header::CONTENT_TYPE,
                    "multipart/form-data; boundary=XX",
                )
                .body(Body::from(
                    "--XX\r\nContent-Disposition: form-data; name=\"alt_fr\"\r\n\r\nUne coupole\r\n--XX--\r\n",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Checks `instance` against a component of the OpenAPI document.
fn validate(doc: &Value, component: &str, instance: &Value) {
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [{ "$ref": format!("#/components/schemas/{component}") }],
    });
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{component}: {errors:?}\n{instance:#}");
}

#[tokio::test]
async fn the_api_gives_the_image_as_documented() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut staff = app.signed_in(Role::Staff).await;
    let r = upload(
        &mut staff,
        s.published,
        &[
            ("alt_fr", "La coupole du planétarium"),
            ("credit", "© Cosmocité"),
        ],
        "coupole.jpg",
        &jpeg(1600, 900),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let img = media::find(app.db.conn(), Owner::Activity(s.published))
        .await
        .unwrap()
        .unwrap();
    let mut c = app.client();
    // An English page without an English text shows the French one, marked.
    c.get("/lang/en").await;
    let r = c.get(PUBLISHED_URL).await;
    assert!(
        r.body
            .contains("alt=\"La coupole du planétarium\" lang=\"fr\""),
        "{}",
        r.body
    );
    let doc: Value = serde_json::from_str(&c.get("/api/openapi.json").await.body).unwrap();

    let r = c.get(&format!("/api/v1/activities/{}", s.published)).await;
    assert_eq!(r.status, StatusCode::OK);
    let a: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityDetail", &a);
    assert_eq!(
        a["image"]["url"],
        format!("http://localhost:8080{}", img.path(1280))
    );
    assert_eq!(a["image"]["width"], 1280);
    assert_eq!(a["image"]["height"], 720);
    assert_eq!(a["image"]["alt"], "La coupole du planétarium");
    assert_eq!(a["image"]["alt_en"], Value::Null);
    assert_eq!(a["image"]["credit"], "© Cosmocité");

    let r = c.get("/api/v1/activities?project=fds-2025").await;
    assert_eq!(r.status, StatusCode::OK);
    let list: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityList", &list);
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == s.published)
        .unwrap();
    assert_eq!(item["image"]["width"], 1280);

    // Without an image, null.
    media::delete(app.db.conn(), Owner::Activity(s.published))
        .await
        .unwrap();
    let r = c.get(&format!("/api/v1/activities/{}", s.published)).await;
    let a: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityDetail", &a);
    assert_eq!(a["image"], Value::Null);
}
