//! What is derived from an activity and its sessions: first start, search
//! tokens and the facets of every public filter.

use super::*;

fn day_facets(sessions: &[Session]) -> Vec<String> {
    let mut days = BTreeSet::new();
    for s in sessions {
        let mut day = s.data.starts_at.with_timezone(&Paris).date_naive();
        let last = s.data.ends_at.with_timezone(&Paris).date_naive();
        // A long session (an exhibition) is on every day it spans, within reason.
        for _ in 0..62 {
            days.insert(format!("d:{day}"));
            match day.succ_opt() {
                Some(next) if next <= last => day = next,
                _ => break,
            }
        }
    }
    days.into_iter().collect()
}

/// The facet of a day in the index.
pub fn day_facet(day: NaiveDate) -> String {
    format!("d:{day}")
}

/// Recomputes what is derived from an activity and its sessions (first
/// start, search tokens and facets) and bumps the programme version.
pub async fn refresh(c: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    refresh_many(c, &[id]).await
}

/// [`refresh`] for several activities, read in a few queries; bumps the
/// programme version once.
pub async fn refresh_many(c: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    counters::bump(c, counters::PROGRAMME).await?;
    for chunk in ids.chunks(500) {
        let models = Entity::find()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .order_by_asc(Column::Id)
            .all(c)
            .await?;
        for a in load(c, models).await? {
            reindex(c, &a).await?;
        }
    }
    Ok(())
}

/// Writes what is derived from an activity as read by [`load`].
async fn reindex(c: &impl ConnectionTrait, a: &Activity) -> Result<(), DbErr> {
    let id = a.id;
    let first = a.sessions.iter().map(|s| s.data.starts_at).min();
    if first != a.first_starts_at {
        Entity::update_many()
            .col_expr(Column::FirstStartsAt, Expr::value(first))
            .filter(Column::Id.eq(id))
            .exec(c)
            .await?;
    }
    let d = &a.data;
    let places = a.venues();
    let communes: BTreeSet<&str> = places
        .iter()
        .filter_map(|v| v.data.commune_insee.as_deref())
        .collect();
    let mut facets = vec![
        format!("pr:{}", d.project_id),
        format!("f:{}", a.format.code()),
    ];
    if a.status.is_public() {
        facets.push("v".into());
        facets.push(format!("pv:{}", d.project_id));
    }
    facets.push(format!("s:{}", a.status.code()));
    facets.extend(communes.iter().map(|insee| format!("c:{insee}")));
    facets.extend(audience_codes(d).into_iter().map(|a| format!("a:{a}")));
    facets.extend(d.themes.iter().map(|t| format!("t:{}", t.code())));
    if d.free {
        facets.push("free".into());
    }
    if a.registration != RegistrationMode::None {
        facets.push("reg".into());
    }
    let access = d.access;
    for (on, code) in [
        (access.wheelchair, "w"),
        (access.hearing_loop, "h"),
        (access.visual, "vi"),
        (access.cognitive, "cg"),
    ] {
        if on {
            facets.push(format!("acc:{code}"));
        }
    }
    facets.extend(day_facets(&a.sessions));
    let mut texts: Vec<String> = vec![d.title.clone()];
    texts.extend(d.summary.clone());
    texts.extend(a.organisers.iter().map(|(_, n)| n.clone()));
    texts.extend(a.speakers.iter().map(|(_, n)| n.clone()));
    for v in &places {
        texts.push(v.data.name.clone());
        texts.extend(v.space.clone());
    }
    let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let sort_key = format!(
        "{} {}",
        first.map_or_else(
            || "~".to_owned(),
            |t| t.format("%Y-%m-%dT%H:%M").to_string()
        ),
        fold(&d.title)
    );
    search::index(c, Search::Activity, id, &sort_key, &text_refs, &facets).await
}

/// Re-indexes the activities held at a venue (after it moved or was renamed).
pub async fn refresh_at_venue(c: &impl ConnectionTrait, venue: i64) -> Result<(), DbErr> {
    let mut ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::VenueId.eq(venue))
        .into_tuple()
        .all(c)
        .await?;
    // And those with a session there.
    ids.extend(
        sessions::entity::Entity::find()
            .select_only()
            .column(sessions::entity::Column::ActivityId)
            .filter(sessions::entity::Column::VenueId.eq(venue))
            .distinct()
            .into_tuple::<i64>()
            .all(c)
            .await?,
    );
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        refresh(c, id).await?;
    }
    Ok(())
}

/// Re-indexes the activities an organisation runs (after a rename).
pub async fn refresh_of_organisation(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<(), DbErr> {
    let rows = c
        .query_all(
            Query::select()
                .column("activity_id")
                .from(ORGANISATIONS)
                .and_where(Expr::col("organisation_id").eq(organisation)),
        )
        .await?;
    for r in rows {
        refresh(c, r.try_get::<i64>("", "activity_id")?).await?;
    }
    Ok(())
}
