//! A date range a trainer cannot teach.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "trainer_unavailability")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub trainer_id: i64,
    pub date_from: Date,
    pub date_to: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
