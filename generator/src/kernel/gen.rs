//! Generated kernel environments: the prelude, then declarations that are
//! well-formed by construction — `Nat` terms over literals and the
//! accelerated `Nat` primitives (depth-bounded), `Nat.beq` and `Nat.ble`
//! facts, theorems stating their
//! values (`Eq.refl` of the computed literal, so a kernel must reduce both
//! sides, by GMP or by recursor), user inductive types with derived
//! recursors, functions defined by those recursors and theorems about
//! their values (iota reduction), theorems that need quotient reduction
//! (`Quot.lift f h (Quot.mk r t)`) — plus, at their own rates, labelled
//! ill-formed declarations from the bug classes of LEAN_TARGET.md (3, 7–11)
//! that every kernel must reject.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::expr::{apps, cnst};
use super::inductive::{derive, derive_group, IndSpec};
use super::prelude::{app, arrow, c, eq_at, eq_nat, n, nat, one, prelude, refl_at, refl_nat};
use super::*;

/// A deliberately ill-formed declaration kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IllFormed {
    /// A value with a bound variable no binder binds (class 11).
    LooseBVar,
    /// A theorem whose type is not a proposition (class 10).
    TheoremNotProp,
    /// A literal equation at the wrong value (class 5).
    WrongNatFact,
    /// A projection out of a type that is not a structure (class 7).
    ProjNonStructure,
    /// The same universe parameter twice (class 8).
    DuplicateLevelParam,
    /// `Prop : Prop` (class 8).
    SortInSortOfItself,
    /// A recursor whose rules are swapped (class 9).
    SwappedRecursorRules,
    /// A theorem of `False` with an ill-typed proof (class 3: what a
    /// `run_cmd addDecl` exploit would try).
    FalseTheorem,
    /// A projection past a structure's last field (class 7).
    ProjOutOfRange,
    /// Data projected out of a proof of a `Prop` structure (class 7).
    ProjDataFromProp,
    /// `α → False` declared in `Sort (max u 0)` instead of
    /// `Sort (imax u 0) = Prop` (class 8).
    ImaxAsMax,
    /// A `let` whose value does not have its declared type (class 11).
    LetTypeMismatch,
    /// A constant used with the wrong number of universe levels (Lean
    /// Kernel Arena: constlevels).
    WrongLevelCount,
    /// `fun α β => α → β` declared in `Sort (max u v)` for universe
    /// parameters `u v`: its sort is `imax u v`, which is not `max u v`
    /// (`v` may be 0) (arena: level-imax-leq, level-imax-normalization).
    ImaxParamAsMax,
    /// A proposition with a field of a parameter's type declared with a
    /// large-eliminating recursor (arena: large-elim-param).
    LargeElimParam,
    /// `Eq.rec` on a hypothesis `0 = 1` stated to reduce to its minor
    /// premise, as K-like reduction would if it skipped the index check
    /// (arena: k-rec-conv).
    KRecWrongIndex,
    /// A proof field of a `Prop` structure projected where its type
    /// mentions a data field (arena: proj-of-prop).
    ProjPropDependent,
    /// A projection out of a type with two constructors whose first
    /// constructor's field is `False`, applied to the second: a proof of
    /// `False` if a kernel takes the field's type from the first
    /// constructor without checking the type is a structure (class 7).
    ProjTwoConstructors,
    /// A type with two constructors and no fields whose recursor is
    /// marked for K-like reduction: a kernel that trusts the flag reduces
    /// `rec m x y b` to `x` for every `b` (class 9; arena: k-rec-conv).
    KFlagTampered,
    /// `Nat` with a `Nat.rec` whose successor rule recurses on `0`
    /// instead of the predecessor; it replaces the prelude's `Nat` in
    /// place (grafted elsewhere it is a renamed copy) (arena:
    /// nat-rec-rules).
    NatRecRules,
}

impl IllFormed {
    pub const ALL: &'static [IllFormed] = &[
        IllFormed::LooseBVar,
        IllFormed::TheoremNotProp,
        IllFormed::WrongNatFact,
        IllFormed::ProjNonStructure,
        IllFormed::DuplicateLevelParam,
        IllFormed::SortInSortOfItself,
        IllFormed::SwappedRecursorRules,
        IllFormed::FalseTheorem,
        IllFormed::ProjOutOfRange,
        IllFormed::ProjDataFromProp,
        IllFormed::ImaxAsMax,
        IllFormed::LetTypeMismatch,
        IllFormed::WrongLevelCount,
        IllFormed::ImaxParamAsMax,
        IllFormed::LargeElimParam,
        IllFormed::KRecWrongIndex,
        IllFormed::ProjPropDependent,
        IllFormed::ProjTwoConstructors,
        IllFormed::KFlagTampered,
        IllFormed::NatRecRules,
    ];

    /// The family's name on the command line and in novelty features.
    pub fn name(self) -> &'static str {
        match self {
            IllFormed::LooseBVar => "loose-bvar",
            IllFormed::TheoremNotProp => "theorem-not-prop",
            IllFormed::WrongNatFact => "wrong-nat-fact",
            IllFormed::ProjNonStructure => "proj-non-structure",
            IllFormed::DuplicateLevelParam => "duplicate-level-param",
            IllFormed::SortInSortOfItself => "prop-in-prop",
            IllFormed::SwappedRecursorRules => "swapped-recursor-rules",
            IllFormed::FalseTheorem => "false-theorem",
            IllFormed::ProjOutOfRange => "proj-out-of-range",
            IllFormed::ProjDataFromProp => "proj-data-from-prop",
            IllFormed::ImaxAsMax => "imax-as-max",
            IllFormed::LetTypeMismatch => "let-type-mismatch",
            IllFormed::WrongLevelCount => "wrong-level-count",
            IllFormed::ImaxParamAsMax => "imax-param-as-max",
            IllFormed::LargeElimParam => "large-elim-param",
            IllFormed::KRecWrongIndex => "k-rec-wrong-index",
            IllFormed::ProjPropDependent => "proj-prop-dependent",
            IllFormed::ProjTwoConstructors => "proj-two-constructors",
            IllFormed::KFlagTampered => "k-flag-tampered",
            IllFormed::NatRecRules => "nat-rec-rules",
        }
    }

    fn index(self) -> usize {
        IllFormed::ALL
            .iter()
            .position(|k| *k == self)
            .expect("every family is in ALL")
    }
}

/// Each ill-formed family's own probability of appearing in an
/// environment (independently: an environment may carry several).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IllFormedRates([f64; IllFormed::ALL.len()]);

impl IllFormedRates {
    /// No ill-formed declarations.
    pub fn none() -> Self {
        IllFormedRates([0.0; IllFormed::ALL.len()])
    }

    /// `total` spread evenly: on average `total` ill-formed declarations
    /// per environment.
    pub fn uniform(total: f64) -> Self {
        IllFormedRates([total.clamp(0.0, 1.0) / IllFormed::ALL.len() as f64; IllFormed::ALL.len()])
    }

    pub fn get(&self, kind: IllFormed) -> f64 {
        self.0[kind.index()]
    }

    pub fn set(&mut self, kind: IllFormed, rate: f64) {
        self.0[kind.index()] = rate.clamp(0.0, 1.0);
    }

    /// Parses `FAMILY=RATE` (a family name of [`IllFormed::name`], a
    /// probability).
    pub fn parse_one(s: &str) -> Result<(IllFormed, f64), String> {
        let (name, rate) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not FAMILY=RATE"))?;
        let kind = IllFormed::ALL
            .iter()
            .copied()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = IllFormed::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown ill-formed family {name:?} (known: {})",
                    names.join(", ")
                )
            })?;
        match rate.parse::<f64>() {
            Ok(r) if (0.0..=1.0).contains(&r) => Ok((kind, r)),
            _ => Err(format!("{rate:?} is not a probability between 0 and 1")),
        }
    }
}

/// What an ill-formed family added to an environment: its kind and the
/// declaration a kernel must reject (the one the family makes ill-formed;
/// the helpers before it are well-formed). For an inductive group, the
/// name of its (first) type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IllFormedLabel {
    pub kind: IllFormed,
    pub decl: Name,
}

impl IllFormedLabel {
    /// The label of a family's declarations: the last one is the
    /// ill-formed one.
    pub fn of(kind: IllFormed, decls: &[Decl]) -> Self {
        let last = decls
            .last()
            .expect("an ill-formed family adds a declaration");
        IllFormedLabel {
            kind,
            decl: last.names()[0].clone(),
        }
    }
}

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

/// The greatest common divisor (`gcd 0 n = n`, as Lean's).
fn gcd(a: u128, b: u128) -> u128 {
    if a == 0 {
        b
    } else {
        gcd(b % a, a)
    }
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

    /// The next declarations (usually one; a helper may come first).
    fn declaration(&mut self) -> Vec<Decl> {
        match self.rng.random_range(0..23) {
            0..=2 => vec![self.nat_def()],
            3..=4 => vec![self.nat_fact()],
            5 => vec![self.enumeration()],
            6..=7 => self.enum_fn().into_iter().collect(),
            8 => self.enum_fact(),
            9 => vec![self.quot_fact()],
            10 => vec![self.bool_fact()],
            11 => vec![self.let_fact()],
            12 => vec![self.opaque_def()],
            13..=14 => self.structure_value(),
            15..=16 => self.proj_fact(),
            17 => self.imax_def(),
            18 => vec![self.string_fact()],
            19 => self.tree_fact(),
            20 => self.vector_fact(),
            _ => self.mutual_fact(),
        }
    }

    /// A closed `Nat` term of height at most `h` and its value.
    fn nat_term(&mut self, h: usize) -> (Expr, u128) {
        if h <= 1 || self.rng.random_bool(0.3) {
            return match self.rng.random_range(0..4) {
                0 if !self.nat_defs.is_empty() => {
                    let (name, v) =
                        self.nat_defs[self.rng.random_range(0..self.nat_defs.len())].clone();
                    (Expr::Const(name, vec![]), v)
                }
                1 => (c("Nat.zero"), 0),
                _ => {
                    let v: u128 = match self.rng.random_range(0..4) {
                        0 => self.rng.random_range(0..4),
                        1 => self.rng.random_range(0..1000),
                        2 => 1 << self.rng.random_range(30..70),
                        _ => self.rng.random_range(0..(1u128 << 64)),
                    };
                    (Expr::NatLit(v.to_string()), v)
                }
            };
        }
        match self.rng.random_range(0..8) {
            5 => {
                // div, mod, gcd, land, lor, xor: never larger than both.
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                let (op, v) = match self.rng.random_range(0..6) {
                    0 => ("Nat.div", va.checked_div(vb).unwrap_or(0)),
                    1 => ("Nat.mod", va.checked_rem(vb).unwrap_or(va)),
                    2 => ("Nat.gcd", gcd(va, vb)),
                    3 => ("Nat.land", va & vb),
                    4 => ("Nat.lor", va | vb),
                    _ => ("Nat.xor", va ^ vb),
                };
                (apps(c(op), [a, b]), v)
            }
            6 => {
                // Shifts by a small amount, so the value stays exact.
                let (a, va) = self.nat_term(h - 1);
                let k: u32 = self.rng.random_range(0..70);
                if self.rng.random_bool(0.5) {
                    (
                        apps(c("Nat.shiftRight"), [a, Expr::NatLit(k.to_string())]),
                        va >> k.min(127),
                    )
                } else {
                    match va.checked_shl(k).filter(|v| *v < MAX_VALUE && v >> k == va) {
                        Some(v) => (
                            apps(c("Nat.shiftLeft"), [a, Expr::NatLit(k.to_string())]),
                            v,
                        ),
                        None => (a, va),
                    }
                }
            }
            7 => {
                let (a, va) = self.nat_term(h - 1);
                let v = if va == 0 {
                    0
                } else {
                    127 - u128::from(va.leading_zeros())
                };
                (app(c("Nat.log2"), a), v)
            }
            0 => {
                let (a, va) = self.nat_term(h - 1);
                if va + 1 < MAX_VALUE {
                    return (app(c("Nat.succ"), a), va + 1);
                }
                (a, va)
            }
            3 => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                (apps(c("Nat.sub"), [a, b]), va.saturating_sub(vb))
            }
            4 => {
                // A small exponent, so the value stays exact.
                let (a, va) = self.nat_term(h - 1);
                let k: u32 = self.rng.random_range(0..6);
                match va.checked_pow(k).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.pow"), [a, Expr::NatLit(k.to_string())]), v),
                    None => (a, va),
                }
            }
            1 => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                match va.checked_add(vb).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.add"), [a, b]), v),
                    None => (a, va),
                }
            }
            _ => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                match va.checked_mul(vb).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.mul"), [a, b]), v),
                    None => (a, va),
                }
            }
        }
    }

    fn nat_def(&mut self) -> Decl {
        let (value, v) = self.nat_term(self.cfg.depth);
        let name = self.fresh("d");
        self.nat_defs.push((name.clone(), v));
        self.regular_def(name, nat(), value)
    }

    /// `def name : ty := value` with regular hints of a random height.
    fn regular_def(&mut self, name: Name, ty: Expr, value: Expr) -> Decl {
        Decl::Def {
            name: name.clone(),
            level_params: vec![],
            ty,
            value,
            hints: Hints::Regular(self.rng.random_range(1..4)),
            safety: Safety::Safe,
            all: vec![name],
        }
    }

    /// `theorem <stem>N : @Eq ty lhs rhs := Eq.refl rhs`: the kernel must
    /// reduce `lhs` to `rhs`.
    fn refl_fact(&mut self, stem: &str, ty: Expr, lhs: Expr, rhs: Expr) -> Decl {
        let name = self.fresh(stem);
        Decl::Thm {
            name: name.clone(),
            level_params: vec![],
            ty: eq_at(ty.clone(), lhs, rhs.clone()),
            value: refl_at(ty, rhs),
            all: vec![name],
        }
    }

    /// `theorem : t = <value of t> := Eq.refl <value>`.
    fn nat_fact(&mut self) -> Decl {
        let (t, v) = self.nat_term(self.cfg.depth);
        let lit = Expr::NatLit(v.to_string());
        self.refl_fact("fact", nat(), t, lit.clone())
    }

    /// `inductive E | c0 | c1 …` (0 to 4 constructors).
    fn enumeration(&mut self) -> Decl {
        let k = self.rng.random_range(0..5);
        self.enumeration_of(k)
    }

    /// An enumeration of `k` constructors.
    fn enumeration_of(&mut self, k: usize) -> Decl {
        let name = self.fresh("E");
        let ctors: Vec<Name> = (0..k).map(|i| name.str(&format!("c{i}"))).collect();
        self.enums.push((name.clone(), ctors.clone()));
        enum_decl(&name, &ctors)
    }

    /// `def f : E → Nat := fun x => E.rec.{1} (fun _ => Nat) v0 … x`.
    fn enum_fn(&mut self) -> Option<Decl> {
        if self.enums.is_empty() {
            return None;
        }
        let i = self.rng.random_range(0..self.enums.len());
        Some(self.enum_fn_of(i))
    }

    /// A function on enumeration `i`.
    fn enum_fn_of(&mut self, i: usize) -> Decl {
        let (ename, ctors) = self.enums[i].clone();
        let values: Vec<u128> = ctors
            .iter()
            .map(|_| self.rng.random_range(0..1_000_000))
            .collect();
        let e = Expr::Const(ename.clone(), vec![]);
        let body = apps(
            cnst(&ename.str("rec"), &[one()]),
            std::iter::once(Expr::Lam(
                n("t"),
                Box::new(e.clone()),
                Box::new(nat()),
                BinderInfo::Default,
            ))
            .chain(values.iter().map(|v| Expr::NatLit(v.to_string())))
            .chain([Expr::BVar(0)]),
        );
        let name = self.fresh("f");
        self.enum_fns.push((name.clone(), i, values));
        Decl::Def {
            name: name.clone(),
            level_params: vec![],
            ty: arrow(e.clone(), nat()),
            value: Expr::Lam(n("x"), Box::new(e), Box::new(body), BinderInfo::Default),
            hints: Hints::Abbrev,
            safety: Safety::Safe,
            all: vec![name],
        }
    }

    /// `theorem : f E.ck = vk := Eq.refl vk` (the kernel applies a rule).
    /// (After an enumeration and a function on it, when there is no such
    /// function yet.)
    fn enum_fact(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        let mut candidates: Vec<usize> = (0..self.enum_fns.len())
            .filter(|&k| !self.enum_fns[k].2.is_empty())
            .collect();
        if candidates.is_empty() {
            let k = self.rng.random_range(1..5);
            out.push(self.enumeration_of(k));
            let i = self.enums.len() - 1;
            out.push(self.enum_fn_of(i));
            candidates.push(self.enum_fns.len() - 1);
        }
        let k = candidates[self.rng.random_range(0..candidates.len())];
        let (fname, ei, values) = self.enum_fns[k].clone();
        let j = self.rng.random_range(0..values.len());
        let ctor = self.enums[ei].1[j].clone();
        let lit = Expr::NatLit(values[j].to_string());
        out.push(self.refl_fact(
            "iota",
            nat(),
            app(Expr::Const(fname, vec![]), Expr::Const(ctor, vec![])),
            lit.clone(),
        ));
        out
    }

    /// `theorem : (let x : Nat := t; x + x) = <2 t>`: the kernel must
    /// substitute the let (class 11's well-formed side).
    fn let_fact(&mut self) -> Decl {
        let (t, v) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let lit = Expr::NatLit((2 * v).to_string());
        let body = apps(c("Nat.add"), [Expr::BVar(0), Expr::BVar(0)]);
        let lhs = Expr::LetE {
            name: n("x"),
            ty: Box::new(nat()),
            value: Box::new(t),
            body: Box::new(body),
            nondep: false,
        };
        self.refl_fact("let", nat(), lhs, lit.clone())
    }

    /// `opaque o : Nat := t` (checked, never unfolded, so no fact uses it).
    fn opaque_def(&mut self) -> Decl {
        let (value, _) = self.nat_term(self.cfg.depth);
        let name = self.fresh("o");
        Decl::Opaque {
            name: name.clone(),
            level_params: vec![],
            ty: nat(),
            value,
            is_unsafe: false,
            all: vec![name],
        }
    }

    /// A structure `P` with one constructor `P.mk` of 1 to 3 fields of
    /// type `Nat` or `Bool`.
    fn structure(&mut self) -> Decl {
        let name = self.fresh("P");
        let fields: Vec<FieldTy> = (0..self.rng.random_range(1..4))
            .map(|_| {
                if self.rng.random_bool(0.7) {
                    FieldTy::Nat
                } else {
                    FieldTy::Bool
                }
            })
            .collect();
        let ctor_ty = fields
            .iter()
            .rev()
            .fold(Expr::Const(name.clone(), vec![]), |acc, f| {
                arrow(f.ty(), acc)
            });
        self.structs.push((name.clone(), fields));
        structure_decl(&name, ctor_ty)
    }

    /// A field value: a Nat term's literal value, or a Bool constructor.
    fn field_value(&mut self, f: FieldTy) -> Expr {
        match f {
            FieldTy::Nat => {
                let (_, v) = self.nat_term(2);
                Expr::NatLit(v.to_string())
            }
            FieldTy::Bool => c(if self.rng.random_bool(0.5) {
                "Bool.true"
            } else {
                "Bool.false"
            }),
        }
    }

    /// `def s : P := P.mk v1 … vk` (after a new structure `P`, when there
    /// is none yet, or sometimes).
    fn structure_value(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        if self.structs.is_empty() || self.rng.random_bool(0.3) {
            out.push(self.structure());
        }
        let i = self.rng.random_range(0..self.structs.len());
        let (sname, fields) = self.structs[i].clone();
        let values: Vec<Expr> = fields.iter().map(|f| self.field_value(*f)).collect();
        let name = self.fresh("s");
        self.struct_values.push((name.clone(), i, values.clone()));
        out.push(self.regular_def(
            name,
            Expr::Const(sname.clone(), vec![]),
            apps(Expr::Const(sname.str("mk"), vec![]), values),
        ));
        out
    }

    /// `theorem : s.i = vi` through the kernel's projection (class 7's
    /// well-formed side), after a structure value when there is none yet.
    fn proj_fact(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        if self.struct_values.is_empty() {
            out = self.structure_value();
        }
        let k = self.rng.random_range(0..self.struct_values.len());
        let (vname, si, values) = self.struct_values[k].clone();
        let (sname, fields) = self.structs[si].clone();
        let j = self.rng.random_range(0..fields.len());
        let proj = Expr::Proj(sname, j as u64, Box::new(Expr::Const(vname, vec![])));
        let ty = fields[j].ty();
        out.push(self.refl_fact("proj", ty.clone(), proj, values[j].clone()));
        out
    }

    /// `arrowSort`, the first time it is needed.
    fn arrow_sort_decl(&mut self) -> Option<Decl> {
        if self.arrow_sort {
            return None;
        }
        self.arrow_sort = true;
        Some(arrow_sort(&n("arrowSort")))
    }

    /// `def : Sort <imax a b, normalised> := arrowSort.{a, b} A B` for
    /// levels a, b in 0..=2 (`A : Sort a`): the kernel must see
    /// `imax a 0 = 0` and `imax a b = max a b` otherwise (class 8's
    /// well-formed side).
    fn imax_def(&mut self) -> Vec<Decl> {
        let mut out: Vec<Decl> = self.arrow_sort_decl().into_iter().collect();
        let (a, b) = (
            self.rng.random_range(0..3u32),
            self.rng.random_range(0..3u32),
        );
        let sort_level = if b == 0 { 0 } else { a.max(b) };
        let name = self.fresh("imax");
        out.push(Decl::Def {
            name: name.clone(),
            level_params: vec![],
            ty: Expr::Sort(level_of(sort_level)),
            value: apps(
                Expr::Const(n("arrowSort"), vec![level_of(a), level_of(b)]),
                [type_in_sort(a), type_in_sort(b)],
            ),
            hints: Hints::Abbrev,
            safety: Safety::Safe,
            all: vec![name],
        });
        out
    }

    /// `inductive T (α : Type) | leaf | node : α → T α → … → T α` (1 or 2
    /// subtrees) and `def f : T Nat → Nat` by `T.rec`: a leaf is `c`, a
    /// node its payload plus its subtrees' values (class 9's well-formed
    /// side: parameters, recursive fields, induction hypotheses).
    fn tree_type(&mut self) -> Vec<Decl> {
        use super::expr::{lam as lam_over, pi, Fresh};
        let tname = self.fresh("T");
        let r = self.rng.random_range(1..3usize);
        // Half of them universe-polymorphic: `T.{u} (α : Type u)`.
        let poly = self.rng.random_bool(0.5);
        let u = Level::Param(n("u"));
        let own_levels: Vec<Level> = if poly { vec![u.clone()] } else { vec![] };
        let type_u = Expr::Sort(if poly {
            Level::Succ(Box::new(u.clone()))
        } else {
            one()
        });
        let t_of = |a: Expr| app(Expr::Const(tname.clone(), own_levels.clone()), a);
        let mut fresh = Fresh::default();
        let alpha = fresh.local(n("α"), type_u.clone(), BinderInfo::Implicit);
        let payload = fresh.local(n("a"), alpha.fvar(), BinderInfo::Default);
        let subs: Vec<_> = (0..r)
            .map(|i| fresh.local(n(&format!("t{i}")), t_of(alpha.fvar()), BinderInfo::Default))
            .collect();
        let leaf_ty = pi(std::slice::from_ref(&alpha), t_of(alpha.fvar()));
        let node_binders: Vec<_> = [alpha.clone(), payload]
            .into_iter()
            .chain(subs.iter().cloned())
            .collect();
        let node_ty = pi(&node_binders, t_of(alpha.fvar()));
        let group = derive(
            &IndSpec {
                name: tname.clone(),
                level_params: if poly { vec![n("u")] } else { vec![] },
                num_params: 1,
                ty: arrow(type_u.clone(), type_u.clone()),
                ctors: vec![(tname.str("leaf"), leaf_ty), (tname.str("node"), node_ty)],
            },
            &|_| false,
        )
        .expect("trees are well-formed");
        // fun t => T.rec.{1} Nat (fun _ => Nat) c (fun a t1 … ih1 … => a + ih1 + …) t
        // Used at `Nat : Type`, so at level 0.
        let at_zero: Vec<Level> = if poly { vec![Level::Zero] } else { vec![] };
        let t_nat = app(Expr::Const(tname.clone(), at_zero.clone()), nat());
        let t = fresh.local(n("t"), t_nat.clone(), BinderInfo::Default);
        let a = fresh.local(n("a"), nat(), BinderInfo::Default);
        let ts: Vec<_> = (0..r)
            .map(|i| fresh.local(n(&format!("t{i}")), t_nat.clone(), BinderInfo::Default))
            .collect();
        let ihs: Vec<_> = (0..r)
            .map(|i| fresh.local(n(&format!("ih{i}")), nat(), BinderInfo::Default))
            .collect();
        let sum = ihs
            .iter()
            .fold(a.fvar(), |acc, ih| apps(c("Nat.add"), [acc, ih.fvar()]));
        let minor_binders: Vec<_> = std::iter::once(a).chain(ts).chain(ihs).collect();
        let leaf_value: u128 = self.rng.random_range(0..100);
        let motive = Expr::Lam(
            n("x"),
            Box::new(t_nat.clone()),
            Box::new(nat()),
            BinderInfo::Default,
        );
        let value = lam_over(
            std::slice::from_ref(&t),
            apps(
                cnst(&tname.str("rec"), &[vec![one()], at_zero.clone()].concat()),
                [
                    nat(),
                    motive,
                    Expr::NatLit(leaf_value.to_string()),
                    lam_over(&minor_binders, sum),
                    t.fvar(),
                ],
            ),
        );
        let fname = self.fresh("sum");
        self.trees
            .push((tname, r, fname.clone(), leaf_value, at_zero));
        vec![group, self.regular_def(fname, arrow(t_nat, nat()), value)]
    }

    /// A tree of `T Nat` of height at most `h` and its value under the
    /// tree's function.
    fn tree(&mut self, k: usize, h: usize) -> (Expr, u128) {
        let (tname, r, _, leaf_value, levels) = self.trees[k].clone();
        if h == 0 || self.rng.random_bool(0.35) {
            return (
                app(Expr::Const(tname.str("leaf"), levels), nat()),
                leaf_value,
            );
        }
        let payload: u128 = self.rng.random_range(0..1000);
        let mut args = vec![nat(), Expr::NatLit(payload.to_string())];
        let mut value = payload;
        for _ in 0..r {
            let (sub, v) = self.tree(k, h - 1);
            args.push(sub);
            value += v;
        }
        (apps(Expr::Const(tname.str("node"), levels), args), value)
    }

    /// `theorem : f <tree> = <its value>` (after a new tree type and its
    /// function, when there is none yet, or sometimes): the kernel applies
    /// recursor rules with induction hypotheses.
    fn tree_fact(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        if self.trees.is_empty() || self.rng.random_bool(0.3) {
            out.extend(self.tree_type());
        }
        let k = self.rng.random_range(0..self.trees.len());
        let (sample, value) = self.tree(k, 3);
        let fname = self.trees[k].2.clone();
        let lit = Expr::NatLit(value.to_string());
        out.push(self.refl_fact(
            "tree",
            nat(),
            app(Expr::Const(fname, vec![]), sample),
            lit.clone(),
        ));
        out
    }

    /// `inductive V : Nat → Type | nil : V 0 | cons : Nat → (n : Nat) →
    /// V n → V (n + 1)` and `def len : (n : Nat) → V n → Nat` by `V.rec`
    /// (class 9's well-formed side: an indexed family, its motive over the
    /// index).
    fn vector_type(&mut self) -> Vec<Decl> {
        use super::expr::{lam as lam_over, pi, Fresh};
        let vname = self.fresh("V");
        let v_of = |i: Expr| app(Expr::Const(vname.clone(), vec![]), i);
        let mut fresh = Fresh::default();
        let x = fresh.local(n("x"), nat(), BinderInfo::Default);
        let m = fresh.local(n("n"), nat(), BinderInfo::Default);
        let tail = fresh.local(n("v"), v_of(m.fvar()), BinderInfo::Default);
        let cons_ty = pi(&[x, m.clone(), tail], v_of(app(c("Nat.succ"), m.fvar())));
        let group = derive(
            &IndSpec {
                name: vname.clone(),
                level_params: vec![],
                num_params: 0,
                ty: arrow(nat(), Expr::Sort(one())),
                ctors: vec![
                    (vname.str("nil"), v_of(Expr::NatLit("0".into()))),
                    (vname.str("cons"), cons_ty),
                ],
            },
            &|_| false,
        )
        .expect("vectors are well-formed");
        // fun n v => V.rec.{1} (fun _ _ => Nat) 0 (fun x m v ih => ih + 1) n v
        let k = fresh.local(n("n"), nat(), BinderInfo::Default);
        let v = fresh.local(n("v"), v_of(k.fvar()), BinderInfo::Default);
        let (mx, mm) = (
            fresh.local(n("x"), nat(), BinderInfo::Default),
            fresh.local(n("m"), nat(), BinderInfo::Default),
        );
        let mv = fresh.local(n("v"), v_of(mm.fvar()), BinderInfo::Default);
        let ih = fresh.local(n("ih"), nat(), BinderInfo::Default);
        let step = lam_over(&[mx, mm, mv, ih.clone()], app(c("Nat.succ"), ih.fvar()));
        let motive = {
            let i = fresh.local(n("i"), nat(), BinderInfo::Default);
            let w = fresh.local(n("w"), v_of(i.fvar()), BinderInfo::Default);
            lam_over(&[i, w], nat())
        };
        let value = lam_over(
            &[k.clone(), v.clone()],
            apps(
                cnst(&vname.str("rec"), &[one()]),
                [motive, Expr::NatLit("0".into()), step, k.fvar(), v.fvar()],
            ),
        );
        let len_ty = pi(&[k, v], nat());
        let fname = self.fresh("len");
        self.vectors.push((vname, fname.clone()));
        vec![group, self.regular_def(fname, len_ty, value)]
    }

    /// `theorem : len k [x1, …, xk] = k` (after a new vector type when
    /// there is none yet, or sometimes).
    fn vector_fact(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        if self.vectors.is_empty() || self.rng.random_bool(0.3) {
            out.extend(self.vector_type());
        }
        let (vname, fname) = self.vectors[self.rng.random_range(0..self.vectors.len())].clone();
        let len = self.rng.random_range(0..5u128);
        let mut vec = Expr::Const(vname.str("nil"), vec![]);
        for i in 0..len {
            let x = Expr::NatLit(self.rng.random_range(0..100u128).to_string());
            vec = apps(
                Expr::Const(vname.str("cons"), vec![]),
                [x, Expr::NatLit(i.to_string()), vec],
            );
        }
        let lit = Expr::NatLit(len.to_string());
        out.push(self.refl_fact(
            "vec",
            nat(),
            apps(Expr::Const(fname, vec![]), [lit.clone(), vec]),
            lit.clone(),
        ));
        out
    }

    /// `mutual inductive A | a0 | a1 : Nat → B → A; inductive B | b0 | b1 :
    /// A → B → B end` and `def size : A → Nat` by `A.rec` with both motives:
    /// `a0 = ca`, `a1 n b = n + size b`, `b0 = cb`, `b1 a b = size a +
    /// size b` (class 9's well-formed side: a mutual group, whose
    /// recursors call each other).
    fn mutual_type(&mut self) -> Vec<Decl> {
        let a = self.fresh("A");
        let b = self.fresh("B");
        let (ta, tb) = (
            Expr::Const(a.clone(), vec![]),
            Expr::Const(b.clone(), vec![]),
        );
        let spec = |name: &Name, ctors: Vec<(Name, Expr)>| IndSpec {
            name: name.clone(),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(one()),
            ctors,
        };
        let group = derive_group(
            &[
                spec(
                    &a,
                    vec![
                        (a.str("a0"), ta.clone()),
                        (a.str("a1"), arrow(nat(), arrow(tb.clone(), ta.clone()))),
                    ],
                ),
                spec(
                    &b,
                    vec![
                        (b.str("b0"), tb.clone()),
                        (
                            b.str("b1"),
                            arrow(ta.clone(), arrow(tb.clone(), tb.clone())),
                        ),
                    ],
                ),
            ],
            &|_| false,
        )
        .expect("the mutual pair is well-formed");
        let (va, vb): (u128, u128) = (self.rng.random_range(0..100), self.rng.random_range(0..100));
        let bv = Expr::BVar;
        let lam = |x: &str, t: Expr, body: Expr| {
            Expr::Lam(n(x), Box::new(t), Box::new(body), BinderInfo::Default)
        };
        let (ta, tb) = (
            Expr::Const(a.clone(), vec![]),
            Expr::Const(b.clone(), vec![]),
        );
        let add = |x: Expr, y: Expr| apps(c("Nat.add"), [x, y]);
        // Inside `fun t =>`: A.rec.{1} motive_A motive_B ca (a1) cb (b1) t
        let value = lam(
            "t",
            ta.clone(),
            apps(
                cnst(&a.str("rec"), &[one()]),
                [
                    lam("x", ta.clone(), nat()),
                    lam("x", tb.clone(), nat()),
                    Expr::NatLit(va.to_string()),
                    // fun n b ih => n + ih
                    lam(
                        "n",
                        nat(),
                        lam("b", tb.clone(), lam("ih", nat(), add(bv(2), bv(0)))),
                    ),
                    Expr::NatLit(vb.to_string()),
                    // fun a b iha ihb => iha + ihb
                    lam(
                        "a",
                        ta.clone(),
                        lam(
                            "b",
                            tb.clone(),
                            lam("iha", nat(), lam("ihb", nat(), add(bv(1), bv(0)))),
                        ),
                    ),
                    bv(0),
                ],
            ),
        );
        let fname = self.fresh("size");
        self.mutuals.push((a, b, fname.clone(), va, vb));
        vec![group, self.regular_def(fname, arrow(ta, nat()), value)]
    }

    /// A value of the pair's `A` (`of_a`) or `B` of height at most `h`,
    /// and its size.
    fn mutual_value(&mut self, k: usize, of_a: bool, h: usize) -> (Expr, u128) {
        let (a, b, _, va, vb) = self.mutuals[k].clone();
        if h == 0 || self.rng.random_bool(0.35) {
            return if of_a {
                (Expr::Const(a.str("a0"), vec![]), va)
            } else {
                (Expr::Const(b.str("b0"), vec![]), vb)
            };
        }
        if of_a {
            let m: u128 = self.rng.random_range(0..1000);
            let (sub, v) = self.mutual_value(k, false, h - 1);
            (
                apps(
                    Expr::Const(a.str("a1"), vec![]),
                    [Expr::NatLit(m.to_string()), sub],
                ),
                m + v,
            )
        } else {
            let (x, vx) = self.mutual_value(k, true, h - 1);
            let (y, vy) = self.mutual_value(k, false, h - 1);
            (apps(Expr::Const(b.str("b1"), vec![]), [x, y]), vx + vy)
        }
    }

    /// `theorem : size <value of A> = <its size>` (after a new pair when
    /// there is none yet, or sometimes).
    fn mutual_fact(&mut self) -> Vec<Decl> {
        let mut out = Vec::new();
        if self.mutuals.is_empty() || self.rng.random_bool(0.3) {
            out.extend(self.mutual_type());
        }
        let k = self.rng.random_range(0..self.mutuals.len());
        let (sample, value) = self.mutual_value(k, true, 4);
        let fname = self.mutuals[k].2.clone();
        out.push(self.refl_fact(
            "mut",
            nat(),
            app(Expr::Const(fname, vec![]), sample),
            Expr::NatLit(value.to_string()),
        ));
        out
    }

    /// `theorem : String.ofList [Char.ofNat c1, …] = "<the string>"`: the
    /// kernel must expand the literal into characters (class 6), also
    /// for code points past ASCII.
    fn string_fact(&mut self) -> Decl {
        const CHARS: [char; 10] = ['a', 'b', 'z', '0', ' ', '"', '\\', 'é', 'λ', '😀'];
        let text: String = (0..self.rng.random_range(0..5))
            .map(|_| CHARS[self.rng.random_range(0..CHARS.len())])
            .collect();
        let char_ = c("Char");
        let list = |f: Expr| apps(f, [char_.clone()]);
        let nil = list(cnst(&n("List.nil"), &[Level::Zero]));
        let chars = text.chars().rev().fold(nil, |tail, ch| {
            apps(
                list(cnst(&n("List.cons"), &[Level::Zero])),
                [
                    app(c("Char.ofNat"), Expr::NatLit((ch as u32).to_string())),
                    tail,
                ],
            )
        });
        let lit = Expr::StrLit(text);
        self.refl_fact(
            "str",
            c("String"),
            app(c("String.ofList"), chars),
            lit.clone(),
        )
    }

    /// `theorem : Nat.beq a b = <a == b>` or `Nat.ble a b = <a ≤ b>`
    /// (`Eq.refl` of the `Bool` constructor); the operands are often equal
    /// or adjacent, where the answer turns.
    fn bool_fact(&mut self) -> Decl {
        let (a, va) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let (b, vb) = match self.rng.random_range(0..3) {
            0 => (Expr::NatLit(va.to_string()), va),
            1 => (Expr::NatLit((va + 1).to_string()), va + 1),
            _ => self.nat_term(self.cfg.depth.saturating_sub(1).max(1)),
        };
        let (op, holds) = if self.rng.random_bool(0.5) {
            ("Nat.beq", va == vb)
        } else {
            ("Nat.ble", va <= vb)
        };
        let answer = c(if holds { "Bool.true" } else { "Bool.false" });
        self.refl_fact("cmp", c("Bool"), apps(c(op), [a, b]), answer.clone())
    }

    /// `theorem : Quot.lift f h (Quot.mk r t) = <value of f t>` with
    /// `r := fun _ _ => False`, `f := fun x => x + k` and `h` proved by
    /// `False.rec`: the kernel must apply quotient reduction, then Nat
    /// arithmetic.
    fn quot_fact(&mut self) -> Decl {
        let (t, vt) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let k: u128 = self.rng.random_range(0..1000);
        let value = vt + k;
        let lam = |x: &str, ty: Expr, body: Expr| {
            Expr::Lam(n(x), Box::new(ty), Box::new(body), BinderInfo::Default)
        };
        let bv = Expr::BVar;
        let rel = lam("a", nat(), lam("b", nat(), c("False")));
        let f = lam(
            "x",
            nat(),
            apps(c("Nat.add"), [bv(0), Expr::NatLit(k.to_string())]),
        );
        // fun a b (p : False) => False.rec.{0} (fun _ => f a = f b) p
        let respects = lam(
            "a",
            nat(),
            lam(
                "b",
                nat(),
                lam(
                    "p",
                    c("False"),
                    apps(
                        cnst(&n("False.rec"), &[Level::Zero]),
                        [
                            lam(
                                "t",
                                c("False"),
                                eq_nat(app(f.clone(), bv(3)), app(f.clone(), bv(2))),
                            ),
                            bv(0),
                        ],
                    ),
                ),
            ),
        );
        let mk = apps(cnst(&n("Quot.mk"), &[one()]), [nat(), rel.clone(), t]);
        let lifted = apps(
            cnst(&n("Quot.lift"), &[one(), one()]),
            [nat(), rel, nat(), f, respects, mk],
        );
        let lit = Expr::NatLit(value.to_string());
        self.refl_fact("quot", nat(), lifted, lit.clone())
    }

    /// The declarations of one ill-formed family: helpers (well-formed,
    /// named `bad…` too), then the ill-formed declaration.
    fn ill_formed(&mut self, kind: IllFormed) -> Vec<Decl> {
        let name = self.fresh("bad");
        let def = |name: Name, level_params: Vec<Name>, ty: Expr, value: Expr| Decl::Def {
            name: name.clone(),
            level_params,
            ty,
            value,
            hints: Hints::Regular(1),
            safety: Safety::Safe,
            all: vec![name],
        };
        let mut helpers = Vec::new();
        let last = match kind {
            IllFormed::LooseBVar => def(name, vec![], nat(), app(c("Nat.succ"), Expr::BVar(3))),
            IllFormed::TheoremNotProp => Decl::Thm {
                name: name.clone(),
                level_params: vec![],
                ty: nat(),
                value: c("Nat.zero"),
                all: vec![name],
            },
            IllFormed::WrongNatFact => {
                let (t, v) = self.nat_term(self.cfg.depth);
                let wrong = Expr::NatLit((v + 1).to_string());
                Decl::Thm {
                    name: name.clone(),
                    level_params: vec![],
                    ty: eq_nat(t, wrong.clone()),
                    value: refl_nat(wrong),
                    all: vec![name],
                }
            }
            IllFormed::ProjNonStructure => def(
                name,
                vec![],
                nat(),
                Expr::Proj(n("Nat"), 0, Box::new(Expr::NatLit("7".into()))),
            ),
            IllFormed::DuplicateLevelParam => {
                let u = n("u");
                def(
                    name,
                    vec![u.clone(), u.clone()],
                    Expr::Sort(Level::Succ(Box::new(Level::Param(u)))),
                    Expr::Sort(Level::Zero),
                )
            }
            IllFormed::SortInSortOfItself => def(
                name,
                vec![],
                Expr::Sort(Level::Zero),
                Expr::Sort(Level::Zero),
            ),
            IllFormed::SwappedRecursorRules => {
                let ename = self.fresh("badS");
                let ctors = [ename.str("a"), ename.str("b")];
                // Well-formed before the swap.
                let mut group = enum_decl(&ename, &ctors);
                if let Decl::Inductive { recs, .. } = &mut group {
                    let rules = &mut recs[0].rules;
                    let (a, b) = (rules[0].rhs.clone(), rules[1].rhs.clone());
                    rules[0].rhs = b;
                    rules[1].rhs = a;
                }
                group
            }
            IllFormed::FalseTheorem => Decl::Thm {
                name: name.clone(),
                level_params: vec![],
                ty: c("False"),
                value: c("Nat.zero"),
                all: vec![name],
            },
            IllFormed::ProjOutOfRange => {
                let sname = self.fresh("badP");
                let k = self.rng.random_range(1..3u64);
                let ctor_ty = (0..k).fold(Expr::Const(sname.clone(), vec![]), |acc, _| {
                    arrow(nat(), acc)
                });
                helpers.push(structure_decl(&sname, ctor_ty));
                let vname = self.fresh("badv");
                helpers.push(def(
                    vname.clone(),
                    vec![],
                    Expr::Const(sname.clone(), vec![]),
                    apps(
                        Expr::Const(sname.str("mk"), vec![]),
                        (0..k).map(|i| Expr::NatLit(i.to_string())),
                    ),
                ));
                // Field k of a structure with fields 0..k.
                def(
                    name,
                    vec![],
                    nat(),
                    Expr::Proj(sname, k, Box::new(Expr::Const(vname, vec![]))),
                )
            }
            IllFormed::ProjDataFromProp => {
                let wname = self.fresh("badW");
                helpers.push(
                    derive(
                        &IndSpec {
                            name: wname.clone(),
                            level_params: vec![],
                            num_params: 0,
                            ty: Expr::Sort(Level::Zero),
                            ctors: vec![(
                                wname.str("mk"),
                                arrow(nat(), Expr::Const(wname.clone(), vec![])),
                            )],
                        },
                        &|_| false,
                    )
                    .expect("the proposition is well-formed"),
                );
                let pname = self.fresh("badw");
                helpers.push(Decl::Thm {
                    name: pname.clone(),
                    level_params: vec![],
                    ty: Expr::Const(wname.clone(), vec![]),
                    value: app(
                        Expr::Const(wname.str("mk"), vec![]),
                        Expr::NatLit("7".into()),
                    ),
                    all: vec![pname.clone()],
                });
                // The Nat inside a proof, out of Prop.
                def(
                    name,
                    vec![],
                    nat(),
                    Expr::Proj(wname, 0, Box::new(Expr::Const(pname, vec![]))),
                )
            }
            IllFormed::ImaxAsMax => {
                let arrow_name = self.fresh("badArrow");
                helpers.push(arrow_sort(&arrow_name));
                let a = self.rng.random_range(1..3u32);
                // `A → False` is a proposition: its sort is imax a 0 = 0,
                // not max a 0 = a.
                def(
                    name,
                    vec![],
                    Expr::Sort(level_of(a)),
                    apps(
                        Expr::Const(arrow_name, vec![level_of(a), Level::Zero]),
                        [type_in_sort(a), c("False")],
                    ),
                )
            }
            IllFormed::LetTypeMismatch => def(
                name,
                vec![],
                nat(),
                Expr::LetE {
                    name: n("x"),
                    ty: Box::new(c("Bool")),
                    value: Box::new(Expr::NatLit("5".into())),
                    body: Box::new(c("Nat.zero")),
                    nondep: false,
                },
            ),
            IllFormed::WrongLevelCount => {
                let list = |levels: Vec<Level>| app(Expr::Const(n("List"), levels), nat());
                let value = match self.rng.random_range(0..3) {
                    // Nat has no universe parameter.
                    0 => Expr::Const(n("Nat"), vec![one()]),
                    // List has one.
                    1 => list(vec![]),
                    _ => list(vec![Level::Zero, Level::Zero]),
                };
                def(name, vec![], Expr::Sort(one()), value)
            }
            IllFormed::ImaxParamAsMax => {
                let (u, v) = (Level::Param(n("u")), Level::Param(n("v")));
                let bv = Expr::BVar;
                let binder = |x: &str, t: Expr, b: Expr, lam: bool| {
                    if lam {
                        Expr::Lam(n(x), Box::new(t), Box::new(b), BinderInfo::Default)
                    } else {
                        Expr::ForallE(n(x), Box::new(t), Box::new(b), BinderInfo::Default)
                    }
                };
                let max = Level::Max(Box::new(u.clone()), Box::new(v.clone()));
                // (α : Sort u) → (β : Sort v) → Sort (max u v)
                let ty = binder(
                    "α",
                    Expr::Sort(u.clone()),
                    binder("β", Expr::Sort(v.clone()), Expr::Sort(max), false),
                    false,
                );
                let value = binder(
                    "α",
                    Expr::Sort(u),
                    binder("β", Expr::Sort(v), arrow(bv(1), bv(1)), true),
                    true,
                );
                def(name, vec![n("u"), n("v")], ty, value)
            }
            IllFormed::LargeElimParam => {
                // inductive badL (α : Type) : Prop | mk (a : α), its
                // recursor derived as if the field were a proposition.
                let lname = self.fresh("badL");
                let l_of = |a: Expr| app(Expr::Const(lname.clone(), vec![]), a);
                let type1 = Expr::Sort(one());
                derive(
                    &IndSpec {
                        name: lname.clone(),
                        level_params: vec![],
                        num_params: 1,
                        ty: Expr::ForallE(
                            n("α"),
                            Box::new(type1.clone()),
                            Box::new(Expr::Sort(Level::Zero)),
                            BinderInfo::Default,
                        ),
                        ctors: vec![(
                            lname.str("mk"),
                            Expr::ForallE(
                                n("α"),
                                Box::new(type1),
                                Box::new(Expr::ForallE(
                                    n("a"),
                                    Box::new(Expr::BVar(0)),
                                    Box::new(l_of(Expr::BVar(1))),
                                    BinderInfo::Default,
                                )),
                                BinderInfo::Implicit,
                            ),
                        )],
                    },
                    &|_| true,
                )
                .expect("the proposition's shape is well-formed")
            }
            IllFormed::KRecWrongIndex => {
                // ∀ (h : 0 = 1), @Eq.rec Nat 0 (fun _ _ => Nat) k 1 h = k
                let k = Expr::NatLit(self.rng.random_range(0..100u32).to_string());
                let (zero, one_) = (Expr::NatLit("0".into()), Expr::NatLit("1".into()));
                let motive = Expr::Lam(
                    n("b"),
                    Box::new(nat()),
                    Box::new(Expr::Lam(
                        n("t"),
                        Box::new(eq_nat(zero.clone(), Expr::BVar(0))),
                        Box::new(nat()),
                        BinderInfo::Default,
                    )),
                    BinderInfo::Default,
                );
                let rec = apps(
                    cnst(&n("Eq.rec"), &[one(), one()]),
                    [
                        nat(),
                        zero.clone(),
                        motive,
                        k.clone(),
                        one_.clone(),
                        Expr::BVar(0),
                    ],
                );
                let h_ty = eq_nat(zero, one_);
                Decl::Thm {
                    name: name.clone(),
                    level_params: vec![],
                    ty: Expr::ForallE(
                        n("h"),
                        Box::new(h_ty.clone()),
                        Box::new(eq_nat(rec, k.clone())),
                        BinderInfo::Default,
                    ),
                    value: Expr::Lam(
                        n("h"),
                        Box::new(h_ty),
                        Box::new(refl_nat(k)),
                        BinderInfo::Default,
                    ),
                    all: vec![name],
                }
            }
            IllFormed::ProjPropDependent => {
                // structure badQ : Prop where (n : Nat) (h : n = n)
                let qname = self.fresh("badQ");
                let q = Expr::Const(qname.clone(), vec![]);
                helpers.push(
                    derive(
                        &IndSpec {
                            name: qname.clone(),
                            level_params: vec![],
                            num_params: 0,
                            ty: Expr::Sort(Level::Zero),
                            ctors: vec![(
                                qname.str("mk"),
                                Expr::ForallE(
                                    n("n"),
                                    Box::new(nat()),
                                    Box::new(Expr::ForallE(
                                        n("h"),
                                        Box::new(eq_nat(Expr::BVar(0), Expr::BVar(0))),
                                        Box::new(q.clone()),
                                        BinderInfo::Default,
                                    )),
                                    BinderInfo::Default,
                                ),
                            )],
                        },
                        &|_| false,
                    )
                    .expect("the Prop structure is well-formed"),
                );
                let pname = self.fresh("badq");
                let k = Expr::NatLit(self.rng.random_range(0..100u32).to_string());
                helpers.push(Decl::Thm {
                    name: pname.clone(),
                    level_params: vec![],
                    ty: q,
                    value: apps(
                        Expr::Const(qname.str("mk"), vec![]),
                        [k.clone(), refl_nat(k)],
                    ),
                    all: vec![pname.clone()],
                });
                // q.2 : q.1 = q.1 — its type needs the data field q.1.
                let proof = Expr::Const(pname, vec![]);
                let data = Expr::Proj(qname.clone(), 0, Box::new(proof.clone()));
                Decl::Thm {
                    name: name.clone(),
                    level_params: vec![],
                    ty: eq_nat(data.clone(), data),
                    value: Expr::Proj(qname, 1, Box::new(proof)),
                    all: vec![name],
                }
            }
            IllFormed::ProjTwoConstructors => {
                // inductive badT : Type | a (h : False) | b (h : 0 = 0)
                let tname = self.fresh("badT");
                let t = Expr::Const(tname.clone(), vec![]);
                let zero = Expr::NatLit("0".into());
                helpers.push(
                    derive(
                        &IndSpec {
                            name: tname.clone(),
                            level_params: vec![],
                            num_params: 0,
                            ty: Expr::Sort(one()),
                            ctors: vec![
                                (tname.str("a"), arrow(c("False"), t.clone())),
                                (tname.str("b"), arrow(eq_nat(zero.clone(), zero.clone()), t)),
                            ],
                        },
                        &|_| false,
                    )
                    .expect("the two-constructor type is well-formed"),
                );
                // (badT.b rfl).1 : False?
                let value = Expr::Proj(
                    tname.clone(),
                    0,
                    Box::new(app(Expr::Const(tname.str("b"), vec![]), refl_nat(zero))),
                );
                Decl::Thm {
                    name: name.clone(),
                    level_params: vec![],
                    ty: c("False"),
                    value,
                    all: vec![name],
                }
            }
            IllFormed::NatRecRules => {
                let mut group = prelude()
                    .into_iter()
                    .find(|d| d.names()[0] == &n("Nat"))
                    .expect("the prelude declares Nat");
                if let Decl::Inductive { recs, .. } = &mut group {
                    // fun motive zero succ n => succ n (Nat.rec … n)
                    // becomes … (Nat.rec … Nat.zero).
                    let rhs = &mut recs[0].rules[1].rhs;
                    let mut body = &mut *rhs;
                    while let Expr::Lam(_, _, b, _) = body {
                        body = &mut **b;
                    }
                    let Expr::App(_, ih) = body else {
                        unreachable!("the succ rule applies the minor premise")
                    };
                    let Expr::App(_, major) = &mut **ih else {
                        unreachable!("the induction hypothesis is a recursor call")
                    };
                    **major = c("Nat.zero");
                }
                group
            }
            IllFormed::KFlagTampered => {
                let bname = self.fresh("badB");
                let mut group = enum_decl(&bname, &[bname.str("t"), bname.str("f")]);
                if let Decl::Inductive { recs, .. } = &mut group {
                    recs[0].k = true;
                }
                group
            }
        };
        helpers.push(last);
        helpers
    }
}
