//! Explaining selection: for every inmate of a facility, whether the approved plan selected
//! them (and into which package and class), or why not: not eligible (which rule), released
//! before any class could end, outranked within capacity (by whom and by how much), or no
//! place. Reasons come in Indonesian and English. The explanations are the planner's own
//! (`bekal_planner::explain`), stored with the plan when it was solved, with the eligibility
//! rules (data) that removed packages before planning, each citing its rule id.

use crate::facilities::find_by_code;
use crate::planning::RuleFailures;
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{enrolment, inmate, package, plan, training_class};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// One reason, in both languages, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reason {
    pub code: String,
    pub id: String,
    pub en: String,
    /// The eligibility rule that failed, when the reason is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<i64>,
}

/// Where one inmate stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SelectionExplanation {
    pub register_number: String,
    /// `selected`, `waiting`, `not_selected` or `ineligible`.
    pub status: String,
    pub package: Option<String>,
    pub class: Option<String>,
    pub reasons: Vec<Reason>,
}

fn reason(code: &str, id: String, en: String) -> Reason {
    Reason {
        code: code.to_owned(),
        id,
        en,
        rule_id: None,
    }
}

/// The reasons of the data rules that removed packages from a candidate.
fn rule_failure_reasons(list: &[RuleFailures]) -> Vec<Reason> {
    list.iter()
        .flat_map(|entry| {
            entry.failures.iter().map(|f| Reason {
                code: format!("rule:{}", f.code),
                id: format!("paket {}: {}", entry.package, f.id),
                en: format!("package {}: {}", entry.package, f.en),
                rule_id: f.rule_id,
            })
        })
        .collect()
}

fn rule_reason(rule: &str) -> Reason {
    if let Some(flag) = rule.strip_prefix("missing_flag:") {
        let (id, en) = match flag {
            "cleared" => (
                "belum lolos penilaian keamanan".to_owned(),
                "no security clearance".to_owned(),
            ),
            "medical_ok" => (
                "belum lolos pemeriksaan kesehatan untuk paket ini".to_owned(),
                "no health clearance for this package".to_owned(),
            ),
            other => (
                format!("syarat {other} belum terpenuhi"),
                format!("requirement {other} not met"),
            ),
        };
        return reason(rule, id, en);
    }
    if let Some(scores) = rule.strip_prefix("below_min_score:") {
        let (score, minimum) = scores.split_once('<').unwrap_or((scores, "?"));
        return reason(
            "below_min_score",
            format!("nilai uji keterampilan {score} di bawah batas minimum {minimum}"),
            format!("skill test score {score} is below the minimum {minimum}"),
        );
    }
    if rule == "not_assessed" {
        return reason(
            rule,
            "belum diasesmen untuk paket mana pun".into(),
            "not assessed for any package".into(),
        );
    }
    reason(
        rule,
        format!("aturan {rule} tidak terpenuhi"),
        format!("rule {rule} not met"),
    )
}

/// Explanations for the facility's inmates (or one of them), from its latest approved plan.
pub async fn explain(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    register_number: Option<&str>,
) -> Result<Vec<SelectionExplanation>, AppError> {
    let facility = find_by_code(app, facility_code).await?.ok_or_else(|| {
        AppError::invalid("facility", format!("unknown facility {facility_code}"))
    })?;
    actor.authorise(Permission::ReadInmates, Some(facility.id))?;
    let db = app.store.conn();
    let mut query = inmate::Entity::find().filter(inmate::Column::FacilityId.eq(facility.id));
    if let Some(number) = register_number {
        query = query.filter(inmate::Column::RegisterNumber.eq(number.trim()));
    }
    let people = query
        .order_by_asc(inmate::Column::RegisterNumber)
        .all(db)
        .await?;
    if register_number.is_some() && people.is_empty() {
        return Err(AppError::NotFound(format!(
            "inmate {}",
            register_number.unwrap_or_default()
        )));
    }
    let approved = plan::Entity::find()
        .filter(plan::Column::FacilityId.eq(facility.id))
        .filter(plan::Column::Status.eq("approved"))
        .order_by_desc(plan::Column::Id)
        .one(db)
        .await?;
    let packages: HashMap<i64, String> = package::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    let mut placed: HashMap<i64, (String, String)> = HashMap::new();
    let mut causes: HashMap<String, Value> = HashMap::new();
    let mut codes_by_id: HashMap<String, String> = HashMap::new();
    let mut failed_rules: HashMap<String, Vec<RuleFailures>> = HashMap::new();
    if let Some(plan) = &approved {
        if let Some(value) = plan.solver.as_ref().and_then(|s| s.get("rule_failures")) {
            failed_rules = serde_json::from_value(value.clone()).unwrap_or_default();
        }
        let classes = training_class::Entity::find()
            .filter(training_class::Column::PlanId.eq(plan.id))
            .all(db)
            .await?;
        let class_by_id: HashMap<i64, &training_class::Model> =
            classes.iter().map(|c| (c.id, c)).collect();
        for row in enrolment::Entity::find()
            .filter(enrolment::Column::ClassId.is_in(classes.iter().map(|c| c.id)))
            .all(db)
            .await?
        {
            if let Some(class) = class_by_id.get(&row.class_id) {
                let package = packages.get(&class.package_id).cloned().unwrap_or_default();
                placed.insert(row.inmate_id, (package, class.code.clone()));
            }
        }
        if let Some(list) = plan
            .solver
            .as_ref()
            .and_then(|s| s.get("not_selected"))
            .and_then(Value::as_array)
        {
            for entry in list {
                if let Some(candidate) = entry.get("candidate").and_then(Value::as_str) {
                    causes.insert(candidate.to_owned(), entry.clone());
                }
            }
        }
        for person in &people {
            codes_by_id.insert(person.id.to_string(), person.register_number.clone());
        }
    }
    let outranked_by = |id: &str| {
        codes_by_id
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    };
    Ok(people
        .iter()
        .map(|person| {
            let key = person.id.to_string();
            if let Some((package, class)) = placed.get(&person.id) {
                return SelectionExplanation {
                    register_number: person.register_number.clone(),
                    status: "selected".into(),
                    package: Some(package.clone()),
                    class: Some(class.clone()),
                    reasons: vec![reason(
                        "selected",
                        format!("terpilih untuk paket {package}, kelas {class}"),
                        format!("selected for package {package}, class {class}"),
                    )],
                };
            }
            let by_rules = failed_rules.get(&key).map(|l| rule_failure_reasons(l)).unwrap_or_default();
            let only_rules = !by_rules.is_empty()
                && causes.get(&key).is_none_or(|c| c.get("rule").and_then(Value::as_str) == Some("not_assessed"));
            if only_rules {
                return SelectionExplanation { register_number: person.register_number.clone(), status: "ineligible".into(), package: None, class: None, reasons: by_rules };
            }
            let (status, mut reasons) = match (&approved, causes.get(&key)) {
                (None, _) => ("not_selected", vec![reason("no_plan", "belum ada rencana pelatihan yang disetujui".into(), "no approved training plan yet".into())]),
                (Some(_), None) => ("ineligible", vec![not_a_candidate(person)]),
                (Some(_), Some(cause)) => match cause.get("cause").and_then(Value::as_str) {
                    Some("Ineligible") => ("ineligible", vec![rule_reason(cause.get("rule").and_then(Value::as_str).unwrap_or("unknown"))]),
                    Some("ReleasedTooEarly") => ("not_selected", vec![reason("released_too_early", "bebas sebelum kelas mana pun dapat selesai".into(), "released before any class could end".into())]),
                    Some("Outranked") => {
                        let by = outranked_by(cause.get("by").and_then(Value::as_str).unwrap_or("?"));
                        let points = cause.get("gain_difference").and_then(Value::as_i64).unwrap_or(0);
                        ("not_selected", vec![reason("outranked", format!("kalah peringkat dari {by} dengan selisih {points} poin dalam kuota kelas"), format!("outranked within class capacity by {by} by {points} points"))])
                    }
                    _ => ("not_selected", vec![reason("capacity", "tidak ada tempat di kelas yang dapat diikuti".into(), "no place left in a usable class".into())]),
                },
            };
            reasons.extend(by_rules);
            SelectionExplanation { register_number: person.register_number.clone(), status: status.into(), package: None, class: None, reasons }
        })
        .collect())
}

/// Why an inmate was not even a candidate of the plan.
fn not_a_candidate(person: &inmate::Model) -> Reason {
    if person.custody_status != "in_custody" {
        return reason(
            "not_in_custody",
            "tidak lagi berada di UPT".into(),
            "no longer held in the facility".into(),
        );
    }
    if person.expected_release.is_none() {
        return reason(
            "no_release_date",
            "belum ada tanggal ekspirasi (tahanan)".into(),
            "no expected release date (detainee)".into(),
        );
    }
    if person.disciplinary_flag {
        return reason(
            "disciplinary_record",
            "ada catatan pelanggaran disiplin baru-baru ini".into(),
            "recent disciplinary record".into(),
        );
    }
    rule_reason("not_assessed")
}
