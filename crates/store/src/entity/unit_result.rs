//! An assessor's K/BK decision on a unit; re-assessments add attempts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "unit_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub enrolment_id: i64,
    pub unit_id: i64,
    #[sea_orm(column_type = "Text")]
    pub decision: String,
    pub attempt: i32,
    pub current: bool,
    pub assessor_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub assessor_name: Option<String>,
    pub assessed_on: Date,
    #[sea_orm(column_type = "Text")]
    pub evidence_note: Option<String>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
