//! The environment mutations of `kernel::mutate` as LibAFL mutators, one
//! per kind, so LibAFL's havoc scheduler picks among them.

use std::borrow::Cow;

use libafl::mutators::{MutationResult, Mutator};
use libafl::state::{HasCorpus, HasRand};
use libafl::Error;
use libafl_bolts::rands::Rand;
use libafl_bolts::tuples::{tuple_list, tuple_list_type};
use libafl_bolts::Named;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::kernels::KernelInput;
use super::mutators::random_entry;
use crate::kernel::gen::KernelGenConfig;
use crate::kernel::mutate::{mutate, EnvMutation};

/// One kind of environment mutation.
#[derive(Debug, Clone)]
pub struct EnvMutator {
    kind: EnvMutation,
    cfg: KernelGenConfig,
    name: Cow<'static, str>,
}

impl EnvMutator {
    pub fn new(kind: EnvMutation, cfg: KernelGenConfig) -> Self {
        EnvMutator {
            kind,
            cfg,
            name: Cow::Borrowed(kind.name()),
        }
    }
}

impl Named for EnvMutator {
    fn name(&self) -> &Cow<'static, str> {
        &self.name
    }
}

impl<S> Mutator<KernelInput, S> for EnvMutator
where
    S: HasRand + HasCorpus<KernelInput>,
{
    fn mutate(&mut self, state: &mut S, input: &mut KernelInput) -> Result<MutationResult, Error> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(state.rand_mut().next());
        // A splice takes a part of another corpus entry.
        let donor = if self.kind == EnvMutation::Splice {
            match random_entry(state)? {
                Some(d) => Some(d),
                None => return Ok(MutationResult::Skipped),
            }
        } else {
            None
        };
        let changed = mutate(input, self.kind, &mut rng, &self.cfg, donor.as_ref());
        Ok(if changed {
            MutationResult::Mutated
        } else {
            MutationResult::Skipped
        })
    }

    fn post_exec(
        &mut self,
        _state: &mut S,
        _new_corpus_id: Option<libafl::corpus::CorpusId>,
    ) -> Result<(), Error> {
        Ok(())
    }
}

/// One mutator of every kind of [`EnvMutation::ALL`].
pub type KernelMutators =
    tuple_list_type!(EnvMutator, EnvMutator, EnvMutator, EnvMutator, EnvMutator, EnvMutator);

pub fn all(cfg: KernelGenConfig) -> KernelMutators {
    let m = |k| EnvMutator::new(k, cfg);
    tuple_list!(
        m(EnvMutation::Append),
        m(EnvMutation::Delete),
        m(EnvMutation::Splice),
        m(EnvMutation::Corrupt),
        m(EnvMutation::Literal),
        m(EnvMutation::Hints)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use libafl_bolts::tuples::HasConstLen;

    #[test]
    fn every_mutation_kind_is_scheduled() {
        assert_eq!(<KernelMutators as HasConstLen>::LEN, EnvMutation::ALL.len());
    }
}
