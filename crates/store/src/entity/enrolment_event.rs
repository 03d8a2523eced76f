//! A state change of an enrolment (withdrawn, released...).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "enrolment_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub enrolment_id: i64,
    #[sea_orm(column_type = "Text")]
    pub from_state: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub to_state: String,
    pub effective_on: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
