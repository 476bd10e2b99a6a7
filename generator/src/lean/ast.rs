//! The typed AST of the Lean 4 subset we generate. It is *syntax* with just
//! enough structure to render correct Lean and to be mutated; the semantic
//! types the generator reasons with live in [`super::types`].
//!
//! Syntax was checked against Lean's own `tests/lean/run/` files and the
//! Lean reference manual, construct by construct (noted on each item).

use serde::{Deserialize, Serialize};

/// A (possibly dotted) Lean name. Components that are keywords or not plain
/// identifiers are escaped with `«»` by the renderer.
pub type Name = String;

/// Universe level expressions (`Sort (imax u v + 1)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    Zero,
    Succ(Box<Level>),
    Max(Box<Level>, Box<Level>),
    IMax(Box<Level>, Box<Level>),
    Param(Name),
}

/// Binary operators, rendered infix with Lean's notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    /// `++` on strings and lists.
    Append,
    /// `::` list cons.
    Cons,
    /// Boolean `&&`, `||`, `==`.
    BAnd,
    BOr,
    BEq,
    /// Propositional `=`, `≠`, `<`, `≤`, `∧`, `∨`, `↔`.
    Eq,
    Ne,
    Lt,
    Le,
    And,
    Or,
    Iff,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Append => "++",
            BinOp::Cons => "::",
            BinOp::BAnd => "&&",
            BinOp::BOr => "||",
            BinOp::BEq => "==",
            BinOp::Eq => "=",
            BinOp::Ne => "≠",
            BinOp::Lt => "<",
            BinOp::Le => "≤",
            BinOp::And => "∧",
            BinOp::Or => "∨",
            BinOp::Iff => "↔",
        }
    }
}

/// How a binder is written: `(x : T)`, `{x : T}`, `[inst : C]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinderKind {
    Explicit,
    Implicit,
    Instance,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Binder {
    pub name: Name,
    pub ty: Term,
    pub kind: BinderKind,
}

/// Patterns of `match` arms and equation-style definitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pattern {
    Var(Name),
    Wild,
    /// A constructor applied to sub-patterns (`.node l v r`, `some x`).
    Ctor(Name, Vec<Pattern>),
    /// `n + 1` on Nat.
    Succ(Box<Pattern>),
    Nat(u64),
    /// `x :: xs`.
    Cons(Box<Pattern>, Box<Pattern>),
    /// `[]`.
    Nil,
}

impl Pattern {
    /// The variables the pattern binds, left to right.
    pub fn vars(&self, out: &mut Vec<Name>) {
        match self {
            Pattern::Var(v) => out.push(v.clone()),
            Pattern::Ctor(_, args) => args.iter().for_each(|a| a.vars(out)),
            Pattern::Succ(a) => a.vars(out),
            Pattern::Cons(h, t) => {
                h.vars(out);
                t.vars(out);
            }
            Pattern::Wild | Pattern::Nat(_) | Pattern::Nil => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Arm {
    pub pats: Vec<Pattern>,
    pub rhs: Term,
}

/// Terms and types (Lean does not separate them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Term {
    /// A local variable or a global constant.
    Ident(Name),
    /// A constant with explicit universe levels: `f.{u, 0}`.
    IdentLevels(Name, Vec<Level>),
    App(Box<Term>, Vec<Term>),
    Lam(Vec<Binder>, Box<Term>),
    /// `∀ (x : A), B` (dependent function type / universal statement).
    Pi(Vec<Binder>, Box<Term>),
    Arrow(Box<Term>, Box<Term>),
    /// `let x : T := v; body`.
    Let(Name, Box<Term>, Box<Term>, Box<Term>),
    /// `match s₁, s₂ with | p₁, p₂ => rhs …`; with no scrutinees,
    /// `fun | p => rhs …` (a function defined by matching its argument).
    Match(Vec<Term>, Vec<Arm>),
    /// `⟨a, b⟩`.
    Anon(Vec<Term>),
    /// `(a, b)`.
    Tuple(Vec<Term>),
    /// `[a, b]`.
    List(Vec<Term>),
    /// `e.field` or `e.1`.
    Proj(Box<Term>, String),
    /// A natural-number literal in decimal (arbitrarily large).
    NatLit(String),
    StrLit(String),
    CharLit(char),
    Ite(Box<Term>, Box<Term>, Box<Term>),
    BinOp(BinOp, Box<Term>, Box<Term>),
    /// `¬ p`.
    Not(Box<Term>),
    /// `!b`.
    BNot(Box<Term>),
    /// `Sort u`.
    Sort(Level),
    /// `(e : T)`.
    Typed(Box<Term>, Box<Term>),
    /// `by tac₁; tac₂` (a tactic block).
    By(Vec<Tactic>),
}

/// Tactics for proofs (Lean's `Init` tactics only: no Mathlib).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tactic {
    Rfl,
    Decide,
    NativeDecide,
    Simp(Vec<Name>),
    SimpAll,
    Omega,
    Trivial,
    Constructor,
    Exact(Term),
    Intro(Vec<Name>),
    /// `cases x <;> tac`.
    CasesAll(Name, Box<Tactic>),
    /// `induction x <;> tac`.
    InductionAll(Name, Box<Tactic>),
}

/// Attributes on declarations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Attr {
    Simp,
    Reducible,
    Inline,
    /// `@[implemented_by impl]`: compiled code runs `impl` instead of the
    /// definition (a trusted compiler path: `native_decide` believes it).
    ImplementedBy(Name),
}

impl Attr {
    /// The attribute as written inside `@[…]`.
    pub fn render(&self) -> String {
        match self {
            Attr::Simp => "simp".into(),
            Attr::Reducible => "reducible".into(),
            Attr::Inline => "inline".into(),
            Attr::ImplementedBy(f) => {
                format!("implemented_by {}", super::names::render_name(f))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DefKind {
    Def,
    Theorem,
    Abbrev,
    Opaque,
    Instance,
    /// `axiom name : ty` (no body): an assumption comparator's axiom check
    /// must refuse (the `hidden-axiom` family).
    Axiom,
}

impl DefKind {
    pub fn keyword(self) -> &'static str {
        match self {
            DefKind::Def => "def",
            DefKind::Theorem => "theorem",
            DefKind::Abbrev => "abbrev",
            DefKind::Opaque => "opaque",
            DefKind::Instance => "instance",
            DefKind::Axiom => "axiom",
        }
    }
}

/// The body of a definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Body {
    /// `:= term`.
    Term(Term),
    /// Equation style: `| pats => rhs` lines (pattern-matching definition).
    Arms(Vec<Arm>),
    /// No body (an `opaque` whose type is `Inhabited`).
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Def {
    pub kind: DefKind,
    pub attrs: Vec<Attr>,
    /// Empty for anonymous instances.
    pub name: Name,
    pub univ_params: Vec<Name>,
    pub binders: Vec<Binder>,
    pub ty: Term,
    pub body: Body,
}

/// A constructor: `| name (a : A) (b : B)`, whose result type is the
/// inductive applied to its parameters, or, in an indexed family,
/// `| name (a : A) : result` with the indices written out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ctor {
    pub name: Name,
    pub args: Vec<Binder>,
    #[serde(default)]
    pub result: Option<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Inductive {
    pub name: Name,
    pub univ_params: Vec<Name>,
    pub params: Vec<Binder>,
    /// The sort the type lives in (`Type`, `Type u`, `Prop`).
    pub sort: Term,
    pub ctors: Vec<Ctor>,
    pub deriving: Vec<Name>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Structure {
    /// Declared with `class` instead of `structure` (instances are then
    /// found by type class resolution).
    #[serde(default)]
    pub class: bool,
    pub name: Name,
    pub params: Vec<Binder>,
    pub fields: Vec<(Name, Term)>,
    pub deriving: Vec<Name>,
}

/// Values for `set_option`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OptionValue {
    Nat(u64),
    Bool(bool),
}

/// A top-level command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decl {
    Universe(Vec<Name>),
    SetOption(String, OptionValue),
    Inductive(Inductive),
    /// `mutual … end`: inductive types whose constructors refer to each
    /// other (checked against `tests/lean/run/mutualInduct.lean`-style
    /// blocks).
    Mutual(Vec<Inductive>),
    Structure(Structure),
    Def(Def),
    /// `run_elab addDecl <| …` of a kernel declaration built explicitly
    /// by meta code, so no elaborator stands between it and the kernel
    /// (optionally with the kernel check switched off by
    /// `debug.skipKernelTC`). The term model is the kernel's own.
    AddDecl {
        decl: crate::kernel::Decl,
        skip_kernel: bool,
    },
}

/// Program shapes (`--profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Ordinary declarations over `Init`.
    Surface,
    /// `import Lean`, ordinary declarations plus kernel declarations added
    /// through `addDecl` of explicit `Expr` trees.
    Meta,
    /// A `prelude` file (`import Init.Prelude`, `import Init.Core`) that
    /// redefines kernel-accelerated names `Init` would define later
    /// (`Nat.gcd`, `Nat.land`, …) and states literal facts about them.
    Prelude,
}

/// One generated program: its declarations, in order. The golden suffix
/// is fixed and added by the renderer, so no mutation can remove it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Program {
    pub profile: Profile,
    pub decls: Vec<Decl>,
}
