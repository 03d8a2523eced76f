//! Bekal's domain: the words of vocational training in correctional facilities, as types and
//! pure rules. Nothing here performs I/O or reads the wall clock; time arrives through
//! [`clock::Clock`] or as plain dates, so every rule can be tested with pinned days.

pub mod calendar;
pub mod clock;
pub mod codes;
pub mod eligibility;
pub mod error;
pub mod names;
pub mod pembinaan;
pub mod ranking;
pub mod rng;
pub mod role;
pub mod status;

pub use error::DomainError;
