//! Terms at a requested type, types, and literals.

use rand::Rng;

use super::{app, bin, id, nat, Gen};
use crate::lean::ast::{Arm, BinOp, Binder, BinderKind, Pattern, Term};
use crate::lean::env::{Env, TypeShape};
use crate::lean::stats::Family;
use crate::lean::types::Ty;

/// Probability of stopping at a leaf before the depth budget forces it.
const EARLY_LEAF: f64 = 0.25;

/// Ways to build a term of a given type (some only for some types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Prim,
    Ctor,
    Call,
    LocalCall,
    Ite,
    Let,
    Match,
    Lambda,
    Proj,
}

impl<R: Rng> Gen<'_, R> {
    /// A type whose tree has height at most `h`: base types, containers,
    /// functions and user types (instantiated at base types).
    pub(super) fn ty(&mut self, h: usize) -> Ty {
        if self.prelude {
            return if self.coin(0.7) { Ty::Nat } else { Ty::Bool };
        }
        let users = self.env.types.len();
        let mut choices = vec![(0u8, 6), (1, 4), (2, 2), (3, 1)];
        if h >= 2 {
            choices.extend([(4, 2), (5, 1), (6, 1), (7, 1)]);
        }
        if users > 0 {
            choices.push((8, 4));
        }
        match self.weighted(&choices) {
            0 => Ty::Nat,
            1 => Ty::Bool,
            2 => Ty::Str,
            3 => Ty::Char,
            4 => Ty::list(self.ty(h - 1)),
            5 => Ty::option(self.ty(h - 1)),
            6 => {
                let a = self.ty(h - 1);
                Ty::prod(a, self.ty(h - 1))
            }
            7 => {
                let a = self.ty(h - 1);
                Ty::arrow(a, self.ty(h - 1))
            }
            _ => {
                let i = self.below(users);
                let n = self.env.types[i].params.len();
                if n > 0 && h < 2 {
                    return Ty::Nat;
                }
                let args = (0..n).map(|_| self.ty(1)).collect();
                Ty::User(i, args)
            }
        }
    }

    /// A leaf of type `ty` (height 1), if there is one.
    pub(super) fn leaf(&mut self, ty: &Ty) -> Option<Term> {
        let n_locals = self.env.locals.iter().filter(|(_, t)| t == ty).count();
        if n_locals > 0 && self.coin(0.6) {
            let k = self.below(n_locals);
            let (name, _) = self.env.locals.iter().filter(|(_, t)| t == ty).nth(k)?;
            return Some(id(name));
        }
        let is_const = |g: &&crate::lean::env::Global| {
            g.params.is_empty() && g.tparams.is_empty() && &g.ret == ty
        };
        let n_consts = self.env.globals.iter().filter(is_const).count();
        if n_consts > 0 && self.coin(0.3) {
            let k = self.below(n_consts);
            let g = self.env.globals.iter().filter(is_const).nth(k)?;
            return Some(id(&g.name));
        }
        let first_local = || {
            self.env
                .locals
                .iter()
                .find(|(_, t)| t == ty)
                .map(|(n, _)| id(n))
        };
        let t = match ty {
            Ty::Nat => self.nat_lit(),
            Ty::Bool => id(if self.coin(0.5) { "true" } else { "false" }),
            Ty::Str => self.str_lit(),
            Ty::Char => self.char_lit(),
            Ty::List(_) if !ty.has_var() => self.typed(Term::List(vec![]), ty),
            Ty::List(_) => Term::List(vec![]),
            Ty::Option(_) if !ty.has_var() => self.typed(id("none"), ty),
            Ty::Option(_) => id("none"),
            Ty::User(i, args) => {
                let t = &self.env.types[*i];
                match &t.shape {
                    TypeShape::Inductive { ctors } if ctors[0].args.is_empty() => {
                        let c = id(&format!("{}.{}", t.name, ctors[0].name));
                        if args.is_empty() || ty.has_var() {
                            c
                        } else {
                            self.typed(c, ty)
                        }
                    }
                    _ if ty.has_var() => return first_local(),
                    _ => self.typed(id("default"), ty),
                }
            }
            Ty::Var(_) => return first_local(),
            _ if ty.has_var() => return first_local(),
            _ => self.typed(id("default"), ty),
        };
        Some(t)
    }

    fn typed(&self, e: Term, ty: &Ty) -> Term {
        Term::Typed(Box::new(e), Box::new(ty.to_term(&self.env)))
    }

    /// A term of type `ty` with height at most `d` (d ≥ 1).
    pub(super) fn term(&mut self, ty: &Ty, d: usize) -> Term {
        if d <= 1 || self.coin(EARLY_LEAF) {
            if let Some(t) = self.leaf(ty) {
                return t;
            }
        }
        if d <= 1 {
            // Only types with a variable can lack a leaf, and their
            // generation always has a local of that type in scope.
            return self.leaf(ty).expect("a leaf for every type at depth 1");
        }
        let (ways, n) = self.ways(ty);
        let way = self.weighted(&ways[..n]);
        let made = match way {
            Way::Prim => self.prim(ty, d),
            Way::Ctor => self.ctor(ty, d),
            Way::Call => self.call(ty, d),
            Way::LocalCall => self.local_call(ty, d),
            Way::Ite => Some(self.ite(ty, d)),
            Way::Let => Some(self.let_in(ty, d)),
            Way::Match => self.match_on(ty, d),
            Way::Lambda => self.lambda(ty, d),
            Way::Proj => self.proj(ty),
        };
        match made {
            Some(t) => t,
            None => self.term(ty, 1),
        }
    }

    /// The ways to build a term of `ty`, with weights (on the stack: this
    /// runs for every node).
    fn ways(&self, ty: &Ty) -> ([(Way, u32); 7], usize) {
        let own = match ty {
            Ty::Nat
            | Ty::Bool
            | Ty::Str
            | Ty::Char
            | Ty::List(_)
            | Ty::Option(_)
            | Ty::Prod(..) => Some((Way::Prim, 8)),
            Ty::Arrow(..) => Some((Way::Lambda, 8)),
            Ty::User(..) => Some((Way::Ctor, 8)),
            Ty::Var(_) => None,
        };
        // The order is part of the random stream: keep it (snapshots).
        let (ite, let_, mat) = ((Way::Ite, 2), (Way::Let, 2), (Way::Match, 2));
        let (call, local, proj) = ((Way::Call, 5), (Way::LocalCall, 2), (Way::Proj, 2));
        match own {
            Some(x) => ([ite, let_, mat, x, call, local, proj], 7),
            None => ([ite, let_, mat, call, local, proj, proj], 6),
        }
    }

    pub(super) fn nat_lit(&mut self) -> Term {
        if self.coin(0.1) {
            self.hit(Family::LitBoundary);
            let big = [
                "0".to_string(),
                "1".to_string(),
                (1u128 << 32).to_string(),
                ((1u128 << 32) - 1).to_string(),
                (1u128 << 63).to_string(),
                (1u128 << 64).to_string(),
                ((1u128 << 64) - 1).to_string(),
                format!("1{}", "0".repeat(30 + self.below(60))),
            ];
            return Term::NatLit(self.pick(&big));
        }
        nat(self.below(20) as u128)
    }

    pub(super) fn str_lit(&mut self) -> Term {
        self.hit(Family::LitString);
        const PIECES: &[&str] = &[
            "a", "b", "lean", " ", "\"", "\\", "\n", "\t", "λ", "∀", "→", "«", "»", "'", "é", "𝔽",
            "\u{0}", "\u{7f}", "x",
        ];
        let n = self.below(5);
        let s: String = (0..n).map(|_| self.pick(PIECES)).collect();
        Term::StrLit(s)
    }

    pub(super) fn char_lit(&mut self) -> Term {
        self.hit(Family::LitChar);
        const CHARS: &[char] = &[
            'a', 'z', '0', ' ', '\'', '\\', '"', '\n', '\t', 'λ', '∀', 'é', '𝔽', '\u{0}',
        ];
        Term::CharLit(self.pick(CHARS))
    }

    /// `Init` operations producing `ty`.
    fn prim(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let c = d - 1;
        let t = match ty {
            Ty::Nat => match self.nat_op_choice() {
                0 | 1 => {
                    let op =
                        self.pick(&[BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Mod]);
                    bin(op, self.term(&Ty::Nat, c), self.term(&Ty::Nat, c))
                }
                2 => bin(
                    BinOp::Pow,
                    self.term(&Ty::Nat, c),
                    nat(self.below(4) as u128),
                ),
                3 => app("String.length", vec![self.term(&Ty::Str, c)]),
                4 => {
                    let e = self.ty(1);
                    app("List.length", vec![self.term(&Ty::list(e), c)])
                }
                5 => {
                    let f = self.pick(&[
                        "Nat.gcd", "Nat.land", "Nat.lor", "Nat.xor", "Nat.max", "Nat.min",
                    ]);
                    app(f, vec![self.term(&Ty::Nat, c), self.term(&Ty::Nat, c)])
                }
                _ => app("Nat.succ", vec![self.term(&Ty::Nat, c)]),
            },
            Ty::Bool => match self.below(5) {
                0 => {
                    let op = self.pick(&[BinOp::BAnd, BinOp::BOr]);
                    bin(op, self.term(&Ty::Bool, c), self.term(&Ty::Bool, c))
                }
                1 => Term::BNot(Box::new(self.term(&Ty::Bool, c))),
                2 => {
                    let t = self.eq_ty();
                    bin(BinOp::BEq, self.term(&t, c), self.term(&t, c))
                }
                3 if c >= 2 => {
                    let op = self.pick(&[BinOp::Lt, BinOp::Le]);
                    let p = bin(op, self.term(&Ty::Nat, c - 1), self.term(&Ty::Nat, c - 1));
                    app("decide", vec![p])
                }
                _ => app(
                    "Nat.beq",
                    vec![self.term(&Ty::Nat, c), self.term(&Ty::Nat, c)],
                ),
            },
            Ty::Str => match self.below(3) {
                0 => bin(
                    BinOp::Append,
                    self.term(&Ty::Str, c),
                    self.term(&Ty::Str, c),
                ),
                1 => app("toString", vec![self.term(&Ty::Nat, c)]),
                _ => app(
                    "String.push",
                    vec![self.term(&Ty::Str, c), self.term(&Ty::Char, c)],
                ),
            },
            Ty::Char => app("Char.ofNat", vec![self.term(&Ty::Nat, c)]),
            Ty::List(e) => match self.below(5) {
                0 => bin(BinOp::Cons, self.term(e, c), self.term(ty, c)),
                1 => bin(BinOp::Append, self.term(ty, c), self.term(ty, c)),
                2 => {
                    self.hit(Family::TermList);
                    let n = 1 + self.below(3);
                    Term::List((0..n).map(|_| self.term(e, c)).collect())
                }
                3 => app(
                    "List.replicate",
                    vec![self.term(&Ty::Nat, c), self.term(e, c)],
                ),
                _ => app("List.reverse", vec![self.term(ty, c)]),
            },
            Ty::Option(e) => app("some", vec![self.term(e, c)]),
            Ty::Prod(a, b) => {
                self.hit(Family::TermTuple);
                Term::Tuple(vec![self.term(a, c), self.term(b, c)])
            }
            _ => return None,
        };
        Some(t)
    }

    /// Which `Nat` operation `prim` builds (0–6); a prelude file has no
    /// `String.length`, `List.length` nor the bitwise/gcd group (3–5).
    fn nat_op_choice(&mut self) -> usize {
        if self.prelude {
            [0, 1, 2, 6][self.below(4)]
        } else {
            self.below(7)
        }
    }

    /// A type with decidable equality for `==` and `=` comparisons.
    pub(super) fn eq_ty(&mut self) -> Ty {
        let t = self.ty(2);
        if t.decidable_eq(&self.env) {
            t
        } else {
            Ty::Nat
        }
    }

    /// A constructor application (or anonymous constructor) of a user type.
    fn ctor(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let Ty::User(i, args) = ty else { return None };
        let t = &self.env.types[*i];
        match &t.shape {
            TypeShape::Inductive { ctors } => {
                let k = self.rng.random_range(0..ctors.len());
                let arg_tys = t.instantiate(&ctors[k].args, args);
                let head = format!("{}.{}", t.name, ctors[k].name);
                if arg_tys.is_empty() {
                    return Some(id(&head));
                }
                let xs = arg_tys.iter().map(|a| self.term(a, d - 1)).collect();
                Some(app(&head, xs))
            }
            TypeShape::Structure { fields } => {
                let field_tys: Vec<Ty> = fields.iter().map(|(_, f)| f.clone()).collect();
                let tys = t.instantiate(&field_tys, args);
                self.hit(Family::TermAnon);
                let xs = tys.iter().map(|a| self.term(a, d - 1)).collect();
                let anon = Term::Anon(xs);
                Some(if ty.has_var() {
                    anon
                } else {
                    self.typed(anon, ty)
                })
            }
        }
    }

    /// A call of an earlier global whose result type fits.
    fn call(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let type_bound = self.type_height();
        let mut fits = Vec::new();
        for (gi, g) in self.env.globals.iter().enumerate() {
            if g.params.is_empty() {
                continue;
            }
            match g.tparams.first() {
                None if &g.ret == ty => fits.push((gi, None)),
                // Instantiating `α := ty` must keep every parameter type
                // within the type height bound.
                Some(a)
                    if g.ret == Ty::Var(a.clone())
                        && !matches!(ty, Ty::Arrow(..))
                        && g.params
                            .iter()
                            .all(|p| p.subst(a, ty).height() <= type_bound) =>
                {
                    fits.push((gi, Some(ty.clone())))
                }
                Some(_) if !g.ret.has_var() && &g.ret == ty => fits.push((gi, None)),
                _ => {}
            }
        }
        if fits.is_empty() {
            return None;
        }
        let (gi, inst) = self.pick(&fits);
        let g = self.env.globals[gi].clone();
        let mut params = g.params.clone();
        if let Some(a) = g.tparams.first() {
            self.hit(Family::TermPolyCall);
            let by = match inst {
                Some(t) => t,
                None => self.ty(1),
            };
            params = params.iter().map(|p| p.subst(a, &by)).collect();
        } else {
            self.hit(Family::TermCall);
        }
        let args = params.iter().map(|p| self.term(p, d - 1)).collect();
        Some(app(&g.name, args))
    }

    /// Application of a local function variable.
    fn local_call(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let fs: Vec<(String, Ty)> = self
            .env
            .locals
            .iter()
            .filter_map(|(n, t)| match t {
                Ty::Arrow(a, b) if **b == *ty => Some((n.clone(), (**a).clone())),
                _ => None,
            })
            .collect();
        if fs.is_empty() {
            return None;
        }
        let (f, a) = self.pick(&fs);
        Some(app(&f, vec![self.term(&a, d - 1)]))
    }

    fn ite(&mut self, ty: &Ty, d: usize) -> Term {
        self.hit(Family::TermIte);
        // A prelude file has no `Bool → Prop` coercion: decidable
        // propositions only.
        let cond = if d >= 3 && (self.prelude || self.coin(0.5)) {
            let op = self.pick(&[BinOp::Lt, BinOp::Le, BinOp::Eq]);
            bin(op, self.term(&Ty::Nat, d - 2), self.term(&Ty::Nat, d - 2))
        } else if self.prelude {
            id(self.pick(&["True", "False"]))
        } else {
            self.term(&Ty::Bool, d - 1)
        };
        let a = self.term(ty, d - 1);
        let b = self.term(ty, d - 1);
        Term::Ite(Box::new(cond), Box::new(a), Box::new(b))
    }

    fn let_in(&mut self, ty: &Ty, d: usize) -> Term {
        self.hit(Family::TermLet);
        let vt = self.ty(2);
        let v = self.term(&vt, d - 1);
        let x = self.env.fresh("x");
        let vt_term = vt.to_term(&self.env);
        let body = self.scoped(vec![(x.clone(), vt)], |g| g.term(ty, d - 1));
        Term::Let(x, Box::new(vt_term), Box::new(v), Box::new(body))
    }

    /// `match` on a local of a matchable type, one arm per constructor,
    /// each right-hand side at `ty` with the pattern variables in scope.
    fn match_on(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let candidates: Vec<(String, Ty)> = self
            .env
            .locals
            .iter()
            .filter(|(_, t)| self.cases_of(t).is_some())
            .cloned()
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let (x, xt) = self.pick(&candidates);
        self.hit(Family::TermMatch);
        let arms = self.arms(&xt, ty, d - 1);
        Some(Term::Match(vec![id(&x)], arms))
    }

    /// One arm per case of `scrut_ty`, right-hand sides at `ty` with height
    /// at most `d`.
    pub(super) fn arms(&mut self, scrut_ty: &Ty, ty: &Ty, d: usize) -> Vec<Arm> {
        let cases = self.cases_of(scrut_ty).expect("matchable type");
        cases
            .into_iter()
            .map(|(pat_head, arg_tys)| {
                let vars: Vec<(String, Ty)> = arg_tys
                    .into_iter()
                    .map(|t| (self.env.fresh("a"), t))
                    .collect();
                let pats = vars.iter().map(|(v, _)| Pattern::Var(v.clone())).collect();
                let pat = match pat_head {
                    CaseHead::Ctor(name) => Pattern::Ctor(name, pats),
                    CaseHead::Zero => Pattern::Nat(0),
                    CaseHead::Succ => Pattern::Succ(Box::new(Pattern::Var(vars[0].0.clone()))),
                    CaseHead::Nil => Pattern::Nil,
                    CaseHead::Cons => Pattern::Cons(
                        Box::new(Pattern::Var(vars[0].0.clone())),
                        Box::new(Pattern::Var(vars[1].0.clone())),
                    ),
                };
                let rhs = self.scoped(vars, |g| g.term(ty, d));
                Arm {
                    pats: vec![pat],
                    rhs,
                }
            })
            .collect()
    }

    /// The cases of a matchable type with the types of their variables.
    pub(super) fn cases_of(&self, t: &Ty) -> Option<Vec<(CaseHead, Vec<Ty>)>> {
        cases_of(&self.env, t)
    }

    fn lambda(&mut self, ty: &Ty, d: usize) -> Option<Term> {
        let Ty::Arrow(a, b) = ty else { return None };
        if self.cases_of(a).is_some() && self.coin(0.25) {
            // `fun | p => e …`: one arm per case of the argument type.
            self.hit(Family::TermFunMatch);
            let arms = self.arms(a, b, d - 1);
            return Some(Term::Match(vec![], arms));
        }
        self.hit(Family::TermLambda);
        let x = self.env.fresh("x");
        let binder = Binder {
            name: x.clone(),
            ty: a.to_term(&self.env),
            kind: BinderKind::Explicit,
        };
        let body = self.scoped(vec![(x, (**a).clone())], |g| g.term(b, d - 1));
        Some(Term::Lam(vec![binder], Box::new(body)))
    }

    /// A projection out of a structure-typed or pair-typed local.
    fn proj(&mut self, ty: &Ty) -> Option<Term> {
        let mut found = Vec::new();
        for (n, t) in &self.env.locals {
            match t {
                Ty::Prod(a, b) => {
                    if **a == *ty {
                        found.push((n.clone(), "1".to_string()));
                    }
                    if **b == *ty {
                        found.push((n.clone(), "2".to_string()));
                    }
                }
                Ty::User(i, args) => {
                    let u = &self.env.types[*i];
                    if let TypeShape::Structure { fields } = &u.shape {
                        for (f, fty) in fields {
                            if u.instantiate(std::slice::from_ref(fty), args)[0] == *ty {
                                found.push((n.clone(), f.clone()));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if found.is_empty() {
            return None;
        }
        self.hit(Family::TermProj);
        let (n, f) = self.pick(&found);
        Some(Term::Proj(Box::new(id(&n)), f))
    }

    /// Runs `f` with extra locals in scope.
    pub(super) fn scoped<T>(
        &mut self,
        locals: Vec<(String, Ty)>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let n = self.env.locals.len();
        self.env.locals.extend(locals);
        let r = f(self);
        self.env.locals.truncate(n);
        r
    }
}

/// The cases of a matchable type with the types of their variables, in the
/// order `match` arms list them.
pub(crate) fn cases_of(env: &Env, t: &Ty) -> Option<Vec<(CaseHead, Vec<Ty>)>> {
    let ctor = |n: &str| CaseHead::Ctor(n.to_string());
    Some(match t {
        Ty::Nat => vec![(CaseHead::Zero, vec![]), (CaseHead::Succ, vec![Ty::Nat])],
        Ty::Bool => vec![(ctor("true"), vec![]), (ctor("false"), vec![])],
        Ty::Option(e) => vec![(ctor("none"), vec![]), (ctor("some"), vec![(**e).clone()])],
        Ty::List(e) => vec![
            (CaseHead::Nil, vec![]),
            (CaseHead::Cons, vec![(**e).clone(), t.clone()]),
        ],
        Ty::User(i, args) => {
            let u = &env.types[*i];
            let TypeShape::Inductive { ctors } = &u.shape else {
                return None;
            };
            ctors
                .iter()
                .map(|c| {
                    (
                        CaseHead::Ctor(format!("{}.{}", u.name, c.name)),
                        u.instantiate(&c.args, args),
                    )
                })
                .collect()
        }
        _ => return None,
    })
}

/// The head of one `match` case.
#[derive(Debug, Clone)]
pub(crate) enum CaseHead {
    /// A constructor, by full name (`T.node`, `some`, `true`).
    Ctor(String),
    Zero,
    Succ,
    Nil,
    Cons,
}
