//! What happens to findings after a test: the shared findings store, and
//! merging stores into one with an index per signature. No LibAFL here.

pub mod merge;
pub mod store;

pub use store::{FindingMeta, ReproRuns, Store};
