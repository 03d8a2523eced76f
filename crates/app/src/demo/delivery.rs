//! The demo's training as it happened: sessions of every class of the approved plan, the
//! attendance of every day up to yesterday (nearly everyone present, a few late, sick or
//! absent), the assessors' unit results of the finished stage (mostly K, a few BK), and the
//! training partner's certificates for those who completed. Deterministic for the seed.

use crate::certificates::{CertificateConfig, issue_class};
use crate::delivery::attendance::SheetEntry;
use crate::delivery::{catch_up, sessions};
use crate::results::{self, NewResult};
use crate::{Actor, App, AppError};
use bekal_domain::status::{AttendanceStatus, ExcuseKind, UnitDecision};
use bekal_store::entity::{competency_unit, enrolment, package_unit, training_class};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// What the delivery step produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeliverySummary {
    pub sessions: usize,
    pub attendance_sheets: usize,
    pub unit_results: usize,
    pub certificates: usize,
    pub not_certified: usize,
}

/// A stable pseudo-random number in 0..100 for a pair of ids.
fn dice(a: i64, b: i64, salt: u64) -> u64 {
    let mut rng = bekal_domain::rng::DeterministicRng::new(
        super::DEMO_SEED ^ salt ^ (a.unsigned_abs() << 20) ^ b.unsigned_abs(),
    );
    rng.below(100)
}

fn exception(session_id: i64, enrolment_id: i64) -> Option<SheetEntry> {
    let (status, excuse_kind) = match dice(session_id, enrolment_id, 0xA7) {
        0..=3 => (AttendanceStatus::Excused, Some(ExcuseKind::Sick)),
        4 => (AttendanceStatus::Excused, Some(ExcuseKind::Court)),
        5..=7 => (AttendanceStatus::Absent, None),
        8..=11 => (AttendanceStatus::Late, None),
        _ => return None,
    };
    Some(SheetEntry {
        enrolment_id,
        status,
        excuse_kind,
        excuse_text: None,
    })
}

/// Sessions, attendance, results and certificates of the demo programme up to `today`.
pub async fn run(
    app: &App,
    operator: &Actor,
    plan_id: i64,
    today: NaiveDate,
    certificates: Option<&CertificateConfig>,
) -> Result<DeliverySummary, AppError> {
    let sessions_created = sessions::generate_sessions(app, operator, plan_id)
        .await?
        .sessions_created;
    let sheets = catch_up::record_past_sheets(
        app,
        operator,
        plan_id,
        today - Duration::days(1),
        |sheet, row| exception(sheet.session_id, row.enrolment_id),
    )
    .await?;
    let mut summary = DeliverySummary {
        sessions: sessions_created,
        attendance_sheets: sheets.sheets,
        ..DeliverySummary::default()
    };

    let finished = training_class::Entity::find()
        .filter(training_class::Column::PlanId.eq(plan_id))
        .filter(training_class::Column::EndDate.lt(today))
        .all(app.store.conn())
        .await?;
    for class in &finished {
        let units = package_unit::Entity::find()
            .filter(package_unit::Column::PackageId.eq(class.package_id))
            .order_by_asc(package_unit::Column::Position)
            .all(app.store.conn())
            .await?;
        let unit_codes: Vec<String> = competency_unit::Entity::find()
            .filter(competency_unit::Column::Id.is_in(units.iter().map(|u| u.unit_id)))
            .all(app.store.conn())
            .await?
            .into_iter()
            .map(|u| u.code)
            .collect();
        let trainees = enrolment::Entity::find()
            .filter(enrolment::Column::ClassId.eq(class.id))
            .all(app.store.conn())
            .await?;
        for trainee in &trainees {
            for (index, code) in unit_codes.iter().enumerate() {
                let decision = if dice(trainee.id, i64::try_from(index).unwrap_or(0), 0xB1) < 6 {
                    UnitDecision::NotYetCompetent
                } else {
                    UnitDecision::Competent
                };
                results::record(
                    app,
                    operator,
                    NewResult {
                        enrolment_id: trainee.id,
                        unit_code: code.clone(),
                        decision,
                        assessor_name: Some("Asesor Kompetensi BLK".to_owned()),
                        assessed_on: class.end_date,
                        evidence_note: Some("observasi praktik".to_owned()),
                    },
                )
                .await?;
                summary.unit_results += 1;
            }
        }
        if let Some(config) = certificates {
            let report = issue_class(app, operator, config, class.id).await?;
            summary.certificates += report.issued.len();
            summary.not_certified += report.skipped.len();
        }
    }
    Ok(summary)
}
