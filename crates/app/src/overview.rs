//! Aggregate figures of a facility (no names): what the home page and oversight see first.

use crate::{Actor, App, AppError};
use bekal_store::entity::{enrolment, inmate, package, room, training_class};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;

/// A facility's headline figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacilityOverview {
    pub inmates_in_custody: u64,
    pub inmates_total: u64,
    pub packages: u64,
    pub rooms: u64,
    pub classes_planned: u64,
    pub classes_running: u64,
    pub classes_finished: u64,
    pub enrolments: u64,
}

/// Headline figures of one facility.
pub async fn facility(
    app: &App,
    actor: &Actor,
    facility_id: i64,
) -> Result<FacilityOverview, AppError> {
    let db = app.store.conn();
    crate::actor::authorise_facility_aggregates(db, actor, facility_id).await?;
    let inmates = || inmate::Entity::find().filter(inmate::Column::FacilityId.eq(facility_id));
    let classes = |status: &str| {
        training_class::Entity::find()
            .filter(training_class::Column::FacilityId.eq(facility_id))
            .filter(training_class::Column::Status.eq(status.to_owned()))
    };
    Ok(FacilityOverview {
        inmates_in_custody: inmates()
            .filter(inmate::Column::CustodyStatus.eq("in_custody"))
            .count(db)
            .await?,
        inmates_total: inmates().count(db).await?,
        packages: package::Entity::find()
            .filter(package::Column::Active.eq(true))
            .count(db)
            .await?,
        rooms: room::Entity::find()
            .filter(room::Column::FacilityId.eq(facility_id))
            .count(db)
            .await?,
        classes_planned: classes("planned").count(db).await?,
        classes_running: classes("running").count(db).await?,
        classes_finished: classes("finished").count(db).await?,
        enrolments: enrolment::Entity::find()
            .filter(enrolment::Column::FacilityId.eq(facility_id))
            .count(db)
            .await?,
    })
}
