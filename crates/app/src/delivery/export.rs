//! The attendance register of a facility (or one class) for a period, as rows for CSV or XLSX:
//! date, class, trainee name, number in class, status, hours. Names only, no other personal
//! data; CSV cells that start like a formula are escaped.

use crate::{Actor, App, AppError, Permission, facilities};
use bekal_import::values::escape_formula;
use bekal_store::entity::{attendance, enrolment, inmate, training_class, training_session};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use std::collections::HashMap;

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    pub facility_code: String,
    pub class_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterLine {
    pub date: NaiveDate,
    pub class_code: String,
    pub trainee_name: String,
    pub number_in_class: Option<i32>,
    pub status: String,
    pub excuse_kind: Option<String>,
    pub hours_attended: i32,
    pub session_hours: i32,
}

/// The column headers of the export (Indonesian, as the sheets are read in the facility).
pub const HEADERS: [&str; 8] = [
    "Tanggal",
    "Kelas",
    "Nama",
    "No. Urut",
    "Kehadiran",
    "Keterangan",
    "JP Hadir",
    "JP Sesi",
];

/// The register lines, by date, class, number in class and name. The register names the
/// trainees, so handing it out is an audited read (purpose `attendance register export`).
pub async fn register(
    app: &App,
    actor: &Actor,
    filter: &RegisterFilter,
) -> Result<Vec<RegisterLine>, AppError> {
    let facility = facilities::get_by_code(app, actor, filter.facility_code.trim()).await?;
    actor.authorise(Permission::RecordAttendance, Some(facility.id))?;
    let conn = app.store.conn();
    let mut classes =
        training_class::Entity::find().filter(training_class::Column::FacilityId.eq(facility.id));
    if let Some(class_id) = filter.class_id {
        classes = classes.filter(training_class::Column::Id.eq(class_id));
    }
    let classes: HashMap<i64, training_class::Model> = classes
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    if let Some(class_id) = filter.class_id.filter(|id| !classes.contains_key(id)) {
        return Err(AppError::NotFound(format!(
            "class {class_id} in facility {}",
            facility.code
        )));
    }
    let mut sessions = training_session::Entity::find()
        .filter(training_session::Column::ClassId.is_in(classes.keys().copied()));
    if let Some(from) = filter.from {
        sessions = sessions.filter(training_session::Column::Date.gte(from));
    }
    if let Some(to) = filter.to {
        sessions = sessions.filter(training_session::Column::Date.lte(to));
    }
    let sessions: HashMap<i64, training_session::Model> = sessions
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let marks = attendance::Entity::find()
        .filter(attendance::Column::SessionId.is_in(sessions.keys().copied()))
        .all(conn)
        .await?;
    let enrolments: HashMap<i64, enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.is_in(classes.keys().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(enrolments.values().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut lines = Vec::new();
    for mark in marks {
        let (Some(session), Some(e)) = (
            sessions.get(&mark.session_id),
            enrolments.get(&mark.enrolment_id),
        ) else {
            continue;
        };
        lines.push(RegisterLine {
            date: session.date,
            class_code: classes
                .get(&session.class_id)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            trainee_name: names.get(&e.inmate_id).cloned().unwrap_or_default(),
            number_in_class: e.number_in_class,
            status: mark.status,
            excuse_kind: mark.excuse_kind,
            hours_attended: mark.hours_attended,
            session_hours: session.hours_jp,
        });
    }
    crate::auth::audit_read(
        app,
        actor,
        Some(facility.id),
        if filter.class_id.is_some() {
            "class"
        } else {
            "facility"
        },
        filter
            .class_id
            .map_or_else(|| facility.code.clone(), |id| id.to_string()),
        &format!("attendance register export ({} lines)", lines.len()),
    )
    .await?;
    lines.sort_by(|a, b| {
        (
            a.date,
            &a.class_code,
            a.number_in_class.unwrap_or(i32::MAX),
            &a.trainee_name,
        )
            .cmp(&(
                b.date,
                &b.class_code,
                b.number_in_class.unwrap_or(i32::MAX),
                &b.trainee_name,
            ))
    });
    Ok(lines)
}

fn cells(line: &RegisterLine) -> [String; 8] {
    [
        line.date.format("%Y-%m-%d").to_string(),
        line.class_code.clone(),
        line.trainee_name.clone(),
        line.number_in_class
            .map(|n| n.to_string())
            .unwrap_or_default(),
        line.status.clone(),
        line.excuse_kind.clone().unwrap_or_default(),
        line.hours_attended.to_string(),
        line.session_hours.to_string(),
    ]
}

/// The register as CSV (UTF-8, header row, formula-like cells escaped).
pub fn to_csv(lines: &[RegisterLine]) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADERS).map_err(err)?;
    for line in lines {
        let row = cells(line);
        writer
            .write_record(row.iter().map(|c| escape_formula(c).into_owned()))
            .map_err(err)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// The register as an XLSX workbook (one sheet, hours as numbers).
pub fn to_xlsx(lines: &[RegisterLine]) -> Result<Vec<u8>, AppError> {
    let err = |e: XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Daftar Hadir").map_err(err)?;
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet
            .write_string_with_format(0, col, header, &bold)
            .map_err(err)?;
    }
    for (row, line) in (1u32..).zip(lines) {
        let texts = cells(line);
        for (col, text) in (0u16..).zip(texts.iter().take(6)) {
            sheet.write_string(row, col, text).map_err(err)?;
        }
        sheet
            .write_number(row, 6, f64::from(line.hours_attended))
            .map_err(err)?;
        sheet
            .write_number(row, 7, f64::from(line.session_hours))
            .map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
