//! Planning: builds the planner's instance from the database (assessments, packages, rooms,
//! trainers of the facility's partners and their unavailability, holidays, release dates,
//! non-associations), solves it with `bekal-planner`, and stores the result as a draft plan
//! with its classes, trainers and enrolments. An approved plan supersedes the previous one.

mod instance;
mod store_plan;

pub use instance::{
    BuiltInstance, PlanParameters, RuleFailures, build_instance, build_instance_explained,
};
pub mod view;
pub use store_plan::{PlanSummary, approve_plan, create_draft_plan, refresh_class_statuses};
