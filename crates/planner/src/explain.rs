//! Explanations (stub).

use serde::Serialize;

use crate::model::Instance;
use crate::solution::Solution;

/// Why a class is where it is.
#[derive(Debug, Clone, Serialize)]
pub struct ClassReason {
    pub class_id: String,
    pub reason: String,
}

/// Why a candidate was not selected.
#[derive(Debug, Clone, Serialize)]
pub enum CandidateCause {
    Ineligible { rule: String },
    ReleasedTooEarly,
    Outranked { by: String, gain_difference: i64 },
    Capacity,
}

/// Explanations of a solution.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub classes: Vec<ClassReason>,
    pub not_selected: Vec<(String, String, CandidateCause)>,
}

/// Explains a solution.
pub fn explain(_instance: &Instance, _solution: &Solution) -> Explanation {
    Explanation {
        classes: Vec::new(),
        not_selected: Vec::new(),
    }
}
