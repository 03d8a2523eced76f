//! Importing inmates from SDP exports and spreadsheets. The file is parsed and validated as a
//! stream (`bekal-import`); good rows are upserted in batches, each batch one audited
//! transaction, so killing the process at any moment leaves whole batches only, and running the
//! same import again completes it without duplicates (the upsert is keyed on facility and
//! register number). Bad rows are kept with their row, column, value and reason, stored with
//! the import run, and can be written back as a CSV/XLSX error report to fix and re-import.

use crate::facilities::find_by_code;
use crate::inmates::{self, InmateRecord, UpsertSummary};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::codes::RegisterNumber;
use bekal_domain::status::Sex;
use bekal_import::values::enums::{
    education_label, register_class_label, religion_label, risk_level_label,
};
use bekal_import::{FileKind, ImportOptions, RejectedRow, RowError, SentenceLength};
use bekal_store::entity::{import_error, import_run};
use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use bekal_store::{AuditScope, Changes};
use chrono::Duration;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Rows per transaction: small enough to keep a kill cheap, large enough to be fast.
pub const BATCH_ROWS: usize = 1_000;

/// One rejected cell, as the `--json` summary and the web page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportErrorView {
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The same reason in Indonesian (for the web page; the JSON summary keeps `reason`).
    #[serde(skip)]
    pub reason_id: String,
    pub code: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub rows: u64,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub errors: Vec<ImportErrorView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import_run_id: Option<i64>,
    /// Why the import stopped early (a row or size limit), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aborted: Option<String>,
    /// The file's header texts and the rejected rows, for the error report.
    #[serde(skip)]
    pub report: ErrorReport,
}

/// What is needed to write the error report back as CSV or XLSX.
#[derive(Debug, Clone, Default)]
pub struct ErrorReport {
    pub headers: Vec<String>,
    pub rejected: Vec<RejectedRow>,
}

impl ErrorReport {
    pub fn to_csv(&self) -> Result<Vec<u8>, AppError> {
        bekal_import::report::error_report_csv(&self.headers, &self.rejected, b',')
            .map_err(|e| AppError::Internal(format!("error report: {e}")))
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, AppError> {
        bekal_import::report::error_report_xlsx(&self.headers, &self.rejected)
            .map_err(|e| AppError::Internal(format!("error report: {e}")))
    }
}

/// Options of one import.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub facility_code: String,
    pub file_name: String,
    pub dry_run: bool,
    pub mapping: Option<bekal_import::ColumnMapping>,
}

fn error_view(error: &RowError) -> ImportErrorView {
    ImportErrorView {
        row: error.row,
        column: error.column.clone(),
        value: error.value.clone(),
        reason: error.message_en.clone(),
        reason_id: error.message_id.clone(),
        code: error.code.code().to_owned(),
    }
}

fn non_empty(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join(", "))
}

/// Days of a fixed-term sentence (years of 365 days, months of 30, as SDP counts remissions).
fn sentence_days(sentence: Option<&SentenceLength>) -> Option<i32> {
    match sentence? {
        SentenceLength::Term {
            years,
            months,
            days,
        } => {
            let total = i32::from(*years) * 365 + i32::from(*months) * 30 + i32::from(*days);
            (total > 0).then_some(total)
        }
        SentenceLength::Life | SentenceLength::Death => None,
    }
}

/// Converts a parsed row into the registry's record; the register number's own rules may still
/// reject it.
fn to_registry(record: &bekal_import::InmateRecord) -> Result<InmateRecord, String> {
    let register = RegisterNumber::parse(&record.register_number).map_err(|e| e.to_string())?;
    let days = sentence_days(record.sentence.as_ref());
    let remission = record
        .remission_days
        .and_then(|d| i32::try_from(d).ok())
        .unwrap_or(0);
    let expected_release = record.expected_release.or_else(|| {
        let start = record.sentence_start?;
        let days = days?;
        Some(start + Duration::days(i64::from(days - remission)))
    });
    Ok(InmateRecord {
        register_number: Some(register),
        register_class: record
            .register_class
            .map(|c| register_class_label(c).to_owned()),
        name: record.name.clone(),
        aliases: non_empty(&record.aliases),
        sex: record.sex.map(|s| match s {
            bekal_import::Sex::Male => Sex::Male,
            bekal_import::Sex::Female => Sex::Female,
        }),
        birth_date: record.birth_date,
        religion: record
            .religion
            .as_ref()
            .map(|r| religion_label(r).to_owned()),
        education: record.education.map(|e| education_label(e).to_owned()),
        origin_city: record.origin_city.clone(),
        case_article: record.case_article.clone(),
        sentence_days: days,
        sentence_start: record.sentence_start,
        expected_release,
        remission_days: remission,
        block: record.block.clone(),
        cell: record.cell.clone(),
        sppn_score: record
            .sppn_score
            .filter(|v| v.is_finite())
            .map(|v| v.round().clamp(0.0, 1000.0) as i32),
        risk_level: record.risk_level.map(|r| risk_level_label(r).to_owned()),
        health_cleared: false,
        prior_skills: non_empty(&record.skills),
        interests: non_empty(&record.interests),
    })
}

/// Imports inmates of one facility from a CSV or XLSX file's bytes. `progress` is called after
/// each batch with the number of data rows read so far.
pub async fn import_inmates(
    app: &App,
    actor: &Actor,
    request: &ImportRequest,
    bytes: &[u8],
    mut progress: impl FnMut(u64),
) -> Result<ImportSummary, AppError> {
    let facility = find_by_code(app, &request.facility_code)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "facility",
                format!(
                    "unknown facility {}: add it with `bekal facility add`",
                    request.facility_code.trim()
                ),
            )
        })?;
    actor.authorise(Permission::WriteInmates, Some(facility.id))?;
    let kind = FileKind::detect(&request.file_name, bytes)
        .map_err(|e| AppError::invalid("file", e.to_string()))?;
    let mut options = ImportOptions::new(app.clock.today());
    options.mapping = request.mapping.clone();
    let mut stream = bekal_import::read_inmates(bytes, kind, &options)
        .map_err(|e| AppError::invalid("file", e.to_string()))?;

    let mut summary = ImportSummary {
        dry_run: request.dry_run,
        report: ErrorReport {
            headers: stream.header().headers.clone(),
            rejected: Vec::new(),
        },
        warnings: stream.warnings().iter().map(|w| format!("{w:?}")).collect(),
        ..ImportSummary::default()
    };
    let run = if request.dry_run {
        None
    } else {
        Some(start_run(app, actor, facility.id, request, bytes).await?)
    };
    summary.import_run_id = run.as_ref().map(|r| r.id);

    let mut batch: Vec<InmateRecord> = Vec::with_capacity(BATCH_ROWS);
    let mut totals = UpsertSummary::default();
    for row in stream.by_ref() {
        summary.rows += 1;
        match row {
            Ok(valid) => match to_registry(&valid.record) {
                Ok(record) => batch.push(record),
                Err(reason) => {
                    let error = RowError {
                        row: valid.row,
                        column: stream_header_of_register(&summary.report.headers),
                        value: valid.record.register_number.clone(),
                        code: bekal_import::ErrorCode::WrongType,
                        message_id: reason.clone(),
                        message_en: reason,
                    };
                    summary.errors.push(error_view(&error));
                    summary.report.rejected.push(RejectedRow {
                        row: valid.row,
                        cells: Vec::new(),
                        errors: vec![error],
                    });
                }
            },
            Err(rejected) => {
                summary
                    .errors
                    .extend(rejected.errors.iter().map(error_view));
                summary.report.rejected.push(rejected);
            }
        }
        if batch.len() >= BATCH_ROWS {
            totals.add(
                inmates::upsert_records(app, actor, facility.id, &batch, request.dry_run).await?,
            );
            batch.clear();
            progress(summary.rows);
        }
    }
    if !batch.is_empty() {
        totals
            .add(inmates::upsert_records(app, actor, facility.id, &batch, request.dry_run).await?);
    }
    progress(summary.rows);
    summary.aborted = stream.aborted().map(ToString::to_string);
    summary.inserted = totals.inserted;
    summary.updated = totals.updated;
    summary.unchanged = totals.unchanged;
    summary.rejected = summary.report.rejected.len();
    if let Some(run) = run {
        finish_run(app, actor, run, &summary).await?;
    }
    Ok(summary)
}

fn stream_header_of_register(headers: &[String]) -> String {
    headers
        .iter()
        .find(|h| {
            bekal_import::headers::field_for_header(h, None)
                == Some(bekal_import::Field::RegisterNumber)
        })
        .cloned()
        .unwrap_or_else(|| "register_number".to_owned())
}

async fn start_run(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    request: &ImportRequest,
    bytes: &[u8],
) -> Result<import_run::Model, AppError> {
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let row = import_run::ActiveModel {
        facility_id: Set(facility_id),
        kind: Set("inmates".to_owned()),
        file_name: Set(request.file_name.clone()),
        file_sha256: Set(hex_digest(bytes)),
        status: Set("running".to_owned()),
        rows_total: Set(0),
        inserted: Set(0),
        updated: Set(0),
        unchanged: Set(0),
        rejected: Set(0),
        started_by: Set(actor.user_id()),
        started_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("start", "import_run", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(row)
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut text, byte| {
            text.push_str(&format!("{byte:02x}"));
            text
        })
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

async fn finish_run(
    app: &App,
    actor: &Actor,
    run: import_run::Model,
    summary: &ImportSummary,
) -> Result<(), AppError> {
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(run.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let before = run.clone();
    let mut active = run.into_active_model();
    active.status = Set(if summary.aborted.is_some() {
        "aborted"
    } else {
        "finished"
    }
    .to_owned());
    active.rows_total = Set(i32::try_from(summary.rows).unwrap_or(i32::MAX));
    active.inserted = Set(count(summary.inserted));
    active.updated = Set(count(summary.updated));
    active.unchanged = Set(count(summary.unchanged));
    active.rejected = Set(count(summary.rejected));
    active.finished_at = Set(Some(tx.at()));
    let after = active.update(tx.conn()).await?;
    let errors: Vec<import_error::ActiveModel> = summary
        .errors
        .iter()
        .map(|e| import_error::ActiveModel {
            facility_id: Set(after.facility_id),
            import_run_id: Set(after.id),
            row_number: Set(i32::try_from(e.row).unwrap_or(i32::MAX)),
            column_name: Set(Some(e.column.clone())),
            value: Set(Some(e.value.chars().take(200).collect())),
            reason: Set(format!("{}: {}", e.code, e.reason)),
            ..Default::default()
        })
        .collect();
    for chunk in errors.chunks(500) {
        bekal_store::entity::import_error::Entity::insert_many(chunk.to_vec())
            .exec(tx.conn())
            .await?;
    }
    tx.audit(
        "finish",
        "import_run",
        after.id,
        Changes::updated(&before, &after),
    );
    tx.commit().await?;
    Ok(())
}
