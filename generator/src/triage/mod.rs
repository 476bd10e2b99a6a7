//! What happens to findings after a test: the shared findings store and
//! its typed records, merging stores into one with an index per signature,
//! shrinking a finding while its signature holds, and the one workflow —
//! reproduce, reduce, confirm, store, index — that the fuzz loop,
//! `repro`, `reduce` and `kernels` all call. No LibAFL here.

pub mod dropped;
pub mod merge;
pub mod record;
pub mod recovery;
pub mod reduce;
pub mod rescue;
pub mod store;
pub mod workflow;

pub use record::FindingRecord;
pub use store::{FindingMeta, ReproRuns, Store};
pub use workflow::Judge;
