//! Mutations of kernel environments, one LibAFL mutator per kind. All but
//! `literal` keep an environment closed and its labels true (a deletion
//! or a splice that may have cut an ill-formed declaration says so by
//! dropping the labels).

use std::borrow::Cow;
use std::num::NonZeroUsize;

use libafl::corpus::Corpus;
use libafl::mutators::{MutationResult, Mutator};
use libafl::state::{HasCorpus, HasRand};
use libafl::Error;
use libafl_bolts::rands::Rand;
use libafl_bolts::tuples::{tuple_list, tuple_list_type};
use libafl_bolts::Named;

use super::kernels::KernelInput;
use crate::kernel::edit::{
    graft, nat_literal_count, remove_with_dependents, set_nat_literal, with_dependencies,
};
use crate::kernel::gen::{generate, ill_formed_decl, IllFormed, KernelGenConfig};
use crate::kernel::{Decl, Hints};

/// The kinds of environment mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvMutation {
    /// Fresh declarations from the generator, appended.
    Append,
    /// A declaration removed with everything that depends on it.
    Delete,
    /// A declaration of another corpus entry, with what it needs.
    Splice,
    /// One ill-formed declaration of a random family, appended.
    Corrupt,
    /// A natural-number literal replaced by a boundary value.
    Literal,
    /// A definition's reducibility hints changed.
    Hints,
}

impl EnvMutation {
    pub const ALL: [EnvMutation; 6] = [
        EnvMutation::Append,
        EnvMutation::Delete,
        EnvMutation::Splice,
        EnvMutation::Corrupt,
        EnvMutation::Literal,
        EnvMutation::Hints,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EnvMutation::Append => "env-append",
            EnvMutation::Delete => "env-delete",
            EnvMutation::Splice => "env-splice",
            EnvMutation::Corrupt => "env-corrupt",
            EnvMutation::Literal => "env-literal",
            EnvMutation::Hints => "env-hints",
        }
    }
}

/// Literal values at the kernels' edges: 0, 1, around 2^32 and 2^64
/// (where GMP-backed and machine-word paths meet), and a large one.
const BOUNDARY_LITERALS: [&str; 8] = [
    "0",
    "1",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1000000000000000000000000000000000000000000000000000000000000",
];

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

fn below<R: Rand>(rand: &mut R, n: usize) -> Option<usize> {
    NonZeroUsize::new(n).map(|n| rand.below(n))
}

impl<S> Mutator<KernelInput, S> for EnvMutator
where
    S: HasRand + HasCorpus<KernelInput>,
{
    fn mutate(&mut self, state: &mut S, input: &mut KernelInput) -> Result<MutationResult, Error> {
        let env = &mut input.env;
        let user = env.prelude..env.decls.len();
        let changed = match self.kind {
            EnvMutation::Append => {
                let seed = state.rand_mut().next();
                let cfg = KernelGenConfig {
                    decls: (self.cfg.decls / 3).max(1),
                    ..self.cfg
                };
                let fresh = generate(seed, &cfg);
                let added = fresh.user_decls().to_vec();
                let changed = !added.is_empty();
                graft(&mut env.decls, added);
                env.ill_formed.extend(fresh.ill_formed);
                changed
            }
            EnvMutation::Delete => match below(state.rand_mut(), user.len()) {
                Some(k) => {
                    remove_with_dependents(&mut env.decls, user.start + k);
                    // The declaration may have been an ill-formed one.
                    input.labelled &= env.ill_formed.is_empty();
                    true
                }
                None => false,
            },
            EnvMutation::Splice => {
                let entries = state.corpus().count();
                let Some(k) = below(state.rand_mut(), entries) else {
                    return Ok(MutationResult::Skipped);
                };
                let id = state.corpus().nth(k);
                let donor = state.corpus().cloned_input_for_id(id)?;
                let donor_user = donor.env.user_decls().len();
                match below(state.rand_mut(), donor_user) {
                    Some(j) => {
                        let picked: Vec<Decl> = with_dependencies(
                            &donor.env.decls,
                            donor.env.prelude,
                            donor.env.prelude + j,
                        )
                        .into_iter()
                        .map(|i| donor.env.decls[i].clone())
                        .collect();
                        graft(&mut env.decls, picked);
                        // The part may or may not hold the donor's
                        // ill-formed declarations.
                        input.labelled &= donor.env.ill_formed.is_empty() && donor.labelled;
                        true
                    }
                    None => false,
                }
            }
            EnvMutation::Corrupt => {
                let kind = IllFormed::ALL[state
                    .rand_mut()
                    .below(NonZeroUsize::new(IllFormed::ALL.len()).expect("families exist"))];
                let seed = state.rand_mut().next();
                graft(&mut env.decls, vec![ill_formed_decl(seed, &self.cfg, kind)]);
                env.ill_formed.push(kind);
                true
            }
            EnvMutation::Literal => {
                let with_literals: Vec<(usize, usize)> = user
                    .clone()
                    .map(|i| (i, nat_literal_count(&env.decls[i])))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                match below(state.rand_mut(), with_literals.len()) {
                    Some(p) => {
                        let (i, n) = with_literals[p];
                        let k = state.rand_mut().below(NonZeroUsize::new(n).expect("n > 0"));
                        let v = BOUNDARY_LITERALS[state
                            .rand_mut()
                            .below(NonZeroUsize::new(BOUNDARY_LITERALS.len()).expect("non-empty"))];
                        input.labelled = false;
                        set_nat_literal(&mut env.decls[i], k, v)
                    }
                    None => false,
                }
            }
            EnvMutation::Hints => {
                let defs: Vec<usize> = user
                    .filter(|&i| matches!(env.decls[i], Decl::Def { .. }))
                    .collect();
                match below(state.rand_mut(), defs.len()) {
                    Some(p) => {
                        let new = match state.rand_mut().below(NonZeroUsize::new(3).expect("3")) {
                            0 => Hints::Opaque,
                            1 => Hints::Abbrev,
                            _ => Hints::Regular(
                                state
                                    .rand_mut()
                                    .below(NonZeroUsize::new(1000).expect("1000"))
                                    as u32,
                            ),
                        };
                        match &mut env.decls[defs[p]] {
                            Decl::Def { hints, .. } if *hints != new => {
                                *hints = new;
                                true
                            }
                            _ => false,
                        }
                    }
                    None => false,
                }
            }
        };
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
