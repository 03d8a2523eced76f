//! A signed checkpoint of an audit chain (count and head hash).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub chain: String,
    pub seq: i64,
    #[sea_orm(column_type = "Text")]
    pub head_hash: String,
    #[sea_orm(column_type = "Text")]
    pub key_id: String,
    #[sea_orm(column_type = "Text")]
    pub signature: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
