//! Reports: the bilan of a project (HTML, PDF, workbook, JSON), the season
//! dashboard, and the report API.

pub(crate) mod handlers;
mod notes;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/team/season", ReadReports, handlers::season)
        .get("/team/projects/{id}/report", ReadReports, handlers::page)
        .post(
            "/team/projects/{id}/report/notes/{section}",
            WriteReports,
            notes::save,
        )
        .get(
            "/team/projects/{id}/report/{format}",
            ReadReports,
            handlers::team_download,
        )
        .get(
            "/api/v1/projects/{slug}/report",
            ReadReports,
            handlers::api_json,
        )
        .get(
            "/api/v1/projects/{slug}/report.pdf",
            ReadReports,
            handlers::api_pdf,
        )
        .get(
            "/api/v1/projects/{slug}/report.xlsx",
            ReadReports,
            handlers::api_xlsx,
        )
}
