//! A skill a trainer can teach (matches a package's trainer_skill).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "trainer_skills")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub trainer_id: i64,
    #[sea_orm(column_type = "Text")]
    pub skill: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
