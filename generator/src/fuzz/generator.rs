//! Fresh programs for the initial corpus, from the state's random source.

use libafl::generators::Generator;
use libafl::state::HasRand;
use libafl::Error;
use libafl_bolts::rands::Rand;

use super::ProgramInput;
use crate::lean::gen::{generate, GenConfig};

/// Generates programs with a fixed configuration.
#[derive(Debug, Clone)]
pub struct ProgramGenerator {
    cfg: GenConfig,
}

impl ProgramGenerator {
    pub fn new(cfg: GenConfig) -> Self {
        ProgramGenerator { cfg }
    }
}

impl<S: HasRand> Generator<ProgramInput, S> for ProgramGenerator {
    fn generate(&mut self, state: &mut S) -> Result<ProgramInput, Error> {
        let seed = state.rand_mut().next();
        Ok(ProgramInput {
            program: generate(seed, &self.cfg).program,
        })
    }
}
