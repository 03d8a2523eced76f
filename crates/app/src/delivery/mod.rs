//! Delivery (issue 6): the training as it happens. Sessions generated from an approved plan
//! ([`sessions`]), attendance sheets with idempotent, conflict-checked submissions and kept
//! corrections ([`attendance`]), the running attendance share ([`share`]), mid-course
//! enrolment state changes ([`enrolments`]), the attendance register export ([`export`]) and
//! bulk entry of past sheets ([`catch_up`], used by the demo).

pub mod attendance;
pub mod catch_up;
pub mod enrolments;
pub mod export;
pub mod register_sheet;
pub mod sessions;
pub mod share;

use crate::{Actor, AppError, Permission};
use bekal_domain::calendar::TrainingCalendar;
use bekal_domain::role::Role;
use bekal_store::entity::{class_trainer, holiday, trainer, training_class, training_session};
use bekal_store::sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

/// Loads a class or says it is not found.
pub(crate) async fn load_class(
    conn: &impl ConnectionTrait,
    class_id: i64,
) -> Result<training_class::Model, AppError> {
    training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))
}

/// Loads a session and its class.
pub(crate) async fn load_session(
    conn: &impl ConnectionTrait,
    session_id: i64,
) -> Result<(training_session::Model, training_class::Model), AppError> {
    let session = training_session::Entity::find_by_id(session_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("session {session_id}")))?;
    let class = load_class(conn, session.class_id).await?;
    Ok((session, class))
}

/// Allows `permission` on a class: a trainer only on the classes they teach (through
/// `class_trainers` and their account's `trainers.user_id`), everyone else by facility.
pub(crate) async fn authorise_class(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    class: &training_class::Model,
    permission: Permission,
) -> Result<(), AppError> {
    if let Actor::User {
        id,
        role: Role::Trainer,
        ..
    } = actor
    {
        let own: Vec<i64> = trainer::Entity::find()
            .filter(trainer::Column::UserId.eq(*id))
            .all(conn)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let teaches = class_trainer::Entity::find()
            .filter(class_trainer::Column::ClassId.eq(class.id))
            .filter(class_trainer::Column::TrainerId.is_in(own))
            .one(conn)
            .await?
            .is_some();
        return if teaches {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("{permission:?}")))
        };
    }
    actor.authorise(permission, Some(class.facility_id))
}

/// The facility's training calendar: Monday to Saturday minus national and own holidays.
pub(crate) async fn facility_calendar(
    conn: &impl ConnectionTrait,
    facility_id: i64,
) -> Result<TrainingCalendar, AppError> {
    let holidays = holiday::Entity::find()
        .filter(
            Condition::any()
                .add(holiday::Column::FacilityId.is_null())
                .add(holiday::Column::FacilityId.eq(facility_id)),
        )
        .all(conn)
        .await?;
    Ok(TrainingCalendar {
        holidays: holidays.into_iter().map(|h| h.date).collect(),
        ..TrainingCalendar::default()
    })
}

/// Splits `total` hours over `days` days: whole JP per day, the remainder on the first days.
pub fn spread_hours(total: i32, days: usize) -> Vec<i32> {
    let Ok(count) = i32::try_from(days) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let (base, rest) = (total.max(0) / count, total.max(0) % count);
    (0..count).map(|i| base + i32::from(i < rest)).collect()
}

/// A non-empty, trimmed reason, or an Invalid error naming `field`.
pub(crate) fn required_text(field: &str, value: &str) -> Result<String, AppError> {
    let text = value.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::spread_hours;

    #[test]
    fn hours_spread_with_the_remainder_first() {
        assert_eq!(spread_hours(32, 5), vec![7, 7, 6, 6, 6]);
        assert_eq!(spread_hours(30, 5), vec![6; 5]);
        assert!(spread_hours(30, 0).is_empty());
    }
}
