//! Mutations of kernel environments. All but `literal` keep an
//! environment closed (every name declared before it is used) and its
//! labels true; a deletion or a splice that may have cut an ill-formed
//! declaration says so by dropping the labels, as does a literal change
//! (which may turn a true fact false).

use super::faults::Fault;
use rand::Rng;

use super::edit::{
    graft, nat_literal_count, remove_with_dependents, set_nat_literal, with_dependencies,
};
use super::gen::{
    generate, ill_formed_decls, Environment, IllFormed, IllFormedLabel, KernelGenConfig,
};
use super::{Decl, Hints};

/// The kinds of environment mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvMutation {
    /// Fresh declarations from the generator, appended.
    Append,
    /// A declaration removed with everything that depends on it.
    Delete,
    /// A declaration of another environment, with what it needs.
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
/// (where GMP-backed and machine-word paths meet), 2^128, and a large one.
pub const BOUNDARY_LITERALS: [&str; 8] = [
    "0",
    "1",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1000000000000000000000000000000000000000000000000000000000000",
];

/// An environment and whether its labels say what every kernel must
/// answer: well-formed exactly when it has no ill-formed label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Labelled {
    pub env: Environment,
    pub labelled: bool,
    /// A fault of the export format written into this input's file (the
    /// environment itself is untouched): every kernel must decline or
    /// reject it.
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// Environments stop growing (append, splice, corrupt no longer apply)
/// at this many times the configured number of declarations after the
/// prelude, so a long campaign's entries stay the size of generated ones.
pub const MAX_GROWTH: usize = 4;

impl Labelled {
    /// The generated environment for `seed`: its labels are true.
    pub fn generated(seed: u64, cfg: &KernelGenConfig) -> Self {
        Labelled {
            env: generate(seed, cfg),
            labelled: true,
            fault: None,
        }
    }
}

/// Applies `m` to `input`; false (and `input` unchanged) when it does not
/// apply (nothing to delete, no literal, no donor, the environment at its
/// size bound, …).
pub fn mutate<R: Rng>(
    input: &mut Labelled,
    m: EnvMutation,
    rng: &mut R,
    cfg: &KernelGenConfig,
    donor: Option<&Labelled>,
) -> bool {
    let env = &mut input.env;
    let user = env.prelude..env.decls.len();
    let grows = matches!(
        m,
        EnvMutation::Append | EnvMutation::Splice | EnvMutation::Corrupt
    );
    if grows && user.len() >= MAX_GROWTH * cfg.decls.max(1) {
        return false;
    }
    match m {
        EnvMutation::Append => {
            let part = KernelGenConfig {
                decls: (cfg.decls / 3).max(1),
                ..*cfg
            };
            let fresh = generate(rng.random(), &part);
            let added = fresh.user_decls().to_vec();
            if added.is_empty() {
                return false;
            }
            let renaming = graft(&mut env.decls, added);
            env.ill_formed
                .extend(fresh.ill_formed.into_iter().map(|l| IllFormedLabel {
                    decl: renaming.apply(&l.decl),
                    ..l
                }));
            true
        }
        EnvMutation::Delete => {
            if user.is_empty() {
                return false;
            }
            remove_with_dependents(&mut env.decls, rng.random_range(user));
            // The declaration may have been an ill-formed one.
            input.labelled &= env.ill_formed.is_empty();
            true
        }
        EnvMutation::Splice => {
            let Some(donor) = donor.filter(|d| !d.env.user_decls().is_empty()) else {
                return false;
            };
            let d = &donor.env;
            let j = rng.random_range(d.prelude..d.decls.len());
            let picked: Vec<Decl> = with_dependencies(&d.decls, d.prelude, j)
                .into_iter()
                .map(|i| d.decls[i].clone())
                .collect();
            graft(&mut env.decls, picked);
            // The part may or may not hold the donor's ill-formed
            // declarations.
            input.labelled &= d.ill_formed.is_empty() && donor.labelled;
            true
        }
        EnvMutation::Corrupt => {
            let kind = IllFormed::ALL[rng.random_range(0..IllFormed::ALL.len())];
            let bad = ill_formed_decls(rng.random(), cfg, kind);
            let label = IllFormedLabel::of(kind, &bad);
            let renaming = graft(&mut env.decls, bad);
            env.ill_formed.push(IllFormedLabel {
                decl: renaming.apply(&label.decl),
                ..label
            });
            true
        }
        EnvMutation::Literal => {
            let with_literals: Vec<(usize, usize)> = user
                .map(|i| (i, nat_literal_count(&env.decls[i])))
                .filter(|(_, n)| *n > 0)
                .collect();
            if with_literals.is_empty() {
                return false;
            }
            let (i, n) = with_literals[rng.random_range(0..with_literals.len())];
            let k = rng.random_range(0..n);
            let v = BOUNDARY_LITERALS[rng.random_range(0..BOUNDARY_LITERALS.len())];
            let before = env.decls[i].clone();
            set_nat_literal(&mut env.decls[i], k, v);
            if env.decls[i] == before {
                return false;
            }
            input.labelled = false;
            true
        }
        EnvMutation::Hints => {
            let defs: Vec<usize> = user
                .filter(|&i| matches!(env.decls[i], Decl::Def { .. }))
                .collect();
            if defs.is_empty() {
                return false;
            }
            let new = match rng.random_range(0..3) {
                0 => Hints::Opaque,
                1 => Hints::Abbrev,
                _ => Hints::Regular(rng.random_range(0..1000)),
            };
            match &mut env.decls[defs[rng.random_range(0..defs.len())]] {
                Decl::Def { hints, .. } if *hints != new => {
                    *hints = new;
                    true
                }
                _ => false,
            }
        }
    }
}
