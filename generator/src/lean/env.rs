//! The generator's scope: user types, global functions and constants, and
//! local variables, all with their semantic types. It grows as declarations
//! are made, so every name a term uses was declared before it.

use super::ast::Name;
use super::types::Ty;

/// What a user type is made of.
#[derive(Debug, Clone)]
pub enum TypeShape {
    /// An inductive type: constructors with their argument types (which
    /// may mention the type itself and its parameters as [`Ty::Var`]).
    Inductive { ctors: Vec<CtorSig> },
    /// A structure: named fields.
    Structure { fields: Vec<(Name, Ty)> },
}

#[derive(Debug, Clone)]
pub struct CtorSig {
    /// The short name (`leaf`); the full name is `Type.leaf`.
    pub name: Name,
    pub args: Vec<Ty>,
}

/// A user-declared type.
#[derive(Debug, Clone)]
pub struct UserType {
    pub name: Name,
    /// Type parameters (`(α : Type)`), referred to as `Ty::Var`.
    pub params: Vec<Name>,
    pub shape: TypeShape,
    pub decidable_eq: bool,
}

impl UserType {
    /// Constructor or field types with the parameters replaced by `args`.
    pub fn instantiate(&self, tys: &[Ty], args: &[Ty]) -> Vec<Ty> {
        tys.iter()
            .map(|t| {
                self.params
                    .iter()
                    .zip(args)
                    .fold(t.clone(), |acc, (p, a)| acc.subst(p, a))
            })
            .collect()
    }
}

/// A global function or constant usable in later terms.
#[derive(Debug, Clone)]
pub struct Global {
    pub name: Name,
    /// Implicit type parameters (`{α : Type}`), instantiated at each use.
    pub tparams: Vec<Name>,
    pub params: Vec<Ty>,
    pub ret: Ty,
}

/// A user type class: one type parameter, one method of `arity` arguments
/// of that type returning it.
#[derive(Debug, Clone)]
pub struct ClassInfo {
    pub name: Name,
    pub method: Name,
    pub arity: usize,
}

/// An indexed family the generator declared: either data indexed by a
/// length (`z : F 0`, `s (k) (a : elem) (prev : F k) : F (k + 1)`) or a
/// `Nat.le`-like relation (`refl n : F n n`, `step n m (h : F n m) :
/// F n (m + 1)`) when `elem` is `None`.
#[derive(Debug, Clone)]
pub struct IndexedFamily {
    pub name: Name,
    pub base: Name,
    pub step: Name,
    pub elem: Option<Ty>,
}

/// Which sort-level definition shape a [`LevelDef`] has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelForm {
    /// `(α : Sort u) (β : Sort v) : Sort (imax u v) := α → β`
    ImaxArrow,
    /// `(α : Type u) (β : Type v) : Type (max u v) := Prod α β`
    MaxProd,
    /// `(α : Sort u) : Type u := PLift α`
    Lift,
    /// `(α : Sort u) (β : Sort v) : Sort (imax u (imax v 0)) := α → β → False`
    ImaxToProp,
    /// `(α : Sort (u + 1)) : Sort (u + 1) := α`
    SuccSort,
}

/// A definition of a sort-valued function over universe levels.
#[derive(Debug, Clone)]
pub struct LevelDef {
    pub name: Name,
    pub form: LevelForm,
    /// Whether its levels are its own (`.{u, v}`), so uses may pass them
    /// explicitly; otherwise they come from a `universe` command.
    pub explicit: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Env {
    pub types: Vec<UserType>,
    pub globals: Vec<Global>,
    /// Local variables in scope, innermost last.
    pub locals: Vec<(Name, Ty)>,
    /// Universe names declared with `universe`.
    pub universes: Vec<Name>,
    /// Definitions of sorts built from universe levels, for theorems that
    /// instantiate them.
    pub level_defs: Vec<LevelDef>,
    /// User classes (their methods become callable once an instance exists).
    pub classes: Vec<ClassInfo>,
    /// Indexed families (values are built by their own declarations, not
    /// by the term generator: their types depend on values).
    pub indexed: Vec<IndexedFamily>,
    /// Counter for fresh names.
    next: usize,
}

impl Env {
    /// A fresh name with a prefix that says what it names (`f3`, `x12`).
    pub fn fresh(&mut self, prefix: &str) -> Name {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    /// Makes every later fresh name's number larger than `n`, so names
    /// generated into an existing program never collide with its own.
    pub fn reserve_above(&mut self, n: usize) {
        self.next = self.next.max(n);
    }
}
