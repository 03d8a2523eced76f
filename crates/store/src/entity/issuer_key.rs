//! A signing key of a partner (issuer); the secret lives outside the database.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "issuer_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub partner_id: i64,
    #[sea_orm(column_type = "Text")]
    pub did: String,
    #[sea_orm(column_type = "Text")]
    pub verification_method: String,
    #[sea_orm(column_type = "Text")]
    pub public_key_multibase: String,
    #[sea_orm(column_type = "Text")]
    pub secret_ref: String,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
