//! Indexes for the reports: a project's public activities by status with
//! their venue, and a session's status beside its activity and start, so
//! that the figures of a project by commune are read from two indexes
//! without touching the rows (10,000 activities and 30,000 sessions of a
//! national programme).

use sea_orm::StatementBuilder;
use sea_orm::sea_query::Index;

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Index::create()
                .name("ix_activities_project_status")
                .table("activities")
                .col("project_id")
                .col("status")
                .col("venue_id")
                .take(),
        ),
        Box::new(
            Index::drop()
                .name("ix_activity_sessions_activity")
                .table("activity_sessions")
                .to_owned(),
        ),
        Box::new(
            Index::create()
                .name("ix_activity_sessions_activity")
                .table("activity_sessions")
                .col("activity_id")
                .col("starts_at")
                .col("status")
                .take(),
        ),
    ]
}
