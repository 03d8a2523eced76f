//! An inmate's place on a package's waiting list.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "waiting_list_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub package_id: i64,
    pub inmate_id: i64,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub rank: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub updated_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
