//! An intake assessment of an inmate for a package.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub inmate_id: i64,
    pub package_id: i64,
    pub skill_score: Option<i32>,
    pub preference_rank: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub prior_experience: Option<String>,
    pub health_cleared: bool,
    pub security_cleared: bool,
    pub literate: bool,
    pub sppn_score: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub assessed_by: Option<i64>,
    pub assessed_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
