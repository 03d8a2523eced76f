//! Bekal's store: one code path for SQLite (the embedded default) and PostgreSQL (national
//! deployments), chosen by URL. Entities, queries and migrations are written once with SeaORM;
//! any difference between the backends is confined to this crate (connection pragmas, the
//! audit head lock, backup).
//!
//! Every write goes through [`WriteTx`]: one transaction that also appends its audit rows to a
//! hash chain, so a change and its audit record are committed together or not at all.

pub mod audit;
pub mod backup;
mod connect;
pub mod entity;
mod error;
pub mod migration;
pub mod testing;
mod write;

pub use audit::{AuditActor, AuditScope, Changes};
pub use connect::{Backend, Store, redact_url};
pub use error::StoreError;
pub use sea_orm;
pub use write::WriteTx;
