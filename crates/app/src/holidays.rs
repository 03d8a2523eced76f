//! The holiday calendar, one holiday at a time: national holidays (kept by national
//! administrators, who correct the estimated Islamic dates each year) and a facility's own
//! non-working days (kept by its program officers). Loading a whole CSV lives in
//! `catalogue::load_holidays`. Sessions already generated keep their dates: a session on a
//! new holiday is moved or cancelled on its class page.

use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::holiday;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The kinds of holiday: a national public holiday, a collective leave day (cuti bersama)
/// and a facility's own non-working day.
pub const KINDS: [&str; 3] = ["national", "cuti_bersama", "local"];

/// One holiday as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HolidayView {
    pub id: i64,
    pub date: NaiveDate,
    pub name: String,
    pub kind: String,
    /// True for a facility's own day, false for a national one.
    pub local: bool,
}

impl From<holiday::Model> for HolidayView {
    fn from(row: holiday::Model) -> Self {
        HolidayView {
            id: row.id,
            date: row.date,
            local: row.facility_id.is_some(),
            name: row.name,
            kind: row.kind,
        }
    }
}

/// A holiday to add.
#[derive(Debug, Clone)]
pub struct NewHoliday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: String,
}

fn authorise_write(actor: &Actor, facility_id: Option<i64>) -> Result<(), AppError> {
    match facility_id {
        None => actor.authorise(Permission::ManageCatalogue, None),
        Some(id) => actor.authorise(Permission::ManageFacilitySetup, Some(id)),
    }
}

/// The holidays of `year` that apply to a facility (national and its own), or only the
/// national ones when `facility_id` is `None`, by date.
pub async fn calendar(
    app: &App,
    actor: &Actor,
    facility_id: Option<i64>,
    year: i32,
) -> Result<Vec<HolidayView>, AppError> {
    match facility_id {
        None => actor.authorise(Permission::ListFacilities, None)?,
        Some(id) => actor
            .authorise(Permission::ManageFacilitySetup, Some(id))
            .or_else(|_| actor.authorise(Permission::ReadClasses, Some(id)))?,
    }
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(AppError::invalid("year", "not a calendar year"));
    };
    let mut scope = Condition::any().add(holiday::Column::FacilityId.is_null());
    if let Some(id) = facility_id {
        scope = scope.add(holiday::Column::FacilityId.eq(id));
    }
    Ok(holiday::Entity::find()
        .filter(scope)
        .filter(holiday::Column::Date.between(first, last))
        .order_by_asc(holiday::Column::Date)
        .order_by_asc(holiday::Column::Id)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(HolidayView::from)
        .collect())
}

/// Adds a national holiday (`facility_id` `None`) or a facility's own day. A date that is
/// already a holiday there is refused; a facility's day on a national holiday is refused too
/// (it changes nothing).
pub async fn add(
    app: &App,
    actor: &Actor,
    facility_id: Option<i64>,
    new: NewHoliday,
) -> Result<HolidayView, AppError> {
    authorise_write(actor, facility_id)?;
    let name = new.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::invalid("name", "must not be empty"));
    }
    if name.chars().count() > 120 {
        return Err(AppError::invalid("name", "at most 120 characters"));
    }
    let kind = new.kind.trim();
    let kind = match facility_id {
        Some(_) => "local",
        None if kind == "local" || !KINDS.contains(&kind) => {
            return Err(AppError::invalid("kind", "national or cuti_bersama"));
        }
        None => kind,
    };
    if !(2000..=2100).contains(&new.date.year()) {
        return Err(AppError::invalid("date", "a year between 2000 and 2100"));
    }
    let scope = facility_id.map_or(AuditScope::National, AuditScope::Facility);
    let mut tx = app
        .store
        .begin_write(scope, actor.audit_actor(), app.clock.now())
        .await?;
    let mut same_day = Condition::any().add(holiday::Column::FacilityId.is_null());
    if let Some(id) = facility_id {
        same_day = same_day.add(holiday::Column::FacilityId.eq(id));
    }
    if let Some(existing) = holiday::Entity::find()
        .filter(same_day)
        .filter(holiday::Column::Date.eq(new.date))
        .one(tx.conn())
        .await?
    {
        tx.rollback().await?;
        return Err(AppError::invalid(
            "date",
            format!("already a holiday: {}", existing.name),
        ));
    }
    let row = holiday::ActiveModel {
        facility_id: Set(facility_id),
        date: Set(new.date),
        name: Set(name),
        kind: Set(kind.to_owned()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "holiday", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(HolidayView::from(row))
}

/// Removes one holiday, national or a facility's own, by id; `facility_id` is the facility
/// the caller works on (`None` for the national calendar), and the holiday must belong to it.
pub async fn remove(
    app: &App,
    actor: &Actor,
    facility_id: Option<i64>,
    holiday_id: i64,
) -> Result<(), AppError> {
    authorise_write(actor, facility_id)?;
    let scope = facility_id.map_or(AuditScope::National, AuditScope::Facility);
    let mut tx = app
        .store
        .begin_write(scope, actor.audit_actor(), app.clock.now())
        .await?;
    let row = holiday::Entity::find_by_id(holiday_id)
        .one(tx.conn())
        .await?
        .filter(|h| h.facility_id == facility_id)
        .ok_or_else(|| AppError::NotFound(format!("holiday {holiday_id}")))?;
    holiday::Entity::delete_by_id(row.id)
        .exec(tx.conn())
        .await?;
    tx.audit("delete", "holiday", row.id, Changes::deleted(&row));
    tx.commit().await?;
    Ok(())
}
