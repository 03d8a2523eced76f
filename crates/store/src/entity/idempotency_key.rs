//! A processed submission, so retries never write twice.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub facility_id: i64,
    pub user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub request_sha256: String,
    pub status_code: i32,
    #[sea_orm(column_type = "Text")]
    pub response: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
