//! The calls of the partner space: the calls open now, and the answers of
//! the partner's organisation with their status (a draft links to where
//! it is resumed).

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::fill;
use crate::state::AppState;
use crate::time;
use maillage_db::forms::{calls, submissions};
use maillage_domain::forms::review::Status;

/// The partner space's part: the open calls, and the partner's answers
/// with their status (a draft links to where it is resumed).
pub struct PartnerCalls {
    pub open: Vec<CallRow>,
    pub mine: Vec<SubmissionRow>,
}

pub struct CallRow {
    pub title: String,
    pub href: String,
    pub closes: String,
}

pub struct SubmissionRow {
    pub call: String,
    /// The answer's own title (a proposal's), so that two answers to one
    /// call read apart.
    pub title: String,
    pub status: &'static str,
    pub href: String,
    pub draft: bool,
}

pub async fn partner_calls(
    st: &AppState,
    ctx: &Ctx,
    organisation: Option<i64>,
) -> Result<PartnerCalls, AppError> {
    let c = st.db.conn();
    let now = maillage_db::now();
    let open = calls::open(c, now)
        .await?
        .into_iter()
        .map(|k| CallRow {
            href: format!("/appel/{}", k.data.slug),
            closes: fill(
                ctx.m.sb_partner_closes,
                &[("closes", &time::datetime(ctx.locale, k.data.closes_at))],
            ),
            title: k.data.title,
        })
        .collect();
    let me = ctx.user.as_ref().map(|u| u.id);
    let mut mine = Vec::new();
    if let Some(org) = organisation {
        let list = submissions::list(
            c,
            &submissions::Filter {
                organisation_id: Some(org),
                include_drafts: true,
                ..Default::default()
            },
        )
        .await?;
        for s in list.into_iter().rev() {
            let own = s.submitter.user_id.is_some() && s.submitter.user_id == me;
            // Others' drafts are theirs.
            if s.status == Status::Draft && !own {
                continue;
            }
            let Some(call) = (match s.call_id {
                Some(id) => calls::find(c, id).await?,
                None => None,
            }) else {
                continue;
            };
            let draft = own && s.status.editable();
            mine.push(SubmissionRow {
                href: if draft {
                    format!("/appel/{}/repondre", call.data.slug)
                } else if own {
                    format!("/appel/{}/merci/{}", call.data.slug, s.id)
                } else {
                    format!("/appel/{}", call.data.slug)
                },
                call: call.data.title,
                title: s.answers.text("title").to_owned(),
                status: s.status.label(ctx.locale),
                draft,
            });
        }
    }
    Ok(PartnerCalls { open, mine })
}
