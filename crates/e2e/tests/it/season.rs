//! The festival's season end to end, in French, each on the screen they
//! would use: a partner answers the call on a phone with two sessions in
//! two communes → staff accept it → the partner completes the activity and
//! hands it over → staff publish it → the public finds it with "près de
//! chez moi" on a phone and books until it is full → the page says
//! "Complet — liste d'attente" → a cancellation offers the place to the
//! waiting list → check-in at the door → the bilan counts the attendance
//! in both communes. axe-core on every page of it.

use maillage_db::demo::forms::PARTICIPATION_CALL;
use maillage_db::forms::calls;
use maillage_db::programme::{activities, projects};
use maillage_db::{PageRequest, outbox};
use maillage_domain::Role;
use maillage_e2e::{Browser, Site};

const TITLE: &str = "Fusées à eau dans les deux villages";

/// The partner's answer, over the form's three pages.
async fn answer(b: &Browser, site: &Site) -> i64 {
    b.login(site, Role::Partner).await;
    let call = format!("/appel/{PARTICIPATION_CALL}");
    b.goto(&site.url(&format!("{call}/repondre"))).await;
    b.assert_accessible("call form").await;
    b.fill("#f-title", TITLE).await;
    b.fill(
        "#f-summary",
        "On construit des fusées à eau et on les lance.",
    )
    .await;
    b.fill(
        "#f-description",
        "Un atelier en plein air, pour toute la famille.",
    )
    .await;
    b.click("input[name=format][value=workshop]").await;
    b.click("input[name=audience][value=families]").await;
    let start = format!("{call}/repondre");
    b.click_to("button[value=next]", &format!("{start}?page=1"))
        .await;
    b.assert_accessible("call form, the public").await;
    b.click("input[name=registration][value=booking]").await;
    b.fill("#f-capacity", "2").await;
    b.click_to("button[value=next]", &format!("{start}?page=2"))
        .await;
    b.set("#f-session1_date", "2027-10-09").await;
    b.set("#f-session1_start", "14:00").await;
    b.set("#f-session1_end", "16:00").await;
    b.fill("#f-session1_place", "Parc de la Mairie").await;
    b.fill("#f-session1_commune", "Vif").await;
    b.set("#f-session2_date", "2027-10-10").await;
    b.set("#f-session2_start", "10:00").await;
    b.set("#f-session2_end", "12:00").await;
    b.fill("#f-session2_place", "Parc Mainssieux").await;
    b.fill("#f-session2_commune", "Voiron").await;
    b.assert_accessible("call form, the sessions").await;
    b.click_to("button[value=submit]", &format!("{call}/merci/"))
        .await;
    b.assert_accessible("call thanks").await;
    let path = b.path().await;
    path.rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("a submission")
}

/// The text of the page's main content.
async fn main_text(b: &Browser) -> String {
    b.text("main").await
}

#[tokio::test]
async fn the_festival_season_from_the_call_to_the_bilan() {
    let site = Site::start().await;
    let c = site.db.conn();
    let call = calls::find_by_slug(c, PARTICIPATION_CALL)
        .await
        .unwrap()
        .unwrap();
    let project = projects::find(c, call.data.project_id)
        .await
        .unwrap()
        .unwrap();

    // The partner answers on a phone.
    let partner = Browser::launch(true).await;
    partner.resize(390, 844).await;
    let submission = answer(&partner, &site).await;

    // Staff accept it (a desktop).
    let staff = Browser::launch(true).await;
    staff.login(&site, Role::Staff).await;
    let sub = format!("/team/submissions/{submission}");
    staff.goto(&site.url(&sub)).await;
    staff.assert_accessible("an answer to review").await;
    staff
        .click_to("button[name=to][value=accepted]", &sub)
        .await;
    let activity = activities::of_project(c, project.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.data.title == TITLE)
        .expect("the accepted proposal's activity");
    assert_eq!(activity.sessions.len(), 2);

    // The partner completes it and hands it over.
    partner.goto(&site.url("/partner")).await;
    let page = partner.link_with_text(TITLE).await;
    partner
        .click_to(&format!("main a[href='{page}']"), &page)
        .await;
    partner.assert_accessible("the partner's activity").await;
    let text = main_text(&partner).await;
    assert!(text.contains("Vif") && text.contains("Voiron"), "{text}");
    partner
        .fill(
            "#f-summary",
            "Construire une fusée à eau et la lancer, en famille.",
        )
        .await;
    partner
        .click_to(
            &format!("main form[action='{page}'] button[type=submit]"),
            &page,
        )
        .await;
    partner
        .click_to("form[action$='/submit'] button[type=submit]", &page)
        .await;
    assert!(
        main_text(&partner)
            .await
            .contains("entre les mains de l'équipe")
    );

    // Staff find it in their inbox and publish it, and the project.
    staff.goto(&site.url("/team")).await;
    let href = staff.link_with_text(TITLE).await;
    staff.assert_accessible("the team inbox").await;
    staff
        .click_to(&format!("main a[href='{href}']"), &href)
        .await;
    let edit = format!("{href}/edit");
    staff.goto(&site.url(&edit)).await;
    staff.click("#f-status option[value=published]").await;
    staff.click_to("main form button[type=submit]", &href).await;
    let project_edit = format!("/team/programme/projects/{}/edit", project.id);
    staff.goto(&site.url(&project_edit)).await;
    staff.click("#f-status option[value=published]").await;
    staff
        .click_to("main form button[type=submit]", "/team/programme/projects/")
        .await;

    // The public finds it near Vif, on a phone, and books until it is full.
    let public = Browser::launch(true).await;
    public.resize(390, 844).await;
    let programme = format!("/p/{}", project.data.slug);
    public
        .goto(&site.url(&format!("{programme}?near=Vif&km=5")))
        .await;
    public.assert_accessible("the programme near Vif").await;
    assert!(public.fits_width().await);
    let card = public.link_with_text(TITLE).await;
    let first = public.texts("main .activity-card h2 a").await;
    assert_eq!(
        first.first().map(String::as_str),
        Some(TITLE),
        "nearest first"
    );
    public
        .click_to(&format!("main a[href='{card}']"), &card)
        .await;
    public.assert_accessible("the activity").await;
    let vif = activity.sessions[0].id;
    let voiron = activity.sessions[1].id;
    let text = main_text(&public).await;
    assert!(text.contains("2 places"), "{text}");
    let book = format!("{card}/s/{vif}/reserver");
    public
        .click_to(&format!("main a[href='{book}']"), &book)
        .await;
    public.assert_accessible("the booking form").await;
    public.fill("#f-name", "Awa Diallo").await;
    public.fill("#f-email", "awa.diallo@example.org").await;
    public.fill("#f-seats", "2").await;
    public.click("#f-consent").await;
    public
        .click_to("main form button[type=submit]", "/reservation/")
        .await;
    let awa = public.path().await;
    public.assert_accessible("a booking's personal page").await;
    public.goto(&site.url(&card)).await;
    let text = main_text(&public).await;
    assert!(text.contains("Complet — liste d'attente"), "{text}");
    // The next visitor joins the waiting list.
    public
        .click_to(&format!("main a[href='{book}']"), &book)
        .await;
    public.fill("#f-name", "Léo Martin").await;
    public.fill("#f-email", "leo.martin@example.org").await;
    public.fill("#f-seats", "1").await;
    public.click("#f-consent").await;
    public
        .click_to("main form button[type=submit]", "/reservation/")
        .await;

    // Awa cancels: Léo is offered the place, by e-mail.
    public.goto(&site.url(&awa)).await;
    public.click("#f-confirm").await;
    public.accept_confirms().await;
    public
        .click_to(
            "form[action$='/annuler'] button[type=submit]",
            "/reservation/",
        )
        .await;
    let offered = outbox::list(c, None, PageRequest::new(1, 500))
        .await
        .unwrap()
        .items
        .into_iter()
        .any(|m| m.to_addr == "leo.martin@example.org" && m.subject.contains("libérée"));
    assert!(offered, "the waiting list is offered the freed place");

    // Check-in at the door of each session.
    for (session, came) in [(vif, "17"), (voiron, "9")] {
        let checkin = format!("/team/sessions/{session}/checkin");
        staff.goto(&site.url(&checkin)).await;
        staff.fill("#w-public", came).await;
        staff
            .click_to("form[action$='/walkin'] button[type=submit]", &checkin)
            .await;
    }
    staff.assert_accessible("check-in").await;

    // The bilan counts the attendance in both communes.
    let report = format!("/team/projects/{}/report", project.id);
    staff.goto(&site.url(&report)).await;
    staff.assert_accessible("the bilan").await;
    let rows = staff.texts("#communes tbody tr").await;
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.contains(name))
            .unwrap_or_else(|| panic!("{name} in {rows:?}"))
            .clone()
    };
    assert!(row("Vif").split_whitespace().any(|w| w == "17"), "{rows:?}");
    assert!(
        row("Voiron").split_whitespace().any(|w| w == "9"),
        "{rows:?}"
    );
    for b in [partner, staff, public] {
        b.close().await;
    }
}
