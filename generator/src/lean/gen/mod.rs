//! Type-directed, depth-bounded generation of well-typed Lean programs.
//!
//! Terms are generated *at a requested type* from what is in scope
//! (locals, earlier declarations, constructors, literals and a fixed set of
//! `Init` functions), so names are declared before use, arities and argument
//! types fit, and every tree respects the depth bound (see
//! [`super::depth`]). Theorems are true by construction (reflexivity, facts
//! computed here while generating, linear identities, case splits), so the
//! share of programs Lean accepts up to the suffix stays high.

pub mod axioms;
mod decls;
mod facts;
mod ill;
mod meta;
mod prelude;
pub(crate) mod terms;

use rand::Rng;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::ast::{BinOp, Decl, Profile, Program, Term};
use super::env::Env;
use super::stats::{Family, Stats};
use super::types::Ty;

/// Generation knobs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenConfig {
    /// Bound on the height of every term and type tree (at least
    /// [`MIN_DEPTH`]).
    pub depth: usize,
    /// How many declarations a program has (types included).
    pub decls: usize,
    /// Probability that a program carries one deliberately ill-formed
    /// declaration (the labelled `ill-formed` family; Lean must reject it).
    pub ill_formed_rate: f64,
    /// Probability that a `surface` or `meta` program ends with a
    /// `hidden-axiom` pair (an axiom comparator must refuse; [`axioms`]).
    pub hidden_axiom_rate: f64,
    /// The program shape, or `None` for a weighted mix of all shapes.
    pub profile: Option<Profile>,
}

/// The smallest depth at which every declaration kind still fits.
pub const MIN_DEPTH: usize = 3;

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            depth: 10,
            decls: 12,
            ill_formed_rate: 0.1,
            hidden_axiom_rate: axioms::HIDDEN_AXIOM_RATE,
            profile: Some(Profile::Surface),
        }
    }
}

/// A generated program and the construct families it contains.
#[derive(Debug, Clone)]
pub struct Generated {
    pub program: Program,
    pub stats: Stats,
    /// The scope after the last declaration (what replay must rebuild).
    pub env: Env,
}

/// The program for `seed`: the same seed and config give the same program.
pub fn generate(seed: u64, cfg: &GenConfig) -> Generated {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    generate_with(&mut rng, cfg)
}

/// Generation from any random source (the fuzz loop passes its own).
pub fn generate_with<R: Rng>(rng: &mut R, cfg: &GenConfig) -> Generated {
    let mut g = Gen {
        rng,
        depth: cfg.depth.max(MIN_DEPTH),
        env: Env::default(),
        stats: Stats::default(),
        prelude: false,
    };
    let profile = cfg.profile.unwrap_or_else(|| {
        g.weighted(&[
            (Profile::Surface, 9),
            (Profile::Meta, 6),
            (Profile::Prelude, 5),
        ])
    });
    g.prelude = profile == Profile::Prelude;
    let mut program = g.program(cfg.decls, cfg.ill_formed_rate, profile);
    // Drawn last, so the rest of the program is the same with or without it.
    if profile != Profile::Prelude
        && cfg.hidden_axiom_rate > 0.0
        && g.coin(cfg.hidden_axiom_rate.min(1.0))
    {
        program.decls.extend(g.hidden_axiom());
    }
    Generated {
        program,
        stats: g.stats,
        env: g.env,
    }
}

/// Generator state for one program.
pub(super) struct Gen<'r, R: Rng> {
    rng: &'r mut R,
    depth: usize,
    env: Env,
    stats: Stats,
    /// Restrict terms, types and declarations to what `Init.Prelude` and
    /// `Init.Core` provide (the `prelude` profile).
    prelude: bool,
}

impl<R: Rng> Gen<'_, R> {
    fn coin(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn below(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n)
    }

    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }

    /// One key of `choices`, with probability proportional to its weight.
    fn weighted<K: Copy>(&mut self, choices: &[(K, u32)]) -> K {
        let total: u32 = choices.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.random_range(0..total);
        for (k, w) in choices {
            if roll < *w {
                return *k;
            }
            roll -= w;
        }
        choices[choices.len() - 1].0
    }

    fn hit(&mut self, f: Family) {
        self.stats.hit(f);
    }
}

/// What mutations need from the generator: continuing from a replayed
/// scope.
impl<'r, R: Rng> Gen<'r, R> {
    /// A generator over an existing program's scope, for a program of
    /// `profile`.
    pub(crate) fn resume(rng: &'r mut R, depth: usize, env: Env, profile: Profile) -> Self {
        Gen {
            rng,
            depth: depth.max(MIN_DEPTH),
            env,
            stats: Stats::default(),
            prelude: profile == Profile::Prelude,
        }
    }

    /// A term of `ty` with `locals` in scope and height at most `budget`.
    pub(crate) fn term_in(&mut self, ty: &Ty, locals: Vec<(String, Ty)>, budget: usize) -> Term {
        self.scoped(locals, |g| g.term(ty, budget.max(1)))
    }

    /// The next declaration, as the generator would add it here.
    pub(crate) fn next_declaration(&mut self) -> Decl {
        self.declaration()
    }

    /// A `set_option` command.
    pub(crate) fn option_decl(&mut self) -> Decl {
        self.set_option()
    }

    /// A literal of the same kind as `lit`, biased to boundary values.
    pub(crate) fn literal_like(&mut self, lit: &Term) -> Option<Term> {
        Some(match lit {
            Term::NatLit(_) => {
                let big = [
                    "0".to_string(),
                    "1".to_string(),
                    (1u128 << 32).to_string(),
                    (1u128 << 64).to_string(),
                    ((1u128 << 64) - 1).to_string(),
                    format!("1{}", "0".repeat(20 + self.below(80))),
                ];
                self.hit(Family::LitBoundary);
                Term::NatLit(self.pick(&big))
            }
            Term::StrLit(_) => self.str_lit(),
            Term::CharLit(_) => self.char_lit(),
            _ => return None,
        })
    }

    /// A fresh name with `prefix`.
    pub(crate) fn fresh(&mut self, prefix: &str) -> String {
        self.env.fresh(prefix)
    }
}

fn id(s: &str) -> Term {
    Term::Ident(s.to_string())
}

fn app(f: &str, args: Vec<Term>) -> Term {
    Term::App(Box::new(id(f)), args)
}

fn bin(op: BinOp, a: Term, b: Term) -> Term {
    Term::BinOp(op, Box::new(a), Box::new(b))
}

fn nat(n: u128) -> Term {
    Term::NatLit(n.to_string())
}
