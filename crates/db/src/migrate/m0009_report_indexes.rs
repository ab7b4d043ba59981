//! Indexes for the reports: a project's public activities by status with
//! their venue, and a session's status beside its activity and start, so
//! that the figures of a project by commune are read from two indexes
//! without touching the rows (10,000 activities and 30,000 sessions of a
//! national programme).

use super::dsl::index;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::Index;

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(index(
            "ix_activities_project_status",
            "activities",
            &["project_id", "status", "venue_id"],
        )),
        Box::new(
            Index::drop()
                .name("ix_activity_sessions_activity")
                .table("activity_sessions")
                .to_owned(),
        ),
        Box::new(index(
            "ix_activity_sessions_activity",
            "activity_sessions",
            &["activity_id", "starts_at", "status"],
        )),
    ]
}
