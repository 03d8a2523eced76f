//! A training package (program pelatihan).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "packages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub name_en: Option<String>,
    pub hours_jp: i32,
    pub duration_days: i32,
    pub capacity: i32,
    pub min_size: i32,
    pub max_classes: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub trainer_skill: String,
    pub min_score: i32,
    pub min_attendance_percent: i32,
    pub required_flags: Json,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
