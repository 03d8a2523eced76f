//! The candidates of the facility's current round, per package, as the selection screen shows
//! them: everyone assessed for the package, ranked by the round's scoring (the waiting list's
//! and the planner's own points), with the rules each one fails (the explanation text, in both
//! languages) and the officer's pin or exclusion with its reason. A read of personal data: it
//! is authorised (`ReadInmates`) and audited.

use super::common::{facility, facts};
use super::explain::Reason;
use super::rounds;
use super::rules::active_rules;
use crate::{Actor, App, AppError, Permission};
use bekal_domain::eligibility::{self, Course};
use bekal_domain::ranking::{RankInput, RankingConfig, rank};
use bekal_store::entity::{assessment, inmate, package};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One assessed inmate for one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CandidateView {
    pub inmate_id: i64,
    pub register_number: String,
    pub name: String,
    pub skill_score: Option<i32>,
    pub preference_rank: Option<i32>,
    /// Rank points (priority x (score + preference bonus)); only for the eligible.
    pub points: Option<i64>,
    /// 1 = first; only for the eligible who are not excluded (pinned people come first, as
    /// the planner places them above any scoring).
    pub position: Option<u32>,
    pub eligible: bool,
    /// Why not eligible (empty when eligible).
    pub failures: Vec<Reason>,
    /// `pin` or `exclude` set by an officer in the current round.
    pub pin: Option<String>,
    pub pin_reason: Option<String>,
    /// The decision recorded when the round was approved (`pending` before).
    pub decision: Option<String>,
}

/// The candidates of one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PackageCandidates {
    pub package: String,
    pub package_name: String,
    pub min_score: i32,
    /// Eligible first in rank order, then the ineligible by register number.
    pub candidates: Vec<CandidateView>,
}

fn reason(code: &str, id: String, en: String) -> Reason {
    Reason {
        code: code.to_owned(),
        id,
        en,
        rule_id: None,
    }
}

/// The candidates of every package with an assessment in the facility (or only `package`).
pub async fn candidates(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    package_code: Option<&str>,
) -> Result<Vec<PackageCandidates>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::ReadInmates, Some(facility.id))?;
    let db = app.store.conn();
    let today = app.clock.today();
    let round = rounds::current(db, facility.id).await?;
    let scoring = round
        .as_ref()
        .map_or_else(RankingConfig::default, rounds::scoring_of);
    let pins = match &round {
        Some(r) => rounds::pins(db, r.id).await?,
        None => HashMap::new(),
    };
    let decisions: HashMap<i64, String> = match &round {
        Some(r) => rounds::decisions(db, r.id).await?,
        None => HashMap::new(),
    };
    let rules = active_rules(db, facility.id).await?;
    let mut query =
        assessment::Entity::find().filter(assessment::Column::FacilityId.eq(facility.id));
    let mut packages_query = package::Entity::find().order_by_asc(package::Column::Code);
    if let Some(code) = package_code {
        let wanted = super::common::package_by_code(db, code).await?;
        query = query.filter(assessment::Column::PackageId.eq(wanted.id));
        packages_query = packages_query.filter(package::Column::Id.eq(wanted.id));
    }
    let rows = query.all(db).await?;
    let people: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let assessed: BTreeSet<i64> = rows.iter().map(|r| r.package_id).collect();
    let packages: Vec<package::Model> = packages_query
        .all(db)
        .await?
        .into_iter()
        .filter(|p| package_code.is_some() || assessed.contains(&p.id))
        .collect();
    let mut out = Vec::new();
    for package in packages {
        let course = Course {
            start: today,
            duration_days: u32::try_from(package.duration_days).unwrap_or(0),
        };
        let mut views = Vec::new();
        let mut inputs = Vec::new();
        for row in rows.iter().filter(|r| r.package_id == package.id) {
            let Some(person) = people.get(&row.inmate_id) else {
                continue;
            };
            let mut failures: Vec<Reason> = Vec::new();
            if person.custody_status != "in_custody" {
                failures.push(reason(
                    "not_in_custody",
                    "tidak lagi berada di UPT".into(),
                    "no longer held in the facility".into(),
                ));
            }
            if person.disciplinary_flag {
                failures.push(reason(
                    "disciplinary_record",
                    "ada catatan pelanggaran disiplin baru-baru ini".into(),
                    "recent disciplinary record".into(),
                ));
            }
            match row.skill_score {
                None => failures.push(reason(
                    "no_score",
                    "belum ada nilai uji keterampilan".into(),
                    "no skill test score yet".into(),
                )),
                Some(score) if score < package.min_score => failures.push(reason(
                    "below_min_score",
                    format!(
                        "nilai uji keterampilan {score} di bawah batas minimum {}",
                        package.min_score
                    ),
                    format!(
                        "skill test score {score} is below the minimum {}",
                        package.min_score
                    ),
                )),
                Some(_) => {}
            }
            if person.expected_release.is_none() {
                failures.push(reason(
                    "no_release_date",
                    "belum ada tanggal ekspirasi (tahanan)".into(),
                    "no expected release date (detainee)".into(),
                ));
            }
            for f in eligibility::evaluate(
                rules.get(&package.id).map_or(&[][..], Vec::as_slice),
                &facts(person, Some(row)),
                &course,
            ) {
                failures.push(Reason {
                    code: format!("rule:{}", f.code),
                    id: f.id,
                    en: f.en,
                    rule_id: f.rule_id,
                });
            }
            let (pin, pin_reason) = match pins.get(&person.id) {
                Some((kind, p, why))
                    if kind == rounds::EXCLUDE && p.is_none_or(|p| p == package.id)
                        || kind == rounds::PIN && *p == Some(package.id) =>
                {
                    (Some(kind.clone()), Some(why.clone()))
                }
                _ => (None, None),
            };
            let eligible = failures.is_empty();
            let excluded = pin.as_deref() == Some(rounds::EXCLUDE);
            if eligible
                && !excluded
                && let (Some(score), Some(release)) = (row.skill_score, person.expected_release)
            {
                inputs.push(RankInput {
                    key: person.register_number.clone(),
                    score,
                    preference_rank: row.preference_rank.and_then(|r| u32::try_from(r).ok()),
                    release,
                    sppn: row.sppn_score.or(person.sppn_score),
                });
            }
            views.push(CandidateView {
                inmate_id: person.id,
                register_number: person.register_number.clone(),
                name: person.name.clone(),
                skill_score: row.skill_score,
                preference_rank: row.preference_rank,
                points: None,
                position: None,
                eligible,
                failures,
                pin,
                pin_reason,
                decision: decisions.get(&person.id).cloned(),
            });
        }
        // The planner puts a pinned person above any scoring: pinned first, in rank order.
        let pinned: BTreeSet<&str> = views
            .iter()
            .filter(|v| v.pin.as_deref() == Some(rounds::PIN))
            .map(|v| v.register_number.as_str())
            .collect();
        let mut order = rank(&scoring, today, &inputs);
        order.sort_by_key(|r| (!pinned.contains(r.key.as_str()), r.position));
        let ranked: HashMap<String, (i64, u32)> = order
            .into_iter()
            .enumerate()
            .map(|(n, r)| (r.key, (r.points, u32::try_from(n + 1).unwrap_or(u32::MAX))))
            .collect();
        for view in &mut views {
            if let Some(&(points, position)) = ranked.get(&view.register_number) {
                view.points = Some(points);
                view.position = Some(position);
            }
        }
        views.sort_by(|a, b| {
            a.position
                .unwrap_or(u32::MAX)
                .cmp(&b.position.unwrap_or(u32::MAX))
                .then_with(|| a.register_number.cmp(&b.register_number))
        });
        out.push(PackageCandidates {
            package: package.code,
            package_name: package.name,
            min_score: package.min_score,
            candidates: views,
        });
    }
    let shown: usize = out.iter().map(|p| p.candidates.len()).sum();
    super::common::audit_read(
        app,
        actor,
        facility.id,
        "selection_candidates",
        round.as_ref().map_or(0, |r| r.id),
        serde_json::json!({
            "packages": out.iter().map(|p| p.package.clone()).collect::<Vec<_>>(),
            "shown": shown,
        }),
    )
    .await?;
    Ok(out)
}

/// The active packages of the catalogue (code, name), for choosing one on a screen.
pub async fn packages(app: &App) -> Result<Vec<(String, String)>, AppError> {
    Ok(package::Entity::find()
        .filter(package::Column::Active.eq(true))
        .order_by_asc(package::Column::Code)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect())
}

/// The id of a package by code (`Invalid` naming `package` when unknown).
pub async fn package_id(app: &App, code: &str) -> Result<i64, AppError> {
    Ok(super::common::package_by_code(app.store.conn(), code)
        .await?
        .id)
}
