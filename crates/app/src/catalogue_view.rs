//! The programme catalogue as it stands, for national administrators to read on screen:
//! partners, packages with their units and completion rules, trainers with their skills (no
//! phone numbers), and rooms by facility, switched-off records too. Changes go through
//! [`crate::catalogue_edit`] (the screens) or a catalogue document (`catalogue::apply`).

use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{
    competency_unit, facility, package, package_unit, partner, room, trainer, trainer_skill,
};
use bekal_store::sea_orm::{EntityTrait, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;

/// A training partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PartnerRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub city: Option<String>,
    pub certificate_number_format: String,
    pub active: bool,
}

/// A package with its units (code, title, hours) in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PackageRow {
    pub code: String,
    pub name: String,
    pub hours_jp: i32,
    pub duration_days: i32,
    pub capacity: i32,
    pub min_size: i32,
    pub max_classes: Option<i32>,
    pub trainer_skill: String,
    pub min_score: i32,
    pub min_attendance_percent: i32,
    pub units: Vec<(String, String, i32)>,
    pub active: bool,
}

/// A trainer of a partner with their skills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TrainerRow {
    pub id: i64,
    pub partner_code: String,
    pub name: String,
    pub skills: Vec<String>,
    pub max_classes: Option<i32>,
    /// Whether the trainer has an account (and so sees their classes).
    pub has_account: bool,
    pub active: bool,
}

/// A room of a facility and the packages it suits (empty: any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoomRow {
    pub facility_code: String,
    pub code: String,
    pub name: String,
    pub capacity: i32,
    pub packages: Vec<String>,
    pub active: bool,
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CatalogueOverview {
    pub partners: Vec<PartnerRow>,
    pub packages: Vec<PackageRow>,
    pub trainers: Vec<TrainerRow>,
    pub rooms: Vec<RoomRow>,
}

/// The catalogue, each list by code (trainers by partner and name, rooms by facility).
pub async fn overview(app: &App, actor: &Actor) -> Result<CatalogueOverview, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let conn = app.store.conn();
    let partners_all = partner::Entity::find()
        .order_by_asc(partner::Column::Code)
        .all(conn)
        .await?;
    let partner_codes: HashMap<i64, String> = partners_all
        .iter()
        .map(|p| (p.id, p.code.clone()))
        .collect();
    let units: HashMap<i64, competency_unit::Model> = competency_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut links: HashMap<i64, Vec<package_unit::Model>> = HashMap::new();
    for link in package_unit::Entity::find().all(conn).await? {
        links.entry(link.package_id).or_default().push(link);
    }
    let packages = package::Entity::find()
        .order_by_asc(package::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(|p| {
            let mut own = links.remove(&p.id).unwrap_or_default();
            own.sort_by_key(|l| l.position);
            PackageRow {
                units: own
                    .iter()
                    .filter_map(|l| units.get(&l.unit_id))
                    .map(|u| (u.code.clone(), u.title.clone(), u.hours_jp))
                    .collect(),
                code: p.code,
                name: p.name,
                hours_jp: p.hours_jp,
                duration_days: p.duration_days,
                capacity: p.capacity,
                min_size: p.min_size,
                max_classes: p.max_classes,
                trainer_skill: p.trainer_skill,
                min_score: p.min_score,
                min_attendance_percent: p.min_attendance_percent,
                active: p.active,
            }
        })
        .collect();
    let mut skills: HashMap<i64, Vec<String>> = HashMap::new();
    for s in trainer_skill::Entity::find().all(conn).await? {
        skills.entry(s.trainer_id).or_default().push(s.skill);
    }
    let mut trainers: Vec<TrainerRow> = trainer::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| {
            let mut own = skills.remove(&t.id).unwrap_or_default();
            own.sort();
            TrainerRow {
                id: t.id,
                active: t.active,
                partner_code: partner_codes
                    .get(&t.partner_id)
                    .cloned()
                    .unwrap_or_default(),
                name: t.name,
                skills: own,
                max_classes: t.max_classes,
                has_account: t.user_id.is_some(),
            }
        })
        .collect();
    trainers.sort_by(|a, b| (&a.partner_code, &a.name).cmp(&(&b.partner_code, &b.name)));
    let facility_codes: HashMap<i64, String> = facility::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.code))
        .collect();
    let mut rooms: Vec<RoomRow> = room::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| RoomRow {
            facility_code: facility_codes
                .get(&r.facility_id)
                .cloned()
                .unwrap_or_default(),
            packages: r
                .package_codes
                .as_ref()
                .and_then(|v| serde_json::from_value::<Vec<String>>(v.clone()).ok())
                .unwrap_or_default(),
            code: r.code,
            name: r.name,
            capacity: r.capacity,
            active: r.active,
        })
        .collect();
    rooms.sort_by(|a, b| (&a.facility_code, &a.code).cmp(&(&b.facility_code, &b.code)));
    Ok(CatalogueOverview {
        partners: partners_all
            .into_iter()
            .map(|p| PartnerRow {
                code: p.code,
                name: p.name,
                kind: p.kind,
                city: p.city,
                certificate_number_format: p.certificate_number_format,
                active: p.active,
            })
            .collect(),
        packages,
        trainers,
        rooms,
    })
}
