//! The team space's home: its inbox (what waits, by role), then the
//! account, tokens and, for administrators, users, e-mails and changes.

use crate::ctx::{Ctx, Layout, role_label};
use crate::error::AppError;
use crate::i18n::fill;
use crate::shared::html;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::audit::{self, AuditFilter};
use maillage_db::outbox::{self, Status};
use maillage_db::{PageRequest, users};
use maillage_domain::Action;

use super::inbox::{Part, Viewer, parts};

struct RecentChange {
    when: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "team/dashboard.html")]
struct Dashboard {
    l: Layout,
    greeting: String,
    role: &'static str,
    is_admin: bool,
    users: u64,
    pending_mail: u64,
    failed_mail: u64,
    recent: Vec<RecentChange>,
    can_tokens: bool,
    inbox: Vec<Part>,
}

pub async fn dashboard(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let m = ctx.m;
    let is_admin = ctx.can(Action::ManageUsers);
    let (mut users_count, mut pending, mut failed, mut recent) = (0, 0, 0, Vec::new());
    if is_admin {
        users_count = users::count(st.db.conn()).await?;
        for (s, n) in outbox::counts(st.db.conn()).await? {
            match s {
                Status::Pending => pending = n,
                Status::Failed => failed = n,
                Status::Sent => {}
            }
        }
        recent = audit::list(
            st.db.conn(),
            &AuditFilter::default(),
            PageRequest::new(1, 5),
        )
        .await?
        .items
        .into_iter()
        .map(|e| RecentChange {
            when: time::datetime(ctx.locale, e.at),
            who: e.actor_label,
            what: format!("{} {} {}", e.action, e.entity_type, e.summary),
        })
        .collect();
    }
    let work = maillage_db::inbox::work(st.db.conn(), maillage_db::now()).await?;
    html(Dashboard {
        inbox: parts(&Viewer::new(ctx.locale, user.role), work),
        l: ctx.layout(m.team_title),
        greeting: fill(m.team_greeting, &[("name", &user.name)]),
        role: role_label(m, user.role),
        is_admin,
        users: users_count,
        pending_mail: pending,
        failed_mail: failed,
        recent,
        can_tokens: ctx.can(Action::ApiTokens),
    })
}
