//! A user account with one role and its scope.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub username: String,
    #[sea_orm(column_type = "Text")]
    pub display_name: String,
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    #[sea_orm(column_type = "Text")]
    pub role: String,
    pub facility_id: Option<i64>,
    pub partner_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub region: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub locale: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub totp_secret: Option<String>,
    pub totp_required: bool,
    pub recovery_codes: Option<Json>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub password_changed_at: Option<DateTimeUtc>,
    pub active: bool,
    pub totp_enabled_at: Option<DateTimeUtc>,
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
