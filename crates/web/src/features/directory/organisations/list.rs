//! The list of organisations: search, type, commune or EPCI, theme, sort;
//! its export.

use crate::ctx::Ctx;
use crate::features::directory::common as dir;
use crate::forms::Choice;
use crate::i18n::Messages;
use crate::shared::places::{commune_filter, commune_label, epci_label};
use crate::shared::records::{FilterField, Listed, Table};
use crate::state::AppState;
use maillage_db::organisations::{self, Filter, Organisation, Sort};
use maillage_db::{DbErr, Page, PageRequest};
use maillage_domain::Action;
use maillage_domain::directory::{OrgKind, Theme};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub kind: String,
    pub commune: String,
    pub epci: String,
    pub theme: String,
    pub sort: String,
}

impl Listed for Organisation {
    type Query = ListQuery;
    type Filter = Filter;
    const BASE: &'static str = "/team/organisations";
    const EXPORT: &'static str = "organisations";
    const IMPORT: Option<&'static str> = Some("organisations");
    const EDIT: Action = Action::EditDirectory;
    const MANAGE: Action = Action::ManageDirectory;

    fn title(m: &'static Messages) -> &'static str {
        m.org_title
    }

    fn new_label(m: &'static Messages) -> &'static str {
        m.org_new
    }

    fn params(q: &ListQuery) -> Vec<(&'static str, String)> {
        vec![
            ("q", q.q.clone()),
            ("kind", q.kind.clone()),
            ("commune", q.commune.clone()),
            ("epci", q.epci.clone()),
            ("theme", q.theme.clone()),
            ("sort", q.sort.clone()),
        ]
    }

    fn filter(ctx: &Ctx, q: &ListQuery) -> Result<Filter, String> {
        Ok(Filter {
            query: Some(q.q.clone()).filter(|q| !q.trim().is_empty()),
            kind: OrgKind::parse(&q.kind).ok(),
            communes: commune_filter(ctx.m, &q.commune, &q.epci)?,
            theme: Theme::parse(&q.theme).ok(),
            public_only: false,
            sort: match q.sort.as_str() {
                "commune" => Sort::Commune,
                "recent" => Sort::Recent,
                _ => Sort::Name,
            },
        })
    }

    fn nothing() -> Filter {
        Filter {
            communes: Some(Vec::new()),
            ..Filter::default()
        }
    }

    fn filters(ctx: &Ctx, q: &ListQuery, error: Option<String>) -> Vec<FilterField> {
        let m = ctx.m;
        let theme: Vec<Theme> = Theme::parse(&q.theme).ok().into_iter().collect();
        let sort = |v: &str, label| Choice::new(v, label, q.sort == v);
        let [commune, epci] = FilterField::places(m, (&q.commune, &q.epci), error);
        vec![
            FilterField::Search(q.q.clone()),
            FilterField::Select {
                name: "kind",
                label: m.field_kind,
                choices: dir::kind_choices(ctx.locale, OrgKind::parse(&q.kind).ok()),
                all: m.all,
            },
            commune,
            epci,
            FilterField::Select {
                name: "theme",
                label: m.field_theme,
                choices: dir::theme_choices(ctx.locale, &theme),
                all: m.all,
            },
            FilterField::Select {
                name: "sort",
                label: m.sort_by,
                choices: vec![
                    Choice::new("name", m.sort_name, q.sort.is_empty() || q.sort == "name"),
                    sort("commune", m.sort_commune),
                    sort("recent", m.sort_recent),
                ],
                all: "",
            },
        ]
    }

    fn columns(m: &'static Messages) -> Vec<&'static str> {
        vec![
            m.field_name,
            m.field_kind,
            m.field_commune,
            m.field_epci,
            m.field_themes,
        ]
    }

    fn row(ctx: &Ctx, o: &Organisation) -> (String, Vec<String>) {
        let insee = o.data.commune_insee.as_deref();
        let themes: Vec<&str> = o.data.themes.iter().map(|t| t.label(ctx.locale)).collect();
        (
            o.data.name.clone(),
            vec![
                o.kind.label(ctx.locale).to_owned(),
                commune_label(insee),
                epci_label(insee),
                themes.join(" · "),
            ],
        )
    }

    async fn page(
        st: &AppState,
        f: &Filter,
        page: PageRequest,
    ) -> Result<Page<Organisation>, DbErr> {
        organisations::list(st.db.conn(), f, page).await
    }

    async fn export(st: &AppState, ctx: &Ctx, f: &Filter) -> Result<Table, DbErr> {
        let list = organisations::list_all_matching(st.db.conn(), f).await?;
        Ok(maillage_directory::export::organisations(&list, ctx.locale))
    }
}
