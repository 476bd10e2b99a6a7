//! Recursive inductive types: parametric trees, length-indexed vectors
//! and mutually inductive pairs, with functions by their recursors and
//! facts on sample values.

use super::*;

impl Gen {
    /// `inductive T (α : Type) | leaf | node : α → T α → … → T α` (1 or 2
    /// subtrees) and `def f : T Nat → Nat` by `T.rec`: a leaf is `c`, a
    /// node its payload plus its subtrees' values (class 9's well-formed
    /// side: parameters, recursive fields, induction hypotheses).
    pub(super) fn tree_type(&mut self) -> Vec<Decl> {
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
    pub(super) fn tree(&mut self, k: usize, h: usize) -> (Expr, u128) {
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
    pub(super) fn tree_fact(&mut self) -> Vec<Decl> {
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
    pub(super) fn vector_type(&mut self) -> Vec<Decl> {
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
    pub(super) fn vector_fact(&mut self) -> Vec<Decl> {
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
    pub(super) fn mutual_type(&mut self) -> Vec<Decl> {
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
    pub(super) fn mutual_value(&mut self, k: usize, of_a: bool, h: usize) -> (Expr, u128) {
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
    pub(super) fn mutual_fact(&mut self) -> Vec<Decl> {
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
}
