//! Generated kernel environments: the prelude, then declarations that are
//! well-formed by construction — `Nat` terms over literals and the `Nat`
//! primitives (depth-bounded; their values from the one table of Lean's
//! `Nat` operations, `kernel::nat`), `Nat.beq` and `Nat.ble` facts,
//! theorems stating their
//! values (`Eq.refl` of the computed literal, so a kernel must reduce both
//! sides, by GMP or by recursor), user inductive types with derived
//! recursors, functions defined by those recursors and theorems about
//! their values (iota reduction), theorems that need quotient reduction
//! (`Quot.lift f h (Quot.mk r t)`) — plus, at their own rates, labelled
//! ill-formed declarations from the known bug classes of Lean kernels
//! (malformed terms, projections, universe levels, inductive types,
//! declaration kinds; README, "Kernel mode") that every kernel must reject.
//!
//! Split by concern: this module holds the configuration, the
//! environment, the generator state and the weighted choice of the next
//! declaration ([`WEIGHTS`]); `terms` the `Nat` terms and the facts over
//! literals, strings and quotients; `types` enumerations, structures and
//! `imax` sorts; `recursive` parametric, indexed and mutual inductive
//! types; `ill` the ill-formed families and their labels.

mod ill;
mod recursive;
mod terms;
mod types;

pub use ill::{IllFormed, IllFormedLabel, IllFormedRates};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::expr::{apps, cnst};
use super::inductive::{derive, derive_group, IndSpec};
use super::prelude::{app, arrow, c, eq_at, eq_nat, n, nat, one, prelude, refl_at, refl_nat};
use super::*;

/// How to generate.
#[derive(Debug, Clone, Copy)]
pub struct KernelGenConfig {
    /// Bound on the height of generated `Nat` terms.
    pub depth: usize,
    /// Declarations after the prelude.
    pub decls: usize,
    /// Each ill-formed family's probability.
    pub ill_formed: IllFormedRates,
}

impl Default for KernelGenConfig {
    fn default() -> Self {
        KernelGenConfig {
            depth: 6,
            decls: 8,
            ill_formed: IllFormedRates::uniform(0.2),
        }
    }
}

/// One generated environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Environment {
    pub decls: Vec<Decl>,
    /// How many of `decls` are the prelude.
    pub prelude: usize,
    /// Its ill-formed declarations (family and name), in order.
    pub ill_formed: Vec<IllFormedLabel>,
}

/// Literal values stay below this, so facts are computed exactly.
const MAX_VALUE: u128 = 1 << 100;

struct Gen {
    rng: Xoshiro256PlusPlus,
    cfg: KernelGenConfig,
    /// Earlier `Nat` definitions and their values.
    nat_defs: Vec<(Name, u128)>,
    /// User enumerations: name and constructor names.
    enums: Vec<(Name, Vec<Name>)>,
    /// Functions from an enumeration to `Nat` and their values per constructor.
    enum_fns: Vec<(Name, usize, Vec<u128>)>,
    /// User structures: name and field types (`Nat` or `Bool`).
    structs: Vec<(Name, Vec<FieldTy>)>,
    /// Definitions of structure values: name, structure, field values.
    struct_values: Vec<(Name, usize, Vec<Expr>)>,
    /// Parametric recursive types `T α` (leaf, and node with a payload and
    /// 1 or 2 subtrees) with a function `T Nat → Nat` by `T.rec`: type
    /// name, subtrees per node, function name, its value on a leaf.
    /// Universe-polymorphic ones are used at level 0 (`levels`).
    trees: Vec<(Name, usize, Name, u128, Vec<Level>)>,
    /// Length-indexed vectors of `Nat` (`V : Nat → Type`) with a length
    /// function by `V.rec`: type name, function name.
    vectors: Vec<(Name, Name)>,
    /// Mutually inductive pairs `A`/`B` with a function `A → Nat` by
    /// `A.rec`: names of A and B, the function, its values on `A.a0` and
    /// `B.b0`.
    mutuals: Vec<(Name, Name, Name, u128, u128)>,
    /// Whether `arrowSort` (the universe-polymorphic `α → β`) is declared.
    arrow_sort: bool,
    counter: usize,
}

/// A structure field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldTy {
    Nat,
    Bool,
}

impl FieldTy {
    fn ty(self) -> Expr {
        match self {
            FieldTy::Nat => nat(),
            FieldTy::Bool => c("Bool"),
        }
    }
}

/// The environment for `seed`.
pub fn generate(seed: u64, cfg: &KernelGenConfig) -> Environment {
    let mut g = Gen::new(seed, cfg);
    let mut decls = prelude();
    let prelude_len = decls.len();
    for _ in 0..cfg.decls {
        decls.extend(g.declaration());
    }
    let mut ill_formed = Vec::new();
    for &kind in IllFormed::ALL {
        if g.rng.random_bool(cfg.ill_formed.get(kind)) {
            let bad = g.ill_formed(kind);
            ill_formed.push(IllFormedLabel::of(kind, &bad));
            if kind == IllFormed::NatRecRules {
                // In place of the prelude's `Nat`.
                let at = decls
                    .iter()
                    .position(|d| d.names()[0] == &n("Nat"))
                    .expect("the prelude declares Nat");
                decls.splice(at..=at, bad);
            } else {
                decls.extend(bad);
            }
        }
    }
    Environment {
        decls,
        prelude: prelude_len,
        ill_formed,
    }
}

/// The declarations of one ill-formed family `kind` for `seed` (the last
/// is the ill-formed one; any before it are well-formed helpers), over the
/// prelude. Their names may clash with an environment's: graft them with
/// [`super::edit::graft`].
pub fn ill_formed_decls(seed: u64, cfg: &KernelGenConfig, kind: IllFormed) -> Vec<Decl> {
    Gen::new(seed, cfg).ill_formed(kind)
}

impl Environment {
    /// The declarations after the prelude: what a Lean file adds to Lean's
    /// own prelude, which already has `Nat`, `Eq`, `List`, ….
    pub fn user_decls(&self) -> &[Decl] {
        &self.decls[self.prelude..]
    }
}

/// `def NAME.{u, v} (α : Sort u) (β : Sort v) : Sort (imax u v) := α → β`.
fn arrow_sort(name: &Name) -> Decl {
    let (u, v) = (Level::Param(n("u")), Level::Param(n("v")));
    let bv = Expr::BVar;
    let imax = Level::IMax(Box::new(u.clone()), Box::new(v.clone()));
    let pi2 = |a: Expr, b: Expr, body: Expr| {
        Expr::ForallE(
            n("α"),
            Box::new(a),
            Box::new(Expr::ForallE(
                n("β"),
                Box::new(b),
                Box::new(body),
                BinderInfo::Default,
            )),
            BinderInfo::Default,
        )
    };
    let ty = pi2(
        Expr::Sort(u.clone()),
        Expr::Sort(v.clone()),
        Expr::Sort(imax),
    );
    let value = Expr::Lam(
        n("α"),
        Box::new(Expr::Sort(u)),
        Box::new(Expr::Lam(
            n("β"),
            Box::new(Expr::Sort(v)),
            Box::new(Expr::ForallE(
                n("a"),
                Box::new(bv(1)),
                Box::new(bv(1)),
                BinderInfo::Default,
            )),
            BinderInfo::Default,
        )),
        BinderInfo::Default,
    );
    Decl::Def {
        name: name.clone(),
        level_params: vec![n("u"), n("v")],
        ty,
        value,
        hints: Hints::Abbrev,
        safety: Safety::Safe,
        all: vec![name.clone()],
    }
}

/// `inductive name : Type` with the constructors `ctors`, none with a
/// field.
fn enum_decl(name: &Name, ctors: &[Name]) -> Decl {
    derive(
        &IndSpec {
            name: name.clone(),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(one()),
            ctors: ctors
                .iter()
                .map(|cn| (cn.clone(), Expr::Const(name.clone(), vec![])))
                .collect(),
        },
        &|_| false,
    )
    .expect("enumerations are well-formed")
}

/// `structure name : Type` with the one constructor `name.mk : ctor_ty`.
fn structure_decl(name: &Name, ctor_ty: Expr) -> Decl {
    derive(
        &IndSpec {
            name: name.clone(),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(one()),
            ctors: vec![(name.str("mk"), ctor_ty)],
        },
        &|_| false,
    )
    .expect("structures of closed field types are well-formed")
}

/// The level `k` (`succ` k times of zero).
fn level_of(k: u32) -> Level {
    (0..k).fold(Level::Zero, |l, _| Level::Succ(Box::new(l)))
}

/// A closed type living in `Sort k` for k in 0..=2: `False`, `Nat`,
/// `Type`.
fn type_in_sort(k: u32) -> Expr {
    match k {
        0 => c("False"),
        1 => nat(),
        _ => Expr::Sort(one()),
    }
}

/// What the next well-formed declaration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NatDef,
    NatFact,
    Enumeration,
    EnumFn,
    EnumFact,
    QuotFact,
    BoolFact,
    LetFact,
    OpaqueDef,
    StructureValue,
    ProjFact,
    ImaxDef,
    StringFact,
    TreeFact,
    VectorFact,
    MutualFact,
}

/// Each kind's weight, in the order the pick walks them (the order and
/// the weights fix which kind a random draw means: changing either
/// changes every generated environment).
const WEIGHTS: &[(Kind, u32)] = &[
    (Kind::NatDef, 3),
    (Kind::NatFact, 2),
    (Kind::Enumeration, 1),
    (Kind::EnumFn, 2),
    (Kind::EnumFact, 1),
    (Kind::QuotFact, 1),
    (Kind::BoolFact, 1),
    (Kind::LetFact, 1),
    (Kind::OpaqueDef, 1),
    (Kind::StructureValue, 2),
    (Kind::ProjFact, 2),
    (Kind::ImaxDef, 1),
    (Kind::StringFact, 1),
    (Kind::TreeFact, 1),
    (Kind::VectorFact, 1),
    (Kind::MutualFact, 2),
];

const TOTAL_WEIGHT: u32 = {
    let mut total = 0;
    let mut i = 0;
    while i < WEIGHTS.len() {
        total += WEIGHTS[i].1;
        i += 1;
    }
    total
};

impl Gen {
    fn new(seed: u64, cfg: &KernelGenConfig) -> Self {
        Gen {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            cfg: *cfg,
            nat_defs: Vec::new(),
            enums: Vec::new(),
            enum_fns: Vec::new(),
            structs: Vec::new(),
            struct_values: Vec::new(),
            trees: Vec::new(),
            vectors: Vec::new(),
            mutuals: Vec::new(),
            arrow_sort: false,
            counter: 0,
        }
    }

    fn fresh(&mut self, stem: &str) -> Name {
        self.counter += 1;
        n(&format!("{stem}{}", self.counter))
    }

    /// The next declarations (usually one; a helper may come first),
    /// of a kind drawn by [`WEIGHTS`].
    fn declaration(&mut self) -> Vec<Decl> {
        let mut pick = self.rng.random_range(0..TOTAL_WEIGHT);
        let kind = WEIGHTS
            .iter()
            .find_map(|&(kind, w)| {
                if pick < w {
                    Some(kind)
                } else {
                    pick -= w;
                    None
                }
            })
            .expect("the pick is below the total weight");
        match kind {
            Kind::NatDef => vec![self.nat_def()],
            Kind::NatFact => vec![self.nat_fact()],
            Kind::Enumeration => vec![self.enumeration()],
            Kind::EnumFn => self.enum_fn().into_iter().collect(),
            Kind::EnumFact => self.enum_fact(),
            Kind::QuotFact => vec![self.quot_fact()],
            Kind::BoolFact => vec![self.bool_fact()],
            Kind::LetFact => vec![self.let_fact()],
            Kind::OpaqueDef => vec![self.opaque_def()],
            Kind::StructureValue => self.structure_value(),
            Kind::ProjFact => self.proj_fact(),
            Kind::ImaxDef => self.imax_def(),
            Kind::StringFact => vec![self.string_fact()],
            Kind::TreeFact => self.tree_fact(),
            Kind::VectorFact => self.vector_fact(),
            Kind::MutualFact => self.mutual_fact(),
        }
    }
}
