//! A follow-up after release (3, 6, 12 months).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub inmate_id: i64,
    pub months_after_release: i32,
    pub due_on: Date,
    pub contacted_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub outcome: Option<String>,
    pub in_trained_trade: bool,
    #[sea_orm(column_type = "Text")]
    pub employer_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub source: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
