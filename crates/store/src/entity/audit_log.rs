//! One audit entry, hash-chained to the previous one in its chain.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub chain: String,
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub actor: String,
    pub facility_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub entity: String,
    #[sea_orm(column_type = "Text")]
    pub entity_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub changes: String,
    #[sea_orm(column_type = "Text")]
    pub prev_hash: String,
    #[sea_orm(column_type = "Text")]
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
