//! Completion: who has earned a certificate. A trainee completes a package when they attended
//! at least the package's `min_attendance_percent` of the hours (JP) of the class's held
//! sessions (present and late count as attended hours; excused and absent do not), every unit
//! of the package is currently K, and the enrolment was not ended early (withdrawn, dismissed,
//! transferred, ...). [`evaluate`] is the pure rule; [`class_completion`] loads its inputs.

use crate::AppError;
use crate::results::{current_decisions, package_units};
use bekal_domain::status::{AttendanceStatus, EnrolmentState, SessionStatus, UnitDecision};
use bekal_store::entity::{attendance, enrolment, package, training_class, training_session};
use bekal_store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;

/// What the rule needs to know about one trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionInput {
    pub enrolment_state: EnrolmentState,
    pub min_attendance_percent: i32,
    /// Hours (JP) of the class's held sessions.
    pub held_hours: i64,
    /// Hours (JP) the trainee attended (present or late) in held sessions.
    pub attended_hours: i64,
    /// Every unit of the package with the trainee's current decision, if any.
    pub units: Vec<(String, Option<UnitDecision>)>,
}

/// The verdict, with every reason a trainee is not (yet) eligible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub eligible: bool,
    /// Attended hours as a whole percentage of held hours (0 when nothing was held).
    pub attendance_percent: i64,
    pub reasons: Vec<String>,
}

/// Applies the completion rule.
pub fn evaluate(input: &CompletionInput) -> Verdict {
    let mut reasons = Vec::new();
    if !matches!(
        input.enrolment_state,
        EnrolmentState::Enrolled | EnrolmentState::Completed
    ) {
        reasons.push(format!("enrolment ended: {}", input.enrolment_state));
    }
    let percent = if input.held_hours > 0 {
        input.attended_hours * 100 / input.held_hours
    } else {
        0
    };
    if input.held_hours <= 0 {
        reasons.push("no session held".to_owned());
    } else if input.attended_hours * 100
        < i64::from(input.min_attendance_percent) * input.held_hours
    {
        reasons.push(format!(
            "attendance {}/{} JP ({percent}%) below {}%",
            input.attended_hours, input.held_hours, input.min_attendance_percent
        ));
    }
    if input.units.is_empty() {
        reasons.push("package has no units".to_owned());
    }
    for (code, decision) in &input.units {
        match decision {
            Some(UnitDecision::Competent) => {}
            Some(UnitDecision::NotYetCompetent) => reasons.push(format!("unit {code}: BK")),
            None => reasons.push(format!("unit {code}: not assessed")),
        }
    }
    Verdict {
        eligible: reasons.is_empty(),
        attendance_percent: percent,
        reasons,
    }
}

/// One trainee's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraineeCompletion {
    pub enrolment_id: i64,
    pub inmate_id: i64,
    pub verdict: Verdict,
}

/// Evaluates every enrolment of a class (no permission check: callers authorise).
pub async fn class_completion(
    conn: &impl ConnectionTrait,
    class: &training_class::Model,
) -> Result<Vec<TraineeCompletion>, AppError> {
    let package = package::Entity::find_by_id(class.package_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("package {}", class.package_id)))?;
    let units = package_units(conn, package.id).await?;
    let decisions = current_decisions(conn, class.id).await?;
    let held: HashMap<i64, i64> = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class.id))
        .filter(training_session::Column::Status.eq(SessionStatus::Held.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, i64::from(s.hours_jp)))
        .collect();
    let held_hours: i64 = held.values().sum();
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .order_by_asc(enrolment::Column::Id)
        .all(conn)
        .await?;
    let mut attended: HashMap<i64, i64> = HashMap::new();
    for row in attendance::Entity::find()
        .filter(attendance::Column::SessionId.is_in(held.keys().copied()))
        .all(conn)
        .await?
    {
        let counts = matches!(
            row.status.parse::<AttendanceStatus>()?,
            AttendanceStatus::Present | AttendanceStatus::Late
        );
        if counts {
            let cap = held.get(&row.session_id).copied().unwrap_or(0);
            *attended.entry(row.enrolment_id).or_default() +=
                i64::from(row.hours_attended).clamp(0, cap);
        }
    }
    enrolments
        .into_iter()
        .map(|e| {
            let input = CompletionInput {
                enrolment_state: e.state.parse()?,
                min_attendance_percent: package.min_attendance_percent,
                held_hours,
                attended_hours: attended.get(&e.id).copied().unwrap_or(0),
                units: units
                    .iter()
                    .map(|u| (u.code.clone(), decisions.get(&(e.id, u.id)).copied()))
                    .collect(),
            };
            Ok(TraineeCompletion {
                enrolment_id: e.id,
                inmate_id: e.inmate_id,
                verdict: evaluate(&input),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(attended: i64, decisions: &[Option<UnitDecision>]) -> CompletionInput {
        CompletionInput {
            enrolment_state: EnrolmentState::Enrolled,
            min_attendance_percent: 80,
            held_hours: 100,
            attended_hours: attended,
            units: decisions
                .iter()
                .enumerate()
                .map(|(i, d)| (format!("U{i}"), *d))
                .collect(),
        }
    }

    #[test]
    fn eighty_percent_and_all_units_k_is_eligible() {
        let k = Some(UnitDecision::Competent);
        assert!(evaluate(&input(80, &[k, k])).eligible);
        let short = evaluate(&input(79, &[k, k]));
        assert!(!short.eligible);
        assert_eq!(short.reasons, vec!["attendance 79/100 JP (79%) below 80%"]);
    }

    #[test]
    fn bk_or_missing_units_and_ended_enrolments_give_reasons() {
        let v = evaluate(&input(100, &[Some(UnitDecision::NotYetCompetent), None]));
        assert_eq!(v.reasons, vec!["unit U0: BK", "unit U1: not assessed"]);
        let mut withdrawn = input(100, &[Some(UnitDecision::Competent)]);
        withdrawn.enrolment_state = EnrolmentState::Withdrawn;
        assert_eq!(
            evaluate(&withdrawn).reasons,
            vec!["enrolment ended: withdrawn"]
        );
        let mut none_held = input(0, &[Some(UnitDecision::Competent)]);
        none_held.held_hours = 0;
        assert!(!evaluate(&none_held).eligible);
    }
}
