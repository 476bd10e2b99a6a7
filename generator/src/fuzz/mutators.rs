//! Structural mutations as a LibAFL mutator: each application picks one
//! kind of the target's mutation family at random (every kind equally
//! often) and applies it; LibAFL's havoc scheduler stacks them. Written
//! once for every family (`targets::MutationKind`).

use std::borrow::Cow;

use libafl::corpus::Corpus;
use libafl::mutators::{MutationResult, Mutator};
use libafl::state::{HasCorpus, HasRand};
use libafl::Error;
use libafl_bolts::rands::Rand;
use libafl_bolts::Named;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::targets::MutationKind;

/// Every kind of one mutation family, with its configuration.
#[derive(Debug, Clone)]
pub struct KindMutator<K: MutationKind> {
    cfg: K::Config,
    name: Cow<'static, str>,
}

impl<K: MutationKind> KindMutator<K> {
    pub fn new(cfg: K::Config) -> Self {
        KindMutator {
            cfg,
            name: Cow::Borrowed("structural"),
        }
    }

    /// The kind for a random number: each kind equally often.
    pub fn pick(r: u64) -> K {
        K::ALL[(r % K::ALL.len() as u64) as usize]
    }
}

impl<K: MutationKind> Named for KindMutator<K> {
    fn name(&self) -> &Cow<'static, str> {
        &self.name
    }
}

impl<K, S> Mutator<K::Input, S> for KindMutator<K>
where
    K: MutationKind,
    S: HasRand + HasCorpus<K::Input>,
{
    fn mutate(&mut self, state: &mut S, input: &mut K::Input) -> Result<MutationResult, Error> {
        let kind = Self::pick(state.rand_mut().next());
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(state.rand_mut().next());
        // A splice takes a part of another corpus entry.
        let donor = if kind == K::SPLICE {
            match random_entry(state)? {
                Some(d) => Some(d),
                None => return Ok(MutationResult::Skipped),
            }
        } else {
            None
        };
        let changed = kind.apply(input, &mut rng, &self.cfg, donor.as_ref());
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

/// A random corpus entry's input (a splice's donor); `None` when the
/// corpus is empty.
fn random_entry<I: Clone, S: HasRand + HasCorpus<I>>(state: &mut S) -> Result<Option<I>, Error> {
    let Some(n) = std::num::NonZeroUsize::new(state.corpus().count()) else {
        return Ok(None);
    };
    let k = state.rand_mut().below(n);
    let id = state.corpus().nth(k);
    Ok(Some(state.corpus().cloned_input_for_id(id)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::mutate::EnvMutation;
    use crate::lean::mutate::Mutation;

    fn every_kind_is_picked<K: MutationKind>() {
        let mut picked: Vec<K> = Vec::new();
        for r in 0..1000u64 {
            let k = KindMutator::<K>::pick(r.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if !picked.contains(&k) {
                picked.push(k);
            }
        }
        assert_eq!(picked.len(), K::ALL.len());
    }

    #[test]
    fn every_mutation_kind_is_scheduled() {
        every_kind_is_picked::<Mutation>();
        every_kind_is_picked::<EnvMutation>();
    }
}
