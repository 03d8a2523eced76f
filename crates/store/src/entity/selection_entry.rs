//! One inmate's outcome in a selection, with its reasons.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "selection_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub selection_id: i64,
    pub inmate_id: i64,
    pub package_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub decision: String,
    pub rank: Option<i32>,
    pub score: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub pin: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub pin_reason: Option<String>,
    pub reasons: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
