//! Reading activities with their links, venue and sessions.

use super::*;

pub(super) async fn load(
    c: &impl ConnectionTrait,
    models: Vec<entity::Model>,
) -> Result<Vec<Activity>, DbErr> {
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut audiences: BTreeMap<i64, (Vec<Audience>, Vec<SchoolLevel>)> = BTreeMap::new();
    let mut themes: BTreeMap<i64, Vec<Theme>> = BTreeMap::new();
    let mut organisers: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    let mut speakers: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let in_chunk = || Expr::col("activity_id").is_in(chunk.iter().copied());
        for r in c
            .query_all(
                Query::select()
                    .columns(["activity_id", "audience"])
                    .from(AUDIENCES)
                    .and_where(in_chunk()),
            )
            .await?
        {
            let e = audiences.entry(r.try_get("", "activity_id")?).or_default();
            match vocab::decode_audience(&r.try_get::<String>("", "audience")?)? {
                vocab::AudienceCode::Audience(a) => e.0.push(a),
                vocab::AudienceCode::Level(level) => e.1.push(level),
            }
        }
        for r in c
            .query_all(
                Query::select()
                    .columns(["activity_id", "theme"])
                    .from(THEMES)
                    .and_where(in_chunk()),
            )
            .await?
        {
            let t = vocab::ACTIVITY_THEMES_THEME.decode(&r.try_get::<String>("", "theme")?)?;
            themes
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push(t);
        }
        let orgs = Query::select()
            .column((ORGANISATIONS, "activity_id"))
            .column((ORGANISATIONS, "organisation_id"))
            .column(("organisations", "name"))
            .from(ORGANISATIONS)
            .inner_join(
                "organisations",
                Expr::col(("organisations", "id")).equals((ORGANISATIONS, "organisation_id")),
            )
            .and_where(Expr::col((ORGANISATIONS, "activity_id")).is_in(chunk.iter().copied()))
            .order_by(("organisations", "name_folded"), sea_orm::Order::Asc)
            .order_by(("organisations", "id"), sea_orm::Order::Asc)
            .take();
        for r in c.query_all(&orgs).await? {
            organisers
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push((r.try_get("", "organisation_id")?, r.try_get("", "name")?));
        }
        let people = Query::select()
            .column((SPEAKERS, "activity_id"))
            .column((SPEAKERS, "person_id"))
            .column(("people", "first_name"))
            .column(("people", "last_name"))
            .from(SPEAKERS)
            .inner_join(
                "people",
                Expr::col(("people", "id")).equals((SPEAKERS, "person_id")),
            )
            .and_where(Expr::col((SPEAKERS, "activity_id")).is_in(chunk.iter().copied()))
            .order_by((SPEAKERS, "position"), sea_orm::Order::Asc)
            .take();
        for r in c.query_all(&people).await? {
            let first: Option<String> = r.try_get("", "first_name")?;
            let last: String = r.try_get("", "last_name")?;
            let name = match first {
                Some(f) => format!("{f} {last}"),
                None => last,
            };
            speakers
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push((r.try_get("", "person_id")?, name));
        }
    }
    let mut sessions = sessions::of_activities(c, &ids).await?;
    let venue_ids: Vec<i64> = models
        .iter()
        .filter_map(|m| m.venue_id)
        .chain(sessions.values().flatten().filter_map(|s| s.data.venue_id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let venues: BTreeMap<i64, crate::venues::Venue> = crate::venues::list_by_ids(c, &venue_ids)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    models
        .into_iter()
        .map(|m| {
            let (audiences, levels) = audiences.remove(&m.id).unwrap_or_default();
            let mut t = themes.remove(&m.id).unwrap_or_default();
            t.sort();
            let venue = m.venue_id.and_then(|id| venues.get(&id)).map(|v| VenueRef {
                id: v.id,
                data: v.data.clone(),
                space: m
                    .space_id
                    .and_then(|s| v.spaces.iter().find(|sp| sp.id == s))
                    .map(|sp| sp.data.name.clone()),
            });
            let own = sessions.remove(&m.id).unwrap_or_default();
            let session_venues = own
                .iter()
                .filter_map(|s| s.data.venue_id)
                .filter(|id| Some(*id) != m.venue_id)
                .filter_map(|id| venues.get(&id))
                .map(|v| {
                    (
                        v.id,
                        VenueRef {
                            id: v.id,
                            data: v.data.clone(),
                            space: None,
                        },
                    )
                })
                .collect();
            let format = vocab::ACTIVITIES_FORMAT.decode(&m.format)?;
            let status = vocab::ACTIVITIES_STATUS.decode(&m.status)?;
            let registration = vocab::ACTIVITIES_REGISTRATION_MODE.decode(&m.registration_mode)?;
            Ok(Activity {
                id: m.id,
                format,
                status,
                registration,
                organisers: organisers.remove(&m.id).unwrap_or_default(),
                speakers: speakers.remove(&m.id).unwrap_or_default(),
                venue,
                sessions: own,
                session_venues,
                first_starts_at: m.first_starts_at,
                created_at: m.created_at,
                updated_at: m.updated_at,
                data: ActivityData {
                    project_id: m.project_id,
                    parent_id: m.parent_id,
                    slug: m.slug,
                    title: m.title,
                    summary: m.summary,
                    description: m.description,
                    format: Some(format),
                    audiences,
                    levels,
                    min_age: m.min_age,
                    themes: t,
                    organisations: Vec::new(),
                    speakers: Vec::new(),
                    venue_id: m.venue_id,
                    space_id: m.space_id,
                    access: crate::venues::Access {
                        wheelchair: m.wheelchair,
                        hearing_loop: m.hearing_loop,
                        visual: m.visual,
                        cognitive: m.cognitive,
                    },
                    free: m.free,
                    price: m.price,
                    registration: Some(registration),
                    registration_url: m.registration_url,
                    online_url: m.online_url,
                    status: Some(status),
                    source: m.source.zip(m.source_uid),
                },
            })
        })
        .map(|a: Result<Activity, DbErr>| {
            let mut a = a?;
            a.data.organisations = a.organisers.iter().map(|(id, _)| *id).collect();
            a.data.speakers = a.speakers.iter().map(|(id, _)| *id).collect();
            Ok(a)
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Activity>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn find_by_slug(
    c: &impl ConnectionTrait,
    project: i64,
    slug: &str,
) -> Result<Option<Activity>, DbErr> {
    match Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Slug.eq(slug))
        .one(c)
        .await?
    {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn find_by_source(
    c: &impl ConnectionTrait,
    project: i64,
    source: &str,
    uid: &str,
) -> Result<Option<Activity>, DbErr> {
    match Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Source.eq(source))
        .filter(Column::SourceUid.eq(uid))
        .one(c)
        .await?
    {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

/// Activities by id, in the given order.
pub async fn find_many(c: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Activity>, DbErr> {
    let models = crate::query::with_ids(c, Entity::find(), Column::Id, ids).await?;
    let mut list = load(c, models).await?;
    list.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
    Ok(list)
}

/// The public activities under a multi-activity event (a "village des
/// sciences"), as `(slug, title)`, by first session then title.
pub async fn public_children(
    c: &impl ConnectionTrait,
    parent: i64,
) -> Result<Vec<(String, String)>, DbErr> {
    let public: Vec<&str> = ActivityStatus::ALL
        .iter()
        .filter(|s| s.is_public())
        .map(|s| s.code())
        .collect();
    Ok(Entity::find()
        .filter(Column::ParentId.eq(parent))
        .filter(Column::Status.is_in(public))
        .order_by_asc(Column::FirstStartsAt)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|m| (m.slug, m.title))
        .collect())
}

/// Every activity of a project, by first session then title.
pub async fn of_project(c: &impl ConnectionTrait, project: i64) -> Result<Vec<Activity>, DbErr> {
    let models = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .order_by_asc(Column::FirstStartsAt)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(c)
        .await?;
    load(c, models).await
}

/// Every activity an organisation runs (is an organiser of), by first
/// session then title (for a partner's own bookings).
pub async fn of_organisation(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<Vec<Activity>, DbErr> {
    let ids: Vec<i64> = c
        .query_all(
            Query::select()
                .column("activity_id")
                .from(ORGANISATIONS)
                .and_where(Expr::col("organisation_id").eq(organisation)),
        )
        .await?
        .into_iter()
        .map(|r| r.try_get::<i64>("", "activity_id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut list = Vec::new();
    for chunk in ids.chunks(500) {
        let models = Entity::find()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .all(c)
            .await?;
        list.extend(load(c, models).await?);
    }
    list.sort_by(|a, b| {
        (a.first_starts_at, &a.data.title, a.id).cmp(&(b.first_starts_at, &b.data.title, b.id))
    });
    Ok(list)
}

/// Whether a slug is free in a project.
pub async fn slug_taken(
    c: &impl ConnectionTrait,
    project: i64,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut q = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Slug.eq(slug));
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    Ok(q.count(c).await? > 0)
}

/// A slug free in the project, from a title (`-2`, `-3`… appended if needed).
pub async fn free_slug(
    c: &impl ConnectionTrait,
    project: i64,
    title: &str,
    except: Option<i64>,
) -> Result<String, DbErr> {
    let base = match maillage_domain::programme::slugify(title) {
        s if s.is_empty() => "activite".to_owned(),
        s => s,
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while slug_taken(c, project, &candidate, except).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}
