//! leanfuzz: a generator-based fuzzer for the Lean 4 toolchain (Lean, Lake and
//! the `comparator` judge).
//!
//! The crate is split by concept so that data flows one way:
//! - [`harness`] runs one Lean file through the isolated test pipeline and
//!   classifies what happened (no LibAFL, no generator knowledge);
//! - [`cli`] holds the subcommands behind the thin `main` binary.

pub mod cli;
pub mod fuzz;
pub mod harness;
pub mod kernel;
pub mod lean;
pub mod oracles;
pub mod targets;
pub mod triage;
