//! LibAFL glue only: a target of `targets/` (its input, generator,
//! mutations and test) as LibAFL components, an executor with an observer
//! that carries the verdict, feedbacks that need no coverage map, and the
//! fuzz loop (one process, or one per core under LLMP, over shared memory
//! that goes with its processes), with its statistics and the status board
//! the user watches. Nothing here knows
//! Lean: the targets, checkers and oracles do that work, and this module
//! only wires them into LibAFL (a test keeps it so).

pub mod client;
pub mod executor;
pub mod feedback;
pub mod generator;
pub mod input;
pub mod llmp;
pub mod mutators;
pub mod observer;
pub mod resume;
pub mod shmem;
pub mod simple;
pub mod stats;
pub mod status;
pub mod target;

pub use executor::TargetExecutor;
pub use observer::{Outcome, VerdictObserver};
