//! Forms: their versions (the schema as JSON, immutable once answered),
//! calls for participation and applications, submissions with their
//! events, reviewers, criteria and scores, uploaded files (stored here so
//! every instance serves them), and anonymous questionnaire responses
//! (dated to the day only).

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("forms")
                .col(pk())
                .col(text("title"))
                // participation_call, application_call, registration, questionnaire.
                .col(text("purpose"))
                .col(bigint_null("project_id"))
                // What a questionnaire is about (either, or the project only).
                .col(bigint_null("activity_id"))
                .col(bigint_null("session_id"))
                // Questionnaires: public, partners, teachers.
                .col(text_null("audience"))
                .col(boolean("anonymous", true))
                .col(boolean("one_per_link", false))
                // The version new answers take (no foreign key: the two
                // tables point at each other).
                .col(bigint_null("current_version_id"))
                .timestamps()
                .references("project_id", "projects", Cascade)
                .references("activity_id", "activities", SetNull)
                .references("session_id", "activity_sessions", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_forms_project",
            "forms",
            &["project_id", "purpose"],
        )),
        Box::new(
            Table::create()
                .table("form_versions")
                .col(pk())
                .col(bigint("form_id"))
                .col(int("number"))
                // The schema, as JSON text.
                .col(text("schema"))
                .col(ts("created_at"))
                .references("form_id", "forms", Cascade)
                .take(),
        ),
        Box::new(
            index(
                "ux_form_versions_number",
                "form_versions",
                &["form_id", "number"],
            )
            .unique()
            .take(),
        ),
        Box::new(
            Table::create()
                .table("calls")
                .col(pk())
                .col(bigint("form_id"))
                .col(bigint("project_id"))
                // participation or application.
                .col(text("kind"))
                .col(text("slug").unique_key())
                .col(text("title"))
                .col(ts("opens_at"))
                .col(ts("closes_at"))
                .col(ts("created_at"))
                .references("form_id", "forms", Cascade)
                .references("project_id", "projects", Cascade)
                .take(),
        ),
        Box::new(index("ix_calls_closes", "calls", &["closes_at"])),
        Box::new(
            Table::create()
                .table("call_criteria")
                .col(pk())
                .col(bigint("call_id"))
                .col(text("key"))
                .col(text("label"))
                .col(int("weight"))
                .col(int("max_score"))
                .col(int("position"))
                .references("call_id", "calls", Cascade)
                .take(),
        ),
        Box::new(
            index("ux_call_criteria_key", "call_criteria", &["call_id", "key"])
                .unique()
                .take(),
        ),
        Box::new(
            Table::create()
                .table("submissions")
                .col(pk())
                .col(bigint("form_id"))
                // The version the answers answered.
                .col(bigint("version_id"))
                .col(bigint_null("call_id"))
                .col(text("status"))
                .col(bigint_null("organisation_id"))
                .col(bigint_null("user_id"))
                .col(text("submitter_name"))
                .col(text("submitter_email"))
                .col(text("locale"))
                // SHA-256 of the secret link's token, to save and resume.
                .col(text("resume_token_hash").unique_key())
                // The answers, as JSON text.
                .col(text("answers"))
                // A decision staged, sent with the others in one batch.
                .col(text_null("staged_status"))
                .col(text_null("staged_message"))
                // The draft activity an accepted proposal became.
                .col(bigint_null("activity_id"))
                .timestamps()
                .col(ts_null("submitted_at"))
                .references("form_id", "forms", Cascade)
                .references("version_id", "form_versions", Restrict)
                .references("call_id", "calls", Cascade)
                .references("organisation_id", "organisations", SetNull)
                .references("user_id", "users", SetNull)
                .references("activity_id", "activities", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_submissions_call",
            "submissions",
            &["call_id", "status"],
        )),
        Box::new(index(
            "ix_submissions_form",
            "submissions",
            &["form_id", "status"],
        )),
        Box::new(index(
            "ix_submissions_version",
            "submissions",
            &["version_id"],
        )),
        Box::new(index(
            "ix_submissions_organisation",
            "submissions",
            &["organisation_id"],
        )),
        Box::new(
            Table::create()
                .table("submission_events")
                .col(pk())
                .col(bigint("submission_id"))
                // status or comment.
                .col(text("kind"))
                .col(text_null("from_status"))
                .col(text_null("to_status"))
                // submitter or staff, and the staff member.
                .col(text("actor"))
                .col(bigint_null("user_id"))
                .col(text_null("comment"))
                // Comments only the team sees.
                .col(boolean("internal", true))
                .col(ts("at"))
                .references("submission_id", "submissions", Cascade)
                .references("user_id", "users", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_submission_events_submission",
            "submission_events",
            &["submission_id"],
        )),
        Box::new(
            Table::create()
                .table("submission_reviewers")
                .col(bigint("submission_id"))
                .col(bigint("user_id"))
                .col(ts("assigned_at"))
                .primary_key(Index::create().col("submission_id").col("user_id"))
                .references("submission_id", "submissions", Cascade)
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_submission_reviewers_user",
            "submission_reviewers",
            &["user_id"],
        )),
        Box::new(
            Table::create()
                .table("submission_scores")
                .col(bigint("submission_id"))
                .col(bigint("reviewer_id"))
                .col(bigint("criterion_id"))
                .col(int("score"))
                .col(ts("updated_at"))
                .primary_key(
                    Index::create()
                        .col("submission_id")
                        .col("reviewer_id")
                        .col("criterion_id"),
                )
                .references("submission_id", "submissions", Cascade)
                .references("reviewer_id", "users", Cascade)
                .references("criterion_id", "call_criteria", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("uploads")
                .col(pk())
                .col(bigint("submission_id"))
                .col(text("field_key"))
                .col(text("filename"))
                // pdf, png, jpeg, odt, docx: recognised by content.
                .col(text("kind"))
                .col(bigint("size"))
                .col(text("sha256"))
                .col(ColumnDef::new("bytes").blob().not_null().take())
                .col(ts("created_at"))
                .references("submission_id", "submissions", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_uploads_submission",
            "uploads",
            &["submission_id", "field_key"],
        )),
        Box::new(
            Table::create()
                .table("questionnaire_responses")
                .col(pk())
                .col(bigint("form_id"))
                .col(bigint("version_id"))
                .col(text("answers"))
                .col(bigint_null("activity_id"))
                .col(bigint_null("session_id"))
                .col(text_null("commune_insee"))
                // The day only (Europe/Paris): no time precise enough to
                // tell who answered.
                .col(ColumnDef::new("day").date().not_null().take())
                // One answer per personal link: the link's token digest.
                .col(text_null("link_token_hash"))
                .references("form_id", "forms", Cascade)
                .references("version_id", "form_versions", Restrict)
                .references("activity_id", "activities", SetNull)
                .references("session_id", "activity_sessions", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_responses_form",
            "questionnaire_responses",
            &["form_id", "id"],
        )),
        Box::new(index(
            "ix_responses_day",
            "questionnaire_responses",
            &["form_id", "day"],
        )),
        Box::new(index(
            "ix_responses_activity",
            "questionnaire_responses",
            &["activity_id"],
        )),
        Box::new(index(
            "ix_responses_session",
            "questionnaire_responses",
            &["session_id"],
        )),
        Box::new(index(
            "ix_responses_commune",
            "questionnaire_responses",
            &["form_id", "commune_insee"],
        )),
        Box::new(index(
            "ix_responses_version",
            "questionnaire_responses",
            &["version_id"],
        )),
        Box::new(
            index(
                "ux_responses_link",
                "questionnaire_responses",
                &["form_id", "link_token_hash"],
            )
            .unique()
            .take(),
        ),
    ]
}
