//! Kernel mode, first part: the kernel's term language as data — names,
//! universe levels, expressions and declarations, as Lean's kernel and
//! lean4export see them — and the lean4export NDJSON format (3.1.0) to
//! write and read them (`ndjson`). External kernels (nanoda, lean4lean)
//! read that format, so environments written here can be checked by every
//! kernel without the Lean front end.

pub mod edit;
pub mod expr;
pub mod faults;
pub mod features;
pub mod gen;
pub mod inductive;
pub mod lean_source;
pub mod mutate;
pub mod nat;
pub mod ndjson;
pub mod prelude;
pub mod variants;

use serde::{Deserialize, Serialize};

/// A hierarchical name: its parts from the root (`Nat.succ` is
/// `[Str("Nat"), Str("succ")]`); the empty list is the anonymous name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Name(pub Vec<NamePart>);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NamePart {
    Str(String),
    Num(u64),
}

impl Name {
    pub fn anonymous() -> Self {
        Name(Vec::new())
    }

    /// `a.b.c` split at dots (every part a string).
    pub fn from_dotted(s: &str) -> Self {
        Name(s.split('.').map(|p| NamePart::Str(p.to_string())).collect())
    }

    /// This name with one more string part.
    pub fn str(&self, part: &str) -> Self {
        let mut parts = self.0.clone();
        parts.push(NamePart::Str(part.to_string()));
        Name(parts)
    }

    /// The name without its last part (anonymous stays anonymous).
    pub fn prefix(&self) -> Self {
        let mut parts = self.0.clone();
        parts.pop();
        Name(parts)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("[anonymous]");
        }
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match p {
                NamePart::Str(s) => f.write_str(s)?,
                NamePart::Num(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

/// A universe level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    Zero,
    Succ(Box<Level>),
    Max(Box<Level>, Box<Level>),
    IMax(Box<Level>, Box<Level>),
    Param(Name),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinderInfo {
    Default,
    Implicit,
    StrictImplicit,
    InstImplicit,
}

/// A kernel expression (de Bruijn indices for bound variables).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Expr {
    BVar(u64),
    Sort(Level),
    Const(Name, Vec<Level>),
    App(Box<Expr>, Box<Expr>),
    Lam(Name, Box<Expr>, Box<Expr>, BinderInfo),
    ForallE(Name, Box<Expr>, Box<Expr>, BinderInfo),
    LetE {
        name: Name,
        ty: Box<Expr>,
        value: Box<Expr>,
        body: Box<Expr>,
        nondep: bool,
    },
    /// Field `idx` (from 0) of a value of structure type `type_name`.
    Proj(Name, u64, Box<Expr>),
    /// A natural-number literal, in decimal (arbitrary size).
    NatLit(String),
    StrLit(String),
    /// Metadata around an expression, its key-value map kept as the JSON
    /// text the export file had (so real export files round-trip, and terms
    /// stay hashable and compact in LibAFL's binary encoding).
    MData(String, Box<Expr>),
}

/// How a definition unfolds (the kernel's reducibility hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Hints {
    Opaque,
    Abbrev,
    Regular(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Safety {
    Unsafe,
    Safe,
    Partial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuotKind {
    Type,
    Ctor,
    Lift,
    Ind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InductiveVal {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub ty: Expr,
    pub num_params: u64,
    pub num_indices: u64,
    pub all: Vec<Name>,
    pub ctors: Vec<Name>,
    pub num_nested: u64,
    pub is_rec: bool,
    pub is_unsafe: bool,
    pub is_reflexive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConstructorVal {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub ty: Expr,
    pub induct: Name,
    pub cidx: u64,
    pub num_params: u64,
    pub num_fields: u64,
    pub is_unsafe: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecursorRule {
    pub ctor: Name,
    pub nfields: u64,
    pub rhs: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecursorVal {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub ty: Expr,
    pub all: Vec<Name>,
    pub num_params: u64,
    pub num_indices: u64,
    pub num_motives: u64,
    pub num_minors: u64,
    pub rules: Vec<RecursorRule>,
    pub k: bool,
    pub is_unsafe: bool,
}

/// A declaration as the export format lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decl {
    Axiom {
        name: Name,
        level_params: Vec<Name>,
        ty: Expr,
        is_unsafe: bool,
    },
    Def {
        name: Name,
        level_params: Vec<Name>,
        ty: Expr,
        value: Expr,
        hints: Hints,
        safety: Safety,
        all: Vec<Name>,
    },
    Opaque {
        name: Name,
        level_params: Vec<Name>,
        ty: Expr,
        value: Expr,
        is_unsafe: bool,
        all: Vec<Name>,
    },
    Thm {
        name: Name,
        level_params: Vec<Name>,
        ty: Expr,
        value: Expr,
        all: Vec<Name>,
    },
    Quot {
        name: Name,
        level_params: Vec<Name>,
        ty: Expr,
        kind: QuotKind,
    },
    /// A (mutual) inductive group with its constructors and recursors.
    Inductive {
        types: Vec<InductiveVal>,
        ctors: Vec<ConstructorVal>,
        recs: Vec<RecursorVal>,
    },
}

impl Decl {
    /// The names this declaration adds to the environment.
    pub fn names(&self) -> Vec<&Name> {
        match self {
            Decl::Axiom { name, .. }
            | Decl::Def { name, .. }
            | Decl::Opaque { name, .. }
            | Decl::Thm { name, .. }
            | Decl::Quot { name, .. } => vec![name],
            Decl::Inductive { types, ctors, recs } => types
                .iter()
                .map(|t| &t.name)
                .chain(ctors.iter().map(|c| &c.name))
                .chain(recs.iter().map(|r| &r.name))
                .collect(),
        }
    }

    /// The universe level parameters of the declaration (of its first
    /// type, for an inductive group).
    pub fn level_params(&self) -> &[Name] {
        match self {
            Decl::Axiom { level_params, .. }
            | Decl::Def { level_params, .. }
            | Decl::Opaque { level_params, .. }
            | Decl::Thm { level_params, .. }
            | Decl::Quot { level_params, .. } => level_params,
            Decl::Inductive { types, .. } => types.first().map_or(&[], |t| &t.level_params),
        }
    }
}

impl Decl {
    /// The kind of declaration, as signatures and novelty features name it
    /// (`axiom`, `def`, `opaque`, `theorem`, `quot`, `inductive`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Decl::Axiom { .. } => "axiom",
            Decl::Def { .. } => "def",
            Decl::Opaque { .. } => "opaque",
            Decl::Thm { .. } => "theorem",
            Decl::Quot { .. } => "quot",
            Decl::Inductive { .. } => "inductive",
        }
    }
}

/// The name of a theorem whose type is `False` in an environment with no
/// axioms — if every kernel accepts such an environment, one of them is
/// unsound.
pub fn false_theorem(decls: &[Decl]) -> Option<&Name> {
    if decls.iter().any(|d| matches!(d, Decl::Axiom { .. })) {
        return None;
    }
    let false_ty = Expr::Const(Name::from_dotted("False"), vec![]);
    decls.iter().find_map(|d| match d {
        Decl::Thm { name, ty, .. } if *ty == false_ty => Some(name),
        _ => None,
    })
}
