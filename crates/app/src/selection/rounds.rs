//! Selection rounds: the ranking configuration (data, in `selections.scoring`), pins and
//! exclusions entered by an officer with a reason, and the facility head's approval, which
//! records every inmate's outcome and locks the round. A locked round is never edited: a
//! change is a new version (`based_on_selection_id`, `revision_reason`), a draft that copies
//! the scoring and pins; approving it supersedes the old one. All writes are audited.

use super::common::{facility, inmate_by_number, package_by_code};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::ranking::RankingConfig;
use bekal_domain::status::ApprovalStatus;
use bekal_store::entity::{inmate, package, selection, selection_entry};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use serde::Serialize;
use std::collections::HashMap;

/// What an officer set for one inmate: `pin` (keep in this package) or `exclude`.
pub const PIN: &str = "pin";
pub const EXCLUDE: &str = "exclude";
/// The decision of an entry before approval.
const PENDING: &str = "pending";

/// One inmate's entry in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub register_number: String,
    pub package: Option<String>,
    /// `pending` before approval; then `selected`, `waiting`, `not_selected`, `ineligible`.
    pub decision: String,
    pub pin: Option<String>,
    pub pin_reason: Option<String>,
}

/// A selection round.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub scoring: RankingConfig,
    pub based_on: Option<i64>,
    pub revision_reason: Option<String>,
    pub entries: Vec<EntryView>,
}

/// A pin or an exclusion of one inmate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinChange {
    pub register_number: String,
    /// Required for a pin; `None` on an exclusion excludes from every package.
    pub package: Option<String>,
    pub reason: String,
}

pub(crate) fn scoring_of(row: &selection::Model) -> RankingConfig {
    serde_json::from_value(row.scoring.clone()).unwrap_or_default()
}

/// The facility's current round: the newest draft, else the newest approved.
pub(crate) async fn current(
    conn: &impl ConnectionTrait,
    facility_id: i64,
) -> Result<Option<selection::Model>, AppError> {
    let rows = selection::Entity::find()
        .filter(selection::Column::FacilityId.eq(facility_id))
        .filter(selection::Column::Status.is_in([
            ApprovalStatus::Draft.as_str(),
            ApprovalStatus::Approved.as_str(),
        ]))
        .order_by_desc(selection::Column::Id)
        .all(conn)
        .await?;
    let draft = rows
        .iter()
        .find(|r| r.status == ApprovalStatus::Draft.as_str())
        .cloned();
    Ok(draft.or_else(|| rows.into_iter().next()))
}

async fn view(conn: &impl ConnectionTrait, row: &selection::Model) -> Result<RoundView, AppError> {
    let entries = selection_entry::Entity::find()
        .filter(selection_entry::Column::SelectionId.eq(row.id))
        .all(conn)
        .await?;
    let numbers: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(entries.iter().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.register_number))
        .collect();
    let codes: HashMap<i64, String> = package::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    let mut entries: Vec<EntryView> = entries
        .into_iter()
        .map(|e| EntryView {
            register_number: numbers.get(&e.inmate_id).cloned().unwrap_or_default(),
            package: e.package_id.and_then(|id| codes.get(&id).cloned()),
            decision: e.decision,
            pin: e.pin,
            pin_reason: e.pin_reason,
        })
        .collect();
    entries.sort_by(|a, b| a.register_number.cmp(&b.register_number));
    Ok(RoundView {
        id: row.id,
        name: row.name.clone(),
        status: row.status.clone(),
        scoring: scoring_of(row),
        based_on: row.based_on_selection_id,
        revision_reason: row.revision_reason.clone(),
        entries,
    })
}

/// Loads a round and checks the actor's permission on its facility.
async fn load(
    app: &App,
    actor: &Actor,
    round_id: i64,
    permission: Permission,
) -> Result<selection::Model, AppError> {
    let row = selection::Entity::find_by_id(round_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("selection {round_id}")))?;
    actor.authorise(permission, Some(row.facility_id))?;
    Ok(row)
}

/// Refuses any change to a round that is not a draft: the approval lock.
fn editable(row: &selection::Model) -> Result<(), AppError> {
    if row.status == ApprovalStatus::Draft.as_str() {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "selection {} is {} and locked: create a new version with a reason",
            row.id, row.status
        )))
    }
}

/// Re-checks inside the write that the round is still a draft, and holds its row until
/// commit: a pin and an approval at the same moment (two servers on PostgreSQL) cannot both
/// land; the later one finds the round locked.
async fn claim_draft(tx: &WriteTx, round_id: i64) -> Result<(), AppError> {
    let claimed = selection::Entity::update_many()
        .col_expr(selection::Column::UpdatedAt, Expr::value(tx.at()))
        .filter(selection::Column::Id.eq(round_id))
        .filter(selection::Column::Status.eq(ApprovalStatus::Draft.as_str()))
        .exec(tx.conn())
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "selection {round_id} was approved or changed meanwhile and is locked: create a new version with a reason"
        )));
    }
    Ok(())
}

async fn begin(app: &App, actor: &Actor, facility_id: i64) -> Result<WriteTx, AppError> {
    Ok(app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?)
}

/// Opens a draft round for a facility (one draft at a time).
pub async fn open_round(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    name: &str,
    scoring: Option<RankingConfig>,
) -> Result<RoundView, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::PlanTraining, Some(facility.id))?;
    let scoring = scoring.unwrap_or_default();
    scoring.validate()?;
    if name.trim().is_empty() {
        return Err(AppError::invalid("name", "a round needs a name"));
    }
    if let Some(open) = current(app.store.conn(), facility.id).await?
        && open.status == ApprovalStatus::Draft.as_str()
    {
        return Err(AppError::Conflict(format!(
            "selection {} is still a draft",
            open.id
        )));
    }
    let mut tx = begin(app, actor, facility.id).await?;
    let row = insert_round(&mut tx, facility.id, name.trim(), &scoring, actor, None).await?;
    tx.commit().await?;
    view(app.store.conn(), &row).await
}

async fn insert_round(
    tx: &mut WriteTx,
    facility_id: i64,
    name: &str,
    scoring: &RankingConfig,
    actor: &Actor,
    revision: Option<(i64, String)>,
) -> Result<selection::Model, AppError> {
    let (based_on, reason) = revision.unzip();
    let row = selection::ActiveModel {
        facility_id: Set(facility_id),
        name: Set(name.to_owned()),
        status: Set(ApprovalStatus::Draft.as_str().to_owned()),
        scoring: Set(serde_json::to_value(scoring)
            .map_err(|e| AppError::Internal(format!("scoring: {e}")))?),
        created_by: Set(actor.user_id()),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        based_on_selection_id: Set(based_on),
        revision_reason: Set(reason),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "selection", row.id, Changes::created(&row));
    Ok(row)
}

/// The facility's current round (draft, else approved), if any.
pub async fn current_round(
    app: &App,
    actor: &Actor,
    facility_code: &str,
) -> Result<Option<RoundView>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::ReadInmates, Some(facility.id))?;
    let Some(row) = current(app.store.conn(), facility.id).await? else {
        return Ok(None);
    };
    let round = view(app.store.conn(), &row).await?;
    super::common::audit_read(
        app,
        actor,
        facility.id,
        "selection",
        round.id,
        serde_json::json!({ "shown": round.entries.len() }),
    )
    .await?;
    Ok(Some(round))
}

/// Changes the ranking of a draft round.
pub async fn set_scoring(
    app: &App,
    actor: &Actor,
    round_id: i64,
    scoring: &RankingConfig,
) -> Result<RoundView, AppError> {
    let row = load(app, actor, round_id, Permission::PlanTraining).await?;
    editable(&row)?;
    scoring.validate()?;
    let mut tx = begin(app, actor, row.facility_id).await?;
    claim_draft(&tx, row.id).await?;
    let mut active = row.clone().into_active_model();
    active.scoring =
        Set(serde_json::to_value(scoring)
            .map_err(|e| AppError::Internal(format!("scoring: {e}")))?);
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    tx.audit(
        "scoring",
        "selection",
        after.id,
        Changes::updated(&row, &after),
    );
    tx.commit().await?;
    view(app.store.conn(), &after).await
}

/// Pins (`kind` = [`PIN`]) or excludes ([`EXCLUDE`]) an inmate in a draft round, with a
/// reason; `kind` = `None` clears what was set.
pub async fn set_pin(
    app: &App,
    actor: &Actor,
    round_id: i64,
    kind: Option<&str>,
    change: &PinChange,
) -> Result<RoundView, AppError> {
    let row = load(app, actor, round_id, Permission::PlanTraining).await?;
    editable(&row)?;
    let reason = change.reason.trim();
    if kind.is_some() && reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "a pin or an exclusion needs a reason",
        ));
    }
    if kind == Some(PIN) && change.package.is_none() {
        return Err(AppError::invalid("package", "a pin names the package"));
    }
    if kind.is_some_and(|k| k != PIN && k != EXCLUDE) {
        return Err(AppError::invalid("pin", "pin or exclude"));
    }
    let db = app.store.conn();
    let person = inmate_by_number(db, row.facility_id, &change.register_number).await?;
    let package_id = match &change.package {
        Some(code) => Some(package_by_code(db, code).await?.id),
        None => None,
    };
    let mut tx = begin(app, actor, row.facility_id).await?;
    claim_draft(&tx, row.id).await?;
    let existing = selection_entry::Entity::find()
        .filter(selection_entry::Column::SelectionId.eq(row.id))
        .filter(selection_entry::Column::InmateId.eq(person.id))
        .one(tx.conn())
        .await?;
    let action = kind.unwrap_or("unpin");
    match existing {
        Some(before) => {
            let mut active = before.clone().into_active_model();
            active.pin = Set(kind.map(str::to_owned));
            active.pin_reason = Set(kind.map(|_| reason.to_owned()));
            active.package_id = Set(package_id);
            let after = active.update(tx.conn()).await?;
            tx.audit(
                action,
                "selection_entry",
                after.id,
                Changes::updated(&before, &after),
            );
        }
        None if kind.is_some() => {
            let after = selection_entry::ActiveModel {
                facility_id: Set(row.facility_id),
                selection_id: Set(row.id),
                inmate_id: Set(person.id),
                package_id: Set(package_id),
                decision: Set(PENDING.into()),
                pin: Set(kind.map(str::to_owned)),
                pin_reason: Set(Some(reason.to_owned())),
                reasons: Set(serde_json::json!([])),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit(
                action,
                "selection_entry",
                after.id,
                Changes::created(&after),
            );
        }
        None => {}
    }
    if tx.pending_entries() == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    view(app.store.conn(), &row).await
}

/// The pins and exclusions of a round: inmate id -> (kind, package id, reason).
pub(crate) async fn pins(
    conn: &impl ConnectionTrait,
    round_id: i64,
) -> Result<HashMap<i64, (String, Option<i64>, String)>, AppError> {
    Ok(selection_entry::Entity::find()
        .filter(selection_entry::Column::SelectionId.eq(round_id))
        .filter(selection_entry::Column::Pin.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some((
                e.inmate_id,
                (e.pin?, e.package_id, e.pin_reason.unwrap_or_default()),
            ))
        })
        .collect())
}

/// The decisions recorded in a round: inmate id -> decision (`pending` before approval).
pub(crate) async fn decisions(
    conn: &impl ConnectionTrait,
    round_id: i64,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(selection_entry::Entity::find()
        .filter(selection_entry::Column::SelectionId.eq(round_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.inmate_id, e.decision))
        .collect())
}

/// Approves a draft round (the facility head): records every inmate's outcome from the
/// facility's approved plan, supersedes the round it revises, and locks it.
pub async fn approve_round(app: &App, actor: &Actor, round_id: i64) -> Result<RoundView, AppError> {
    let row = load(app, actor, round_id, Permission::ApprovePlans).await?;
    editable(&row)?;
    let facility_code = bekal_store::entity::facility::Entity::find_by_id(row.facility_id)
        .one(app.store.conn())
        .await?
        .map(|f| f.code)
        .ok_or_else(|| AppError::NotFound(format!("facility {}", row.facility_id)))?;
    let outcomes = super::explain(app, actor, &facility_code, None).await?;
    let db = app.store.conn();
    let ids: HashMap<String, i64> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(row.facility_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.register_number, i.id))
        .collect();
    let codes: HashMap<String, i64> = package::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code, p.id))
        .collect();
    refuse_excluded_in_plan(&outcomes, &pins(db, row.id).await?, &ids, &codes)?;
    let mut tx = begin(app, actor, row.facility_id).await?;
    claim_draft(&tx, row.id).await?;
    let existing: HashMap<i64, selection_entry::Model> = selection_entry::Entity::find()
        .filter(selection_entry::Column::SelectionId.eq(row.id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|e| (e.inmate_id, e))
        .collect();
    for outcome in &outcomes {
        let Some(&inmate_id) = ids.get(&outcome.register_number) else {
            continue;
        };
        let reasons = serde_json::to_value(&outcome.reasons)
            .map_err(|e| AppError::Internal(format!("reasons: {e}")))?;
        let package_id = outcome.package.as_ref().and_then(|c| codes.get(c).copied());
        match existing.get(&inmate_id) {
            Some(before) => {
                let mut active = before.clone().into_active_model();
                active.decision = Set(outcome.status.clone());
                if package_id.is_some() {
                    active.package_id = Set(package_id);
                }
                active.reasons = Set(reasons);
                active.update(tx.conn()).await?;
            }
            None => {
                selection_entry::ActiveModel {
                    facility_id: Set(row.facility_id),
                    selection_id: Set(row.id),
                    inmate_id: Set(inmate_id),
                    package_id: Set(package_id),
                    decision: Set(outcome.status.clone()),
                    reasons: Set(reasons),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
            }
        }
    }
    let previous = match row.based_on_selection_id {
        Some(id) => selection::Entity::find_by_id(id).one(tx.conn()).await?,
        None => None,
    };
    if let Some(old) = previous {
        let mut active = old.clone().into_active_model();
        active.status = Set(ApprovalStatus::Superseded.as_str().into());
        active.updated_at = Set(tx.at());
        let after = active.update(tx.conn()).await?;
        tx.audit(
            "supersede",
            "selection",
            after.id,
            Changes::updated(&old, &after),
        );
    }
    let mut active = row.clone().into_active_model();
    active.status = Set(ApprovalStatus::Approved.as_str().into());
    active.approved_by = Set(actor.user_id());
    active.approved_at = Set(Some(tx.at()));
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    let selected = outcomes.iter().filter(|o| o.status == "selected").count();
    tx.audit(
        "approve",
        "selection",
        after.id,
        Changes::note(serde_json::json!({
            "status": [row.status, after.status],
            "entries": outcomes.len(),
            "selected": selected,
        })),
    );
    tx.commit().await?;
    view(app.store.conn(), &after).await
}

/// A round records the approved plan's outcomes, so it cannot be approved while that plan
/// places someone the round excludes (an exclusion entered after the plan was made): the
/// officer makes a new plan first, which honours the exclusion.
fn refuse_excluded_in_plan(
    outcomes: &[super::SelectionExplanation],
    pins: &HashMap<i64, (String, Option<i64>, String)>,
    ids: &HashMap<String, i64>,
    codes: &HashMap<String, i64>,
) -> Result<(), AppError> {
    for outcome in outcomes.iter().filter(|o| o.status == "selected") {
        let Some((kind, excluded_package, _)) = ids
            .get(&outcome.register_number)
            .and_then(|id| pins.get(id))
        else {
            continue;
        };
        let placed_package = outcome.package.as_ref().and_then(|c| codes.get(c).copied());
        if kind == EXCLUDE && (excluded_package.is_none() || *excluded_package == placed_package) {
            return Err(AppError::Conflict(format!(
                "the approved plan places {} in {}, whom this round excludes: make a new plan \
                 first (it honours the exclusion), then approve the round",
                outcome.register_number,
                outcome.package.as_deref().unwrap_or("?"),
            )));
        }
    }
    Ok(())
}

/// Starts a new version of an approved round, with the reason for the change; the scoring
/// and the pins are copied into the new draft.
pub async fn new_version(
    app: &App,
    actor: &Actor,
    round_id: i64,
    reason: &str,
) -> Result<RoundView, AppError> {
    let row = load(app, actor, round_id, Permission::PlanTraining).await?;
    if row.status != ApprovalStatus::Approved.as_str() {
        return Err(AppError::Conflict(format!(
            "selection {} is {}: only an approved selection is revised",
            row.id, row.status
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "a new version needs a reason"));
    }
    if let Some(open) = current(app.store.conn(), row.facility_id).await?
        && open.status == ApprovalStatus::Draft.as_str()
    {
        return Err(AppError::Conflict(format!(
            "selection {} is already a draft",
            open.id
        )));
    }
    let pinned = pins(app.store.conn(), row.id).await?;
    let mut tx = begin(app, actor, row.facility_id).await?;
    let draft = insert_round(
        &mut tx,
        row.facility_id,
        &row.name,
        &scoring_of(&row),
        actor,
        Some((row.id, reason.to_owned())),
    )
    .await?;
    for (inmate_id, (kind, package_id, why)) in pinned {
        let entry = selection_entry::ActiveModel {
            facility_id: Set(row.facility_id),
            selection_id: Set(draft.id),
            inmate_id: Set(inmate_id),
            package_id: Set(package_id),
            decision: Set(PENDING.into()),
            pin: Set(Some(kind)),
            pin_reason: Set(Some(why)),
            reasons: Set(serde_json::json!([])),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit(
            "copy",
            "selection_entry",
            entry.id,
            Changes::created(&entry),
        );
    }
    tx.commit().await?;
    view(app.store.conn(), &draft).await
}
