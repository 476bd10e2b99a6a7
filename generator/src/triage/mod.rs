//! What happens to findings after a test: the shared findings store (and,
//! later, merge, dedup and reduce). No LibAFL here.

pub mod store;

pub use store::{FindingMeta, Store};
