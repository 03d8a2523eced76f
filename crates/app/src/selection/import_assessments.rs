//! CSV and XLSX import of intake assessments (one row per inmate and package), reusing the
//! import crate's reading (CSV: encoding, separator sniffing, `sep=` lines; XLSX: the zip
//! guard, the first sheet, date cells as dates) and cell parsers (dates in the forms officers
//! type, numbers). The format is told by the file's content (an XLSX is a zip), not its name. Every bad cell is a row-level error naming the row and
//! column; the valid rows are written in one audited transaction (unless `dry_run`), as if
//! entered on the group sheet.

use super::common::facility;
use crate::assessments::{AssessmentInput, record_batch};
use crate::{Actor, App, AppError, Permission};
use bekal_import::FileError;
use bekal_import::csv_source::CsvRows;
use bekal_import::stream::HEADER_SEARCH_ROWS;
use bekal_import::values::date::parse_date_cell;
use bekal_import::values::number::parse_int_cell;
use bekal_import::xlsx_guard::ZipLimits;
use bekal_import::xlsx_source::read_xlsx;
use bekal_import::{Cell, RawRow};
use bekal_store::entity::{inmate, package};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;

/// Files above this size are refused before parsing.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Rows above this count are refused.
pub const MAX_ROWS: usize = 20_000;
/// An XLSX may inflate to this many bytes (a zip bomb is refused before parsing).
const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// One rejected cell or row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowIssue {
    /// Row number as a spreadsheet shows it (header = 1).
    pub row: u64,
    pub column: String,
    pub code: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AssessmentImport {
    pub rows: usize,
    pub valid: usize,
    pub written: usize,
    pub errors: Vec<RowIssue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    RegisterNumber,
    Package,
    SkillScore,
    Preference,
    Experience,
    Health,
    Security,
    Literate,
    Sppn,
    AssessedOn,
    Notes,
}

fn column_for(header: &str) -> Option<Column> {
    let key: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    Some(match key.trim_matches('_') {
        "register_number" | "no_registrasi" | "no_reg" | "nomor_registrasi" => {
            Column::RegisterNumber
        }
        "package" | "paket" | "kode_paket" => Column::Package,
        "skill_score" | "nilai" | "nilai_uji" => Column::SkillScore,
        "preference_rank" | "pilihan" | "preferensi" => Column::Preference,
        "prior_experience" | "pengalaman" => Column::Experience,
        "health_cleared" | "kesehatan" | "lolos_kesehatan" => Column::Health,
        "security_cleared" | "keamanan" | "lolos_keamanan" => Column::Security,
        "literate" | "baca_tulis" | "melek_huruf" => Column::Literate,
        "sppn_score" | "sppn" | "nilai_sppn" => Column::Sppn,
        "assessed_on" | "tanggal" | "tanggal_asesmen" => Column::AssessedOn,
        "notes" | "catatan" => Column::Notes,
        _ => return None,
    })
}

fn flag(cell: &Cell) -> Result<bool, &'static str> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    match cell.text().trim().to_lowercase().as_str() {
        "" | "0" | "tidak" | "t" | "n" | "no" | "false" | "belum" => Ok(false),
        "1" | "ya" | "y" | "yes" | "true" | "sudah" | "lolos" => Ok(true),
        _ => Err("ya or tidak"),
    }
}

fn text(cell: &Cell) -> Option<String> {
    let t = cell.text().trim().to_owned();
    (!t.is_empty()).then_some(t)
}

/// The three columns every file needs.
const REQUIRED: [Column; 3] = [Column::RegisterNumber, Column::Package, Column::AssessedOn];

/// Finds the header row: the first of the first [`HEADER_SEARCH_ROWS`] rows that names the
/// required columns (title rows above it, as spreadsheets often have, are skipped). Returns
/// the column index of every known heading; the rows after it are the data.
fn find_header(
    rows: &mut dyn Iterator<Item = Result<RawRow, FileError>>,
) -> Result<HashMap<Column, usize>, AppError> {
    let mut first_missing = None;
    for row in (&mut *rows).take(HEADER_SEARCH_ROWS) {
        let row = row.map_err(|e| AppError::invalid("file", e.to_string()))?;
        let index: HashMap<Column, usize> = row
            .cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| column_for(&c.text()).map(|c| (c, i)))
            .collect();
        match REQUIRED.iter().find(|c| !index.contains_key(c)) {
            None => return Ok(index),
            Some(missing) => {
                first_missing.get_or_insert(*missing);
            }
        }
    }
    Err(match first_missing {
        Some(missing) => AppError::invalid(
            "file",
            format!(
                "missing column {missing:?} (register_number, package, assessed_on) in the \
                 first {HEADER_SEARCH_ROWS} rows"
            ),
        ),
        None => AppError::invalid("file", "empty"),
    })
}

/// Reads and (unless `dry_run`) records the assessments of one facility from CSV bytes.
pub async fn import_csv(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<AssessmentImport, AppError> {
    import_file(app, actor, facility_code, bytes, dry_run).await
}

/// True when `bytes` start like a zip archive (an XLSX workbook).
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads and (unless `dry_run`) records the assessments of one facility from a CSV or XLSX
/// file (told apart by content, see [`looks_like_xlsx`]).
pub async fn import_file(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<AssessmentImport, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::WriteInmates, Some(facility.id))?;
    if bytes.len() > MAX_BYTES {
        return Err(AppError::invalid(
            "file",
            format!("larger than {MAX_BYTES} bytes"),
        ));
    }
    let db = app.store.conn();
    let people: HashMap<String, i64> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.register_number, i.id))
        .collect();
    let packages: HashMap<String, i64> = package::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.to_uppercase(), p.id))
        .collect();
    let rows: Box<dyn Iterator<Item = Result<RawRow, FileError>> + Send + '_> =
        if looks_like_xlsx(bytes) {
            let owned = bytes.to_vec();
            let read = tokio::task::spawn_blocking(move || {
                let limits = ZipLimits {
                    max_inflated_bytes: MAX_INFLATED_BYTES,
                    max_entries: 1_000,
                };
                read_xlsx(&owned, None, limits, MAX_ROWS as u64 + 1)
            })
            .await
            .map_err(|e| AppError::Internal(format!("xlsx reader: {e}")))?
            .map_err(|e| AppError::invalid("file", e.to_string()))?;
            Box::new(read.into_iter().map(Ok))
        } else {
            Box::new(CsvRows::new(bytes))
        };
    let mut rows = rows;
    let index = find_header(&mut rows)?;
    let mut report = AssessmentImport {
        rows: 0,
        valid: 0,
        written: 0,
        errors: Vec::new(),
    };
    let mut inputs = Vec::new();
    for row in rows {
        let row = row.map_err(|e| AppError::invalid("file", e.to_string()))?;
        report.rows += 1;
        if report.rows > MAX_ROWS {
            return Err(AppError::invalid(
                "file",
                format!("more than {MAX_ROWS} rows"),
            ));
        }
        let before = report.errors.len();
        let mut issue = |column: &str, code: &str, message: String| {
            report.errors.push(RowIssue {
                row: row.row,
                column: column.to_owned(),
                code: code.to_owned(),
                message,
            });
        };
        let cell = |c: Column| index.get(&c).map_or(&Cell::Empty, |&i| row.cell(i));
        let number = text(cell(Column::RegisterNumber)).unwrap_or_default();
        let inmate_id = people.get(&number).copied();
        if inmate_id.is_none() {
            issue(
                "register_number",
                "unknown_inmate",
                format!("no inmate {number:?} in this facility"),
            );
        }
        let code = text(cell(Column::Package))
            .unwrap_or_default()
            .to_uppercase();
        let package_id = packages.get(&code).copied();
        if package_id.is_none() {
            issue("package", "unknown_package", format!("no package {code:?}"));
        }
        let mut int = |c: Column, name: &str, range: std::ops::RangeInclusive<i64>| {
            let value = cell(c);
            if value.is_blank() {
                return None;
            }
            match parse_int_cell(value) {
                Ok(n) if range.contains(&n) => i32::try_from(n).ok(),
                Ok(n) => {
                    issue(name, "out_of_range", format!("{n} is outside {range:?}"));
                    None
                }
                Err(e) => {
                    issue(
                        name,
                        e.code(),
                        format!("{:?} is not a whole number", value.text()),
                    );
                    None
                }
            }
        };
        let skill_score = int(Column::SkillScore, "skill_score", 0..=100);
        let preference_rank = int(Column::Preference, "preference_rank", 1..=99);
        let sppn_score = int(Column::Sppn, "sppn_score", 0..=1000);
        let mut yes_no = |c: Column, name: &str| match flag(cell(c)) {
            Ok(b) => b,
            Err(expected) => {
                issue(
                    name,
                    "not_yes_no",
                    format!("{:?}: expected {expected}", cell(c).text()),
                );
                false
            }
        };
        let health_cleared = yes_no(Column::Health, "health_cleared");
        let security_cleared = yes_no(Column::Security, "security_cleared");
        let literate = yes_no(Column::Literate, "literate");
        let assessed_on = match parse_date_cell(cell(Column::AssessedOn)) {
            Ok(d) if d <= app.clock.today() => Some(d),
            Ok(d) => {
                issue("assessed_on", "in_future", format!("{d} is in the future"));
                None
            }
            Err(e) => {
                issue(
                    "assessed_on",
                    e.code(),
                    format!("{:?} is not a date", cell(Column::AssessedOn).text()),
                );
                None
            }
        };
        if report.errors.len() > before {
            continue;
        }
        if let (Some(inmate_id), Some(package_id), Some(assessed_on)) =
            (inmate_id, package_id, assessed_on)
        {
            inputs.push(AssessmentInput {
                inmate_id,
                package_id,
                skill_score,
                preference_rank,
                prior_experience: text(cell(Column::Experience)),
                health_cleared,
                security_cleared,
                literate,
                sppn_score,
                assessed_on,
                notes: text(cell(Column::Notes)),
            });
        }
    }
    report.valid = inputs.len();
    if !dry_run && !inputs.is_empty() {
        report.written = record_batch(app, actor, facility.id, &inputs).await?;
    }
    Ok(report)
}
