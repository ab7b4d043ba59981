//! The list of people: search, role; its export.

use crate::ctx::Ctx;
use crate::features::directory::common as dir;
use crate::i18n::Messages;
use crate::shared::records::{FilterField, Listed, Table};
use crate::state::AppState;
use maillage_db::people::{self, Filter, Person};
use maillage_db::{DbErr, Page, PageRequest};
use maillage_domain::Action;
use maillage_domain::directory::PersonRole;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    role: String,
    organisation: String,
}

impl Listed for Person {
    type Query = ListQuery;
    type Filter = Filter;
    const BASE: &'static str = "/team/people";
    const EXPORT: &'static str = "people";
    const IMPORT: Option<&'static str> = Some("people");
    const EDIT: Action = Action::EditDirectory;
    const MANAGE: Action = Action::ManageDirectory;

    fn title(m: &'static Messages) -> &'static str {
        m.person_title
    }

    fn new_label(m: &'static Messages) -> &'static str {
        m.person_new
    }

    fn params(q: &ListQuery) -> Vec<(&'static str, String)> {
        vec![
            ("q", q.q.clone()),
            ("role", q.role.clone()),
            ("organisation", q.organisation.clone()),
        ]
    }

    fn filter(_: &Ctx, q: &ListQuery) -> Result<Filter, String> {
        Ok(Filter {
            query: Some(q.q.clone()).filter(|q| !q.trim().is_empty()),
            role: PersonRole::parse(&q.role).ok(),
            organisation_id: q.organisation.parse().ok(),
            include_erased: false,
        })
    }

    fn nothing() -> Filter {
        Filter::default()
    }

    fn filters(ctx: &Ctx, q: &ListQuery, _: Option<String>) -> Vec<FilterField> {
        let role: Vec<PersonRole> = PersonRole::parse(&q.role).ok().into_iter().collect();
        vec![
            FilterField::Search(q.q.clone()),
            FilterField::Select {
                name: "role",
                label: ctx.m.field_role,
                choices: dir::role_choices(ctx.locale, &role),
                all: ctx.m.all,
            },
        ]
    }

    fn columns(m: &'static Messages) -> Vec<&'static str> {
        vec![
            m.field_name,
            m.field_email,
            m.field_organisations,
            m.field_roles,
        ]
    }

    fn row(ctx: &Ctx, p: &Person) -> (String, Vec<String>) {
        let organisations: Vec<&str> = p
            .memberships
            .iter()
            .map(|m| m.organisation_name.as_str())
            .collect();
        let roles: Vec<&str> = p.data.roles.iter().map(|r| r.label(ctx.locale)).collect();
        (
            p.name(),
            vec![
                p.data.email.clone().unwrap_or_default(),
                organisations.join(", "),
                roles.join(", "),
            ],
        )
    }

    async fn page(st: &AppState, f: &Filter, page: PageRequest) -> Result<Page<Person>, DbErr> {
        people::list(st.db.conn(), f, page).await
    }

    async fn export(st: &AppState, ctx: &Ctx, f: &Filter) -> Result<Table, DbErr> {
        let list = people::list_all_matching(st.db.conn(), f).await?;
        Ok(maillage_directory::export::people(&list, ctx.locale))
    }
}
