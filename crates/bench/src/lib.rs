//! Bekal's benchmark suite: a deterministic synthetic national data set in the import formats,
//! and measurements of Bekal beside an anchor run on the same machine in the same run (the
//! method is in docs/benchmarks.md). Timing lives here, never in tests.

pub mod credentials;
pub mod http;
pub mod measure;
pub mod national;
pub mod plan;
pub mod reports;
pub mod synthetic;
pub mod synthetic_xlsx;
