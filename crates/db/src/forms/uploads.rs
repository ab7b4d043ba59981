//! Files uploaded with a submission (a CV, a cover letter…): size-limited,
//! their type recognised by content (a `.exe` renamed `.pdf` is refused),
//! stored in the database so that every instance serves them. Only staff
//! and reviewers download them (the web layer's guard), always as
//! attachments.

use chrono::{DateTime, Utc};
use maillage_domain::FieldError;
use maillage_domain::forms::{FileKind, Kind, MAX_FILE_BYTES, sniff};
use maillage_domain::token::digest_bytes;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "uploads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub submission_id: i64,
        pub field_key: String,
        pub filename: String,
        pub kind: String,
        pub size: i64,
        pub sha256: String,
        pub bytes: Vec<u8>,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// An upload, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: i64,
    pub submission_id: i64,
    pub field_key: String,
    /// As sent, reduced to a file name.
    pub filename: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// A file name as sent by a browser, made harmless: no directories, no
/// control characters or quotes, at most 150 characters, with the
/// extension of its real type.
pub fn clean_filename(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !"\"';<>:*?|".contains(*c))
        .take(150)
        .collect();
    let stem = stem.trim().trim_start_matches('.');
    let stem = if stem.is_empty() { "document" } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// Stores a file sent for a file field: refused when larger than the
/// field allows ([`FieldError::FileTooLarge`]) or not of one of its types
/// by content ([`FieldError::FileType`]).
pub async fn insert(
    c: &impl ConnectionTrait,
    submission: i64,
    field_key: &str,
    field: &Kind,
    filename: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Result<Upload, FieldError>, DbErr> {
    let Kind::File { types, max_bytes } = field else {
        return Ok(Err(FieldError::FileType));
    };
    let max = (*max_bytes).min(MAX_FILE_BYTES);
    if bytes.len() as u64 > max {
        return Ok(Err(FieldError::FileTooLarge { max }));
    }
    if bytes.is_empty() {
        return Ok(Err(FieldError::Required));
    }
    let Some(kind) = sniff(bytes).filter(|k| types.contains(k)) else {
        return Ok(Err(FieldError::FileType));
    };
    let m = ActiveModel {
        submission_id: Set(submission),
        field_key: Set(field_key.to_owned()),
        filename: Set(clean_filename(filename, kind)),
        kind: Set(kind.code().to_owned()),
        size: Set(bytes.len() as i64),
        sha256: Set(digest_bytes(bytes)),
        bytes: Set(bytes.to_vec()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Ok(info_from(split(m).0)?))
}

/// An upload's columns but its bytes.
type InfoRow = (i64, i64, String, String, String, i64, String, DateTime<Utc>);

/// An upload's row told apart: what describes it, and its bytes.
fn split(m: entity::Model) -> (InfoRow, Vec<u8>) {
    let info = (
        m.id,
        m.submission_id,
        m.field_key,
        m.filename,
        m.kind,
        m.size,
        m.sha256,
        m.created_at,
    );
    (info, m.bytes)
}

fn info_from(r: InfoRow) -> Result<Upload, DbErr> {
    let (id, submission_id, field_key, filename, kind, size, sha256, created_at) = r;
    Ok(Upload {
        id,
        submission_id,
        field_key,
        filename,
        kind: crate::vocab::UPLOADS_KIND.decode(&kind)?,
        size: u64::try_from(size).unwrap_or(0),
        sha256,
        created_at,
    })
}

fn info_columns() -> sea_orm::Select<Entity> {
    Entity::find().select_only().columns([
        Column::Id,
        Column::SubmissionId,
        Column::FieldKey,
        Column::Filename,
        Column::Kind,
        Column::Size,
        Column::Sha256,
        Column::CreatedAt,
    ])
}

/// The uploads of a submission, without their bytes.
pub async fn of_submission(
    c: &impl ConnectionTrait,
    submission: i64,
) -> Result<Vec<Upload>, DbErr> {
    let rows: Vec<InfoRow> = info_columns()
        .filter(Column::SubmissionId.eq(submission))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(c)
        .await?;
    rows.into_iter().map(info_from).collect()
}

/// One upload and its bytes, to serve as an attachment.
pub async fn read(c: &impl ConnectionTrait, id: i64) -> Result<Option<(Upload, Vec<u8>)>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(|m| {
            let (info, bytes) = split(m);
            Ok((info_from(info)?, bytes))
        })
        .transpose()
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_made_harmless() {
        assert_eq!(clean_filename("CV Ada.pdf", FileKind::Pdf), "CV Ada.pdf");
        assert_eq!(
            clean_filename("C:\\Users\\ada\\lettre.PDF", FileKind::Pdf),
            "lettre.pdf"
        );
        assert_eq!(
            clean_filename("../../etc/passwd", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(clean_filename("setup.exe", FileKind::Png), "setup.png");
        assert_eq!(clean_filename("\"a\";b.docx", FileKind::Docx), "ab.docx");
        assert_eq!(clean_filename(".pdf", FileKind::Pdf), "document.pdf");
        assert_eq!(clean_filename("", FileKind::Jpeg), "document.jpg");
    }
}
