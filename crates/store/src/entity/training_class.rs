//! A class: package, stage, room, partner.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "classes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub plan_id: i64,
    pub package_id: i64,
    pub partner_id: i64,
    pub room_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    pub stage: i32,
    pub start_date: Date,
    pub end_date: Date,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub explanation: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
