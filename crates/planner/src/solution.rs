//! Solution types for `lapas-training-solution/1` (serde) and the internal plan form.

use serde::{Deserialize, Serialize};

/// Format tag of a solution file.
pub const SOLUTION_FORMAT: &str = "lapas-training-solution/1";

/// Solve status of a facility or the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Value equals a proven bound and the makespan is proven minimal for it.
    #[serde(rename = "OPTIMAL")]
    Optimal,
    /// A valid plan without an optimality proof.
    #[serde(rename = "FEASIBLE")]
    Feasible,
}

/// A whole solution file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Solution {
    pub format: String,
    pub instance: String,
    pub partial: bool,
    pub solver: serde_json::Value,
    pub status: Status,
    pub wall_time_s: f64,
    pub objective: Objective,
    pub facilities: Vec<FacilitySolution>,
}

/// Totals over facilities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Objective {
    pub value: i64,
    pub makespan_stages: i64,
    pub value_bound: Option<i64>,
}

/// The plan of one facility.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FacilitySolution {
    pub id: String,
    pub status: Status,
    pub value: i64,
    pub makespan_stages: i64,
    pub value_bound: Option<i64>,
    pub wall_time_s: f64,
    pub classes: Vec<ClassOut>,
}

/// One class of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassOut {
    pub id: String,
    pub package: String,
    pub stage: i64,
    pub room: String,
    pub trainer: String,
    pub start_date: String,
    pub end_date: String,
    pub members: Vec<String>,
}

/// Internal class form (dense indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub p: usize,
    pub s: usize,
    pub r: usize,
    pub t: usize,
    pub members: Vec<usize>,
}
