//! What of the planning a person sees: admins and staff all of it; interns
//! and volunteers their own tasks, the meetings they attend, and the plans
//! and meetings of the projects they work on (those of their tasks and of
//! their meetings). Anything else answers 404, as if it did not exist.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use maillage_db::planning::meetings::{self, Meeting};
use maillage_db::planning::tasks::{self, Task};
use maillage_domain::Role;
use std::collections::HashSet;

pub struct Scope {
    pub user: i64,
    /// Admins and staff.
    pub all: bool,
    projects: HashSet<i64>,
    meetings: HashSet<i64>,
}

impl Scope {
    pub async fn of(st: &AppState, ctx: &Ctx) -> Result<Scope, AppError> {
        let u = ctx.user()?;
        let all = matches!(u.role, Role::Admin | Role::Staff);
        let (mut projects, mut meetings) = (HashSet::new(), HashSet::new());
        if !all {
            projects = tasks::projects_of(st.db.conn(), u.id).await?;
            for m in meetings::of_user(st.db.conn(), u.id).await? {
                meetings.insert(m.id);
                projects.extend(m.data.project_id);
            }
        }
        Ok(Scope {
            user: u.id,
            all,
            projects,
            meetings,
        })
    }

    pub fn sees_project(&self, project: i64) -> bool {
        self.all || self.projects.contains(&project)
    }

    /// The project's plan, or 404.
    pub fn project(&self, project: i64) -> Result<(), AppError> {
        if self.sees_project(project) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn sees_meeting(&self, m: &Meeting) -> bool {
        self.all
            || self.meetings.contains(&m.id)
            || m.data
                .project_id
                .is_some_and(|p| self.projects.contains(&p))
    }

    /// The meeting, or 404.
    pub fn meeting(&self, m: &Meeting) -> Result<(), AppError> {
        if self.sees_meeting(m) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Whether this person may change the status of `t`: staff any task,
    /// others the tasks assigned to them.
    pub async fn edits(&self, st: &AppState, t: &Task) -> Result<bool, AppError> {
        Ok(self.all || tasks::is_assigned(st.db.conn(), t.id, self.user).await?)
    }
}
