//! The ill-formed families: labelled declarations every kernel must
//! reject, their rates and labels.

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

impl Gen {
    /// The declarations of one ill-formed family: helpers (well-formed,
    /// named `bad…` too), then the ill-formed declaration.
    pub(super) fn ill_formed(&mut self, kind: IllFormed) -> Vec<Decl> {
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
