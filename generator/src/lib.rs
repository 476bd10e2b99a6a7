//! leanfuzz: a generator-based fuzzer for the Lean 4 toolchain (Lean, Lake,
//! the `comparator` judge and external kernels such as nanoda).
//!
//! The crate is split by concept so that data flows one way
//! (cli → fuzz → targets → triage, oracles → harness, kernel, lean):
//! - [`lean`] is the program model: a typed AST, depth-bounded
//!   type-directed generation, rendering to Lean text, tree mutations;
//! - [`kernel`] is the kernel term model: environments, the lean4export
//!   NDJSON format, recursor derivation, generation, mutation and
//!   semantics-preserving variants of environments;
//! - [`harness`] checks one file: the [`harness::Checker`] interface over
//!   the Lake + comparator pipeline and the external kernels, one
//!   [`harness::Report`] type, verdict classification, process limits;
//! - [`oracles`] judge a report beyond the verdict table: the generator's
//!   label and metamorphic relations;
//! - [`targets`] are what is fuzzed — input model, generate, mutate,
//!   features, check — without LibAFL;
//! - [`triage`] keeps findings: the store and its typed records, merge and
//!   index, reduction, and the one reproduce → reduce → confirm → store
//!   workflow;
//! - [`report`] is the campaign report: one HTML page of rates, corpus and
//!   validity over time, verdicts, judges, findings and tool versions;
//! - [`fuzz`] is the LibAFL glue only (it knows no Lean);
//! - [`cli`] holds the subcommands behind the thin `main` binary.
//!
//! `tests/architecture.rs` keeps the models, checkers, oracles, targets,
//! triage and the report free of LibAFL, and `fuzz` free of the models.

pub mod cli;
pub mod fuzz;
pub mod harness;
pub mod kernel;
pub mod lean;
pub mod oracles;
pub mod report;
pub mod targets;
pub mod triage;
