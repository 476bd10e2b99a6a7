//! The observer that carries a test's verdict. LibAFL's `ExitKind` has no
//! room for "the judge accepted False" or a signature, and observers travel
//! with every LLMP event, so other clients judge a shared testcase by it
//! without running it again.

use std::borrow::Cow;

use libafl::observers::Observer;
use libafl::Error;
use libafl_bolts::Named;
use serde::{Deserialize, Serialize};

use crate::harness::Verdict;

/// What one test produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Option<Verdict>,
    pub signature: String,
    /// The construct families of the program (novelty is judged on them
    /// too).
    pub families: Vec<String>,
    /// Whether all build errors were in the suffix.
    pub prefix_valid: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerdictObserver {
    name: Cow<'static, str>,
    pub outcome: Outcome,
}

impl VerdictObserver {
    pub const NAME: &'static str = "verdict";

    pub fn new() -> Self {
        VerdictObserver {
            name: Cow::Borrowed(Self::NAME),
            outcome: Outcome::default(),
        }
    }
}

impl Default for VerdictObserver {
    fn default() -> Self {
        Self::new()
    }
}

impl Named for VerdictObserver {
    fn name(&self) -> &Cow<'static, str> {
        &self.name
    }
}

impl<I, S> Observer<I, S> for VerdictObserver {
    fn pre_exec(&mut self, _state: &mut S, _input: &I) -> Result<(), Error> {
        self.outcome = Outcome::default();
        Ok(())
    }
}
