//! Structural mutations as LibAFL mutators: one mutator per kind of a
//! mutation family (the AST mutations of `lean::mutate`, the environment
//! mutations of `kernel::mutate`), so LibAFL's havoc scheduler picks among
//! them. The wrapper is written once for both families.

use std::borrow::Cow;

use libafl::corpus::Corpus;
use libafl::mutators::{MutationResult, Mutator};
use libafl::state::{HasCorpus, HasRand};
use libafl::Error;
use libafl_bolts::rands::Rand;
use libafl_bolts::tuples::{tuple_list, tuple_list_type};
use libafl_bolts::Named;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::kernels::KernelInput;
use super::ProgramInput;
use crate::kernel::gen::KernelGenConfig;
use crate::kernel::mutate::{mutate as mutate_env, EnvMutation};
use crate::lean::mutate::{mutate as mutate_program, Mutation};

/// A family of mutations of one input type: its kinds, and how to apply
/// one with a random source, a configuration and (for a splice) a donor.
pub trait MutationKind: Copy + PartialEq + std::fmt::Debug + 'static {
    type Input: Clone;
    type Config: Clone + std::fmt::Debug;
    /// The kind that takes a part of another corpus entry.
    const SPLICE: Self;

    fn name(self) -> &'static str;

    /// Applies the mutation; false (and `input` unchanged) when it does
    /// not apply.
    fn apply(
        self,
        input: &mut Self::Input,
        rng: &mut Xoshiro256PlusPlus,
        cfg: &Self::Config,
        donor: Option<&Self::Input>,
    ) -> bool;
}

impl MutationKind for Mutation {
    type Input = ProgramInput;
    /// The depth bound.
    type Config = usize;
    const SPLICE: Self = Mutation::Splice;

    fn name(self) -> &'static str {
        Mutation::name(self)
    }

    fn apply(
        self,
        input: &mut ProgramInput,
        rng: &mut Xoshiro256PlusPlus,
        depth: &usize,
        donor: Option<&ProgramInput>,
    ) -> bool {
        mutate_program(
            &mut input.program,
            self,
            rng,
            *depth,
            donor.map(|d| &d.program),
        )
    }
}

impl MutationKind for EnvMutation {
    type Input = KernelInput;
    type Config = KernelGenConfig;
    const SPLICE: Self = EnvMutation::Splice;

    fn name(self) -> &'static str {
        EnvMutation::name(self)
    }

    fn apply(
        self,
        input: &mut KernelInput,
        rng: &mut Xoshiro256PlusPlus,
        cfg: &KernelGenConfig,
        donor: Option<&KernelInput>,
    ) -> bool {
        mutate_env(input, self, rng, cfg, donor)
    }
}

/// One kind of mutation with its configuration.
#[derive(Debug, Clone)]
pub struct KindMutator<K: MutationKind> {
    kind: K,
    cfg: K::Config,
    name: Cow<'static, str>,
}

impl<K: MutationKind> KindMutator<K> {
    pub fn new(kind: K, cfg: K::Config) -> Self {
        KindMutator {
            kind,
            cfg,
            name: Cow::Borrowed(kind.name()),
        }
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
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(state.rand_mut().next());
        // A splice takes a part of another corpus entry.
        let donor = if self.kind == K::SPLICE {
            match random_entry(state)? {
                Some(d) => Some(d),
                None => return Ok(MutationResult::Skipped),
            }
        } else {
            None
        };
        let changed = self.kind.apply(input, &mut rng, &self.cfg, donor.as_ref());
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

/// One mutator of every kind of [`Mutation::ALL`], for LibAFL's havoc
/// scheduler (which needs a tuple).
pub type AllMutators = tuple_list_type!(
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>,
    KindMutator<Mutation>
);

pub fn all(depth: usize) -> AllMutators {
    let m = |k| KindMutator::new(k, depth);
    tuple_list!(
        m(Mutation::Regenerate),
        m(Mutation::Splice),
        m(Mutation::Literal),
        m(Mutation::InsertDecl),
        m(Mutation::DeleteDecl),
        m(Mutation::DuplicateDecl),
        m(Mutation::SwapDecls),
        m(Mutation::ToggleAttr),
        m(Mutation::ToggleOption)
    )
}

/// One mutator of every kind of [`EnvMutation::ALL`].
pub type KernelMutators = tuple_list_type!(
    KindMutator<EnvMutation>,
    KindMutator<EnvMutation>,
    KindMutator<EnvMutation>,
    KindMutator<EnvMutation>,
    KindMutator<EnvMutation>,
    KindMutator<EnvMutation>
);

pub fn all_kernel(cfg: KernelGenConfig) -> KernelMutators {
    let m = |k| KindMutator::new(k, cfg);
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
        assert_eq!(<AllMutators as HasConstLen>::LEN, Mutation::ALL.len());
        assert_eq!(<KernelMutators as HasConstLen>::LEN, EnvMutation::ALL.len());
    }
}
