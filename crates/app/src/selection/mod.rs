//! Selection (issue 4): eligibility rules as data, configurable ranking, selection rounds with
//! pins, exclusions and an approval lock, non-associations, waiting lists, the CSV import of
//! intake assessments, and the explanation of every inmate's outcome.

pub mod candidates;
pub(crate) mod common;
pub mod explain;
pub mod import_assessments;
pub mod non_associations;
pub mod rounds;
pub mod rules;
pub mod waiting_list;

pub use explain::{Reason, SelectionExplanation, explain};
