//! The list of venues: search, commune or EPCI, wheelchair access; its
//! export.

use crate::ctx::Ctx;
use crate::i18n::Messages;
use crate::shared::places::{commune_filter, commune_label};
use crate::shared::records::{FilterField, Listed, Table};
use crate::state::AppState;
use maillage_db::venues::{self, Filter, Venue};
use maillage_db::{DbErr, Page, PageRequest};
use maillage_domain::Action;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    commune: String,
    epci: String,
    wheelchair: String,
}

impl Listed for Venue {
    type Query = ListQuery;
    type Filter = Filter;
    const BASE: &'static str = "/team/venues";
    const EXPORT: &'static str = "venues";
    const IMPORT: Option<&'static str> = Some("venues");
    const EDIT: Action = Action::EditDirectory;
    const MANAGE: Action = Action::ManageDirectory;

    fn title(m: &'static Messages) -> &'static str {
        m.venue_title
    }

    fn new_label(m: &'static Messages) -> &'static str {
        m.venue_new
    }

    fn params(q: &ListQuery) -> Vec<(&'static str, String)> {
        vec![
            ("q", q.q.clone()),
            ("commune", q.commune.clone()),
            ("epci", q.epci.clone()),
            ("wheelchair", q.wheelchair.clone()),
        ]
    }

    fn filter(ctx: &Ctx, q: &ListQuery) -> Result<Filter, String> {
        Ok(Filter {
            query: Some(q.q.clone()).filter(|q| !q.trim().is_empty()),
            communes: commune_filter(ctx.m, &q.commune, &q.epci)?,
            organisation_id: None,
            wheelchair: !q.wheelchair.is_empty(),
        })
    }

    fn nothing() -> Filter {
        Filter {
            communes: Some(Vec::new()),
            ..Default::default()
        }
    }

    fn filters(ctx: &Ctx, q: &ListQuery, error: Option<String>) -> Vec<FilterField> {
        let m = ctx.m;
        let [commune, epci] = FilterField::places(m, (&q.commune, &q.epci), error);
        vec![
            FilterField::Search(q.q.clone()),
            commune,
            epci,
            FilterField::Check {
                name: "wheelchair",
                label: m.access_wheelchair,
                checked: !q.wheelchair.is_empty(),
            },
        ]
    }

    fn columns(m: &'static Messages) -> Vec<&'static str> {
        vec![
            m.field_name,
            m.field_commune,
            m.venue_spaces,
            m.field_accessibility,
        ]
    }

    fn row(ctx: &Ctx, v: &Venue) -> (String, Vec<String>) {
        let spaces: Vec<&str> = v.spaces.iter().map(|s| s.data.name.as_str()).collect();
        (
            v.data.name.clone(),
            vec![
                commune_label(v.data.commune_insee.as_deref()),
                spaces.join(", "),
                super::show::access_labels(ctx, &v.data.access).join(", "),
            ],
        )
    }

    async fn page(st: &AppState, f: &Filter, page: PageRequest) -> Result<Page<Venue>, DbErr> {
        venues::list(st.db.conn(), f, page).await
    }

    async fn export(st: &AppState, ctx: &Ctx, f: &Filter) -> Result<Table, DbErr> {
        let list = venues::list_all_matching(st.db.conn(), f).await?;
        Ok(maillage_directory::export::venues(&list, ctx.locale))
    }
}
