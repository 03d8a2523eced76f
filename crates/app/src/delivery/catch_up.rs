//! Catching up on sheets: records the attendance of every past session of a plan that has no
//! sheet yet, everyone present except what `exceptions` says. Meant for the demo (the stages
//! that are over) and for entering paper sheets in bulk. Each sheet goes through
//! [`submit_sheet`] with the key `catch-up:<session id>`, so running it again writes nothing.

use super::attendance::{Sheet, SheetEntry, SheetRow, SheetSubmission, sheet, submit_sheet};
use crate::{Actor, App, AppError};
use bekal_domain::status::SessionStatus;
use bekal_store::entity::{training_class, training_session};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::NaiveDate;
use serde::Serialize;

/// What [`record_past_sheets`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CatchUpSummary {
    pub sheets: usize,
    pub lines: usize,
    /// Sessions that already had a sheet.
    pub skipped: usize,
}

/// Records the sheets of the plan's sessions dated up to `until` (and not after today) that
/// have none yet. `exceptions(sheet, row)` returns the entry for a trainee who was not simply
/// present.
pub async fn record_past_sheets(
    app: &App,
    actor: &Actor,
    plan_id: i64,
    until: NaiveDate,
    exceptions: impl Fn(&Sheet, &SheetRow) -> Option<SheetEntry>,
) -> Result<CatchUpSummary, AppError> {
    let last = until.min(app.clock.today());
    let classes: Vec<i64> = training_class::Entity::find()
        .filter(training_class::Column::PlanId.eq(plan_id))
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::ClassId.is_in(classes))
        .filter(training_session::Column::Date.lte(last))
        .filter(training_session::Column::Status.ne(SessionStatus::Cancelled.as_str()))
        .order_by_asc(training_session::Column::Date)
        .order_by_asc(training_session::Column::Id)
        .all(app.store.conn())
        .await?;
    let mut summary = CatchUpSummary::default();
    for session in sessions {
        if session.sheet_version > 0 {
            summary.skipped += 1;
            continue;
        }
        let current = sheet(app, actor, session.id).await?;
        if current.rows.is_empty() {
            continue;
        }
        let entries: Vec<SheetEntry> = current
            .rows
            .iter()
            .filter_map(|row| exceptions(&current, row))
            .collect();
        let receipt = submit_sheet(
            app,
            actor,
            SheetSubmission {
                session_id: session.id,
                idempotency_key: format!("catch-up:{}", session.id),
                base_version: current.sheet_version,
                all_present: true,
                entries,
            },
        )
        .await?;
        summary.sheets += 1;
        summary.lines += receipt.created + receipt.corrected + receipt.unchanged;
    }
    Ok(summary)
}
