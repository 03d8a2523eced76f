//! An agreement between a facility and a partner, with a validity period.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "partnerships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub partner_id: i64,
    #[sea_orm(column_type = "Text")]
    pub agreement_number: Option<String>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub scope: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
