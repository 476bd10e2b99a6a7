//! The AST mutations of `lean::mutate` as LibAFL mutators, one per kind,
//! so LibAFL's havoc scheduler picks among them.

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

use super::ProgramInput;
use crate::lean::mutate::{mutate, Mutation};

/// One kind of AST mutation at a depth bound.
#[derive(Debug, Clone)]
pub struct AstMutator {
    kind: Mutation,
    depth: usize,
    name: Cow<'static, str>,
}

impl AstMutator {
    pub fn new(kind: Mutation, depth: usize) -> Self {
        AstMutator {
            kind,
            depth,
            name: Cow::Borrowed(kind.name()),
        }
    }
}

impl Named for AstMutator {
    fn name(&self) -> &Cow<'static, str> {
        &self.name
    }
}

impl<S> Mutator<ProgramInput, S> for AstMutator
where
    S: HasRand + HasCorpus<ProgramInput>,
{
    fn mutate(&mut self, state: &mut S, input: &mut ProgramInput) -> Result<MutationResult, Error> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(state.rand_mut().next());
        // A splice takes a piece of another corpus entry.
        let donor = if self.kind == Mutation::Splice {
            match random_entry(state)? {
                Some(d) => Some(d),
                None => return Ok(MutationResult::Skipped),
            }
        } else {
            None
        };
        let changed = mutate(
            &mut input.program,
            self.kind,
            &mut rng,
            self.depth,
            donor.as_ref().map(|d| &d.program),
        );
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
pub(super) fn random_entry<I: Clone, S: HasRand + HasCorpus<I>>(
    state: &mut S,
) -> Result<Option<I>, Error> {
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
    AstMutator, AstMutator, AstMutator, AstMutator, AstMutator, AstMutator, AstMutator, AstMutator,
    AstMutator
);

pub fn all(depth: usize) -> AllMutators {
    let m = |k| AstMutator::new(k, depth);
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

#[cfg(test)]
mod tests {
    use super::*;
    use libafl_bolts::tuples::HasConstLen;

    #[test]
    fn every_mutation_kind_is_scheduled() {
        assert_eq!(<AllMutators as HasConstLen>::LEN, Mutation::ALL.len());
    }
}
