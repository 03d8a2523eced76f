//! Changing the programme catalogue one record at a time (the screens under
//! `/admin/catalogue` and `/admin/rooms`): partners, packages with their unit list,
//! competency units, trainers with skills and unavailable days, and rooms. Each use case is
//! authorise -> rule -> one transaction -> audit with before and after; a record is created
//! when its key is new and changed otherwise (records are switched off, never deleted, so
//! plans, classes and certificates keep what they point at).
//!
//! What printed certificates depend on is fixed once used: a package's unit list cannot
//! change once the package has a class (its transcripts list those units; make a new package
//! instead), and a unit version is never edited (add a new version).
//!
//! Partners, packages, units and trainers are national (`ManageCatalogue`); rooms belong to a
//! facility (`ManageFacilitySetup` for that facility: its program officers, or national
//! administrators).

use crate::certificates::number::check_format;
use crate::{Actor, App, AppError, Permission};
use bekal_domain::codes::{FacilityCode, PackageCode, PartnerCode};
use bekal_domain::status::PartnerKind;
use bekal_store::entity::{
    competency_unit, facility, package, package_unit, partner, room, trainer, trainer_skill,
    trainer_unavailability, training_class,
};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use chrono::NaiveDate;
use serde::Serialize;

fn optional(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn required(field: &str, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    Ok(text.to_owned())
}

fn within(field: &str, value: i32, low: i32, high: i32) -> Result<i32, AppError> {
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::invalid(
            field,
            format!("{value} is outside {low}-{high}"),
        ))
    }
}

async fn national_tx(app: &App, actor: &Actor) -> Result<WriteTx, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    Ok(app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?)
}

/// A training partner as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerChange {
    /// A new partner: an existing code is then a conflict, never overwritten.
    pub new: bool,
    pub code: String,
    pub name: String,
    pub kind: PartnerKind,
    pub region: Option<String>,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub certificate_number_format: String,
    /// `key` (did:key) or `web` (did:web under the public address); used from the
    /// partner's next key (first issuance or a rotation).
    pub issuer_did_method: String,
    pub active: bool,
}

/// Creates the partner when its code is new, changes it otherwise. The number format must
/// fill in (`{partner}`, `{year}`, `{seq}` / `{seq:0N}` only); the running number is kept.
pub async fn save_partner(
    app: &App,
    actor: &Actor,
    change: &PartnerChange,
) -> Result<partner::Model, AppError> {
    let code =
        PartnerCode::parse(&change.code).map_err(|e| AppError::invalid("code", e.to_string()))?;
    let name = required("name", &change.name)?;
    let format = required(
        "certificate_number_format",
        &change.certificate_number_format,
    )?;
    check_format(&format)?;
    let method = change.issuer_did_method.trim();
    if !matches!(method, "key" | "web") {
        return Err(AppError::invalid(
            "issuer_did_method",
            "choose did:key or did:web",
        ));
    }
    let mut tx = national_tx(app, actor).await?;
    let found = partner::Entity::find()
        .filter(partner::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if change.new && found.is_some() {
        return Err(AppError::invalid(
            "code",
            format!("partner {code} exists already"),
        ));
    }
    let mut row: partner::ActiveModel = match &found {
        Some(before) => before.clone().into(),
        None => partner::ActiveModel {
            code: Set(code.to_string()),
            certificate_sequence: Set(0),
            created_at: Set(tx.at()),
            ..Default::default()
        },
    };
    row.name = Set(name);
    row.kind = Set(change.kind.as_str().to_owned());
    row.region = Set(optional(&change.region));
    row.city = Set(optional(&change.city));
    row.head_name = Set(optional(&change.head_name));
    row.head_title = Set(optional(&change.head_title));
    row.certificate_number_format = Set(format);
    row.issuer_did_method = Set(method.to_owned());
    row.active = Set(change.active);
    row.updated_at = Set(tx.at());
    let saved = match found {
        Some(before) => {
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "update",
                "partner",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = row.insert(tx.conn()).await?;
            tx.audit("create", "partner", after.id, Changes::created(&after));
            after
        }
    };
    tx.commit().await?;
    Ok(saved)
}

/// A package as the form sends it; `units` are unit codes in teaching order (the latest
/// version of each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageChange {
    /// A new package: an existing code is then a conflict, never overwritten.
    pub new: bool,
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub hours_jp: i32,
    pub duration_days: i32,
    pub capacity: i32,
    pub min_size: i32,
    pub max_classes: Option<i32>,
    pub trainer_skill: String,
    pub min_attendance_percent: i32,
    pub description: Option<String>,
    pub active: bool,
    pub units: Vec<String>,
}

/// Creates or changes a package. Its unit list may change only while no class uses it.
pub async fn save_package(
    app: &App,
    actor: &Actor,
    change: &PackageChange,
) -> Result<package::Model, AppError> {
    let code =
        PackageCode::parse(&change.code).map_err(|e| AppError::invalid("code", e.to_string()))?;
    let name = required("name", &change.name)?;
    let skill = required("trainer_skill", &change.trainer_skill)?;
    within("hours_jp", change.hours_jp, 1, 2000)?;
    within("duration_days", change.duration_days, 1, 365)?;
    within("capacity", change.capacity, 1, 100)?;
    within("min_size", change.min_size, 0, change.capacity)?;
    within(
        "min_attendance_percent",
        change.min_attendance_percent,
        0,
        100,
    )?;
    if let Some(max) = change.max_classes {
        within("max_classes", max, 0, 100)?;
    }
    let mut tx = national_tx(app, actor).await?;
    let found = package::Entity::find()
        .filter(package::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if change.new && found.is_some() {
        return Err(AppError::invalid(
            "code",
            format!("package {code} exists already"),
        ));
    }
    // A code already in the package keeps the version it has; a new code takes the unit's
    // latest version (the one made last).
    let mut linked: Vec<(i64, String)> = Vec::new();
    if let Some(p) = &found {
        for link in package_unit::Entity::find()
            .filter(package_unit::Column::PackageId.eq(p.id))
            .order_by_asc(package_unit::Column::Position)
            .all(tx.conn())
            .await?
        {
            if let Some(u) = competency_unit::Entity::find_by_id(link.unit_id)
                .one(tx.conn())
                .await?
            {
                linked.push((u.id, u.code));
            }
        }
    }
    let mut unit_ids = Vec::new();
    for unit_code in change
        .units
        .iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
    {
        let id = match linked.iter().find(|(_, c)| c == unit_code) {
            Some((id, _)) => *id,
            None => {
                competency_unit::Entity::find()
                    .filter(competency_unit::Column::Code.eq(unit_code))
                    .order_by_desc(competency_unit::Column::Id)
                    .one(tx.conn())
                    .await?
                    .ok_or_else(|| AppError::invalid("units", format!("unknown unit {unit_code}")))?
                    .id
            }
        };
        if unit_ids.contains(&id) {
            return Err(AppError::invalid(
                "units",
                format!("{unit_code} is listed twice"),
            ));
        }
        unit_ids.push(id);
    }
    let classes = match &found {
        Some(p) => {
            training_class::Entity::find()
                .filter(training_class::Column::PackageId.eq(p.id))
                .count(tx.conn())
                .await?
        }
        None => 0,
    };
    // What certificates and completion read stays as the classes had it.
    if let Some(before) = found.as_ref().filter(|_| classes > 0) {
        for (field, was, now) in [
            ("hours_jp", before.hours_jp, change.hours_jp),
            (
                "min_attendance_percent",
                before.min_attendance_percent,
                change.min_attendance_percent,
            ),
        ] {
            if was != now {
                return Err(AppError::invalid(
                    field,
                    format!(
                        "{classes} classes use this package: their completion and certificates \
                         depend on it ({was}); make a new package instead"
                    ),
                ));
            }
        }
    }
    let mut row: package::ActiveModel = match &found {
        Some(before) => before.clone().into(),
        None => package::ActiveModel {
            code: Set(code.to_string()),
            min_score: Set(0),
            required_flags: Set(serde_json::json!([])),
            created_at: Set(tx.at()),
            ..Default::default()
        },
    };
    row.name = Set(name);
    row.name_en = Set(optional(&change.name_en));
    row.hours_jp = Set(change.hours_jp);
    row.duration_days = Set(change.duration_days);
    row.capacity = Set(change.capacity);
    row.min_size = Set(change.min_size);
    row.max_classes = Set(change.max_classes);
    row.trainer_skill = Set(skill);
    row.min_attendance_percent = Set(change.min_attendance_percent);
    row.description = Set(optional(&change.description));
    row.active = Set(change.active);
    row.updated_at = Set(tx.at());
    let saved = match found {
        Some(before) => {
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "update",
                "package",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = row.insert(tx.conn()).await?;
            tx.audit("create", "package", after.id, Changes::created(&after));
            after
        }
    };
    let current: Vec<package_unit::Model> = package_unit::Entity::find()
        .filter(package_unit::Column::PackageId.eq(saved.id))
        .order_by_asc(package_unit::Column::Position)
        .all(tx.conn())
        .await?;
    if current.iter().map(|l| l.unit_id).collect::<Vec<_>>() != unit_ids {
        if classes > 0 {
            return Err(AppError::invalid(
                "units",
                format!(
                    "{classes} classes use this package and its certificates list these units; \
                     make a new package for another unit list"
                ),
            ));
        }
        for link in current {
            let id = link.id;
            package_unit::Entity::delete_by_id(id)
                .exec(tx.conn())
                .await?;
            tx.audit("delete", "package_unit", id, Changes::deleted(&link));
        }
        for (position, unit_id) in unit_ids.into_iter().enumerate() {
            let link = package_unit::ActiveModel {
                package_id: Set(saved.id),
                unit_id: Set(unit_id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit("create", "package_unit", link.id, Changes::created(&link));
        }
    }
    tx.commit().await?;
    Ok(saved)
}

/// A new competency unit, or a new version of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub hours_jp: i32,
    pub standard: String,
    pub version: String,
}

/// Adds a unit version; an existing (code, version) is a conflict (versions are fixed).
pub async fn add_unit(
    app: &App,
    actor: &Actor,
    unit: &NewUnit,
) -> Result<competency_unit::Model, AppError> {
    let code = required("code", &unit.code)?;
    if code.len() > 40 || code.chars().any(char::is_whitespace) {
        return Err(AppError::invalid(
            "code",
            "at most 40 characters, no spaces",
        ));
    }
    let title = required("title", &unit.title)?;
    let standard = required("standard", &unit.standard)?;
    let version = required("version", &unit.version)?;
    within("hours_jp", unit.hours_jp, 1, 1000)?;
    let mut tx = national_tx(app, actor).await?;
    let exists = competency_unit::Entity::find()
        .filter(competency_unit::Column::Code.eq(code.as_str()))
        .filter(competency_unit::Column::Version.eq(version.as_str()))
        .one(tx.conn())
        .await?
        .is_some();
    if exists {
        return Err(AppError::Conflict(format!(
            "unit {code} version {version} exists; a version is fixed once made, add a new one"
        )));
    }
    let row = competency_unit::ActiveModel {
        code: Set(code),
        title: Set(title),
        title_en: Set(optional(&unit.title_en)),
        hours_jp: Set(unit.hours_jp),
        standard: Set(standard),
        version: Set(version),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "competency_unit", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(row)
}

/// A trainer as the form sends it (`id` empty: a new trainer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainerChange {
    pub id: Option<i64>,
    pub partner: String,
    pub name: String,
    pub phone: Option<String>,
    pub max_classes: Option<i32>,
    pub skills: Vec<String>,
    pub active: bool,
}

/// Creates or changes a trainer and replaces their skills with the given list.
pub async fn save_trainer(
    app: &App,
    actor: &Actor,
    change: &TrainerChange,
) -> Result<trainer::Model, AppError> {
    let name = required("name", &change.name)?;
    if let Some(max) = change.max_classes {
        within("max_classes", max, 0, 50)?;
    }
    let mut skills: Vec<String> = change
        .skills
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    skills.sort();
    skills.dedup();
    if skills.is_empty() {
        return Err(AppError::invalid("skills", "name at least one skill"));
    }
    let partner_code = PartnerCode::parse(&change.partner)
        .map_err(|e| AppError::invalid("partner", e.to_string()))?;
    let mut tx = national_tx(app, actor).await?;
    let partner_id = partner::Entity::find()
        .filter(partner::Column::Code.eq(partner_code.as_str()))
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::invalid("partner", format!("unknown partner {partner_code}")))?
        .id;
    let found = match change.id {
        Some(id) => Some(
            trainer::Entity::find_by_id(id)
                .one(tx.conn())
                .await?
                .ok_or_else(|| AppError::NotFound(format!("trainer {id}")))?,
        ),
        None => None,
    };
    let mut row: trainer::ActiveModel = match &found {
        Some(before) => before.clone().into(),
        None => trainer::ActiveModel {
            created_at: Set(tx.at()),
            ..Default::default()
        },
    };
    row.partner_id = Set(partner_id);
    row.name = Set(name);
    row.phone = Set(optional(&change.phone));
    row.max_classes = Set(change.max_classes);
    row.active = Set(change.active);
    row.updated_at = Set(tx.at());
    let saved = match found {
        Some(before) => {
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "update",
                "trainer",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = row.insert(tx.conn()).await?;
            tx.audit("create", "trainer", after.id, Changes::created(&after));
            after
        }
    };
    let current = trainer_skill::Entity::find()
        .filter(trainer_skill::Column::TrainerId.eq(saved.id))
        .all(tx.conn())
        .await?;
    for link in &current {
        if !skills.contains(&link.skill) {
            trainer_skill::Entity::delete_by_id(link.id)
                .exec(tx.conn())
                .await?;
            tx.audit("delete", "trainer_skill", link.id, Changes::deleted(link));
        }
    }
    for skill in skills {
        if current.iter().all(|l| l.skill != skill) {
            let link = trainer_skill::ActiveModel {
                trainer_id: Set(saved.id),
                skill: Set(skill),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit("create", "trainer_skill", link.id, Changes::created(&link));
        }
    }
    tx.commit().await?;
    Ok(saved)
}

/// Days a trainer cannot teach (the planner keeps them free).
pub async fn add_unavailability(
    app: &App,
    actor: &Actor,
    trainer_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    reason: Option<String>,
) -> Result<trainer_unavailability::Model, AppError> {
    if to < from {
        return Err(AppError::invalid("date_to", "ends before it starts"));
    }
    let mut tx = national_tx(app, actor).await?;
    trainer::Entity::find_by_id(trainer_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("trainer {trainer_id}")))?;
    let row = trainer_unavailability::ActiveModel {
        trainer_id: Set(trainer_id),
        date_from: Set(from),
        date_to: Set(to),
        reason: Set(optional(&reason)),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "create",
        "trainer_unavailability",
        row.id,
        Changes::created(&row),
    );
    tx.commit().await?;
    Ok(row)
}

/// Removes a period of unavailability (the trainer can be planned on those days again).
pub async fn remove_unavailability(app: &App, actor: &Actor, id: i64) -> Result<i64, AppError> {
    let mut tx = national_tx(app, actor).await?;
    let row = trainer_unavailability::Entity::find_by_id(id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("unavailability {id}")))?;
    trainer_unavailability::Entity::delete_by_id(id)
        .exec(tx.conn())
        .await?;
    tx.audit(
        "delete",
        "trainer_unavailability",
        id,
        Changes::deleted(&row),
    );
    tx.commit().await?;
    Ok(row.trainer_id)
}

/// A room as the form sends it; `packages` empty means any package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomChange {
    /// A new room: an existing code is then a conflict, never overwritten.
    pub new: bool,
    pub facility: String,
    pub code: String,
    pub name: String,
    pub capacity: i32,
    pub packages: Vec<String>,
    pub active: bool,
}

/// Creates or changes a room of a facility (key: facility and room code).
pub async fn save_room(
    app: &App,
    actor: &Actor,
    change: &RoomChange,
) -> Result<room::Model, AppError> {
    let facility_code = FacilityCode::parse(&change.facility)
        .map_err(|e| AppError::invalid("facility", e.to_string()))?;
    let code = required("code", &change.code)?.to_ascii_uppercase();
    if code.len() > 20
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(AppError::invalid(
            "code",
            "at most 20 letters, digits, '.', '_' or '-'",
        ));
    }
    let name = required("name", &change.name)?;
    within("capacity", change.capacity, 1, 100)?;
    let place = facility::Entity::find()
        .filter(facility::Column::Code.eq(facility_code.as_str()))
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {facility_code}")))?;
    actor.authorise(Permission::ManageFacilitySetup, Some(place.id))?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(place.id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let mut packages = Vec::new();
    for p in change
        .packages
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        let code =
            PackageCode::parse(p).map_err(|e| AppError::invalid("packages", e.to_string()))?;
        let known = package::Entity::find()
            .filter(package::Column::Code.eq(code.as_str()))
            .one(tx.conn())
            .await?
            .is_some();
        if !known {
            return Err(AppError::invalid(
                "packages",
                format!("unknown package {code}"),
            ));
        }
        if !packages.contains(&code.to_string()) {
            packages.push(code.to_string());
        }
    }
    let found = room::Entity::find()
        .filter(room::Column::FacilityId.eq(place.id))
        .filter(room::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if change.new && found.is_some() {
        return Err(AppError::invalid(
            "code",
            format!("room {code} exists already"),
        ));
    }
    let mut row: room::ActiveModel = match &found {
        Some(before) => before.clone().into(),
        None => room::ActiveModel {
            facility_id: Set(place.id),
            code: Set(code),
            created_at: Set(tx.at()),
            ..Default::default()
        },
    };
    row.name = Set(name);
    row.capacity = Set(change.capacity);
    row.package_codes = Set((!packages.is_empty()).then(|| serde_json::json!(packages)));
    row.active = Set(change.active);
    row.updated_at = Set(tx.at());
    let saved = match found {
        Some(before) => {
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "update",
                "room",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = row.insert(tx.conn()).await?;
            tx.audit("create", "room", after.id, Changes::created(&after));
            after
        }
    };
    tx.commit().await?;
    Ok(saved)
}

/// A room as the rooms screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomView {
    pub code: String,
    pub name: String,
    pub capacity: i32,
    /// Empty: any package.
    pub packages: Vec<String>,
    pub active: bool,
}

/// The rooms of a facility, switched-off ones too, by code.
pub async fn rooms_of(
    app: &App,
    actor: &Actor,
    facility_code: &str,
) -> Result<Vec<RoomView>, AppError> {
    let place = facility::Entity::find()
        .filter(facility::Column::Code.eq(facility_code.trim().to_ascii_uppercase()))
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {facility_code}")))?;
    actor.authorise(Permission::ManageFacilitySetup, Some(place.id))?;
    Ok(room::Entity::find()
        .filter(room::Column::FacilityId.eq(place.id))
        .order_by_asc(room::Column::Code)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|r| RoomView {
            packages: r
                .package_codes
                .as_ref()
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default(),
            code: r.code,
            name: r.name,
            capacity: r.capacity,
            active: r.active,
        })
        .collect())
}

/// The partner with this code as its form shows it (`None`: no such partner).
pub async fn partner_of(
    app: &App,
    actor: &Actor,
    code: &str,
) -> Result<Option<PartnerChange>, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let Some(p) = partner::Entity::find()
        .filter(partner::Column::Code.eq(code.trim().to_ascii_uppercase()))
        .one(app.store.conn())
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(PartnerChange {
        new: false,
        kind: p.kind.parse().unwrap_or(PartnerKind::TrainingCentre),
        code: p.code,
        name: p.name,
        region: p.region,
        city: p.city,
        head_name: p.head_name,
        head_title: p.head_title,
        certificate_number_format: p.certificate_number_format,
        issuer_did_method: p.issuer_did_method,
        active: p.active,
    }))
}

/// The package with this code as its form shows it, units in teaching order.
pub async fn package_of(
    app: &App,
    actor: &Actor,
    code: &str,
) -> Result<Option<PackageChange>, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let conn = app.store.conn();
    let Some(p) = package::Entity::find()
        .filter(package::Column::Code.eq(code.trim().to_ascii_uppercase()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let mut units = Vec::new();
    for link in package_unit::Entity::find()
        .filter(package_unit::Column::PackageId.eq(p.id))
        .order_by_asc(package_unit::Column::Position)
        .all(conn)
        .await?
    {
        if let Some(u) = competency_unit::Entity::find_by_id(link.unit_id)
            .one(conn)
            .await?
        {
            units.push(u.code);
        }
    }
    Ok(Some(PackageChange {
        new: false,
        code: p.code,
        name: p.name,
        name_en: p.name_en,
        hours_jp: p.hours_jp,
        duration_days: p.duration_days,
        capacity: p.capacity,
        min_size: p.min_size,
        max_classes: p.max_classes,
        trainer_skill: p.trainer_skill,
        min_attendance_percent: p.min_attendance_percent,
        description: p.description,
        active: p.active,
        units,
    }))
}

/// A period a trainer cannot teach, as listed on the trainer's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailability {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: Option<String>,
}

/// The trainer as the form shows it, with their unavailable periods (earliest first).
pub async fn trainer_of(
    app: &App,
    actor: &Actor,
    id: i64,
) -> Result<Option<(TrainerChange, Vec<Unavailability>)>, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let conn = app.store.conn();
    let Some(t) = trainer::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let partner_code = partner::Entity::find_by_id(t.partner_id)
        .one(conn)
        .await?
        .map(|p| p.code)
        .unwrap_or_default();
    let mut skills: Vec<String> = trainer_skill::Entity::find()
        .filter(trainer_skill::Column::TrainerId.eq(t.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.skill)
        .collect();
    skills.sort();
    let gaps = trainer_unavailability::Entity::find()
        .filter(trainer_unavailability::Column::TrainerId.eq(t.id))
        .order_by_asc(trainer_unavailability::Column::DateFrom)
        .all(conn)
        .await?
        .into_iter()
        .map(|g| Unavailability {
            id: g.id,
            from: g.date_from,
            to: g.date_to,
            reason: g.reason,
        })
        .collect();
    Ok(Some((
        TrainerChange {
            id: Some(t.id),
            partner: partner_code,
            name: t.name,
            phone: t.phone,
            max_classes: t.max_classes,
            skills,
            active: t.active,
        },
        gaps,
    )))
}
