//! The inmate registry: idempotent upsert keyed on (facility, register number), used by the
//! importer and the demo alike. Re-sending the same record changes nothing; a changed record
//! is updated with an audit entry holding the before/after of the changed fields; records
//! missing from a new export are never deleted here (a release is a state change an officer
//! confirms).

use crate::{Actor, App, AppError, Permission};
use bekal_domain::codes::RegisterNumber;
use bekal_domain::status::Sex;
use bekal_store::entity::inmate;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Rows per multi-row INSERT (25 columns each: well inside SQLite's bound-parameter limit).
const INSERT_CHUNK: usize = 400;

/// One inmate's record as it comes from SDP or a spreadsheet, already validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InmateRecord {
    pub register_number: Option<RegisterNumber>,
    pub register_class: Option<String>,
    pub name: String,
    pub aliases: Option<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub religion: Option<String>,
    pub education: Option<String>,
    pub origin_city: Option<String>,
    pub case_article: Option<String>,
    pub sentence_days: Option<i32>,
    pub sentence_start: Option<NaiveDate>,
    pub expected_release: Option<NaiveDate>,
    pub remission_days: i32,
    pub block: Option<String>,
    pub cell: Option<String>,
    pub sppn_score: Option<i32>,
    pub risk_level: Option<String>,
    pub health_cleared: bool,
    pub prior_skills: Option<String>,
    pub interests: Option<String>,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UpsertSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl UpsertSummary {
    pub fn add(&mut self, other: UpsertSummary) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

fn apply(record: &InmateRecord, row: &mut inmate::ActiveModel) {
    row.register_class = Set(record.register_class.clone());
    row.name = Set(record.name.clone());
    row.aliases = Set(record.aliases.clone());
    row.sex = Set(record.sex.map(|s| s.as_str().to_owned()));
    row.birth_date = Set(record.birth_date);
    row.religion = Set(record.religion.clone());
    row.education = Set(record.education.clone());
    row.origin_city = Set(record.origin_city.clone());
    row.case_article = Set(record.case_article.clone());
    row.sentence_days = Set(record.sentence_days);
    row.sentence_start = Set(record.sentence_start);
    row.expected_release = Set(record.expected_release);
    row.remission_days = Set(record.remission_days);
    row.block = Set(record.block.clone());
    row.cell = Set(record.cell.clone());
    row.sppn_score = Set(record.sppn_score);
    row.risk_level = Set(record.risk_level.clone());
    row.health_cleared = Set(record.health_cleared);
    row.prior_skills = Set(record.prior_skills.clone());
    row.interests = Set(record.interests.clone());
}

/// True when the stored row already says what the record says.
fn same(record: &InmateRecord, row: &inmate::Model) -> bool {
    row.register_class == record.register_class
        && row.name == record.name
        && row.aliases == record.aliases
        && row.sex.as_deref() == record.sex.map(Sex::as_str)
        && row.birth_date == record.birth_date
        && row.religion == record.religion
        && row.education == record.education
        && row.origin_city == record.origin_city
        && row.case_article == record.case_article
        && row.sentence_days == record.sentence_days
        && row.sentence_start == record.sentence_start
        && row.expected_release == record.expected_release
        && row.remission_days == record.remission_days
        && row.block == record.block
        && row.cell == record.cell
        && row.sppn_score == record.sppn_score
        && row.risk_level == record.risk_level
        && row.health_cleared == record.health_cleared
        && row.prior_skills == record.prior_skills
        && row.interests == record.interests
}

/// Inserts or updates a batch of records of one facility in ONE transaction with its audit
/// entries: the batch is all in or all out.
pub async fn upsert_batch(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    records: &[InmateRecord],
) -> Result<UpsertSummary, AppError> {
    upsert_records(app, actor, facility_id, records, false).await
}

/// [`upsert_batch`], or with `dry_run` the same comparisons and counts with everything rolled
/// back at the end.
pub async fn upsert_records(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    records: &[InmateRecord],
    dry_run: bool,
) -> Result<UpsertSummary, AppError> {
    actor.authorise(Permission::WriteInmates, Some(facility_id))?;
    let mut keyed = Vec::with_capacity(records.len());
    for record in records {
        let Some(register) = record.register_number.as_ref() else {
            return Err(AppError::invalid("register_number", "missing"));
        };
        if record.name.trim().is_empty() {
            return Err(AppError::invalid("name", format!("missing for {register}")));
        }
        keyed.push((register.as_str().to_owned(), record));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let mut existing: HashMap<String, inmate::Model> = HashMap::new();
    for chunk in keyed.chunks(500) {
        let numbers: Vec<String> = chunk.iter().map(|(n, _)| n.clone()).collect();
        for row in inmate::Entity::find()
            .filter(inmate::Column::FacilityId.eq(facility_id))
            .filter(inmate::Column::RegisterNumber.is_in(numbers))
            .all(tx.conn())
            .await?
        {
            existing.insert(row.register_number.clone(), row);
        }
    }
    let mut summary = UpsertSummary::default();
    let mut fresh: Vec<(String, inmate::ActiveModel)> = Vec::new();
    let mut fresh_index: HashMap<String, usize> = HashMap::new();
    for (number, record) in keyed {
        match existing.get(&number) {
            Some(row) if same(record, row) => summary.unchanged += 1,
            Some(row) => {
                let before = row.clone();
                let mut active = row.clone().into_active_model();
                apply(record, &mut active);
                active.updated_at = Set(tx.at());
                let after = active.update(tx.conn()).await?;
                tx.audit(
                    "update",
                    "inmate",
                    after.id,
                    Changes::updated(&before, &after),
                );
                existing.insert(number, after);
                summary.updated += 1;
            }
            None => {
                let mut active = inmate::ActiveModel {
                    facility_id: Set(facility_id),
                    register_number: Set(number.clone()),
                    custody_status: Set("in_custody".to_owned()),
                    disciplinary_flag: Set(false),
                    created_at: Set(tx.at()),
                    updated_at: Set(tx.at()),
                    ..Default::default()
                };
                apply(record, &mut active);
                // The same register number twice in one batch: the later record wins, as a
                // re-import of it would.
                match fresh_index.get(&number) {
                    Some(&at) => fresh[at] = (number, active),
                    None => {
                        fresh_index.insert(number.clone(), fresh.len());
                        fresh.push((number, active));
                    }
                }
            }
        }
    }
    // New rows go in with multi-row INSERTs, then their ids are read back for the audit log.
    for chunk in fresh.chunks(INSERT_CHUNK) {
        inmate::Entity::insert_many(chunk.iter().map(|(_, row)| row.clone()).collect::<Vec<_>>())
            .exec(tx.conn())
            .await?;
        let numbers: Vec<String> = chunk.iter().map(|(n, _)| n.clone()).collect();
        let rows = inmate::Entity::find()
            .filter(inmate::Column::FacilityId.eq(facility_id))
            .filter(inmate::Column::RegisterNumber.is_in(numbers))
            .all(tx.conn())
            .await?;
        for row in rows {
            tx.audit("create", "inmate", row.id, Changes::created(&row));
            summary.inserted += 1;
        }
    }
    if tx.pending_entries() == 0 || dry_run {
        // Nothing changed (or only a rehearsal): nothing to keep, nothing to audit.
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(summary)
}

/// How many inmates a facility holds (aggregate, no names).
pub async fn count(app: &App, actor: &Actor, facility_id: i64) -> Result<u64, AppError> {
    crate::actor::authorise_facility_aggregates(app.store.conn(), actor, facility_id).await?;
    Ok(inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .count(app.store.conn())
        .await?)
}
