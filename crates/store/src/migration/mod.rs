//! The migrations, embedded in the binary and run on start and by `bekal migrate`. The same
//! migration ids run on SQLite and PostgreSQL. Append-only: never edit a released migration.

mod dsl;
mod m20261129_000001_initial;
mod m20261129_000002_accounts;
mod m20261202_000200_selection_versions;
mod m20261203_000300_report_figures;
mod m20261207_000400_holder_links;
mod m20261207_000500_issuer_did_method;
mod m20261207_000600_retention;

use sea_orm_migration::prelude::*;

/// Every migration, in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000002_accounts::Migration),
            Box::new(m20261202_000200_selection_versions::Migration),
            Box::new(m20261203_000300_report_figures::Migration),
            Box::new(m20261207_000400_holder_links::Migration),
            Box::new(m20261207_000500_issuer_did_method::Migration),
            Box::new(m20261207_000600_retention::Migration),
        ]
    }
}
