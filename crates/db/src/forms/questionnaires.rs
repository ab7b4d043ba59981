//! Questionnaire responses and their results. A response keeps no link to
//! a person and no time finer than its day (Europe/Paris); a personal link
//! may be limited to one response (the link token's digest is unique per
//! form). Results are computed by streaming the responses in id order, in
//! chunks, through [`Tally`]: the answers are JSON, read against the
//! version they answered.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::forms::tally::{CrossTab, QuestionResult, Tally};
use maillage_domain::forms::{Answers, Schema};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{PaginatorTrait, TryInsertResult};
use std::collections::HashMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "questionnaire_responses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub form_id: i64,
        pub version_id: i64,
        pub answers: String,
        pub activity_id: Option<i64>,
        pub session_id: Option<i64>,
        pub commune_insee: Option<String>,
        pub day: Date,
        pub link_token_hash: Option<String>,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

const TABLE: &str = "questionnaire_responses";
/// Responses read per query when streaming.
const CHUNK: u64 = 5_000;

/// A response to record.
#[derive(Debug, Clone, Default)]
pub struct NewResponse<'a> {
    pub answers: Answers,
    /// What it evaluates, when the questionnaire is shared by several.
    pub activity_id: Option<i64>,
    pub session_id: Option<i64>,
    /// Where the respondent lives (INSEE code), if asked.
    pub commune_insee: Option<String>,
    /// The personal link's token, for a one-answer-per-link questionnaire.
    pub link_token: Option<&'a str>,
}

/// Why a response was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    /// This questionnaire takes one response per personal link, and this
    /// link has answered.
    AlreadyAnswered,
    /// A one-answer-per-link questionnaire answered without a link, or
    /// with one the team did not issue for it.
    LinkRequired,
    /// Outside the questionnaire's answering window.
    Window(super::calls::Window),
}

/// Records a response to the current version of `form`, dated `now`'s day
/// in Europe/Paris. Returns its id.
pub async fn respond(
    c: &impl ConnectionTrait,
    form: i64,
    r: &NewResponse<'_>,
    now: DateTime<Utc>,
) -> Result<Result<i64, Refused>, DbErr> {
    let Some(f) = super::find(c, form).await? else {
        return Ok(Err(Refused::NotFound));
    };
    let am = match row(&f, r, now) {
        Ok(am) => am,
        Err(refused) => return Ok(Err(refused)),
    };
    if !issued(c, &f, r).await? {
        return Ok(Err(Refused::LinkRequired));
    }
    // The unique index on (form, link digest) settles two answers sent at
    // once; without a link the digest is NULL, never in conflict.
    match Entity::insert(am)
        .on_conflict_do_nothing_on([Column::FormId, Column::LinkTokenHash])
        .exec(c)
        .await?
    {
        TryInsertResult::Inserted(r) => Ok(Ok(r.last_insert_id)),
        TryInsertResult::Conflicted | TryInsertResult::Empty => Ok(Err(Refused::AlreadyAnswered)),
    }
}

/// Records responses given at different times, `(response, when)`, each
/// checked and written as [`respond`] does, in multi-row statements (an
/// import, the demo season). A response whose link has answered already
/// is skipped; any other refusal refuses them all. Returns how many were
/// recorded.
pub async fn respond_many(
    c: &impl ConnectionTrait,
    form: i64,
    list: &[(NewResponse<'_>, DateTime<Utc>)],
) -> Result<Result<u64, Refused>, DbErr> {
    let Some(f) = super::find(c, form).await? else {
        return Ok(Err(Refused::NotFound));
    };
    for (r, _) in list {
        if !issued(c, &f, r).await? {
            return Ok(Err(Refused::LinkRequired));
        }
    }
    let rows: Result<Vec<ActiveModel>, Refused> =
        list.iter().map(|(r, at)| row(&f, r, *at)).collect();
    let rows = match rows {
        Ok(rows) => rows,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut recorded = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<ActiveModel> = rows.by_ref().take(100).collect();
        if let TryInsertResult::Inserted(n) = Entity::insert_many(chunk)
            .on_conflict_do_nothing_on([Column::FormId, Column::LinkTokenHash])
            .exec_without_returning(c)
            .await?
        {
            recorded += n;
        }
    }
    Ok(Ok(recorded))
}

/// The row of a response to the current version of `f`, dated `at`'s day
/// in Europe/Paris.
fn row(f: &super::Form, r: &NewResponse<'_>, at: DateTime<Utc>) -> Result<ActiveModel, Refused> {
    f.data.answering(at).map_err(Refused::Window)?;
    let link = match (f.data.one_per_link, r.link_token) {
        (true, None) => return Err(Refused::LinkRequired),
        (true, Some(t)) => Some(token::digest(t)),
        (false, _) => None,
    };
    Ok(ActiveModel {
        form_id: Set(f.id),
        version_id: Set(f.version.id),
        answers: Set(r.answers.to_json()),
        activity_id: Set(r.activity_id.or(f.data.activity_id)),
        session_id: Set(r.session_id.or(f.data.session_id)),
        commune_insee: Set(r.commune_insee.clone()),
        day: Set(at.with_timezone(&Paris).date_naive()),
        link_token_hash: Set(link),
        ..Default::default()
    })
}

/// Whether the response's link, if the form takes links only, is one the
/// team issued for it.
async fn issued(
    c: &impl ConnectionTrait,
    f: &super::Form,
    r: &NewResponse<'_>,
) -> Result<bool, DbErr> {
    match (f.data.one_per_link, r.link_token) {
        (true, Some(t)) => super::links::is_issued(c, f.id, t).await,
        _ => Ok(true),
    }
}

/// Whether a personal link has answered already.
pub async fn link_answered(
    c: &impl ConnectionTrait,
    form: i64,
    link_token: &str,
) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::FormId.eq(form))
        .filter(Column::LinkTokenHash.eq(token::digest(link_token)))
        .count(c)
        .await?
        > 0)
}

/// A questionnaire in a list: its id, title and number of responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    /// The key of its public address.
    pub public_key: String,
    pub title: String,
    pub project_id: Option<i64>,
    pub responses: i64,
}

/// Every questionnaire with its number of responses, newest first, in one
/// query (`GET /api/v1/questionnaires`).
pub async fn list(c: &impl ConnectionTrait) -> Result<Vec<Listed>, DbErr> {
    use crate::query::{col, join};
    use sea_orm::sea_query::{Alias, Func, JoinType};
    let mut q = Query::select();
    q.from_as(super::entity::Entity, Alias::new("f"));
    let table = Alias::new(TABLE);
    join(
        &mut q,
        JoinType::LeftJoin,
        table,
        ("r", "form_id"),
        ("f", "id"),
    );
    let f = Alias::new("f");
    q.expr_as(col("f", "id"), Alias::new("id"))
        .expr_as(col("f", "title"), Alias::new("title"))
        .expr_as(col("f", "public_key"), Alias::new("public_key"))
        .expr_as(col("f", "project_id"), Alias::new("project_id"))
        .expr_as(Func::count(col("r", "id")), Alias::new("responses"))
        .and_where(col("f", "purpose").eq(maillage_domain::forms::Purpose::Questionnaire.code()))
        .group_by_col((f.clone(), Alias::new("id")))
        .group_by_col((f.clone(), Alias::new("title")))
        .group_by_col((f.clone(), Alias::new("public_key")))
        .group_by_col((f.clone(), Alias::new("project_id")))
        .order_by((f.clone(), Alias::new("id")), sea_orm::Order::Desc);
    c.query_all(&q)
        .await?
        .iter()
        .map(|row| {
            Ok(Listed {
                id: row.try_get("", "id")?,
                title: row.try_get("", "title")?,
                public_key: row
                    .try_get::<Option<String>>("", "public_key")?
                    .unwrap_or_default(),
                project_id: row.try_get("", "project_id")?,
                responses: row.try_get("", "responses")?,
            })
        })
        .collect()
}

/// Filters of the results and exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub activity_id: Option<i64>,
    pub session_id: Option<i64>,
    pub commune_insee: Option<String>,
    /// Days, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Filter {
    fn condition(&self, form: i64) -> Condition {
        let mut c = Condition::all().add(Expr::col("form_id").eq(form));
        if let Some(v) = self.activity_id {
            c = c.add(Expr::col("activity_id").eq(v));
        }
        if let Some(v) = self.session_id {
            c = c.add(Expr::col("session_id").eq(v));
        }
        if let Some(v) = &self.commune_insee {
            c = c.add(Expr::col("commune_insee").eq(v.as_str()));
        }
        if let Some(d) = self.from {
            c = c.add(Expr::col("day").gte(d));
        }
        if let Some(d) = self.to {
            c = c.add(Expr::col("day").lte(d));
        }
        c
    }
}

/// How many responses match.
pub async fn count(c: &impl ConnectionTrait, form: i64, f: &Filter) -> Result<u64, DbErr> {
    let mut q = Query::select();
    q.expr_as(Expr::col("id").count(), "n")
        .from(TABLE)
        .cond_where(f.condition(form));
    match c.query_one(&q).await? {
        Some(r) => Ok(u64::try_from(r.try_get::<i64>("", "n")?).unwrap_or(0)),
        None => Ok(0),
    }
}

/// One response as streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: i64,
    pub version_id: i64,
    pub answers: Answers,
    pub activity_id: Option<i64>,
    pub session_id: Option<i64>,
    pub commune_insee: Option<String>,
    pub day: NaiveDate,
}

/// Reads the columns `cols` (`id` and `answers` among them) of the
/// matching responses in id order, [`CHUNK`] rows at a time, and hands
/// each row to `each` with its id and stored answers (memory stays bounded
/// whatever their number). Returns how many were read.
async fn chunks(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
    cols: &[&'static str],
    mut each: impl FnMut(i64, &str, &QueryResult) -> Result<(), DbErr>,
) -> Result<u64, DbErr> {
    let mut after = 0i64;
    let mut n = 0;
    loop {
        let q: SelectStatement = Query::select()
            .columns(cols.iter().copied())
            .from(TABLE)
            .cond_where(f.condition(form))
            .and_where(Expr::col("id").gt(after))
            .order_by("id", sea_orm::Order::Asc)
            .limit(CHUNK)
            .take();
        let rows = c.query_all(&q).await?;
        let got = rows.len() as u64;
        for r in &rows {
            let id: i64 = r.try_get("", "id")?;
            let json: String = r.try_get("", "answers")?;
            each(id, &json, r)?;
            after = id;
            n += 1;
        }
        if got < CHUNK {
            return Ok(n);
        }
    }
}

fn unreadable(id: i64, e: serde_json::Error) -> DbErr {
    DbErr::Custom(format!("response {id}: {e}"))
}

/// Reads the matching responses in id order, [`CHUNK`] at a time, and
/// hands each to `each` (memory stays bounded whatever their number).
/// With `full` false only the id, version and answers are read.
pub async fn stream(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
    full: bool,
    mut each: impl FnMut(Response),
) -> Result<u64, DbErr> {
    let cols: &[&str] = if full {
        &[
            "id",
            "version_id",
            "answers",
            "activity_id",
            "session_id",
            "commune_insee",
            "day",
        ]
    } else {
        &["id", "version_id", "answers"]
    };
    chunks(c, form, f, cols, |id, json, r| {
        let answers = Answers::from_json(json).map_err(|e| unreadable(id, e))?;
        let (activity_id, session_id, commune_insee, day) = if full {
            (
                r.try_get("", "activity_id")?,
                r.try_get("", "session_id")?,
                r.try_get("", "commune_insee")?,
                r.try_get("", "day")?,
            )
        } else {
            (None, None, None, NaiveDate::default())
        };
        each(Response {
            id,
            version_id: r.try_get("", "version_id")?,
            answers,
            activity_id,
            session_id,
            commune_insee,
            day,
        });
        Ok(())
    })
    .await
}

/// Reads the stored JSON of the matching responses, in id order, [`CHUNK`]
/// at a time, for `each` to parse in place (the fast path of results).
async fn stream_json(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
    mut each: impl FnMut(&str) -> Result<(), serde_json::Error>,
) -> Result<u64, DbErr> {
    chunks(c, form, f, &["id", "answers"], |id, json, _| {
        each(json).map_err(|e| unreadable(id, e))
    })
    .await
}

/// The results of a questionnaire.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Results {
    pub responses: u64,
    pub questions: Vec<QuestionResult>,
}

/// A tally of the current version that also knows the fields of older
/// versions (newest first, so a removed field keeps its last label).
async fn tally_of(c: &impl ConnectionTrait, form: i64) -> Result<Option<Tally>, DbErr> {
    let Some(f) = super::find(c, form).await? else {
        return Ok(None);
    };
    let mut t = Tally::new(&f.version.schema);
    let mut older = super::versions(c, form).await?;
    older.retain(|v| v.id != f.version.id);
    for v in older.iter().rev() {
        t.include_version(&v.schema);
    }
    Ok(Some(t))
}

/// Per question counts, percentages, means, medians, NPS and free texts of
/// the responses matching `f`, all versions together (by field key).
pub async fn results(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
) -> Result<Option<Results>, DbErr> {
    let Some(mut tally) = tally_of(c, form).await? else {
        return Ok(None);
    };
    stream_json(c, form, f, |json| tally.add_json(json)).await?;
    Ok(Some(Results {
        responses: tally.responses(),
        questions: tally.finish(),
    }))
}

/// The cross-tabulation of two choice-like questions of the current
/// version; `None` when either is not one.
pub async fn crosstab(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
    rows: &str,
    columns: &str,
) -> Result<Option<CrossTab>, DbErr> {
    let Some(fm) = super::find(c, form).await? else {
        return Ok(None);
    };
    let Some(mut x) = CrossTab::new(&fm.version.schema, rows, columns) else {
        return Ok(None);
    };
    stream_json(c, form, f, |json| x.add_json(json)).await?;
    Ok(Some(x))
}

/// Writes the responses as rows (CSV, XLSX): a header, then one row per
/// response — its day, activity, session, commune, then one column per
/// question (current ones, then removed ones), each answer shown with the
/// labels of the version it answered. No response number: numbered in the
/// order they came, responses could be matched with who answered when.
pub async fn export(
    c: &impl ConnectionTrait,
    form: i64,
    f: &Filter,
    mut row: impl FnMut(&[String]),
) -> Result<u64, DbErr> {
    let Some(fm) = super::find(c, form).await? else {
        return Ok(0);
    };
    let versions = super::versions(c, form).await?;
    let schemas: HashMap<i64, &Schema> = versions.iter().map(|v| (v.id, &v.schema)).collect();
    // Columns: the current fields, then those only older versions had.
    let mut keys: Vec<(String, String)> = fm
        .version
        .schema
        .fields()
        .map(|f| (f.key.clone(), f.label.clone()))
        .collect();
    for v in versions.iter().rev() {
        for f in v.schema.fields() {
            if !keys.iter().any(|(k, _)| *k == f.key) {
                keys.push((f.key.clone(), f.label.clone()));
            }
        }
    }
    let mut header: Vec<String> = ["day", "activity", "session", "commune"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    header.extend(keys.iter().map(|(_, l)| l.clone()));
    row(&header);
    let mut line: Vec<String> = Vec::with_capacity(header.len());
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    stream(c, form, f, true, |r| {
        line.clear();
        line.push(r.day.to_string());
        line.push(opt(r.activity_id));
        line.push(opt(r.session_id));
        line.push(r.commune_insee.clone().unwrap_or_default());
        let schema = schemas.get(&r.version_id);
        for (k, _) in &keys {
            line.push(match r.answers.get(k) {
                Some(a) => a.display(schema.and_then(|s| s.field(k))),
                None => String::new(),
            });
        }
        row(&line);
    })
    .await
}
