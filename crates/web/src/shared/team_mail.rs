//! E-mails to the members of the team who asked for them
//! ([`maillage_db::notifications`]) when a class request or a call answer
//! arrives, each in their language, queued in the transaction that
//! records what arrived.

use crate::error::AppError;
use crate::i18n::{fill, messages};
use crate::shared::bookings::Place;
use crate::state::AppState;
use maillage_db::ConnectionTrait;
use maillage_db::bookings::Booking;
use maillage_db::notifications::{self, Topic};
use maillage_db::outbox::{self, NewMail};
use maillage_db::users::User;
use maillage_domain::{Action, Role, authz};

/// The roles that may act on `action`.
fn roles_for(action: Action) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| *r != Role::Partner && authz::allows(*r, action))
        .collect()
}

async fn send(
    c: &impl ConnectionTrait,
    to: Vec<User>,
    mail: impl Fn(&User) -> (String, String),
) -> Result<usize, AppError> {
    let now = maillage_db::now();
    let n = to.len();
    for u in to {
        let (subject, body_text) = mail(&u);
        outbox::enqueue(
            c,
            NewMail {
                to_addr: u.email.clone(),
                to_name: Some(u.name.clone()),
                subject,
                body_text,
                body_html: None,
                ics: None,
            },
            now,
        )
        .await?;
    }
    Ok(n)
}

/// A class asks for a session that staff approve.
pub async fn class_request(
    c: &impl ConnectionTrait,
    st: &AppState,
    b: &Booking,
    p: &Place,
) -> Result<usize, AppError> {
    let to =
        notifications::subscribers(c, Topic::ClassRequests, &roles_for(Action::ManageBookings))
            .await?;
    let link = format!(
        "{}/team/sessions/{}/bookings",
        st.config.base_url, b.session_id
    );
    send(c, to, |u| {
        let m = messages(u.locale);
        let school = b.school_name.clone().unwrap_or_default();
        let args = [
            ("activity", p.activity.data.title.as_str()),
            (
                "when",
                &crate::time::datetime(u.locale, p.session.data.starts_at),
            ),
            ("school", school.as_str()),
            ("pupils", &b.pupils.to_string()),
            ("adults", &b.adults.to_string()),
            ("name", b.name.as_str()),
            ("link", link.as_str()),
        ];
        (
            fill(m.mail_team_request_subject, &args),
            fill(m.mail_team_request_body, &args),
        )
    })
    .await
}

/// An answer to a call was submitted.
pub async fn call_answer(
    c: &impl ConnectionTrait,
    st: &AppState,
    call: &str,
    submission: i64,
    name: &str,
) -> Result<usize, AppError> {
    let to =
        notifications::subscribers(c, Topic::CallAnswers, &roles_for(Action::ReviewSubmissions))
            .await?;
    let link = format!("{}/team/submissions/{submission}", st.config.base_url);
    send(c, to, |u| {
        let m = messages(u.locale);
        let args = [("call", call), ("name", name), ("link", link.as_str())];
        (
            fill(m.mail_team_answer_subject, &args),
            fill(m.mail_team_answer_body, &args),
        )
    })
    .await
}
