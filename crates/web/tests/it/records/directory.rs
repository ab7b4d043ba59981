//! Organisations, people and their memberships, venues and spaces, and the
//! partner's own organisation and contacts.

use super::{BAD, OK, Walk};
use axum::http::StatusCode;
use maillage_db::{people, venues};
use maillage_domain::{Email, Role};

/// What the walk of the programme uses, and what goes at the end.
pub(super) struct Made {
    pub org: String,
    pub venue: String,
    pub space: String,
}

pub(super) async fn walk(w: &mut Walk<'_>) -> Made {
    // Organisations: a refused form writes nothing, nor an unchanged one.
    let orgs = "/team/organisations";
    w.post((orgs, ""), &[("name", "")], BAD, &[]).await;
    let casemate = [("name", "La Casemate"), ("kind", "museum")];
    let org = w.create(orgs, &casemate, "create organisation #1").await;
    let listed = [casemate[0], casemate[1], ("public_listing", "1")];
    let update = ("/team/organisations/{id}", org.as_str());
    let entry = format!("update organisation #{org}");
    w.post(update, &listed, OK, &[&entry]).await;
    w.post(update, &listed, OK, &[]).await;
    let twin = [("name", "Casemate (doublon)"), ("kind", "museum")];
    let other_org = w.create(orgs, &twin, "create organisation #2").await;

    // People, memberships, merge, erasure, deletion.
    let curie = [("first_name", "Marie"), ("last_name", "Curie")];
    let person = w.create("/team/people", &curie, "create person #1").await;
    let sklodowska = [("first_name", "Marie"), ("last_name", "Sklodowska")];
    let twin = w
        .create("/team/people", &sklodowska, "create person #2")
        .await;
    let entry = format!("update person #{person}");
    let fields = [curie[0], curie[1], ("email", "marie@example.org")];
    w.post(("/team/people/{id}", &person), &fields, OK, &[&entry])
        .await;
    let entry = format!("add_member organisation #{org}");
    let member = [("person", person.as_str()), ("function", "médiatrice")];
    w.post(
        ("/team/organisations/{id}/members", &org),
        &member,
        OK,
        &[&entry],
    )
    .await;
    let found = people::find(w.app.db.conn(), person.parse().unwrap()).await;
    let membership = found.unwrap().unwrap().memberships[0].id.to_string();
    let entry = format!("remove_member organisation #{org}");
    w.post(
        ("/team/memberships/{id}/delete", &membership),
        &[],
        OK,
        &[&entry],
    )
    .await;
    let entry = format!("add_member organisation #{other_org}");
    let fields = [("organisation", other_org.as_str())];
    w.post(
        ("/team/people/{id}/memberships", &person),
        &fields,
        OK,
        &[&entry],
    )
    .await;
    let merge = ("/team/people/{id}/merge", person.as_str());
    w.post(merge, &[("other", &person)], BAD, &[]).await;
    let kept = format!("merge person #{person}");
    let gone = format!("merged_into person #{twin}");
    w.post(merge, &[("other", &twin)], OK, &[&kept, &gone])
        .await;
    let erase = ("/team/people/{id}/erase", person.as_str());
    w.post(erase, &[], OK, &[&format!("erase person #{person}")])
        .await;
    w.post(erase, &[], OK, &[]).await;
    let entry = format!("delete person #{person}");
    w.post(("/team/people/{id}/delete", &person), &[], OK, &[&entry])
        .await;
    let kept = format!("merge organisation #{org}");
    let gone = format!("merged_into organisation #{other_org}");
    let fields = [("other", other_org.as_str())];
    w.post(
        ("/team/organisations/{id}/merge", &org),
        &fields,
        OK,
        &[&kept, &gone],
    )
    .await;

    // Venues and their spaces.
    let coupole = [("name", "La Coupole"), ("commune", "Grenoble")];
    let venue = w.create("/team/venues", &coupole, "create venue #1").await;
    let entry = format!("update venue #{venue}");
    let fields = [coupole[0], coupole[1], ("wheelchair", "1")];
    w.post(("/team/venues/{id}", &venue), &fields, OK, &[&entry])
        .await;
    let add = ("/team/venues/{id}/spaces", venue.as_str());
    w.post(add, &[("name", "")], BAD, &[]).await;
    let fields = [("name", "Planétarium"), ("kind", "planetarium")];
    w.post(add, &fields, OK, &[&format!("add_space venue #{venue}")])
        .await;
    let found = venues::find(w.app.db.conn(), venue.parse().unwrap()).await;
    let space = found.unwrap().unwrap().spaces[0].id.to_string();
    let entry = format!("update_space venue #{venue}");
    let fields = [fields[0], fields[1], ("capacity", "45")];
    w.post(("/team/spaces/{id}", &space), &fields, OK, &[&entry])
        .await;
    Made { org, venue, space }
}

/// The deletions of the space and the venue; the partner's pages.
pub(super) async fn finish(w: &mut Walk<'_>, made: &Made) {
    let entry = format!("delete_space venue #{}", made.venue);
    w.post(
        ("/team/spaces/{id}/delete", &made.space),
        &[],
        OK,
        &[&entry],
    )
    .await;
    let entry = format!("delete venue #{}", made.venue);
    w.post(
        ("/team/venues/{id}/delete", &made.venue),
        &[],
        OK,
        &[&entry],
    )
    .await;

    // A partner's own organisation and contacts: the same entries.
    let staff = std::mem::replace(&mut w.c, w.app.signed_in(Role::Partner).await);
    let email = Email::parse("partner@example.org").unwrap();
    let user = maillage_db::users::find_by_email(w.app.db.conn(), &email).await;
    let own = user.unwrap().unwrap().organisation_id.unwrap();
    let entry = format!("update organisation #{own}");
    let fields = [("name", "La Casemate"), ("public_listing", "1")];
    w.post(("/partner/organisation", ""), &fields, OK, &[&entry])
        .await;
    let route = "/partner/people";
    w.post((route, ""), &[("last_name", "")], BAD, &[]).await;
    let r = w.c.post(route, &[("last_name", "Lovelace")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let entries = w.new_entries().await;
    let [created] = entries.as_slice() else {
        panic!("one entry: {entries:?}")
    };
    let contact = created.strip_prefix("create person #").expect(created);
    w.covered.insert(route);
    let entry = format!("update person #{contact}");
    let fields = [("first_name", "Ada"), ("last_name", "King")];
    w.post(("/partner/people/{id}", contact), &fields, OK, &[&entry])
        .await;
    w.c = staff;
}
