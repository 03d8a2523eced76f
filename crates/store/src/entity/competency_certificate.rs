//! A BNSP competency certificate issued by an LSP (recorded, not issued).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "competency_certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub inmate_id: i64,
    #[sea_orm(column_type = "Text")]
    pub lsp_name: String,
    #[sea_orm(column_type = "Text")]
    pub number: String,
    #[sea_orm(column_type = "Text")]
    pub scheme: String,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
