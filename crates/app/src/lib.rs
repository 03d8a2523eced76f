//! Bekal's service layer: every use case, shared by the web pages, the JSON API and the CLI.
//! Each use case follows the same path: authorise the actor -> check the domain rules ->
//! one write transaction -> its audit entries. Adapters stay thin: they parse input, call a
//! function here and render what it returns.

pub mod accounts;
pub mod actor;
pub mod assessments;
pub mod auth;
pub mod catalogue;
pub mod catalogue_edit;
pub mod catalogue_view;
pub mod certificates;
pub mod classes;
pub mod completion;
pub mod custody;
pub mod dashboard;
pub mod delivery;
pub mod demo;
mod error;
pub mod facilities;
pub mod followup;
pub mod holidays;
pub mod idempotency;
pub mod import;
pub mod inmates;
pub mod maintenance;
pub mod overview;
pub mod planning;
pub mod registry;
pub mod reports;
pub mod results;
pub mod retention;
pub mod selection;
pub mod subject_access;

pub use actor::{Actor, Permission};
pub use error::AppError;

use bekal_domain::clock::Clock;
use bekal_store::Store;
use std::sync::Arc;

/// What every use case needs: the store and the clock. Cheap to clone; holds no state that a
/// second server would need (servers stay stateless).
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        App { store, clock }
    }
}
