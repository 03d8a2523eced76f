//! An issued training certificate and its signed credential.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    pub partner_id: i64,
    pub enrolment_id: i64,
    pub batch_id: Option<i64>,
    pub issuer_key_id: i64,
    pub status_list_id: i64,
    pub status_index: i32,
    #[sea_orm(column_type = "Text")]
    pub number: String,
    #[sea_orm(column_type = "Text")]
    pub holder_name: String,
    #[sea_orm(column_type = "Text")]
    pub credential: String,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub revoked_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub revoked_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
