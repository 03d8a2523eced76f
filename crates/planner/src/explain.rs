//! Explanations for the app: for each class, a short machine-readable reason for its stage,
//! room and trainer; for each candidate not selected, a cause (ineligible, released too
//! early, outranked by a selected candidate, or capacity). A pure function of
//! (instance, solution); it does not re-run the solver.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::model::{Facility, Instance};
use crate::prep::{Prep, ineligibility};
use crate::solution::{FacilitySolution, Solution};

/// Why a class is where it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClassReason {
    pub class_id: String,
    /// Latest start stage all members can use (their release dates allow no later start).
    pub members_latest_stage: Option<usize>,
    /// Stages in which this package could start at all (room, trainer, horizon).
    pub possible_stages: Vec<usize>,
    /// Rooms able to host the package.
    pub compatible_rooms: Vec<String>,
    /// Trainers with the skill who are available for the whole class.
    pub qualified_trainers: Vec<String>,
    /// Sum of member gains minus the class cost.
    pub net_value: i64,
    /// One-line summary, e.g. `stage<=members_deadline;room:compatible;trainer:qualified`.
    pub reason: String,
}

/// Why a candidate was not selected.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "cause")]
pub enum CandidateCause {
    /// Not eligible for any package; `rule` names the rule for the best-scored package
    /// (`missing_flag:X`, `below_min_score:s<m`, `not_assessed`).
    Ineligible { rule: String },
    /// Eligible, but no class of an eligible package can end before the release date.
    ReleasedTooEarly,
    /// A usable class exists; its weakest member has a larger (or equal) gain.
    Outranked { by: String, gain_difference: i64 },
    /// No seat in a usable class (none opened, rooms/trainers taken, conflicts or the cap).
    Capacity,
}

/// A non-selected candidate and the cause.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NotSelected {
    pub candidate: String,
    #[serde(flatten)]
    pub cause: CandidateCause,
}

/// Explanations of one facility.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacilityExplanation {
    pub id: String,
    pub classes: Vec<ClassReason>,
    pub not_selected: Vec<NotSelected>,
}

/// Explanations of a solution.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Explanation {
    pub facilities: Vec<FacilityExplanation>,
}

/// Explains a solution (facilities of the solution that are not in the instance are skipped).
pub fn explain(instance: &Instance, solution: &Solution) -> Explanation {
    let by_id: HashMap<&str, &Facility> = instance
        .facilities
        .iter()
        .map(|f| (f.id.as_str(), f))
        .collect();
    let facilities = solution
        .facilities
        .iter()
        .filter_map(|fs| {
            let f = by_id.get(fs.id.as_str())?;
            let prep = Prep::new(f)?;
            Some(explain_facility(f, &prep, fs))
        })
        .collect();
    Explanation { facilities }
}

fn explain_facility(f: &Facility, prep: &Prep, fs: &FacilitySolution) -> FacilityExplanation {
    let pidx: HashMap<&str, usize> = f
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let gain_of = |i: usize, p: usize| prep.opts[i].iter().find(|o| o.p == p).map(|o| o.gain);
    let mut selected: HashSet<usize> = HashSet::new();
    let mut classes = Vec::new();
    // (package, stage, weakest member gain, weakest member, size, capacity)
    let mut usable: Vec<(usize, usize, i64, usize, usize, usize)> = Vec::new();
    for c in &fs.classes {
        let Some(&p) = pidx.get(c.package.as_str()) else {
            continue;
        };
        let s = usize::try_from(c.stage).unwrap_or(0);
        let pk = &prep.pkgs[p];
        let members: Vec<usize> = c
            .members
            .iter()
            .filter_map(|m| prep.cand_index.get(m).copied())
            .collect();
        selected.extend(members.iter().copied());
        let latest = members
            .iter()
            .filter_map(|&i| prep.opts[i].iter().find(|o| o.p == p).map(|o| o.last))
            .min();
        let net: i64 = members.iter().filter_map(|&i| gain_of(i, p)).sum::<i64>() - pk.cost;
        let possible: Vec<usize> = (0..prep.stages).filter(|&x| pk.start_ok[x]).collect();
        let trainers: Vec<String> = pk
            .trainers
            .get(s)
            .map(|ts| ts.iter().map(|&t| f.trainers[t].id.clone()).collect())
            .unwrap_or_default();
        let rooms: Vec<String> = pk.rooms.iter().map(|&r| f.rooms[r].id.clone()).collect();
        let stage_reason = match latest {
            Some(l) if l == s => "stage:last_before_earliest_release",
            Some(_) if possible.first() == Some(&s) => "stage:earliest_possible",
            Some(_) => "stage:free_room_and_trainer",
            None => "stage:empty_class",
        };
        let room_reason = if rooms.len() == 1 {
            "room:only_compatible"
        } else {
            "room:compatible_and_free"
        };
        let trainer_reason = if trainers.len() == 1 {
            "trainer:only_qualified"
        } else {
            "trainer:qualified_and_free"
        };
        classes.push(ClassReason {
            class_id: c.id.clone(),
            members_latest_stage: latest,
            possible_stages: possible,
            compatible_rooms: rooms,
            qualified_trainers: trainers,
            net_value: net,
            reason: format!("{stage_reason};{room_reason};{trainer_reason}"),
        });
        if let Some((g, i)) = members
            .iter()
            .filter_map(|&i| gain_of(i, p).map(|g| (g, i)))
            .min()
        {
            usable.push((p, s, g, i, members.len(), pk.cap));
        }
    }
    let mut not_selected = Vec::new();
    for (i, cand) in f.candidates.iter().enumerate() {
        if selected.contains(&i) {
            continue;
        }
        let eligible: Vec<usize> = (0..f.packages.len())
            .filter(|&p| ineligibility(f, i, p).is_none())
            .collect();
        let cause = if eligible.is_empty() {
            // the rule for the best-scored package (or the first package)
            let p = (0..f.packages.len())
                .max_by_key(|&p| {
                    (
                        cand.scores.get(&f.packages[p].id).copied().unwrap_or(-1),
                        std::cmp::Reverse(p),
                    )
                })
                .unwrap_or(0);
            CandidateCause::Ineligible {
                rule: ineligibility(f, i, p).unwrap_or_else(|| "no_packages".into()),
            }
        } else if prep.opts[i].is_empty() {
            CandidateCause::ReleasedTooEarly
        } else {
            // usable classes: package eligible, stage not after the candidate's last stage
            let mut best: Option<(i64, usize)> = None;
            for o in &prep.opts[i] {
                for &(p, s, g, j, _, _) in &usable {
                    if p == o.p && s <= o.last && g >= o.gain {
                        let diff = g - o.gain;
                        if best.is_none_or(|b| diff < b.0) {
                            best = Some((diff, j));
                        }
                    }
                }
            }
            match best {
                Some((diff, j)) => CandidateCause::Outranked {
                    by: f.candidates[j].id.clone(),
                    gain_difference: diff,
                },
                None => CandidateCause::Capacity,
            }
        };
        not_selected.push(NotSelected {
            candidate: cand.id.clone(),
            cause,
        });
    }
    FacilityExplanation {
        id: f.id.clone(),
        classes,
        not_selected,
    }
}
