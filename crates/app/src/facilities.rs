//! Facilities (UPT Pemasyarakatan): registering one and listing them.

use crate::{Actor, App, AppError, Permission};
use bekal_domain::codes::FacilityCode;
use bekal_domain::status::FacilityKind;
use bekal_store::entity::facility;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use serde::Serialize;

/// A facility as shown to users and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacilityView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: FacilityKind,
    pub region: Option<String>,
    pub city: Option<String>,
}

impl TryFrom<facility::Model> for FacilityView {
    type Error = AppError;
    fn try_from(row: facility::Model) -> Result<Self, AppError> {
        Ok(FacilityView {
            kind: row.kind.parse().map_err(|_| {
                AppError::Internal(format!(
                    "facility {} has unknown kind {:?}",
                    row.code, row.kind
                ))
            })?,
            id: row.id,
            code: row.code,
            name: row.name,
            region: row.region,
            city: row.city,
        })
    }
}

/// What is needed to register a facility.
#[derive(Debug, Clone)]
pub struct NewFacility {
    pub code: String,
    pub name: String,
    pub kind: FacilityKind,
    pub region: Option<String>,
    pub city: Option<String>,
}

fn clean_optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Registers a facility. A code already in use is a conflict.
pub async fn add(app: &App, actor: &Actor, new: NewFacility) -> Result<FacilityView, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let code = FacilityCode::parse(&new.code)?;
    let name = new.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::invalid("name", "must not be empty"));
    }
    if find_by_code(app, code.as_str()).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "facility {code} already exists"
        )));
    }
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let row = facility::ActiveModel {
        code: Set(code.to_string()),
        name: Set(name),
        kind: Set(new.kind.as_str().to_owned()),
        region: Set(clean_optional(new.region)),
        city: Set(clean_optional(new.city)),
        utc_offset_minutes: Set(420),
        active: Set(true),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "facility", row.id, Changes::created(&row));
    tx.commit().await?;
    FacilityView::try_from(row)
}

/// Every facility, by code.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<FacilityView>, AppError> {
    actor.authorise(Permission::ListFacilities, None)?;
    facility::Entity::find()
        .order_by_asc(facility::Column::Code)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(FacilityView::try_from)
        .collect()
}

/// The facility with this code, if any (no permission check: internal lookups only).
pub(crate) async fn find_by_code(
    app: &App,
    code: &str,
) -> Result<Option<facility::Model>, AppError> {
    Ok(facility::Entity::find()
        .filter(facility::Column::Code.eq(code.trim().to_ascii_uppercase()))
        .one(app.store.conn())
        .await?)
}

/// The facility with this code, or a not-found error that names the code.
pub async fn get_by_code(app: &App, actor: &Actor, code: &str) -> Result<FacilityView, AppError> {
    actor.authorise(Permission::ListFacilities, None)?;
    find_by_code(app, code)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {code}")))
        .and_then(FacilityView::try_from)
}
