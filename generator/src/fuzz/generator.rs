//! Fresh inputs for the initial corpus, from the state's random source.

use libafl::generators::Generator;
use libafl::state::HasRand;
use libafl::Error;
use libafl_bolts::rands::Rand;

use super::target::FuzzTarget;

/// Generates inputs with a target's generator (a copy of the target: the
/// executor owns the one that runs tests).
#[derive(Debug, Clone)]
pub struct TargetGenerator<T> {
    target: T,
}

impl<T> TargetGenerator<T> {
    pub fn new(target: T) -> Self {
        TargetGenerator { target }
    }
}

impl<T: FuzzTarget, S: HasRand> Generator<T::Input, S> for TargetGenerator<T> {
    fn generate(&mut self, state: &mut S) -> Result<T::Input, Error> {
        let seed = state.rand_mut().next();
        Ok(self.target.generate(seed))
    }
}
