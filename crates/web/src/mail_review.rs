//! The e-mails of the review of submissions: every change of status is
//! told to the submitter, in the language they submitted in (French when
//! unknown), with the team's message when there is one.

use crate::i18n::{fill, messages};
use maillage_db::forms::submissions::Submission;
use maillage_db::outbox::NewMail;
use maillage_domain::forms::review::Status;

/// The submission `s` (as it is after the change) moved to its status.
pub fn status_changed(
    base_url: &str,
    s: &Submission,
    call_title: &str,
    message: Option<&str>,
) -> NewMail {
    let locale = s.submitter.locale;
    let m = messages(locale);
    let body = match s.status {
        Status::UnderReview => m.rv_mail_under_review,
        Status::ChangesRequested => m.rv_mail_changes_requested,
        Status::Accepted => m.rv_mail_accepted,
        Status::Rejected => m.rv_mail_rejected,
        _ => m.rv_mail_other,
    };
    let status = s.status.label(locale);
    let call = if call_title.is_empty() {
        m.rv_mail_your_submission
    } else {
        call_title
    };
    let args = [
        ("name", s.submitter.name.as_str()),
        ("call", call),
        ("status", status),
        ("site", base_url),
    ];
    let mut text = fill(body, &args);
    if let Some(msg) = message.map(str::trim).filter(|t| !t.is_empty()) {
        text.push_str("\n\n");
        text.push_str(&fill(m.rv_mail_message, &[("message", msg)]));
    }
    text.push_str("\n\n");
    text.push_str(&fill(m.rv_mail_footer, &args));
    NewMail {
        to_addr: s.submitter.email.clone(),
        to_name: Some(s.submitter.name.clone()),
        subject: fill(m.rv_mail_subject, &args),
        body_text: text,
        body_html: None,
        ics: None,
    }
}
