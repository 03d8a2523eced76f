//! One training day of a class.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub class_id: i64,
    pub date: Date,
    pub hours_jp: i32,
    pub trainer_id: Option<i64>,
    pub room_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub moved_from: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub sheet_version: i32,
    /// Hours (JP) attended on this session's sheet: the sum of its attendance rows, kept
    /// with the sheet.
    pub attended_hours: i32,
    /// Trainees on this session's sheet (its attendance rows).
    pub marked_trainees: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
