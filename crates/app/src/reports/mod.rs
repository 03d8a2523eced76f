//! Reports for oversight: the figures of a facility, a partner, a package, a region or the
//! nation over a period `[from, to]` (both days included). Counts only, never names. A summary
//! carries its totals and the per-facility rows they are the sum of, so the counts at every
//! level add up exactly. How each figure is computed is in docs/reports.md; the SQL is in
//! [`figures`]. Exports (CSV, XLSX, an SVG chart) are in [`export`] and [`chart`].

pub mod chart;
pub mod export;
mod figures;
pub mod pdf;
mod sql;

pub use figures::LEAVING_STATES;

use crate::{Actor, App, AppError, Permission};
use bekal_domain::role::Role;
use bekal_store::entity::{facility, package, partner};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One facility, by code.
    Facility(String),
    /// The classes of one training partner, by code.
    Partner(String),
    /// The classes (and candidates) of one package, by code.
    Package(String),
    /// Every facility whose region is this name.
    Region(String),
    /// Every facility.
    National,
}

/// The scope as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScopeView {
    /// `facility`, `partner`, `package`, `region` or `national`.
    pub kind: String,
    /// The code (facility, partner, package) or region name; empty for the nation.
    pub code: String,
    pub name: String,
}

/// Decisions on one competency unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnitCount {
    /// Current decisions K (kompeten).
    pub competent: u64,
    /// Current decisions BK (belum kompeten).
    pub not_yet_competent: u64,
}

/// Releasees of one group (trained or untrained) and what their follow-ups found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReleaseGroup {
    /// People released in the period.
    pub released: u64,
    /// Of them, with at least one recorded follow-up.
    pub followed_up: u64,
    /// Of them, with at least one follow-up `employed` or `self_employed`.
    pub employed: u64,
    /// Of them, with at least one follow-up `reoffended`.
    pub reoffended: u64,
}

/// The figures of one facility, or the sum of several.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// False for a partner's report: candidates are not attributable to a partner, and
    /// `assessed` / `selected` are then 0.
    pub candidates_counted: bool,
    /// People assessed (intake) in the period.
    pub assessed: u64,
    /// People selected in a selection approved in the period.
    pub selected: u64,
    /// Enrolments (places) taken in the period.
    pub enrolled: u64,
    /// Enrolments of classes that ended in the period and were not ended early.
    pub completed: u64,
    /// Valid training certificates issued in the period.
    pub certified: u64,
    /// Hours (JP) attended on held sessions in the period (present or late).
    pub hours_attended: u64,
    /// Hours (JP) of held sessions times the trainees on their sheets.
    pub hours_possible: u64,
    /// `hours_attended / hours_possible`, absent when nothing was held.
    pub attendance_share: Option<f64>,
    /// Current unit decisions made in the period, by unit code.
    pub units: BTreeMap<String, UnitCount>,
    /// Places ended early in the period, by state (withdrawn, transferred, released, ...).
    pub leaving: BTreeMap<String, u64>,
    /// Follow-ups recorded (contact date) in the period, by outcome.
    pub follow_ups: BTreeMap<String, u64>,
    /// Of those follow-ups, employed or self-employed in the trained trade.
    pub follow_ups_in_trade: u64,
    /// Releasees in the period who had completed a class before release.
    pub trained: ReleaseGroup,
    /// Releasees in the period who were never enrolled.
    pub untrained: ReleaseGroup,
}

/// One facility's line of a summary.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FacilityRow {
    pub facility_id: i64,
    pub code: String,
    pub name: String,
    pub region: Option<String>,
    pub figures: Figures,
}

/// A report: totals and the per-facility rows they add up from.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub scope: ScopeView,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the figures were computed (classes ending after it are not completed yet).
    pub as_of: NaiveDate,
    pub totals: Figures,
    /// Every facility of the scope, including those with nothing in the period, by code.
    pub facilities: Vec<FacilityRow>,
}

fn forbidden() -> AppError {
    AppError::Forbidden(format!("{:?}", Permission::ReadAggregates))
}

/// An oversight viewer tied to a region reads that region only (and its facilities).
fn own_region(actor: &Actor) -> Option<&str> {
    actor.region_limit()
}

/// The summary of `scope` over `[from, to]`, as of the clock's today.
pub async fn summary(
    app: &App,
    actor: &Actor,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, AppError> {
    if from > to {
        return Err(AppError::invalid("from", "is after to"));
    }
    let conn = app.store.conn();
    let mut facilities = facility::Entity::find().order_by_asc(facility::Column::Code);
    let mut package_id = None;
    let mut partner_id = None;
    let view = match scope {
        Scope::Facility(code) => {
            let row = facility::Entity::find()
                .filter(facility::Column::Code.eq(code.trim().to_uppercase()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("facility {code}")))?;
            match own_region(actor) {
                Some(region) if row.region.as_deref() != Some(region) => return Err(forbidden()),
                Some(_) => actor.authorise(Permission::ReadAggregates, None)?,
                None => actor.authorise(Permission::ReadAggregates, Some(row.id))?,
            }
            facilities = facilities.filter(facility::Column::Id.eq(row.id));
            ScopeView {
                kind: "facility".into(),
                code: row.code,
                name: row.name,
            }
        }
        Scope::Region(region) => {
            actor.authorise(Permission::ReadAggregates, None)?;
            if own_region(actor).is_some_and(|own| own != region.trim()) {
                return Err(forbidden());
            }
            facilities = facilities.filter(facility::Column::Region.eq(region.trim()));
            ScopeView {
                kind: "region".into(),
                code: region.trim().to_owned(),
                name: region.trim().to_owned(),
            }
        }
        Scope::National => {
            actor.authorise(Permission::ReadAggregates, None)?;
            if own_region(actor).is_some() {
                return Err(forbidden());
            }
            ScopeView {
                kind: "national".into(),
                code: String::new(),
                name: "Nasional".into(),
            }
        }
        Scope::Package(code) => {
            actor.authorise(Permission::ReadAggregates, None)?;
            if let Some(region) = own_region(actor) {
                facilities = facilities.filter(facility::Column::Region.eq(region));
            }
            let row = package::Entity::find()
                .filter(package::Column::Code.eq(code.trim()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("package {code}")))?;
            package_id = Some(row.id);
            ScopeView {
                kind: "package".into(),
                code: row.code,
                name: row.name,
            }
        }
        Scope::Partner(code) => {
            let row = partner::Entity::find()
                .filter(partner::Column::Code.eq(code.trim()))
                .one(conn)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("partner {code}")))?;
            let own_partner = matches!(actor, Actor::User { role: Role::PartnerStaff, partner_id: Some(p), .. } if *p == row.id);
            if !own_partner {
                actor.authorise(Permission::ReadAggregates, None)?;
            }
            if let Some(region) = own_region(actor) {
                facilities = facilities.filter(facility::Column::Region.eq(region));
            }
            partner_id = Some(row.id);
            ScopeView {
                kind: "partner".into(),
                code: row.code,
                name: row.name,
            }
        }
    };
    let facilities = facilities.all(conn).await?;
    let restricted = !matches!(
        scope,
        Scope::National | Scope::Package(_) | Scope::Partner(_)
    ) || own_region(actor).is_some();
    let as_of = app.clock.today();
    let filter = figures::Filter {
        facilities: restricted.then(|| facilities.iter().map(|f| f.id).collect()),
        package_id,
        partner_id,
        from,
        to,
        ended_by: to.min(as_of),
    };
    let mut by_facility = figures::by_facility(conn, app.store.backend(), &filter).await?;
    let candidates_counted = partner_id.is_none();
    let mut totals = Figures {
        candidates_counted,
        ..Figures::default()
    };
    let rows: Vec<FacilityRow> = facilities
        .into_iter()
        .map(|f| {
            let figures = by_facility.remove(&f.id).unwrap_or_else(|| Figures {
                candidates_counted,
                ..Figures::default()
            });
            totals.add(&figures);
            FacilityRow {
                facility_id: f.id,
                code: f.code,
                name: f.name,
                region: f.region,
                figures,
            }
        })
        .collect();
    Ok(Summary {
        scope: view,
        from,
        to,
        as_of,
        totals,
        facilities: rows,
    })
}
