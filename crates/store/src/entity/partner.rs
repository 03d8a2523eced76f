//! A training partner: BLK, LPK, LSP, company.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub region: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub city: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub head_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub head_title: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub certificate_number_format: String,
    pub certificate_sequence: i32,
    #[sea_orm(column_type = "Text")]
    pub website: Option<String>,
    pub active: bool,
    /// `key` (did:key) or `web` (did:web under the public address), for the next key.
    #[sea_orm(column_type = "Text")]
    pub issuer_did_method: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
