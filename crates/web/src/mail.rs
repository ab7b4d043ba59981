//! The e-mails the web layer queues, written in the recipient's language.

use crate::i18n::{fill, messages};
use maillage_db::outbox::NewMail;
use maillage_db::users::User;

/// A link to set a new password after "forgot my password".
pub fn password_reset(base_url: &str, user: &User, token: &str) -> NewMail {
    let m = messages(user.locale);
    let link = format!("{base_url}/password/reset/{token}");
    NewMail {
        to_addr: user.email.clone(),
        to_name: Some(user.name.clone()),
        subject: m.mail_reset_subject.to_owned(),
        body_text: fill(m.mail_reset_body, &[("name", &user.name), ("link", &link)]),
        body_html: None,
        ics: None,
    }
}

/// An invitation to join, with a link to choose a password.
pub fn invitation(base_url: &str, user: &User, inviter: &str, token: &str) -> NewMail {
    let m = messages(user.locale);
    let link = format!("{base_url}/password/reset/{token}");
    NewMail {
        to_addr: user.email.clone(),
        to_name: Some(user.name.clone()),
        subject: m.mail_invite_subject.to_owned(),
        body_text: fill(
            m.mail_invite_body,
            &[("name", &user.name), ("inviter", inviter), ("link", &link)],
        ),
        body_html: None,
        ics: None,
    }
}
