//! Follow-up after release: what became of a trainee 3, 6 and 12 months after leaving the
//! facility (employed in the trade or not, self-employed, in further training, unemployed,
//! re-offended, unreachable), recorded by the facility or the probation office (Bapas).
//!
//! A release is a `custody_events` row of kind `released`; its latest `effective_on` is the
//! release date. Follow-ups are *due* for every released trainee (an inmate with at least one
//! enrolment at the facility) at each offset of the schedule; one is open until a follow-up
//! with a contact date is recorded for that offset. Follow-ups of untrained releasees may be
//! recorded too (the comparison group of the reports) but are never listed as due.

use crate::auth::audit_read;
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{CustodyStatus, EmployerType, FollowUpOutcome, FollowUpSource};
use bekal_store::entity::{custody_event, enrolment, follow_up, inmate, setting};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::{Months, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The schedule when the `follow_up_months` setting is absent: 3, 6 and 12 months.
pub const DEFAULT_OFFSETS_MONTHS: [u32; 3] = [3, 6, 12];

/// The settings key holding the schedule, as comma-separated months (`3,6,12`).
pub const OFFSETS_SETTING: &str = "follow_up_months";

/// The schedule of follow-ups, read from the settings table (or the default).
pub async fn offsets_from_settings(app: &App) -> Result<Vec<u32>, AppError> {
    let Some(row) = setting::Entity::find_by_id(OFFSETS_SETTING.to_owned())
        .one(app.store.conn())
        .await?
    else {
        return Ok(DEFAULT_OFFSETS_MONTHS.to_vec());
    };
    parse_offsets(&row.value)
}

/// Parses `3,6,12`: positive months, at most 120, without duplicates, sorted.
pub fn parse_offsets(text: &str) -> Result<Vec<u32>, AppError> {
    let mut months = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let m: u32 = part
            .parse()
            .map_err(|_| AppError::invalid(OFFSETS_SETTING, format!("{part:?} is not a number")))?;
        if m == 0 || m > 120 {
            return Err(AppError::invalid(OFFSETS_SETTING, "months are 1 to 120"));
        }
        months.push(m);
    }
    months.sort_unstable();
    months.dedup();
    if months.is_empty() {
        return Err(AppError::invalid(OFFSETS_SETTING, "no months given"));
    }
    Ok(months)
}

/// One follow-up that is due (or overdue) and not yet recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DueFollowUp {
    pub inmate_id: i64,
    pub register_number: String,
    pub name: String,
    pub released_on: NaiveDate,
    pub months_after_release: u32,
    pub due_on: NaiveDate,
    /// Days since `due_on` (0 on the day it falls due).
    pub days_overdue: i64,
}

/// A recorded follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FollowUpView {
    pub id: i64,
    pub facility_id: i64,
    pub inmate_id: i64,
    pub months_after_release: u32,
    pub due_on: NaiveDate,
    pub contacted_on: NaiveDate,
    pub outcome: FollowUpOutcome,
    pub in_trained_trade: bool,
    pub employer_type: Option<EmployerType>,
    pub source: FollowUpSource,
    pub notes: Option<String>,
}

/// A follow-up to record.
#[derive(Debug, Clone)]
pub struct NewFollowUp {
    pub facility_id: i64,
    pub inmate_id: i64,
    pub months_after_release: u32,
    pub contacted_on: NaiveDate,
    pub outcome: FollowUpOutcome,
    /// Employed or self-employed in the trade the person was trained in.
    pub in_trained_trade: bool,
    /// Required when `outcome` is `employed`.
    pub employer_type: Option<EmployerType>,
    pub source: FollowUpSource,
    pub notes: Option<String>,
}

/// Latest release date of each released inmate of a facility.
pub(crate) async fn release_dates(
    app: &App,
    facility_id: i64,
) -> Result<HashMap<i64, NaiveDate>, AppError> {
    let mut out: HashMap<i64, NaiveDate> = HashMap::new();
    for event in custody_event::Entity::find()
        .filter(custody_event::Column::FacilityId.eq(facility_id))
        .filter(custody_event::Column::Kind.eq(CustodyStatus::Released.as_str()))
        .all(app.store.conn())
        .await?
    {
        let entry = out.entry(event.inmate_id).or_insert(event.effective_on);
        *entry = (*entry).max(event.effective_on);
    }
    Ok(out)
}

/// The open follow-ups of a facility on the clock's today: (due on, inmate, months) -> the
/// release date. No names; not audited (see [`due`] for the list people read).
async fn open_follow_ups(
    app: &App,
    facility_id: i64,
    offsets_months: &[u32],
) -> Result<BTreeMap<(NaiveDate, i64, u32), NaiveDate>, AppError> {
    let conn = app.store.conn();
    let today = app.clock.today();
    let releases = release_dates(app, facility_id).await?;
    let trained: HashSet<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::FacilityId.eq(facility_id))
        .filter(enrolment::Column::InmateId.is_in(releases.keys().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.inmate_id)
        .collect();
    let recorded: HashSet<(i64, i32)> = follow_up::Entity::find()
        .filter(follow_up::Column::FacilityId.eq(facility_id))
        .filter(follow_up::Column::ContactedOn.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.inmate_id, f.months_after_release))
        .collect();
    let mut open: BTreeMap<(NaiveDate, i64, u32), NaiveDate> = BTreeMap::new();
    for (&inmate_id, &released_on) in releases.iter().filter(|(id, _)| trained.contains(id)) {
        for &months in offsets_months {
            let Some(due_on) = released_on.checked_add_months(Months::new(months)) else {
                continue;
            };
            let key = (inmate_id, i32::try_from(months).unwrap_or(i32::MAX));
            if due_on <= today && !recorded.contains(&key) {
                open.insert((due_on, inmate_id, months), released_on);
            }
        }
    }
    Ok(open)
}

/// How many follow-ups of `facility_id` are due today (the dashboard's count; no names).
pub(crate) async fn count_due(app: &App, facility_id: i64) -> Result<u64, AppError> {
    let offsets = offsets_from_settings(app).await?;
    Ok(open_follow_ups(app, facility_id, &offsets).await?.len() as u64)
}

/// The follow-ups of `facility_id` due on or before the clock's today and not yet recorded,
/// oldest due first. Reading names of releasees is audited.
pub async fn due(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    offsets_months: &[u32],
) -> Result<Vec<DueFollowUp>, AppError> {
    actor.authorise(Permission::ReadFollowUps, Some(facility_id))?;
    let conn = app.store.conn();
    let today = app.clock.today();
    let open = open_follow_ups(app, facility_id, offsets_months).await?;
    let people: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(open.keys().map(|k| k.1)))
        .filter(inmate::Column::ErasedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let list: Vec<DueFollowUp> = open
        .into_iter()
        .filter_map(|((due_on, inmate_id, months), released_on)| {
            people.get(&inmate_id).map(|p| DueFollowUp {
                inmate_id,
                register_number: p.register_number.clone(),
                name: p.name.clone(),
                released_on,
                months_after_release: months,
                due_on,
                days_overdue: (today - due_on).num_days(),
            })
        })
        .collect();
    audit_read(
        app,
        actor,
        Some(facility_id),
        "follow_up",
        "due",
        &format!("follow-ups due list ({} people)", list.len()),
    )
    .await?;
    Ok(list)
}

fn view(row: follow_up::Model) -> Result<FollowUpView, AppError> {
    let broken = |what: &str| AppError::Internal(format!("follow-up {} has bad {what}", row.id));
    Ok(FollowUpView {
        outcome: row
            .outcome
            .as_deref()
            .ok_or_else(|| broken("outcome"))?
            .parse()
            .map_err(|_| broken("outcome"))?,
        contacted_on: row.contacted_on.ok_or_else(|| broken("contact date"))?,
        employer_type: bekal_domain::status::parse_optional(row.employer_type.as_deref())
            .map_err(|_| broken("employer type"))?,
        source: row
            .source
            .as_deref()
            .unwrap_or("facility")
            .parse()
            .map_err(|_| broken("source"))?,
        months_after_release: u32::try_from(row.months_after_release)
            .map_err(|_| broken("months"))?,
        id: row.id,
        facility_id: row.facility_id,
        inmate_id: row.inmate_id,
        due_on: row.due_on,
        in_trained_trade: row.in_trained_trade,
        notes: row.notes,
    })
}

/// Records (or corrects) the follow-up of one releasee at one offset. The person must have
/// been released by the facility; the contact date lies between the release and today.
pub async fn record(app: &App, actor: &Actor, new: NewFollowUp) -> Result<FollowUpView, AppError> {
    actor.authorise(Permission::RecordFollowUps, Some(new.facility_id))?;
    let today = app.clock.today();
    let person = inmate::Entity::find_by_id(new.inmate_id)
        .one(app.store.conn())
        .await?
        .filter(|p| p.facility_id == new.facility_id)
        .ok_or_else(|| AppError::NotFound(format!("inmate {}", new.inmate_id)))?;
    let released_on = *release_dates(app, new.facility_id)
        .await?
        .get(&person.id)
        .ok_or_else(|| AppError::invalid("inmate_id", "has no release recorded"))?;
    if new.months_after_release == 0 || new.months_after_release > 120 {
        return Err(AppError::invalid("months_after_release", "is 1 to 120"));
    }
    if new.contacted_on > today {
        return Err(AppError::invalid("contacted_on", "is in the future"));
    }
    if new.contacted_on < released_on {
        return Err(AppError::invalid("contacted_on", "is before the release"));
    }
    let working = matches!(
        new.outcome,
        FollowUpOutcome::Employed | FollowUpOutcome::SelfEmployed
    );
    if new.outcome == FollowUpOutcome::Employed && new.employer_type.is_none() {
        return Err(AppError::invalid(
            "employer_type",
            "is required when employed",
        ));
    }
    if !working && (new.in_trained_trade || new.employer_type.is_some()) {
        return Err(AppError::invalid(
            "outcome",
            "trade and employer are only recorded for work",
        ));
    }
    let months = i32::try_from(new.months_after_release).unwrap_or(i32::MAX);
    let due_on = released_on
        .checked_add_months(Months::new(new.months_after_release))
        .ok_or_else(|| AppError::invalid("months_after_release", "out of range"))?;
    let notes = new
        .notes
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(new.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let existing = follow_up::Entity::find()
        .filter(follow_up::Column::InmateId.eq(person.id))
        .filter(follow_up::Column::MonthsAfterRelease.eq(months))
        .one(tx.conn())
        .await?;
    let mut active: follow_up::ActiveModel = match &existing {
        Some(row) => row.clone().into(),
        None => follow_up::ActiveModel {
            facility_id: Set(new.facility_id),
            inmate_id: Set(person.id),
            months_after_release: Set(months),
            created_at: Set(tx.at()),
            ..Default::default()
        },
    };
    active.due_on = Set(due_on);
    active.contacted_on = Set(Some(new.contacted_on));
    active.outcome = Set(Some(new.outcome.as_str().to_owned()));
    active.in_trained_trade = Set(new.in_trained_trade);
    active.employer_type = Set(new.employer_type.map(|e| e.as_str().to_owned()));
    active.source = Set(Some(new.source.as_str().to_owned()));
    active.notes = Set(notes);
    active.recorded_by = Set(actor.user_id());
    active.updated_at = Set(tx.at());
    let row = match existing {
        Some(before) => {
            let row = active.update(tx.conn()).await?;
            tx.audit(
                "record",
                "follow_up",
                row.id,
                Changes::updated(&before, &row),
            );
            row
        }
        None => {
            let row = active.insert(tx.conn()).await?;
            tx.audit("record", "follow_up", row.id, Changes::created(&row));
            row
        }
    };
    tx.commit().await?;
    view(row)
}

/// The recorded follow-ups of one releasee, earliest offset first.
pub async fn history(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    inmate_id: i64,
) -> Result<Vec<FollowUpView>, AppError> {
    actor.authorise(Permission::ReadFollowUps, Some(facility_id))?;
    let rows = follow_up::Entity::find()
        .filter(follow_up::Column::FacilityId.eq(facility_id))
        .filter(follow_up::Column::InmateId.eq(inmate_id))
        .filter(follow_up::Column::ContactedOn.is_not_null())
        .order_by_asc(follow_up::Column::MonthsAfterRelease)
        .all(app.store.conn())
        .await?;
    audit_read(
        app,
        actor,
        Some(facility_id),
        "inmate",
        inmate_id,
        "follow-up history",
    )
    .await?;
    rows.into_iter().map(view).collect()
}

/// The id of the inmate with `register_number` at `facility_id` (for the CLI and forms that
/// name a releasee by register number). Authorised like recording a follow-up.
pub async fn inmate_by_register(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    register_number: &str,
) -> Result<i64, AppError> {
    actor.authorise(Permission::RecordFollowUps, Some(facility_id))?;
    inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::RegisterNumber.eq(register_number.trim()))
        .one(app.store.conn())
        .await?
        .map(|i| i.id)
        .ok_or_else(|| AppError::NotFound(format!("inmate {register_number}")))
}
