//! An inmate's place in a class.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub class_id: i64,
    pub inmate_id: i64,
    #[sea_orm(column_type = "Text")]
    pub state: String,
    pub enrolled_on: Date,
    pub state_changed_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub state_reason: Option<String>,
    pub number_in_class: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
