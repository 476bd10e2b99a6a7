//! The LibAFL side of a [`Target`]: its input must be a LibAFL input (the
//! impls are in `input.rs`), and its mutations are offered to LibAFL's
//! havoc scheduler as one mutator over every kind of its mutation family.
//! The loop (client, executor, LLMP wiring) is written once over
//! [`FuzzTarget`].

use libafl::inputs::Input;

pub use crate::targets::{Target, TestError, Tested};

/// A target the LibAFL loop can run.
pub trait FuzzTarget: Target<Input: Input> {}

impl<T: Target<Input: Input>> FuzzTarget for T {}
