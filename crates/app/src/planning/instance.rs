//! The planner instance (`lapas-training-instance/1`) of one facility, built from its data.
//! Built as JSON and parsed by `bekal_planner::parse_instance`, so it passes the same
//! validation as any instance file. The facility's eligibility rules (data) are applied
//! here: a package whose rules fail for an inmate is removed from that candidate, and the
//! failures are returned so the plan can explain them. The facility's current selection
//! round supplies the ranking (release priority bands, preference bonus) and its pins and
//! exclusions: an excluded package is removed like a failed rule; a pinned inmate keeps only
//! the pinned package and gets a priority above everyone else. Non-associations become the
//! planner's conflicts (a hard constraint).

use crate::selection::common::facts;
use crate::selection::rounds::{self, EXCLUDE, PIN};
use crate::selection::rules::active_rules;
use crate::{App, AppError};
use bekal_domain::eligibility::{self, Course, Failure};
use bekal_domain::ranking::RankingConfig;
use bekal_store::entity::{
    assessment, holiday, inmate, non_association, package, partnership, room, trainer,
    trainer_skill, trainer_unavailability,
};
use bekal_store::sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What an officer chooses when planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanParameters {
    pub name: String,
    pub horizon_start: NaiveDate,
    pub stage_days: u32,
    pub num_stages: u32,
    /// At most this many trainees (the Pekalongan case: 60).
    pub max_selected: Option<u32>,
    /// Points for the 1st, 2nd, 3rd choice.
    pub preference_bonus: Vec<i64>,
}

fn flags_of(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A package an inmate was assessed for but is not eligible for, by the data rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleFailures {
    pub package: String,
    pub failures: Vec<Failure>,
}

/// The instance with what the builder decided before the planner saw it.
#[derive(Debug, Clone)]
pub struct BuiltInstance {
    pub instance: bekal_planner::Instance,
    /// By inmate id: the packages dropped because an eligibility rule failed.
    pub rule_failures: BTreeMap<String, Vec<RuleFailures>>,
    /// The selection round whose scoring and pins were applied.
    pub selection_id: Option<i64>,
}

/// The priority of a pinned candidate: above any ranked one (priorities from a scoring are
/// at most 1000), so the planner keeps them whenever the hard rules allow.
const PIN_PRIORITY: i64 = 1_000_000;

/// The instance of one facility, ready for `bekal_planner::solve`.
pub async fn build_instance(
    app: &App,
    facility_id: i64,
    facility_code: &str,
    parameters: &PlanParameters,
) -> Result<bekal_planner::Instance, AppError> {
    Ok(
        build_instance_explained(app, facility_id, facility_code, parameters)
            .await?
            .instance,
    )
}

/// The instance and the eligibility-rule failures that removed packages from candidates.
pub async fn build_instance_explained(
    app: &App,
    facility_id: i64,
    facility_code: &str,
    parameters: &PlanParameters,
) -> Result<BuiltInstance, AppError> {
    let db = app.store.conn();
    let rules = active_rules(db, facility_id).await?;
    let round = rounds::current(db, facility_id).await?;
    let pins = match &round {
        Some(r) => rounds::pins(db, r.id).await?,
        None => HashMap::new(),
    };
    let (scoring, preference_bonus) = match &round {
        Some(r) => {
            let scoring = rounds::scoring_of(r);
            let bonus = scoring.preference_bonus.clone();
            (scoring, bonus)
        }
        None => (
            RankingConfig::default(),
            parameters.preference_bonus.clone(),
        ),
    };
    let packages = package::Entity::find()
        .filter(package::Column::Active.eq(true))
        .all(db)
        .await?;
    let package_codes: HashMap<i64, String> =
        packages.iter().map(|p| (p.id, p.code.clone())).collect();
    let durations: HashMap<i64, u32> = packages
        .iter()
        .map(|p| (p.id, u32::try_from(p.duration_days).unwrap_or(0)))
        .collect();
    let rooms = room::Entity::find()
        .filter(room::Column::FacilityId.eq(facility_id))
        .filter(room::Column::Active.eq(true))
        .all(db)
        .await?;
    let partner_ids: BTreeSet<i64> = partnership::Entity::find()
        .filter(partnership::Column::FacilityId.eq(facility_id))
        .filter(partnership::Column::ValidFrom.lte(parameters.horizon_start))
        .filter(
            Condition::any()
                .add(partnership::Column::ValidTo.is_null())
                .add(partnership::Column::ValidTo.gte(parameters.horizon_start)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.partner_id)
        .collect();
    let trainers = trainer::Entity::find()
        .filter(trainer::Column::PartnerId.is_in(partner_ids))
        .filter(trainer::Column::Active.eq(true))
        .all(db)
        .await?;
    let trainer_ids: Vec<i64> = trainers.iter().map(|t| t.id).collect();
    let mut skills: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for skill in trainer_skill::Entity::find()
        .filter(trainer_skill::Column::TrainerId.is_in(trainer_ids.clone()))
        .all(db)
        .await?
    {
        skills
            .entry(skill.trainer_id)
            .or_default()
            .push(skill.skill);
    }
    let mut unavailable: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for gap in trainer_unavailability::Entity::find()
        .filter(trainer_unavailability::Column::TrainerId.is_in(trainer_ids))
        .all(db)
        .await?
    {
        unavailable
            .entry(gap.trainer_id)
            .or_default()
            .push(json!([gap.date_from, gap.date_to]));
    }
    let holidays: BTreeSet<NaiveDate> = holiday::Entity::find()
        .filter(
            Condition::any()
                .add(holiday::Column::FacilityId.is_null())
                .add(holiday::Column::FacilityId.eq(facility_id)),
        )
        .filter(holiday::Column::Date.gte(parameters.horizon_start))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.date)
        .collect();
    let inmates: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::CustodyStatus.eq("in_custody"))
        .filter(inmate::Column::ExpectedRelease.is_not_null())
        .filter(inmate::Column::DisciplinaryFlag.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let mut by_inmate: BTreeMap<i64, Vec<assessment::Model>> = BTreeMap::new();
    let mut rule_failures: BTreeMap<String, Vec<RuleFailures>> = BTreeMap::new();
    for row in assessment::Entity::find()
        .filter(assessment::Column::FacilityId.eq(facility_id))
        .all(db)
        .await?
    {
        let Some(person) = inmates.get(&row.inmate_id) else {
            continue;
        };
        let Some(code) = package_codes.get(&row.package_id) else {
            continue;
        };
        match pins.get(&row.inmate_id) {
            Some((kind, package, reason))
                if kind == EXCLUDE && package.is_none_or(|p| p == row.package_id) =>
            {
                rule_failures
                    .entry(row.inmate_id.to_string())
                    .or_default()
                    .push(RuleFailures {
                        package: code.clone(),
                        failures: vec![Failure {
                            rule_id: None,
                            code: "excluded".into(),
                            id: format!("dikecualikan oleh petugas: {reason}"),
                            en: format!("excluded by an officer: {reason}"),
                        }],
                    });
                continue;
            }
            Some((kind, Some(package), _)) if kind == PIN && *package != row.package_id => {
                continue;
            }
            _ => {}
        }
        let failures = eligibility::evaluate(
            rules.get(&row.package_id).map_or(&[][..], Vec::as_slice),
            &facts(person, Some(&row)),
            &Course {
                start: parameters.horizon_start,
                duration_days: durations.get(&row.package_id).copied().unwrap_or(0),
            },
        );
        if failures.is_empty() {
            by_inmate.entry(row.inmate_id).or_default().push(row);
        } else {
            rule_failures
                .entry(row.inmate_id.to_string())
                .or_default()
                .push(RuleFailures {
                    package: code.clone(),
                    failures,
                });
        }
    }
    let candidates: Vec<Value> = by_inmate
        .iter()
        .filter_map(|(inmate_id, rows)| {
            let person = inmates.get(inmate_id)?;
            let release = person.expected_release?;
            let mut flags = BTreeSet::new();
            if rows.iter().any(|r| r.security_cleared) {
                flags.insert("cleared");
            }
            if person.health_cleared || rows.iter().any(|r| r.health_cleared) {
                flags.insert("medical_ok");
            }
            if rows.iter().any(|r| r.literate) {
                flags.insert("literate");
            }
            let scores: BTreeMap<&str, i32> = rows
                .iter()
                .filter_map(|r| Some((package_codes.get(&r.package_id)?.as_str(), r.skill_score?)))
                .collect();
            let mut ranked: Vec<(i32, &str)> = rows
                .iter()
                .filter_map(|r| {
                    Some((
                        r.preference_rank?,
                        package_codes.get(&r.package_id)?.as_str(),
                    ))
                })
                .collect();
            ranked.sort();
            let prefs: Vec<&str> = ranked.into_iter().map(|(_, code)| code).collect();
            Some(json!({
                "id": inmate_id.to_string(),
                "release_date": release,
                "priority": if pins.get(inmate_id).is_some_and(|(kind, _, _)| kind == PIN) {
                    PIN_PRIORITY
                } else {
                    scoring.priority(parameters.horizon_start, release)
                },
                "flags": flags,
                "scores": scores,
                "prefs": prefs,
            }))
        })
        .collect();
    let candidate_ids: BTreeSet<String> = by_inmate.keys().map(ToString::to_string).collect();
    let conflicts: Vec<Value> = non_association::Entity::find()
        .filter(non_association::Column::FacilityId.eq(facility_id))
        .filter(non_association::Column::EndedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.inmate_a_id.to_string(), n.inmate_b_id.to_string()))
        .filter(|(a, b)| candidate_ids.contains(a) && candidate_ids.contains(b))
        .map(|(a, b)| json!([a, b]))
        .collect();
    let document = json!({
        "format": "lapas-training-instance/1",
        "name": parameters.name,
        "seed": 1,
        "facilities": [{
            "id": facility_code,
            "calendar": {
                "horizon_start": parameters.horizon_start,
                "stage_days": parameters.stage_days,
                "num_stages": parameters.num_stages,
                "working_weekdays": [1, 2, 3, 4, 5, 6],
                "holidays": holidays,
            },
            "rules": {
                "max_packages_per_candidate": 1,
                "max_selected": parameters.max_selected,
                "preference_bonus": preference_bonus,
                "required_flags": ["cleared"],
            },
            "packages": packages.iter().map(|p| json!({
                "id": p.code,
                "name": p.name,
                "duration_days": p.duration_days,
                "capacity": p.capacity,
                "min_size": p.min_size,
                "max_classes": p.max_classes,
                "min_score": p.min_score,
                "required_flags": flags_of(&p.required_flags),
                "skill": p.trainer_skill,
                "class_cost": 0,
            })).collect::<Vec<_>>(),
            "rooms": rooms.iter().map(|r| json!({
                "id": r.code,
                "packages": r.package_codes.as_ref().map(flags_of),
            })).collect::<Vec<_>>(),
            "trainers": trainers.iter().map(|t| json!({
                "id": t.id.to_string(),
                "skills": skills.get(&t.id).cloned().unwrap_or_default(),
                "unavailable": unavailable.get(&t.id).cloned().unwrap_or_default(),
                "max_classes": t.max_classes,
            })).collect::<Vec<_>>(),
            "candidates": candidates,
            "conflicts": conflicts,
        }],
    });
    let instance = bekal_planner::parse_instance(&document.to_string())
        .map_err(|e| AppError::Internal(format!("planner instance: {e}")))?;
    Ok(BuiltInstance {
        instance,
        rule_failures,
        selection_id: round.map(|r| r.id),
    })
}
