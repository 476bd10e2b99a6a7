//! Enumerations with functions by their recursors and iota facts,
//! structures with values and projection facts, and `imax` sorts.

use super::*;

impl Gen {
    /// `inductive E | c0 | c1 …` (0 to 4 constructors).
    pub(super) fn enumeration(&mut self) -> Decl {
        let k = self.rng.random_range(0..5);
        self.enumeration_of(k)
    }

    /// An enumeration of `k` constructors.
    pub(super) fn enumeration_of(&mut self, k: usize) -> Decl {
        let name = self.fresh("E");
        let ctors: Vec<Name> = (0..k).map(|i| name.str(&format!("c{i}"))).collect();
        self.enums.push((name.clone(), ctors.clone()));
        enum_decl(&name, &ctors)
    }

    /// `def f : E → Nat := fun x => E.rec.{1} (fun _ => Nat) v0 … x`.
    pub(super) fn enum_fn(&mut self) -> Option<Decl> {
        if self.enums.is_empty() {
            return None;
        }
        let i = self.rng.random_range(0..self.enums.len());
        Some(self.enum_fn_of(i))
    }

    /// A function on enumeration `i`.
    pub(super) fn enum_fn_of(&mut self, i: usize) -> Decl {
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
    pub(super) fn enum_fact(&mut self) -> Vec<Decl> {
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

    /// A structure `P` with one constructor `P.mk` of 1 to 3 fields of
    /// type `Nat` or `Bool`.
    pub(super) fn structure(&mut self) -> Decl {
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
    pub(super) fn field_value(&mut self, f: FieldTy) -> Expr {
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
    pub(super) fn structure_value(&mut self) -> Vec<Decl> {
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
    pub(super) fn proj_fact(&mut self) -> Vec<Decl> {
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
    pub(super) fn arrow_sort_decl(&mut self) -> Option<Decl> {
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
    pub(super) fn imax_def(&mut self) -> Vec<Decl> {
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
}
