//! One trainee's attendance at one session.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub session_id: i64,
    pub enrolment_id: i64,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub excuse_kind: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub excuse_text: Option<String>,
    pub hours_attended: i32,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
