//! Checking one file: the [`Checker`] interface over both back-ends — the
//! Lake + comparator pipeline (a fresh workspace per test, a copy of the
//! pristine template; `lake build` and the comparator in their own process
//! groups under limits) and the external kernels — and the one [`Report`]
//! type they return, classified into a [`Verdict`].
//!
//! Nothing here knows about LibAFL or the generators: a checker takes a
//! file's text and returns a report.

pub mod checker;
pub mod classify;
pub mod error;
pub mod interrupt;
pub mod isolation;
pub mod kernels;
pub mod pipeline;
pub mod process;
pub mod report;
pub mod template;
pub mod toolchain;
pub mod verdict;
pub mod workdir;
pub mod workspace;

pub use checker::Checker;
pub use error::HarnessError;
pub use pipeline::{ComparatorMode, Pipeline, PipelineConfig};
pub use report::{KernelAnswer, Report, StageReport};
pub use verdict::{Classification, Verdict};
