//! Instance types for `lapas-training-instance/1` (serde) and their validation.
//!
//! `parse_instance` turns JSON text into an [`Instance`] and checks the same rules as the
//! instance part of `check.py` (codes I0-I9), so that the solver never sees dangling ids or
//! out-of-range numbers. Nothing here panics on malformed input.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::PlannerError;
use crate::calendar::parse_date;

/// Format tag of an instance file.
pub const INSTANCE_FORMAT: &str = "lapas-training-instance/1";

/// A whole instance: independent facilities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Instance {
    /// Must equal [`INSTANCE_FORMAT`].
    pub format: String,
    /// Instance name, echoed in the solution's `instance` field.
    #[serde(default)]
    pub name: String,
    /// Generator seed (informative).
    #[serde(default)]
    pub seed: Option<serde_json::Value>,
    /// Independent facility problems.
    pub facilities: Vec<Facility>,
}

/// One facility (prison): its own calendar, rules, packages, rooms, trainers and candidates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facility {
    pub id: String,
    pub calendar: CalendarSpec,
    #[serde(default)]
    pub rules: Rules,
    pub packages: Vec<Package>,
    pub rooms: Vec<Room>,
    pub trainers: Vec<Trainer>,
    pub candidates: Vec<Candidate>,
    #[serde(default)]
    pub conflicts: Vec<(String, String)>,
}

fn default_stage_days() -> i64 {
    18
}

fn default_weekdays() -> Vec<i64> {
    vec![1, 2, 3, 4, 5, 6]
}

fn default_k() -> i64 {
    1
}

/// Calendar of a facility (dates as `YYYY-MM-DD` strings).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarSpec {
    pub horizon_start: String,
    #[serde(default = "default_stage_days")]
    pub stage_days: i64,
    pub num_stages: i64,
    #[serde(default = "default_weekdays")]
    pub working_weekdays: Vec<i64>,
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// Selection rules of a facility.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rules {
    #[serde(default = "default_k")]
    pub max_packages_per_candidate: i64,
    #[serde(default)]
    pub max_selected: Option<i64>,
    #[serde(default)]
    pub preference_bonus: Vec<i64>,
    #[serde(default)]
    pub required_flags: Vec<String>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_packages_per_candidate: 1,
            max_selected: None,
            preference_bonus: Vec::new(),
            required_flags: Vec::new(),
        }
    }
}

/// A training package (sewing, welding, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Package {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub duration_days: i64,
    pub capacity: i64,
    pub min_size: i64,
    #[serde(default)]
    pub max_classes: Option<i64>,
    pub min_score: i64,
    pub required_flags: Vec<String>,
    pub skill: String,
    pub class_cost: i64,
}

/// A room; `packages: null` hosts any package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Room {
    pub id: String,
    pub packages: Option<Vec<String>>,
}

/// A trainer with skills and unavailable date ranges.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trainer {
    pub id: String,
    pub skills: Vec<String>,
    #[serde(default)]
    pub unavailable: Vec<(String, String)>,
    #[serde(default)]
    pub max_classes: Option<i64>,
}

/// A candidate (inmate) with release date, priority, flags, scores and preferences.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Candidate {
    pub id: String,
    pub release_date: String,
    pub priority: i64,
    #[serde(default)]
    pub flags: Vec<String>,
    pub scores: std::collections::BTreeMap<String, i64>,
    #[serde(default)]
    pub prefs: Vec<String>,
}

/// Parses and validates an instance. Errors name the offending facility and field.
pub fn parse_instance(json: &str) -> Result<Instance, PlannerError> {
    let inst: Instance =
        serde_json::from_str(json).map_err(|e| PlannerError::Json(e.to_string()))?;
    validate_instance(&inst)?;
    Ok(inst)
}

fn invalid(code: &str, msg: String) -> PlannerError {
    PlannerError::Invalid {
        code: code.to_string(),
        message: msg,
    }
}

fn unique<'a>(
    ids: impl Iterator<Item = &'a String>,
    what: &str,
    fac: &str,
) -> Result<HashSet<&'a str>, PlannerError> {
    let mut set = HashSet::new();
    for id in ids {
        if !set.insert(id.as_str()) {
            return Err(invalid(
                "I4",
                format!("facility {fac}: duplicate {what} id {id}"),
            ));
        }
    }
    Ok(set)
}

/// Checks every rule of check.py's instance validation (I0-I9).
pub fn validate_instance(inst: &Instance) -> Result<(), PlannerError> {
    if inst.format != INSTANCE_FORMAT {
        return Err(invalid("I0", format!("format must be {INSTANCE_FORMAT:?}")));
    }
    let mut seen = HashSet::new();
    for f in &inst.facilities {
        if !seen.insert(f.id.as_str()) {
            return Err(invalid("I1", format!("duplicate facility id {}", f.id)));
        }
        validate_facility(f)?;
    }
    Ok(())
}

fn validate_facility(f: &Facility) -> Result<(), PlannerError> {
    let w = &f.id;
    let cal = &f.calendar;
    let h0 = parse_date(&cal.horizon_start);
    if h0.is_none() {
        return Err(invalid(
            "I2",
            format!("facility {w}: calendar.horizon_start must be YYYY-MM-DD"),
        ));
    }
    if cal.stage_days < 1 {
        return Err(invalid(
            "I2",
            format!("facility {w}: calendar.stage_days must be >= 1"),
        ));
    }
    if !(0..=1000).contains(&cal.num_stages) {
        return Err(invalid(
            "I2",
            format!("facility {w}: calendar.num_stages must be in [0, 1000]"),
        ));
    }
    let wk: HashSet<i64> = cal.working_weekdays.iter().copied().collect();
    if cal.working_weekdays.is_empty()
        || wk.len() != cal.working_weekdays.len()
        || cal.working_weekdays.iter().any(|d| !(1..=7).contains(d))
    {
        return Err(invalid(
            "I2",
            format!("facility {w}: calendar.working_weekdays must be distinct ISO weekdays 1..7"),
        ));
    }
    if cal.holidays.iter().any(|h| parse_date(h).is_none()) {
        return Err(invalid(
            "I2",
            format!("facility {w}: calendar.holidays must be dates"),
        ));
    }
    if cal.stage_days.saturating_mul(cal.num_stages) > 1_000_000 {
        return Err(invalid("I2", format!("facility {w}: calendar too long")));
    }
    let r = &f.rules;
    if r.max_packages_per_candidate < 1 {
        return Err(invalid(
            "I3",
            format!("facility {w}: max_packages_per_candidate must be >= 1"),
        ));
    }
    if r.max_selected.is_some_and(|m| m < 0) {
        return Err(invalid(
            "I3",
            format!("facility {w}: max_selected must be null or >= 0"),
        ));
    }
    if r.preference_bonus
        .iter()
        .any(|b| !(0..=1_000_000).contains(b))
    {
        return Err(invalid(
            "I3",
            format!("facility {w}: preference_bonus must be >= 0"),
        ));
    }
    let pk = unique(f.packages.iter().map(|p| &p.id), "package", w)?;
    unique(f.rooms.iter().map(|p| &p.id), "room", w)?;
    unique(f.trainers.iter().map(|p| &p.id), "trainer", w)?;
    let cands = unique(f.candidates.iter().map(|p| &p.id), "candidate", w)?;
    for p in &f.packages {
        let ok = p.duration_days >= 1
            && p.duration_days <= 1_000_000
            && p.capacity >= 1
            && (0..=p.capacity).contains(&p.min_size)
            && p.max_classes.is_none_or(|m| m >= 0)
            && (0..=100).contains(&p.min_score)
            && p.class_cost >= 0;
        if !ok {
            return Err(invalid(
                "I5",
                format!("facility {w}: bad fields in package {}", p.id),
            ));
        }
    }
    for room in &f.rooms {
        if let Some(list) = &room.packages
            && list.iter().any(|x| !pk.contains(x.as_str()))
        {
            return Err(invalid(
                "I6",
                format!("facility {w}: room {} lists an unknown package", room.id),
            ));
        }
    }
    for t in &f.trainers {
        for (a, b) in &t.unavailable {
            let (Some(a), Some(b)) = (parse_date(a), parse_date(b)) else {
                return Err(invalid(
                    "I7",
                    format!("facility {w}: trainer {} bad dates", t.id),
                ));
            };
            if a > b {
                return Err(invalid(
                    "I7",
                    format!("facility {w}: trainer {} range from > to", t.id),
                ));
            }
        }
        if t.max_classes.is_some_and(|m| m < 0) {
            return Err(invalid(
                "I7",
                format!("facility {w}: trainer {} max_classes < 0", t.id),
            ));
        }
    }
    for c in &f.candidates {
        let prefs: HashSet<&str> = c.prefs.iter().map(|s| s.as_str()).collect();
        let ok = parse_date(&c.release_date).is_some()
            && c.priority >= 0
            && c.priority <= 1_000_000_000
            && c.scores
                .iter()
                .all(|(k, v)| pk.contains(k.as_str()) && (0..=100).contains(v))
            && c.prefs.iter().all(|x| pk.contains(x.as_str()))
            && prefs.len() == c.prefs.len();
        if !ok {
            return Err(invalid(
                "I8",
                format!("facility {w}: bad fields in candidate {}", c.id),
            ));
        }
    }
    for (a, b) in &f.conflicts {
        if !cands.contains(a.as_str()) || !cands.contains(b.as_str()) || a == b {
            return Err(invalid(
                "I9",
                format!("facility {w}: bad conflict pair [{a}, {b}]"),
            ));
        }
    }
    Ok(())
}
