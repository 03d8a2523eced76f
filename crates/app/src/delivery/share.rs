//! The running attendance share per trainee: hours attended over hours of the sessions held so
//! far, the best share still reachable if they attend every remaining session, and a warning
//! when the package minimum is out of reach. Counting follows `completion`: present and late
//! count, capped at the session's hours; cancelled sessions count for nothing.

use super::{authorise_class, load_class};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{AttendanceStatus, SessionStatus};
use bekal_store::entity::{attendance, enrolment, inmate, package, training_session};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;

/// The figures of one trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ShareFigures {
    pub held_hours: i64,
    pub attended_hours: i64,
    /// Hours of sessions still scheduled (or moved) and not yet held.
    pub remaining_hours: i64,
    /// Attended over held, whole percent (100 when nothing was held yet).
    pub percent: i64,
    /// (attended + remaining) over (held + remaining), whole percent.
    pub best_reachable_percent: i64,
    /// The minimum can no longer be reached, even attending everything left.
    pub below_reachable: bool,
}

/// The attendance share of one enrolment (pure; exact integer comparisons, no rounding).
pub fn attendance_share(
    held_hours: i64,
    attended_hours: i64,
    remaining_hours: i64,
    min_percent: i32,
) -> ShareFigures {
    let min = i64::from(min_percent);
    let best_num = attended_hours + remaining_hours;
    let best_den = held_hours + remaining_hours;
    let percent = |num: i64, den: i64| if den > 0 { num * 100 / den } else { 100 };
    ShareFigures {
        held_hours,
        attended_hours,
        remaining_hours,
        percent: percent(attended_hours, held_hours),
        best_reachable_percent: percent(best_num, best_den),
        below_reachable: best_den > 0 && best_num * 100 < min * best_den,
    }
}

/// One trainee's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TraineeShare {
    pub enrolment_id: i64,
    pub name: String,
    pub number_in_class: Option<i32>,
    pub state: String,
    pub min_attendance_percent: i32,
    pub figures: ShareFigures,
}

/// The running share of every enrolment of a class.
pub async fn class_shares(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<Vec<TraineeShare>, AppError> {
    let conn = app.store.conn();
    let class = load_class(conn, class_id).await?;
    authorise_class(conn, actor, &class, Permission::RecordAttendance).await?;
    let package = package::Entity::find_by_id(class.package_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("package {}", class.package_id)))?;
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .all(conn)
        .await?;
    let mut held: HashMap<i64, i64> = HashMap::new();
    let mut remaining = 0;
    for s in &sessions {
        match s.status.parse::<SessionStatus>()? {
            SessionStatus::Held => {
                held.insert(s.id, i64::from(s.hours_jp));
            }
            SessionStatus::Scheduled | SessionStatus::Moved => remaining += i64::from(s.hours_jp),
            SessionStatus::Cancelled => {}
        }
    }
    let held_hours: i64 = held.values().sum();
    let mut attended: HashMap<i64, i64> = HashMap::new();
    for row in attendance::Entity::find()
        .filter(attendance::Column::SessionId.is_in(held.keys().copied()))
        .all(conn)
        .await?
    {
        if matches!(
            row.status.parse::<AttendanceStatus>()?,
            AttendanceStatus::Present | AttendanceStatus::Late
        ) {
            let cap = held.get(&row.session_id).copied().unwrap_or(0);
            *attended.entry(row.enrolment_id).or_default() +=
                i64::from(row.hours_attended).clamp(0, cap);
        }
    }
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(enrolments.iter().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut lines: Vec<TraineeShare> = enrolments
        .into_iter()
        .map(|e| TraineeShare {
            enrolment_id: e.id,
            name: names.get(&e.inmate_id).cloned().unwrap_or_default(),
            number_in_class: e.number_in_class,
            state: e.state,
            min_attendance_percent: package.min_attendance_percent,
            figures: attendance_share(
                held_hours,
                attended.get(&e.id).copied().unwrap_or(0),
                remaining,
                package.min_attendance_percent,
            ),
        })
        .collect();
    lines.sort_by_key(|l| (l.number_in_class.unwrap_or(i32::MAX), l.enrolment_id));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::attendance_share;

    #[test]
    fn exactly_the_minimum_is_reachable_one_hour_less_is_not() {
        // 100 JP course, 80%: 80 attended of 80 held, 20 to go.
        let at = attendance_share(80, 60, 20, 80);
        assert_eq!(at.best_reachable_percent, 80);
        assert!(!at.below_reachable);
        let short = attendance_share(80, 59, 20, 80);
        assert!(short.below_reachable);
        assert_eq!(short.percent, 73);
    }

    #[test]
    fn nothing_held_yet_is_full_share() {
        let s = attendance_share(0, 0, 0, 80);
        assert_eq!(s.percent, 100);
        assert!(!s.below_reachable);
    }
}
