//! The request context: language, signed-in user, CSRF token, flash message.
//! The frame middleware builds it once per request; handlers extract it.

use crate::assets;
use crate::error::AppError;
use crate::i18n::{Messages, messages};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use maillage_db::audit::Actor;
use maillage_db::users::User;
use maillage_domain::authz::{self, Action};
use maillage_domain::{Locale, Role};
use std::sync::Arc;

#[derive(Clone)]
pub struct Ctx {
    pub locale: Locale,
    pub m: &'static Messages,
    pub user: Option<Arc<User>>,
    /// The session of a browser sign-in (absent for API tokens).
    pub session_id: Option<i64>,
    pub csrf: String,
    /// A state-changing form must echo `csrf`: the browser sent its CSRF
    /// cookie (well formed), or it is signed in and `csrf` is its
    /// session's token. Otherwise `csrf` is a new one and any form fails.
    pub csrf_sent: bool,
    /// Path and query of the request, for "next" links and the language switch.
    pub path: String,
    pub ip: Option<String>,
    pub flash: Option<Flash>,
    /// The request is for the JSON API.
    pub api: bool,
    /// Identified by an API token that may only read.
    pub read_only: bool,
}

impl Ctx {
    pub fn new(locale: Locale) -> Ctx {
        Ctx {
            locale,
            m: messages(locale),
            user: None,
            session_id: None,
            csrf: String::new(),
            csrf_sent: false,
            path: "/".into(),
            ip: None,
            flash: None,
            api: false,
            read_only: false,
        }
    }

    pub fn can(&self, action: Action) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| authz::allows(u.role, action))
    }

    /// The signed-in user, or `Unauthenticated`.
    pub fn user(&self) -> Result<&Arc<User>, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// Who to record in the audit log.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor {
                user_id: Some(u.id),
                label: u.email.clone(),
                ip: self.ip.clone(),
            },
            None => Actor {
                user_id: None,
                label: "anonymous".into(),
                ip: self.ip.clone(),
            },
        }
    }

    /// The page frame for a template.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        let m = self.m;
        let current = self.path.split('?').next().unwrap_or("/");
        let is_current = |href: &str| {
            if href == "/team" || href == "/" {
                current == href
            } else {
                current == href || current.starts_with(&format!("{href}/"))
            }
        };
        let link = |href: &'static str, label: &'static str, action: Option<Action>| {
            action.is_none_or(|a| self.can(a)).then(|| NavItem {
                href,
                label,
                current: is_current(href),
            })
        };
        let mut nav: Vec<NavEntry> = Vec::new();
        let mut one = |item: Option<NavItem>| nav.extend(item.map(NavEntry::Link));
        one(link("/", m.nav_home, None));
        one(link("/agenda", m.agenda_title, None));
        one(link("/annuaire", m.nav_actors, None));
        let mut groups: Vec<NavEntry> = Vec::new();
        if self.user.is_some() {
            one(link("/team", m.nav_team, Some(Action::TeamSpace)));
            // The team's pages, grouped by what they are for.
            let group = |label: &'static str, items: Vec<Option<NavItem>>| {
                let items: Vec<NavItem> = items.into_iter().flatten().collect();
                match items.len() {
                    0 => None,
                    1 => items.into_iter().next().map(NavEntry::Link),
                    _ => Some(NavEntry::Group {
                        label,
                        current: items.iter().any(|i| i.current),
                        items,
                    }),
                }
            };
            groups.extend(group(
                m.nav_group_programme,
                vec![
                    link(
                        "/team/programme",
                        m.nav_programme,
                        Some(Action::ReadProgramme),
                    ),
                    link("/team/bookings", m.bt_nav, Some(Action::CheckIn)),
                    link("/team/tasks", m.pl_mine, Some(Action::ReadPlanning)),
                    link("/team/meetings", m.mt_title, Some(Action::ReadPlanning)),
                ],
            ));
            groups.extend(group(
                m.nav_group_network,
                vec![
                    link(
                        "/team/organisations",
                        m.nav_organisations,
                        Some(Action::ReadDirectory),
                    ),
                    link("/team/people", m.nav_people, Some(Action::ReadPeople)),
                    link("/team/venues", m.nav_venues, Some(Action::ReadDirectory)),
                ],
            ));
            groups.extend(group(
                m.nav_group_forms,
                vec![
                    link("/team/calls", m.rv_nav, Some(Action::ReviewSubmissions)),
                    link("/team/forms", m.fb_nav, Some(Action::ManageForms)),
                    link(
                        "/team/questionnaires",
                        m.qs_nav,
                        Some(Action::ReadQuestionnaireResults),
                    ),
                ],
            ));
            groups.extend(group(
                m.nav_group_reports,
                vec![link(
                    "/team/season",
                    m.nav_season,
                    Some(Action::ReadReports),
                )],
            ));
            groups.extend(group(
                m.nav_group_admin,
                vec![
                    link("/team/admin/users", m.nav_users, Some(Action::ManageUsers)),
                    link("/team/admin/audit", m.nav_audit, Some(Action::ReadAudit)),
                    link(
                        "/team/admin/outbox",
                        m.nav_outbox,
                        Some(Action::ManageOutbox),
                    ),
                    link("/team/tokens", m.nav_tokens, Some(Action::ApiTokens)),
                ],
            ));
        }
        nav.extend(groups);
        if self.user.is_some() {
            nav.extend(
                link("/partner", m.nav_partner, Some(Action::PartnerSpace)).map(NavEntry::Link),
            );
            nav.extend(
                link("/account", m.nav_account, Some(Action::OwnAccount)).map(NavEntry::Link),
            );
        }
        let other = self.locale.other();
        Layout {
            locale: self.locale,
            m,
            lang: self.locale.as_str(),
            title: title.into(),
            csrf: self.csrf.clone(),
            switch_href: format!("/lang/{}?next={}", other.as_str(), urlencode(&self.path)),
            switch_lang: other.as_str(),
            switch_label: m.switch_language,
            user_name: self.user.as_ref().map(|u| u.name.clone()),
            user_role: self.user.as_ref().map(|u| role_label(m, u.role)),
            nav,
            flash: self.flash.map(|f| f.text(m)),
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            logo: assets::url("logo.svg"),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, AppError> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::internal("request context missing"))
    }
}

/// What the template layout needs.
pub struct Layout {
    pub locale: maillage_domain::Locale,
    pub m: &'static Messages,
    pub lang: &'static str,
    pub title: String,
    pub csrf: String,
    pub switch_href: String,
    pub switch_lang: &'static str,
    pub switch_label: &'static str,
    pub user_name: Option<String>,
    pub user_role: Option<&'static str>,
    pub nav: Vec<NavEntry>,
    pub flash: Option<&'static str>,
    pub css: &'static str,
    pub js: &'static str,
    pub logo: &'static str,
}

impl Layout {
    pub fn locale(&self) -> maillage_domain::Locale {
        self.locale
    }

    /// `one` or `many` with `{n}` filled, as the language counts ("1
    /// animation", "0 animation", "2 animations"; "0 activities").
    pub fn count(&self, n: impl Counted, one: &str, many: &str) -> String {
        crate::i18n::count(self.locale, n.counted(), one, many)
    }
}

/// A number templates count with ([`Layout::count`]), as they hold it
/// (askama passes fields by reference).
pub trait Counted {
    fn counted(&self) -> i64;
}

macro_rules! counted {
    ($($t:ty),*) => {$(
        impl Counted for $t {
            fn counted(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
counted!(u64, usize, i64, i32, u32);

impl<T: Counted> Counted for &T {
    fn counted(&self) -> i64 {
        (*self).counted()
    }
}

/// An entry of the main navigation: a link, or a group of links that
/// folds (the team's pages by what they are for).
pub enum NavEntry {
    Link(NavItem),
    Group {
        label: &'static str,
        /// One of its pages is the current one.
        current: bool,
        items: Vec<NavItem>,
    },
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub fn role_label(m: &Messages, role: Role) -> &'static str {
    match role {
        Role::Admin => m.role_admin,
        Role::Staff => m.role_staff,
        Role::Intern => m.role_intern,
        Role::Volunteer => m.role_volunteer,
        Role::Partner => m.role_partner,
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A one-time message shown on the next page (after a redirect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    LoggedOut,
    PasswordChanged,
    ProfileSaved,
    UserInvited,
    UserSaved,
    InvitationSent,
    TokenRevoked,
    MessageRequeued,
    SessionsEnded,
    Saved,
    Deleted,
    Merged,
    Imported,
    Erased,
}

impl Flash {
    const ALL: [Flash; 14] = [
        Flash::LoggedOut,
        Flash::PasswordChanged,
        Flash::ProfileSaved,
        Flash::UserInvited,
        Flash::UserSaved,
        Flash::InvitationSent,
        Flash::TokenRevoked,
        Flash::MessageRequeued,
        Flash::SessionsEnded,
        Flash::Saved,
        Flash::Deleted,
        Flash::Merged,
        Flash::Imported,
        Flash::Erased,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Flash::LoggedOut => "logged_out",
            Flash::PasswordChanged => "password_changed",
            Flash::ProfileSaved => "profile_saved",
            Flash::UserInvited => "user_invited",
            Flash::UserSaved => "user_saved",
            Flash::InvitationSent => "invitation_sent",
            Flash::TokenRevoked => "token_revoked",
            Flash::MessageRequeued => "message_requeued",
            Flash::SessionsEnded => "sessions_ended",
            Flash::Saved => "saved",
            Flash::Deleted => "deleted",
            Flash::Merged => "merged",
            Flash::Imported => "imported",
            Flash::Erased => "erased",
        }
    }

    pub fn parse(code: &str) -> Option<Flash> {
        Flash::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn text(self, m: &Messages) -> &'static str {
        match self {
            Flash::LoggedOut => m.flash_logged_out,
            Flash::PasswordChanged => m.flash_password_changed,
            Flash::ProfileSaved => m.flash_profile_saved,
            Flash::UserInvited => m.flash_user_invited,
            Flash::UserSaved => m.flash_user_saved,
            Flash::InvitationSent => m.flash_invitation_sent,
            Flash::TokenRevoked => m.flash_token_revoked,
            Flash::MessageRequeued => m.flash_message_requeued,
            Flash::SessionsEnded => m.flash_sessions_ended,
            Flash::Saved => m.flash_saved,
            Flash::Deleted => m.flash_deleted,
            Flash::Merged => m.flash_merged,
            Flash::Imported => m.flash_imported,
            Flash::Erased => m.flash_erased,
        }
    }
}

/// Whether `next` is a safe place to send the user after signing in: a path
/// on this site, not `//elsewhere` nor a scheme. No control character nor
/// space is accepted anywhere, since browsers drop tabs and line breaks from
/// an address (`/\t/evil.example` would become `//evil.example`), and no
/// backslash, which they read as a slash.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains(|c: char| c.is_control() || c.is_whitespace() || c == '\\')
        && next.len() <= 2000;
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next("/team?x=1"), Some("/team?x=1"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("javascript:alert(1)"), None);
        // Browsers drop tabs and line breaks: these lead off-site.
        assert_eq!(safe_next("/\t/evil.example"), None);
        assert_eq!(safe_next("/\n/evil.example"), None);
        assert_eq!(safe_next("/\r\n/evil.example"), None);
        assert_eq!(safe_next("/ /evil.example"), None);
        assert_eq!(safe_next("/\u{7f}/evil.example"), None);
        assert_eq!(safe_next("/a\\evil.example"), None);
        assert_eq!(
            safe_next("/team/projects/3?tab=sessions#s"),
            Some("/team/projects/3?tab=sessions#s")
        );
    }

    #[test]
    fn flash_codes_round_trip() {
        for f in Flash::ALL {
            assert_eq!(Flash::parse(f.code()), Some(f));
        }
        assert_eq!(urlencode("/a b?c=é&d"), "/a%20b%3Fc%3D%C3%A9%26d");
    }
}
