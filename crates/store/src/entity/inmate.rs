//! An inmate (WBP) in a facility's registry: sensitive personal data.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "inmates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub facility_id: i64,
    #[sea_orm(column_type = "Text")]
    pub register_number: String,
    #[sea_orm(column_type = "Text")]
    pub register_class: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub aliases: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub sex: Option<String>,
    pub birth_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub religion: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub education: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub origin_city: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub case_article: Option<String>,
    pub sentence_days: Option<i32>,
    pub sentence_start: Option<Date>,
    pub expected_release: Option<Date>,
    pub remission_days: i32,
    #[sea_orm(column_type = "Text")]
    pub block: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub cell: Option<String>,
    pub sppn_score: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub risk_level: Option<String>,
    pub health_cleared: bool,
    pub disciplinary_flag: bool,
    #[sea_orm(column_type = "Text")]
    pub prior_skills: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub interests: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub custody_status: String,
    /// When retention erased the personal fields (the row stays for the figures).
    pub erased_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
