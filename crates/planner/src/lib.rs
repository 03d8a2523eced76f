//! Bekal planner: an exact/heuristic solver for the prison vocational-training planning
//! problem (`/work/shared/planner/PROBLEM.md`): which candidates are trained, in which
//! package, stage, room and with which trainer.
//!
//! Public API (used by the CLI):
//! * [`parse_instance`] - JSON text to a validated [`Instance`];
//! * [`solve`] - plans every facility (in parallel), with proven bounds and honest statuses;
//! * [`check`] / [`check_solution`] - the rules of `check.py` (H1-H14, claims C1/C2);
//! * [`explain`] - machine-readable reasons for classes and non-selected candidates.

// Index loops over dense (package, stage) tables read more clearly than iterator chains.
#![allow(clippy::needless_range_loop)]

pub mod assign;
pub mod bound;
pub mod calendar;
pub mod check;
pub mod enumerate;
pub mod explain;
pub mod flow;
pub mod kassign;
pub mod kbb;
pub mod kplan;
pub mod lp;
pub mod model;
pub mod multi;
pub mod prep;
pub mod rng;
pub mod search;
pub mod solution;
pub mod solve;

pub use check::{CheckReport, Violation, check, check_solution};
pub use explain::{
    CandidateCause, ClassReason, Explanation, FacilityExplanation, NotSelected, explain,
};
pub use model::{Facility, Instance, parse_instance};
pub use solution::{ClassOut, FacilitySolution, Objective, Solution, Status};
pub use solve::{SolveOptions, solve};

/// Errors of the planner's public API.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PlannerError {
    /// The text is not JSON of the expected shape.
    #[error("malformed instance JSON: {0}")]
    Json(String),
    /// The instance breaks a rule of the format (code as in check.py: I0-I9).
    #[error("invalid instance [{code}]: {message}")]
    Invalid { code: String, message: String },
}
