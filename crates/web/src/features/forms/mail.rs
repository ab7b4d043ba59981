//! The e-mails of forms, in the submitter's language: answering a call
//! (the link to resume a draft, the confirmation with a copy of the
//! answers) and its review (every change of status, with the team's
//! message when there is one).

use crate::i18n::{fill, messages};
use maillage_db::forms::submissions::Submission;
use maillage_db::outbox::NewMail;
use maillage_domain::Locale;
use maillage_domain::forms::review::Status;
use maillage_domain::forms::{Answer, Answers, Schema};

/// Who the e-mail goes to, and about which call.
pub struct CallMail<'a> {
    pub locale: Locale,
    pub name: &'a str,
    pub email: &'a str,
    pub call: &'a str,
    /// The absolute link to the answer (resume or read it).
    pub link: &'a str,
}

/// "The link to resume your draft", sent when the submitter saves it.
pub fn resume_link(to: &CallMail<'_>, closes: &str) -> NewMail {
    let m = messages(to.locale);
    NewMail {
        to_addr: to.email.to_owned(),
        to_name: Some(to.name.to_owned()),
        subject: fill(m.sb_mail_resume_subject, &[("call", to.call)]),
        body_text: fill(
            m.sb_mail_resume_body,
            &[
                ("call", to.call),
                ("link", to.link),
                ("closes", closes),
                ("name", to.name),
            ],
        ),
        body_html: None,
        ics: None,
    }
}

/// The answers as plain text: each question's label, then its answer
/// (option labels, file names), in the form's order.
pub fn copy_of_answers(locale: Locale, schema: &Schema, answers: &Answers) -> String {
    let m = messages(locale);
    schema
        .read(answers)
        .iter()
        .filter(|r| r.answer.is_some() || r.field.required)
        .map(|r| {
            let text = match r.answer {
                None => m.sb_mail_no_answer.to_owned(),
                Some(Answer::File(f)) => fill(m.sb_mail_file, &[("name", &f.name)]),
                Some(Answer::Bool(b)) => if *b { m.fm_yes } else { m.fm_no }.to_owned(),
                Some(_) => r.text.clone(),
            };
            let text = text.replace('\n', "\n  ");
            format!("{}\n  {text}", r.field.label)
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The confirmation of a submitted answer, with a copy of it.
pub fn confirmation(to: &CallMail<'_>, at: &str, copy: &str) -> NewMail {
    let m = messages(to.locale);
    NewMail {
        to_addr: to.email.to_owned(),
        to_name: Some(to.name.to_owned()),
        subject: fill(m.sb_mail_confirm_subject, &[("call", to.call)]),
        body_text: fill(
            m.sb_mail_confirm_body,
            &[
                // What people typed last, so that it is never filled in.
                ("call", to.call),
                ("at", at),
                ("link", to.link),
                ("name", to.name),
                ("answers", copy),
            ],
        ),
        body_html: None,
        ics: None,
    }
}

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
