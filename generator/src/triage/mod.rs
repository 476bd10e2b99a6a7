//! What happens to findings after a test: the shared findings store, and
//! merging stores into one with an index per signature, and shrinking a
//! finding while its signature holds. No LibAFL here.

pub mod merge;
pub mod reduce;
pub mod store;

pub use store::{FindingMeta, FindingReport, ReproRuns, Store};
