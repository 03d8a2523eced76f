//! The programme catalogue: partners, packages with their competency units, trainers with
//! their skills, rooms and holidays. It can be written as a TOML document and applied in one
//! audited transaction (the demo scenario uses exactly this path), and applying the same
//! document twice changes nothing.

use crate::{Actor, App, AppError, Permission};
use bekal_domain::codes::{FacilityCode, PackageCode, PartnerCode};
use bekal_domain::status::PartnerKind;
use bekal_store::entity::{
    competency_unit, facility, holiday, package, package_unit, partner, partnership, room, trainer,
    trainer_skill, trainer_unavailability,
};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A catalogue document (TOML): what a region or a facility sets up before training starts.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    #[serde(default)]
    pub partners: Vec<PartnerSpec>,
    #[serde(default)]
    pub units: Vec<UnitSpec>,
    #[serde(default)]
    pub packages: Vec<PackageSpec>,
    #[serde(default)]
    pub trainers: Vec<TrainerSpec>,
    #[serde(default)]
    pub rooms: Vec<RoomSpec>,
    #[serde(default)]
    pub partnerships: Vec<PartnershipSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerSpec {
    pub code: String,
    pub name: String,
    pub kind: PartnerKind,
    pub region: Option<String>,
    pub city: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub certificate_number_format: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub hours_jp: i32,
    /// The standard and decree the unit comes from, e.g. `SKKNI 2018` or a local curriculum.
    pub standard: String,
    pub version: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub hours_jp: i32,
    pub duration_days: i32,
    pub capacity: i32,
    #[serde(default = "one")]
    pub min_size: i32,
    pub max_classes: Option<i32>,
    pub trainer_skill: String,
    #[serde(default)]
    pub min_score: i32,
    #[serde(default = "eighty")]
    pub min_attendance_percent: i32,
    #[serde(default)]
    pub required_flags: Vec<String>,
    pub description: Option<String>,
    /// Unit codes, in teaching order (the latest version of each code is used).
    #[serde(default)]
    pub units: Vec<String>,
}

fn one() -> i32 {
    1
}
fn eighty() -> i32 {
    80
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrainerSpec {
    pub partner: String,
    pub name: String,
    pub phone: Option<String>,
    pub skills: Vec<String>,
    pub max_classes: Option<i32>,
    #[serde(default)]
    pub unavailable: Vec<(NaiveDate, NaiveDate)>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoomSpec {
    pub facility: String,
    pub code: String,
    pub name: String,
    pub capacity: i32,
    /// Package codes the room can host; absent = any package.
    pub packages: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipSpec {
    pub facility: String,
    pub partner: String,
    pub agreement_number: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// What applying a catalogue did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CatalogueSummary {
    pub created: usize,
    pub unchanged: usize,
}

impl CatalogueSpec {
    /// Parses a TOML document, naming the line of any error.
    pub fn from_toml(text: &str) -> Result<Self, AppError> {
        toml::from_str(text).map_err(|e| AppError::invalid("catalogue", e.to_string()))
    }
}

/// Applies a catalogue: creates what is missing, leaves what exists (matched by code) as it
/// is. One transaction, audited in the national chain.
pub async fn apply(
    app: &App,
    actor: &Actor,
    spec: &CatalogueSpec,
) -> Result<CatalogueSummary, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let mut summary = CatalogueSummary::default();
    for spec in &spec.partners {
        apply_partner(&mut tx, spec, &mut summary).await?;
    }
    for spec in &spec.units {
        apply_unit(&mut tx, spec, &mut summary).await?;
    }
    for spec in &spec.packages {
        apply_package(&mut tx, spec, &mut summary).await?;
    }
    for spec in &spec.trainers {
        apply_trainer(&mut tx, spec, &mut summary).await?;
    }
    for spec in &spec.rooms {
        apply_room(&mut tx, spec, &mut summary).await?;
    }
    for spec in &spec.partnerships {
        apply_partnership(&mut tx, spec, &mut summary).await?;
    }
    if tx.pending_entries() == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(summary)
}

async fn partner_id(conn: &impl ConnectionTrait, code: &str) -> Result<i64, AppError> {
    let code = PartnerCode::parse(code)?;
    partner::Entity::find()
        .filter(partner::Column::Code.eq(code.as_str()))
        .one(conn)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| AppError::invalid("partner", format!("unknown partner {code}")))
}

async fn facility_id(conn: &impl ConnectionTrait, code: &str) -> Result<i64, AppError> {
    let code = FacilityCode::parse(code)?;
    facility::Entity::find()
        .filter(facility::Column::Code.eq(code.as_str()))
        .one(conn)
        .await?
        .map(|f| f.id)
        .ok_or_else(|| AppError::invalid("facility", format!("unknown facility {code}")))
}

async fn apply_partner(
    tx: &mut WriteTx,
    spec: &PartnerSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let code = PartnerCode::parse(&spec.code)?;
    let found = partner::Entity::find()
        .filter(partner::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    if let Some(format) = &spec.certificate_number_format {
        crate::certificates::number::check_format(format)
            .map_err(|e| AppError::invalid("partner", format!("partner {code}: {e}")))?;
    }
    let row = partner::ActiveModel {
        code: Set(code.to_string()),
        name: Set(spec.name.trim().to_owned()),
        kind: Set(spec.kind.as_str().to_owned()),
        region: Set(spec.region.clone()),
        city: Set(spec.city.clone()),
        head_name: Set(spec.head_name.clone()),
        head_title: Set(spec.head_title.clone()),
        certificate_number_format: Set(spec
            .certificate_number_format
            .clone()
            .unwrap_or_else(|| "{partner}/{year}/{seq:05}".to_owned())),
        certificate_sequence: Set(0),
        issuer_did_method: Set("key".to_owned()),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "partner", row.id, Changes::created(&row));
    summary.created += 1;
    Ok(())
}

async fn apply_unit(
    tx: &mut WriteTx,
    spec: &UnitSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let code = spec.code.trim();
    if code.is_empty() || spec.hours_jp <= 0 {
        return Err(AppError::invalid(
            "unit",
            format!("unit {code:?}: a code and positive hours are required"),
        ));
    }
    let found = competency_unit::Entity::find()
        .filter(competency_unit::Column::Code.eq(code))
        .filter(competency_unit::Column::Version.eq(spec.version.trim()))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    let row = competency_unit::ActiveModel {
        code: Set(code.to_owned()),
        title: Set(spec.title.trim().to_owned()),
        title_en: Set(spec.title_en.clone()),
        hours_jp: Set(spec.hours_jp),
        standard: Set(spec.standard.clone()),
        version: Set(spec.version.trim().to_owned()),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "competency_unit", row.id, Changes::created(&row));
    summary.created += 1;
    Ok(())
}

async fn apply_package(
    tx: &mut WriteTx,
    spec: &PackageSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let code = PackageCode::parse(&spec.code)?;
    let field = |what: &str| format!("package {code}: {what}");
    if spec.capacity < 1 || spec.min_size < 0 || spec.min_size > spec.capacity {
        return Err(AppError::invalid(
            "package",
            field("need 0 <= min_size <= capacity, capacity >= 1"),
        ));
    }
    if spec.duration_days < 1 || spec.hours_jp < 1 {
        return Err(AppError::invalid(
            "package",
            field("duration and hours must be positive"),
        ));
    }
    if !(0..=100).contains(&spec.min_score) || !(0..=100).contains(&spec.min_attendance_percent) {
        return Err(AppError::invalid(
            "package",
            field("scores and percentages are 0-100"),
        ));
    }
    let found = package::Entity::find()
        .filter(package::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    let row = package::ActiveModel {
        code: Set(code.to_string()),
        name: Set(spec.name.trim().to_owned()),
        name_en: Set(spec.name_en.clone()),
        hours_jp: Set(spec.hours_jp),
        duration_days: Set(spec.duration_days),
        capacity: Set(spec.capacity),
        min_size: Set(spec.min_size),
        max_classes: Set(spec.max_classes),
        trainer_skill: Set(spec.trainer_skill.trim().to_owned()),
        min_score: Set(spec.min_score),
        min_attendance_percent: Set(spec.min_attendance_percent),
        required_flags: Set(serde_json::json!(spec.required_flags)),
        description: Set(spec.description.clone()),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "package", row.id, Changes::created(&row));
    for (position, unit_code) in spec.units.iter().enumerate() {
        let units = competency_unit::Entity::find()
            .filter(competency_unit::Column::Code.eq(unit_code.trim()))
            .all(tx.conn())
            .await?;
        // The latest version is the one made last (versions are labels, not numbers).
        let Some(unit) = units.into_iter().max_by_key(|u| u.id) else {
            return Err(AppError::invalid(
                "package",
                field(&format!("unknown unit {unit_code}")),
            ));
        };
        let link = package_unit::ActiveModel {
            package_id: Set(row.id),
            unit_id: Set(unit.id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit("create", "package_unit", link.id, Changes::created(&link));
    }
    summary.created += 1;
    Ok(())
}

async fn apply_trainer(
    tx: &mut WriteTx,
    spec: &TrainerSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let partner_id = partner_id(tx.conn(), &spec.partner).await?;
    let found = trainer::Entity::find()
        .filter(trainer::Column::PartnerId.eq(partner_id))
        .filter(trainer::Column::Name.eq(spec.name.trim()))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    let row = trainer::ActiveModel {
        partner_id: Set(partner_id),
        name: Set(spec.name.trim().to_owned()),
        phone: Set(spec.phone.clone()),
        max_classes: Set(spec.max_classes),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "trainer", row.id, Changes::created(&row));
    for skill in &spec.skills {
        let link = trainer_skill::ActiveModel {
            trainer_id: Set(row.id),
            skill: Set(skill.trim().to_owned()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit("create", "trainer_skill", link.id, Changes::created(&link));
    }
    for (from, to) in &spec.unavailable {
        if to < from {
            return Err(AppError::invalid(
                "trainer",
                format!("{}: unavailable range ends before it starts", spec.name),
            ));
        }
        let gap = trainer_unavailability::ActiveModel {
            trainer_id: Set(row.id),
            date_from: Set(*from),
            date_to: Set(*to),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit(
            "create",
            "trainer_unavailability",
            gap.id,
            Changes::created(&gap),
        );
    }
    summary.created += 1;
    Ok(())
}

async fn apply_room(
    tx: &mut WriteTx,
    spec: &RoomSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let facility_id = facility_id(tx.conn(), &spec.facility).await?;
    let code = spec.code.trim().to_ascii_uppercase();
    let found = room::Entity::find()
        .filter(room::Column::FacilityId.eq(facility_id))
        .filter(room::Column::Code.eq(code.as_str()))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    let row = room::ActiveModel {
        facility_id: Set(facility_id),
        code: Set(code),
        name: Set(spec.name.trim().to_owned()),
        capacity: Set(spec.capacity),
        package_codes: Set(spec.packages.as_ref().map(|p| serde_json::json!(p))),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "room", row.id, Changes::created(&row));
    summary.created += 1;
    Ok(())
}

async fn apply_partnership(
    tx: &mut WriteTx,
    spec: &PartnershipSpec,
    summary: &mut CatalogueSummary,
) -> Result<(), AppError> {
    let facility_id = facility_id(tx.conn(), &spec.facility).await?;
    let partner_id = partner_id(tx.conn(), &spec.partner).await?;
    if spec.valid_to.is_some_and(|to| to < spec.valid_from) {
        return Err(AppError::invalid(
            "partnership",
            "valid_to is before valid_from",
        ));
    }
    let found = partnership::Entity::find()
        .filter(partnership::Column::FacilityId.eq(facility_id))
        .filter(partnership::Column::PartnerId.eq(partner_id))
        .filter(partnership::Column::ValidFrom.eq(spec.valid_from))
        .one(tx.conn())
        .await?;
    if found.is_some() {
        summary.unchanged += 1;
        return Ok(());
    }
    let row = partnership::ActiveModel {
        facility_id: Set(facility_id),
        partner_id: Set(partner_id),
        agreement_number: Set(spec.agreement_number.clone()),
        valid_from: Set(spec.valid_from),
        valid_to: Set(spec.valid_to),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "partnership", row.id, Changes::created(&row));
    summary.created += 1;
    Ok(())
}

/// Indonesia's national holidays and cuti bersama, shipped with Bekal (see data/).
pub const NATIONAL_HOLIDAYS_CSV: &str = include_str!("../data/holidays-id.csv");

/// Loads holidays from CSV (`date,name,kind`; `#` lines are comments) as national holidays
/// (`facility_id` null) or a facility's own. Dates already present are left alone.
pub async fn load_holidays(
    app: &App,
    actor: &Actor,
    facility_id: Option<i64>,
    csv_text: &str,
) -> Result<CatalogueSummary, AppError> {
    match facility_id {
        None => actor.authorise(Permission::ManageCatalogue, None)?,
        Some(id) => actor.authorise(Permission::ManageFacilitySetup, Some(id))?,
    }
    let mut parsed = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(csv_text.as_bytes());
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = record.map_err(|e| AppError::invalid(format!("row {row}"), e.to_string()))?;
        let date_text = record.get(0).unwrap_or_default();
        let date = NaiveDate::parse_from_str(date_text.trim(), "%Y-%m-%d").map_err(|_| {
            AppError::invalid(
                format!("row {row}, date"),
                format!("{date_text:?} is not a YYYY-MM-DD date"),
            )
        })?;
        let name = record.get(1).unwrap_or_default().trim().to_owned();
        let kind = record.get(2).unwrap_or("national").trim().to_owned();
        parsed.push((date, name, kind));
    }
    let scope = facility_id.map_or(AuditScope::National, AuditScope::Facility);
    let mut tx = app
        .store
        .begin_write(scope, actor.audit_actor(), app.clock.now())
        .await?;
    let mut query = holiday::Entity::find();
    query = match facility_id {
        Some(id) => query.filter(holiday::Column::FacilityId.eq(id)),
        None => query.filter(holiday::Column::FacilityId.is_null()),
    };
    let known: std::collections::HashSet<NaiveDate> = query
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|h| h.date)
        .collect();
    let mut summary = CatalogueSummary::default();
    let mut fresh = Vec::new();
    for (date, name, kind) in parsed {
        if known.contains(&date)
            || fresh
                .iter()
                .any(|h: &holiday::ActiveModel| h.date.as_ref() == &date)
        {
            summary.unchanged += 1;
            continue;
        }
        fresh.push(holiday::ActiveModel {
            facility_id: Set(facility_id),
            date: Set(date),
            name: Set(name),
            kind: Set(kind),
            ..Default::default()
        });
    }
    summary.created = fresh.len();
    if fresh.is_empty() {
        tx.rollback().await?;
        return Ok(summary);
    }
    for chunk in fresh.chunks(200) {
        holiday::Entity::insert_many(chunk.to_vec())
            .exec(tx.conn())
            .await?;
    }
    tx.audit(
        "load",
        "holidays",
        facility_id.map_or_else(|| "national".to_owned(), |id| id.to_string()),
        Changes::note(serde_json::json!({ "created": summary.created })),
    );
    tx.commit().await?;
    Ok(summary)
}
