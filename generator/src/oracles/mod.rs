//! Oracles: what judges a checker's [`Report`](crate::harness::Report)
//! beyond the verdict table of its back-end. The generator knows what it
//! built — a well-formed environment must be accepted, an ill-formed one
//! rejected at its labelled declaration, a theorem of `False` never
//! accepted ([`label`]) — and a semantics-preserving variant of an input
//! must get the same answer from every kernel ([`metamorphic`]). No LibAFL
//! here: the fuzz loop, `main kernels` and `main reduce` judge alike.

pub mod axioms;
pub mod label;
pub mod metamorphic;

pub use label::{judge_environment, Label, LabelledKernels};
