//! LibAFL glue: a [`target::Target`] (its input, generator, mutators and
//! test) as LibAFL components, an executor with an observer that carries
//! the verdict, feedbacks that need no coverage map, and the fuzz loop
//! (one process, or one per core under LLMP). Three targets: Lean programs
//! through the pipeline (`program`), kernel environments through external
//! kernels (`kernels`), and kernel environments as Lean files through the
//! pipeline (`kernels_lean`). The Lean-specific work is done by
//! `lean/` and `harness/`; this module only wires them together.

pub mod client;
pub mod executor;
pub mod feedback;
pub mod generator;
pub mod input;
pub mod kernels;
pub mod kernels_lean;
pub mod llmp;
pub mod mutators;
pub mod observer;
pub mod program;
pub mod resume;
pub mod simple;
pub mod stats;
pub mod target;

pub use executor::TargetExecutor;
pub use input::ProgramInput;
pub use observer::{Outcome, VerdictObserver};
