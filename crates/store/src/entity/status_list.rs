//! A Bitstring Status List of a partner, for revocation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "status_lists")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub partner_id: i64,
    #[sea_orm(column_type = "Text")]
    pub purpose: String,
    pub size_bits: i32,
    pub next_index: i32,
    #[sea_orm(column_type = "Text")]
    pub encoded_list: String,
    #[sea_orm(column_type = "Text")]
    pub credential: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
