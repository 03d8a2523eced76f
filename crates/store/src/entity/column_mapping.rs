//! A saved mapping of a file's headers to inmate fields.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "column_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub mapping: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
