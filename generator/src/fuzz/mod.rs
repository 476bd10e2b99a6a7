//! LibAFL glue: the program AST as a LibAFL input, the generator and the
//! AST mutators as LibAFL components, an executor over the isolated test
//! pipeline with an observer that carries the verdict, feedbacks that need
//! no coverage map, and the fuzz loop. The Lean-specific work is done by
//! `lean/` and `harness/`; this module only wires them together.

pub mod client;
pub mod executor;
pub mod feedback;
pub mod generator;
pub mod input;
pub mod llmp;
pub mod mutators;
pub mod observer;
pub mod resume;
pub mod simple;
pub mod stats;

pub use executor::PipelineExecutor;
pub use input::ProgramInput;
pub use observer::{Outcome, VerdictObserver};
