//! The target pipeline: a fresh workspace per test (copy of the pristine Lake
//! template), `lake build` and the comparator run in their own process groups
//! under limits, and one classified verdict per test.
//!
//! Nothing here knows about LibAFL or the generator: the pipeline takes Lean
//! source text and returns a [`TestReport`].

pub mod classify;
pub mod error;
pub mod interrupt;
pub mod isolation;
pub mod kernels;
pub mod pipeline;
pub mod process;
pub mod template;
pub mod toolchain;
pub mod verdict;
pub mod workspace;

pub use error::HarnessError;
pub use pipeline::{ComparatorMode, Pipeline, PipelineConfig};
pub use verdict::{StageReport, TestReport, Verdict};
