//! Declarations: user types, definitions, instances, options and theorems,
//! each registered in the scope so later declarations can use it.

use rand::Rng;

use super::{app, bin, id, nat, Gen};
use crate::lean::ast::*;
use crate::lean::depth::height;
use crate::lean::env::{
    ClassInfo, CtorSig, Global, IndexedFamily, LevelDef, LevelForm, TypeShape, UserType,
};
use crate::lean::stats::Family;
use crate::lean::types::Ty;

/// Kinds of top-level declarations after the user types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Def,
    DefArms,
    PolyDef,
    UnivPolyDef,
    LevelDef,
    Opaque,
    Instance,
    SetOption,
    ThmRfl,
    ThmComputed,
    ThmOmega,
    ThmConnectives,
    ThmCases,
    ThmInduction,
    ThmEnumNe,
    ThmLevels,
    Class,
    ClassInstance,
    ImplementedBy,
    IndexedValue,
}

/// The limits `set_option` changes, with Lean's defaults. A lower value
/// only makes programs fail (`maximum recursion depth has been reached`,
/// `deterministic timeout`), so values are never below them; 0 heartbeats
/// means no limit. `defaultMaxRecDepth := 512` in `src/Init/Prelude.lean`
/// (the option is registered in `src/Lean/Util/RecDepth.lean`);
/// `maxHeartbeats` has `defValue := 200000` in `src/Lean/CoreM.lean`.
const LIMIT_DEFAULTS: [(&str, u64); 2] = [("maxRecDepth", 512), ("maxHeartbeats", 200_000)];

fn explicit(name: String, ty: Term) -> Binder {
    Binder {
        name,
        ty,
        kind: BinderKind::Explicit,
    }
}

fn sort(l: Level) -> Term {
    Term::Sort(l)
}

fn succ(l: Level) -> Level {
    Level::Succ(Box::new(l))
}

fn param(n: &str) -> Level {
    Level::Param(n.to_string())
}

impl<R: Rng> Gen<'_, R> {
    /// Height bound for binder and result types.
    pub(super) fn type_height(&self) -> usize {
        3.min(self.depth)
    }

    pub(super) fn program(&mut self, n: usize, ill_formed_rate: f64, profile: Profile) -> Program {
        if profile == Profile::Prelude {
            let mut decls = self.prelude_decls(n);
            if ill_formed_rate > 0.0 && self.coin(ill_formed_rate.min(1.0)) {
                let (bad, after) = match self.prelude_conflict(&decls) {
                    Some(found) => found,
                    None => (self.ill_formed(), 1),
                };
                let at = after + self.below(decls.len() + 1 - after);
                decls.insert(at, bad);
            }
            return Program { profile, decls };
        }
        let mut decls = Vec::new();
        if self.coin(0.3) {
            self.hit(Family::Universe);
            let names = vec![self.env.fresh("u"), self.env.fresh("v")];
            self.env.universes = names.clone();
            decls.push(Decl::Universe(names));
        }
        let n_types = 1 + self.below(3);
        let mut instances = 0;
        for _ in 0..n_types {
            let ty = self.user_type();
            let inhabited = self.inhabited_instances(&ty);
            instances += inhabited.len();
            decls.push(ty);
            decls.extend(inhabited);
        }
        // Later insertions go after every type and its instances.
        let types_end = decls.len();
        while decls.len() < n.max(n_types + 1) + instances {
            decls.push(self.declaration());
        }
        if profile == Profile::Meta {
            for _ in 0..1 + self.below(3) {
                let at = types_end + self.below(decls.len() - types_end + 1);
                let k = self.meta_decl();
                decls.insert(at, k);
            }
        }
        if ill_formed_rate > 0.0 && self.coin(ill_formed_rate.min(1.0)) {
            let at = types_end + self.below(decls.len() - types_end + 1);
            let bad = if profile == Profile::Meta && self.coin(0.5) {
                self.ill_formed_kernel()
            } else {
                self.ill_formed()
            };
            decls.insert(at, bad);
        }
        Program { profile, decls }
    }

    fn user_type(&mut self) -> Decl {
        match self.weighted(&[(0, 4), (1, 4), (2, 4), (3, 4), (4, 1), (5, 1)]) {
            0 => self.enum_type(),
            1 => self.recursive_type(),
            2 => self.param_type(),
            3 => self.structure(),
            4 => self.mutual_types(),
            _ => self.indexed_family(),
        }
    }

    /// An indexed family: a length-indexed list (`Nat → Type`) or a
    /// `Nat.le`-like relation (`Nat → Nat → Prop`), constructors with their
    /// result types written out (checked against `Vector`-style and
    /// `Nat.le` declarations in `tests/lean/run/`).
    fn indexed_family(&mut self) -> Decl {
        self.hit(Family::IndexedInductive);
        let name = self.env.fresh("Ix");
        let (base, step) = (self.env.fresh("base"), self.env.fresh("step"));
        let nat_ty = || id("Nat");
        let fam = |args: Vec<Term>| app(&name, args);
        let succ_of = |v: &str| bin(BinOp::Add, id(v), nat(1));
        let (k, m, prev) = (
            self.env.fresh("k"),
            self.env.fresh("m"),
            self.env.fresh("h"),
        );
        let relation = self.coin(0.4);
        let (sort, ctors, elem) = if relation {
            let sort = Term::Arrow(
                Box::new(nat_ty()),
                Box::new(Term::Arrow(Box::new(nat_ty()), Box::new(sort(Level::Zero)))),
            );
            let ctors = vec![
                Ctor {
                    name: base.clone(),
                    args: vec![explicit(k.clone(), nat_ty())],
                    result: Some(fam(vec![id(&k), id(&k)])),
                },
                Ctor {
                    name: step.clone(),
                    args: vec![
                        explicit(k.clone(), nat_ty()),
                        explicit(m.clone(), nat_ty()),
                        explicit(prev.clone(), fam(vec![id(&k), id(&m)])),
                    ],
                    result: Some(fam(vec![id(&k), succ_of(&m)])),
                },
            ];
            (sort, ctors, None)
        } else {
            let elem = if self.coin(0.5) { Ty::Nat } else { Ty::Bool };
            let sort = Term::Arrow(Box::new(nat_ty()), Box::new(sort(succ(Level::Zero))));
            let ctors = vec![
                Ctor {
                    name: base.clone(),
                    args: vec![],
                    result: Some(fam(vec![nat(0)])),
                },
                Ctor {
                    name: step.clone(),
                    args: vec![
                        explicit(k.clone(), nat_ty()),
                        explicit(self.env.fresh("a"), elem.to_term(&self.env)),
                        explicit(prev.clone(), fam(vec![id(&k)])),
                    ],
                    result: Some(fam(vec![succ_of(&k)])),
                },
            ];
            (sort, ctors, Some(elem))
        };
        self.env.indexed.push(IndexedFamily {
            name: name.clone(),
            base,
            step,
            elem,
        });
        Decl::Inductive(Inductive {
            name,
            univ_params: vec![],
            params: vec![],
            sort,
            ctors,
            deriving: vec![],
        })
    }

    /// A value of an indexed family at literal indices, built by its
    /// constructors: `def v : Ix 2 := Ix.step 1 a (Ix.step 0 b Ix.base)`,
    /// or `theorem t : Ix 3 5 := Ix.step 3 4 (Ix.step 3 3 (Ix.base 3))`.
    fn indexed_value(&mut self) -> Decl {
        self.hit(Family::IndexedValue);
        let k = self.below(self.env.indexed.len());
        let f = self.env.indexed[k].clone();
        let ctor = |c: &str| format!("{}.{}", f.name, c);
        // Each step adds one to the height; the base is a leaf (or one
        // application for the relation).
        let steps = self.below(self.depth - 1);
        let lit = |n: usize| nat(n as u128);
        let (ty, value) = match &f.elem {
            Some(elem) => {
                let mut v = id(&ctor(&f.base));
                for i in 0..steps {
                    let a = self.term(elem, 1);
                    v = app(&ctor(&f.step), vec![lit(i), a, v]);
                }
                (app(&f.name, vec![lit(steps)]), v)
            }
            None => {
                let n = self.below(20);
                let steps = steps.min(self.depth.saturating_sub(2));
                let mut v = app(&ctor(&f.base), vec![lit(n)]);
                for i in 0..steps {
                    v = app(&ctor(&f.step), vec![lit(n), lit(n + i), v]);
                }
                (app(&f.name, vec![lit(n), lit(n + steps)]), v)
            }
        };
        Decl::Def(Def {
            kind: if f.elem.is_some() {
                DefKind::Def
            } else {
                DefKind::Theorem
            },
            attrs: vec![],
            name: self.env.fresh(if f.elem.is_some() { "v" } else { "t" }),
            univ_params: vec![],
            binders: vec![],
            ty,
            body: Body::Term(value),
        })
    }

    /// Two inductive types in a `mutual` block, each with a constructor
    /// taking the other. Lean gives mutual types no `Inhabited` instance of
    /// its own, and later `default`s, structures deriving `Inhabited` and
    /// `opaque`s without a value need one: half the blocks derive it on
    /// every type (as `tests/lean/run/derivingInhabited.lean` does in a
    /// `mutual` block; `mkInhabitedInstanceHandler` in
    /// `src/Lean/Elab/Deriving/Inhabited.lean` tries each type's
    /// constructors in order, and the first is nullary here), the others
    /// get instances right after the block ([`Self::inhabited_instances`]).
    fn mutual_types(&mut self) -> Decl {
        self.hit(Family::MutualInductive);
        let first = self.env.types.len();
        let names = [self.env.fresh("T"), self.env.fresh("T")];
        let tys = [Ty::User(first, vec![]), Ty::User(first + 1, vec![])];
        let pool = [Ty::Nat, Ty::Bool, tys[0].clone(), tys[1].clone()];
        let sigs = [self.ctors(&pool, &tys[1]), self.ctors(&pool, &tys[0])];
        let deriving: Vec<Name> = if self.coin(0.5) {
            vec!["Inhabited".into()]
        } else {
            vec![]
        };
        for (name, ctors) in names.iter().zip(&sigs) {
            self.register_type(UserType {
                name: name.clone(),
                params: vec![],
                shape: TypeShape::Inductive {
                    ctors: ctors.clone(),
                },
                decidable_eq: false,
            });
        }
        let inds = names
            .into_iter()
            .zip(&sigs)
            .map(|(name, sigs)| Inductive {
                name,
                univ_params: vec![],
                params: vec![],
                sort: sort(succ(Level::Zero)),
                ctors: self.ctor_syntax(sigs),
                deriving: deriving.clone(),
            })
            .collect();
        Decl::Mutual(inds)
    }

    /// `instance : Inhabited T := ⟨T.c a …⟩` for each type of a `mutual`
    /// block that does not derive it (none for other declarations): a
    /// constructor applied to leaves. Every argument type of these
    /// constructors is `Nat`, `Bool` or a type of the block, whose leaf is
    /// its nullary first constructor, so no argument needs an instance
    /// (a general term of `T` could, e.g. `(default : T')` for the other
    /// type of the block). Syntax as [`Self::instance`] writes it:
    /// `Inhabited` is a structure class with the one field `default`
    /// (`src/Init/Prelude.lean`), so `⟨v⟩` builds an instance.
    fn inhabited_instances(&mut self, d: &Decl) -> Vec<Decl> {
        let Decl::Mutual(inds) = d else {
            return vec![];
        };
        let first = self.env.types.len() - inds.len();
        let mut out = Vec::new();
        for (k, ind) in inds.iter().enumerate() {
            if ind.deriving.iter().any(|c| c == "Inhabited") {
                continue;
            }
            let t = Ty::User(first + k, vec![]);
            let TypeShape::Inductive { ctors } = self.env.types[first + k].shape.clone() else {
                unreachable!("mutual types are inductive")
            };
            let c = self.pick(&ctors);
            let head = format!("{}.{}", ind.name, c.name);
            let args: Vec<Term> = c
                .args
                .iter()
                .map(|a| self.leaf(a).expect("every argument type has a leaf"))
                .collect();
            let value = if args.is_empty() {
                id(&head)
            } else {
                app(&head, args)
            };
            out.push(Decl::Def(Def {
                kind: DefKind::Instance,
                attrs: vec![],
                name: String::new(),
                univ_params: vec![],
                binders: vec![],
                ty: app("Inhabited", vec![t.to_term(&self.env)]),
                body: Body::Term(Term::Anon(vec![value])),
            }));
        }
        out
    }

    /// `class C (α : Type) where op : α → … → α`.
    fn class_decl(&mut self) -> Decl {
        self.hit(Family::Class);
        let name = self.env.fresh("Cls");
        let method = self.env.fresh("op");
        // `α → … → α` has height arity + 1.
        let arity = 1 + self.below(3.min(self.depth - 1));
        let alpha = "α".to_string();
        let method_ty = (0..arity).fold(id(&alpha), |acc, _| {
            Term::Arrow(Box::new(id(&alpha)), Box::new(acc))
        });
        self.env.classes.push(ClassInfo {
            name: name.clone(),
            method: method.clone(),
            arity,
        });
        Decl::Structure(Structure {
            class: true,
            name,
            params: vec![explicit(alpha, sort(succ(Level::Zero)))],
            fields: vec![(method, method_ty)],
            deriving: vec![],
        })
    }

    /// `instance : C T := ⟨fun x y => e⟩` for a user class at a type that
    /// has no instance yet; its method becomes callable at `T`.
    fn class_instance(&mut self) -> Option<Decl> {
        let k = self.below(self.env.classes.len());
        let c = self.env.classes[k].clone();
        let mut candidates = vec![Ty::Nat, Ty::Bool];
        if !self.prelude {
            candidates.push(Ty::Str);
        }
        candidates.extend(self.plain_types().into_iter().map(|i| Ty::User(i, vec![])));
        let method = format!("{}.{}", c.name, c.method);
        candidates.retain(|t| {
            !self
                .env
                .globals
                .iter()
                .any(|g| g.name == method && &g.ret == t)
        });
        if candidates.is_empty() {
            return None;
        }
        self.hit(Family::ClassInstance);
        let t = self.pick(&candidates);
        let tt = t.to_term(&self.env);
        let params: Vec<(Name, Ty)> = (0..c.arity)
            .map(|_| (self.env.fresh("x"), t.clone()))
            .collect();
        let d = self.depth - 2;
        let body = self.scoped(params.clone(), |g| g.term(&t, d));
        let lam = Term::Lam(self.binders_of(&params), Box::new(body));
        self.env.globals.push(Global {
            name: method,
            tparams: vec![],
            params: vec![t.clone(); c.arity],
            ret: t,
        });
        Some(Decl::Def(Def {
            kind: DefKind::Instance,
            attrs: vec![],
            name: String::new(),
            univ_params: vec![],
            binders: vec![],
            ty: app(&c.name, vec![tt]),
            body: Body::Term(Term::Anon(vec![lam])),
        }))
    }

    /// A second implementation of an earlier definition's type, marked
    /// `@[implemented_by earlier]`: compiled code (and `native_decide`)
    /// then runs the earlier one, whatever this one says.
    fn implemented_def(&mut self) -> Option<Decl> {
        let targets: Vec<Global> = self
            .env
            .globals
            .iter()
            .filter(|g| g.tparams.is_empty() && !g.params.is_empty() && !g.name.contains('.'))
            .cloned()
            .collect();
        if targets.is_empty() {
            return None;
        }
        self.hit(Family::AttrImplementedBy);
        self.hit(Family::Def);
        let target = self.pick(&targets);
        let name = self.env.fresh("f");
        let params: Vec<(Name, Ty)> = target
            .params
            .iter()
            .map(|t| (self.env.fresh("x"), t.clone()))
            .collect();
        let d = self.depth;
        let ret = target.ret.clone();
        let body = self.scoped(params.clone(), |g| g.term(&ret, d));
        let attrs = vec![Attr::ImplementedBy(target.name.clone())];
        Some(self.global_def(DefKind::Def, attrs, name, params, ret, body))
    }

    /// `def name (params) : ret := body`, registered as a global.
    fn global_def(
        &mut self,
        kind: DefKind,
        attrs: Vec<Attr>,
        name: Name,
        params: Vec<(Name, Ty)>,
        ret: Ty,
        body: Term,
    ) -> Decl {
        let def = Def {
            kind,
            attrs,
            name: name.clone(),
            univ_params: vec![],
            binders: self.binders_of(&params),
            ty: ret.to_term(&self.env),
            body: Body::Term(body),
        };
        self.env.globals.push(Global {
            name,
            tparams: vec![],
            params: params.into_iter().map(|(_, t)| t).collect(),
            ret,
        });
        Decl::Def(def)
    }

    fn register_type(&mut self, t: UserType) {
        self.env.types.push(t);
    }

    fn enum_type(&mut self) -> Decl {
        self.hit(Family::EnumInductive);
        let name = self.env.fresh("T");
        let n = 2 + self.below(4);
        let ctors: Vec<Name> = (0..n).map(|_| self.env.fresh("c")).collect();
        self.register_type(UserType {
            name: name.clone(),
            params: vec![],
            shape: TypeShape::Inductive {
                ctors: ctors
                    .iter()
                    .map(|c| CtorSig {
                        name: c.clone(),
                        args: vec![],
                    })
                    .collect(),
            },
            decidable_eq: true,
        });
        Decl::Inductive(Inductive {
            name,
            univ_params: vec![],
            params: vec![],
            sort: sort(succ(Level::Zero)),
            ctors: ctors
                .into_iter()
                .map(|name| Ctor {
                    name,
                    args: vec![],
                    result: None,
                })
                .collect(),
            deriving: vec!["DecidableEq".into(), "Inhabited".into(), "Repr".into()],
        })
    }

    /// Constructors: a nullary first one (so the type is inhabited and has
    /// a leaf), then some whose arguments come from `arg_pool`.
    fn ctors(&mut self, arg_pool: &[Ty], must_use: &Ty) -> Vec<CtorSig> {
        let mut ctors = vec![CtorSig {
            name: self.env.fresh("c"),
            args: vec![],
        }];
        for k in 0..1 + self.below(3) {
            let n_args = 1 + self.below(3);
            let mut args: Vec<Ty> = (0..n_args).map(|_| self.pick(arg_pool)).collect();
            if k == 0 {
                args[0] = must_use.clone();
            }
            ctors.push(CtorSig {
                name: self.env.fresh("c"),
                args,
            });
        }
        ctors
    }

    fn ctor_syntax(&mut self, sigs: &[CtorSig]) -> Vec<Ctor> {
        sigs.iter()
            .map(|c| Ctor {
                result: None,
                name: c.name.clone(),
                args: c
                    .args
                    .iter()
                    .map(|t| explicit(self.env.fresh("a"), t.to_term(&self.env)))
                    .collect(),
            })
            .collect()
    }

    fn recursive_type(&mut self) -> Decl {
        self.hit(Family::RecInductive);
        let name = self.env.fresh("T");
        let me = Ty::User(self.env.types.len(), vec![]);
        let pool = [Ty::Nat, Ty::Bool, Ty::Str, me.clone()];
        let sigs = self.ctors(&pool, &me);
        let decidable_eq = self.coin(0.7);
        self.register_type(UserType {
            name: name.clone(),
            params: vec![],
            shape: TypeShape::Inductive {
                ctors: sigs.clone(),
            },
            decidable_eq,
        });
        let ctors = self.ctor_syntax(&sigs);
        let mut deriving = vec!["Inhabited".to_string()];
        if decidable_eq {
            deriving.push("DecidableEq".into());
        }
        Decl::Inductive(Inductive {
            name,
            univ_params: vec![],
            params: vec![],
            sort: sort(succ(Level::Zero)),
            ctors,
            deriving,
        })
    }

    fn param_type(&mut self) -> Decl {
        self.hit(Family::ParamInductive);
        let name = self.env.fresh("T");
        let alpha = "α".to_string();
        let idx = self.env.types.len();
        let me = Ty::User(idx, vec![Ty::Var(alpha.clone())]);
        let nested = self.coin(0.3);
        let mut pool = vec![
            Ty::Var(alpha.clone()),
            Ty::Nat,
            me.clone(),
            Ty::list(Ty::Var(alpha.clone())),
        ];
        if nested {
            // A nested occurrence: the type under `List` in its own constructor.
            pool.push(Ty::list(me.clone()));
        }
        let sigs = self.ctors(&pool, &me);
        let nested = sigs.iter().any(|c| c.args.contains(&Ty::list(me.clone())));
        let decidable_eq = !nested && self.coin(0.6);
        let universe = self.coin(0.4).then(|| self.env.fresh("u"));
        self.register_type(UserType {
            name: name.clone(),
            params: vec![alpha.clone()],
            shape: TypeShape::Inductive {
                ctors: sigs.clone(),
            },
            decidable_eq,
        });
        let ctors = self.ctor_syntax(&sigs);
        let (univ_params, level) = match &universe {
            Some(u) => (vec![u.clone()], succ(param(u))),
            None => (vec![], succ(Level::Zero)),
        };
        let mut deriving = vec!["Inhabited".to_string()];
        if decidable_eq {
            deriving.push("DecidableEq".into());
        }
        Decl::Inductive(Inductive {
            name,
            univ_params,
            params: vec![explicit(alpha, sort(level.clone()))],
            sort: sort(level),
            ctors,
            deriving,
        })
    }

    fn structure(&mut self) -> Decl {
        self.hit(Family::Structure);
        let name = self.env.fresh("S");
        let n = 1 + self.below(4);
        let fields: Vec<(Name, Ty)> = (0..n)
            .map(|_| {
                let t = self.ty(2);
                (self.env.fresh("fld"), t)
            })
            .collect();
        let decidable_eq = fields.iter().all(|(_, t)| t.decidable_eq(&self.env));
        let syntax_fields = fields
            .iter()
            .map(|(f, t)| (f.clone(), t.to_term(&self.env)))
            .collect();
        self.register_type(UserType {
            name: name.clone(),
            params: vec![],
            shape: TypeShape::Structure { fields },
            decidable_eq,
        });
        let mut deriving = vec!["Inhabited".to_string()];
        if decidable_eq {
            deriving.push("DecidableEq".into());
        }
        Decl::Structure(Structure {
            class: false,
            name,
            params: vec![],
            fields: syntax_fields,
            deriving,
        })
    }

    pub(super) fn declaration(&mut self) -> Decl {
        let mut kinds = vec![
            (Kind::Def, 6),
            (Kind::DefArms, 2),
            (Kind::PolyDef, 2),
            (Kind::UnivPolyDef, 1),
            (Kind::LevelDef, 1),
            (Kind::Opaque, 1),
            (Kind::SetOption, 1),
            (Kind::ThmRfl, 3),
            (Kind::ThmComputed, 3),
            (Kind::ThmOmega, 2),
            (Kind::ThmConnectives, 2),
            (Kind::ThmCases, 2),
            (Kind::ThmInduction, 1),
        ];
        if !self.plain_types().is_empty() {
            kinds.push((Kind::Instance, 1));
        }
        if !self.enums().is_empty() {
            kinds.push((Kind::ThmEnumNe, 1));
        }
        if !self.env.level_defs.is_empty() {
            kinds.push((Kind::ThmLevels, 1));
        }
        kinds.push((Kind::Class, 1));
        if !self.env.classes.is_empty() {
            kinds.push((Kind::ClassInstance, 4));
        }
        kinds.push((Kind::ImplementedBy, 1));
        if !self.env.indexed.is_empty() {
            kinds.push((Kind::IndexedValue, 2));
        }
        if self.prelude {
            // Polymorphic definitions, `omega` and `induction … simp` need
            // more of `Init` than a prelude file has.
            kinds.retain(|(k, _)| {
                !matches!(
                    k,
                    Kind::PolyDef | Kind::UnivPolyDef | Kind::ThmOmega | Kind::ThmInduction
                )
            });
        }
        match self.weighted(&kinds) {
            Kind::Def => self.plain_def(),
            Kind::DefArms => self.def_arms(),
            Kind::PolyDef => self.poly_def(false),
            Kind::UnivPolyDef => self.poly_def(true),
            Kind::LevelDef => self.level_def(),
            Kind::Opaque => self.opaque(),
            Kind::Instance => self.instance(),
            Kind::SetOption => self.set_option(),
            Kind::ThmRfl => self.thm_rfl(),
            Kind::ThmComputed => self.thm_computed(),
            Kind::ThmOmega => self.thm_omega(),
            Kind::ThmConnectives => self.thm_connectives(),
            Kind::ThmCases => self.thm_cases(),
            Kind::ThmInduction => self.thm_induction(),
            Kind::ThmEnumNe => self.thm_enum_ne(),
            Kind::ThmLevels => self.thm_levels(),
            Kind::Class => self.class_decl(),
            Kind::ClassInstance => self.class_instance().unwrap_or_else(|| self.plain_def()),
            Kind::ImplementedBy => self.implemented_def().unwrap_or_else(|| self.plain_def()),
            Kind::IndexedValue => self.indexed_value(),
        }
    }

    /// User types without parameters.
    fn plain_types(&self) -> Vec<usize> {
        (0..self.env.types.len())
            .filter(|i| self.env.types[*i].params.is_empty())
            .collect()
    }

    /// Enumerations: inductives whose constructors take no arguments.
    fn enums(&self) -> Vec<usize> {
        self.plain_types()
            .into_iter()
            .filter(|i| match &self.env.types[*i].shape {
                TypeShape::Inductive { ctors } => ctors.iter().all(|c| c.args.is_empty()),
                TypeShape::Structure { .. } => false,
            })
            .collect()
    }

    fn params(&mut self, max: usize) -> Vec<(Name, Ty)> {
        let n = self.below(max + 1);
        let h = self.type_height();
        (0..n)
            .map(|_| {
                let t = self.ty(h);
                (self.env.fresh("x"), t)
            })
            .collect()
    }

    fn binders_of(&self, params: &[(Name, Ty)]) -> Vec<Binder> {
        params
            .iter()
            .map(|(n, t)| explicit(n.clone(), t.to_term(&self.env)))
            .collect()
    }

    fn plain_def(&mut self) -> Decl {
        let name = self.env.fresh("f");
        let params = self.params(3);
        let ret = self.ty(self.type_height());
        let d = self.depth;
        let body = self.scoped(params.clone(), |g| g.term(&ret, d));
        let mut attrs = Vec::new();
        let kind = if self.coin(0.15) {
            self.hit(Family::Abbrev);
            DefKind::Abbrev
        } else {
            self.hit(Family::Def);
            if self.coin(0.15) {
                self.hit(Family::AttrReducible);
                attrs.push(Attr::Reducible);
            }
            DefKind::Def
        };
        if self.coin(0.1) {
            self.hit(Family::AttrInline);
            attrs.push(Attr::Inline);
        }
        self.global_def(kind, attrs, name, params, ret, body)
    }

    /// A definition by pattern matching on its last argument.
    fn def_arms(&mut self) -> Decl {
        self.hit(Family::DefArms);
        let name = self.env.fresh("f");
        let params = self.params(2);
        // The declared type is `scrut → ret`: one level above both.
        let side = self.type_height() - 1;
        let scrut = loop {
            let t = self.ty(side);
            if self.cases_of(&t).is_some() {
                break t;
            }
        };
        let ret = self.ty(side);
        let d = self.depth;
        let arms = self.scoped(params.clone(), |g| g.arms(&scrut, &ret, d));
        let def = Def {
            kind: DefKind::Def,
            attrs: vec![],
            name: name.clone(),
            univ_params: vec![],
            binders: self.binders_of(&params),
            ty: Ty::arrow(scrut.clone(), ret.clone()).to_term(&self.env),
            body: Body::Arms(arms),
        };
        let mut ptys: Vec<Ty> = params.into_iter().map(|(_, t)| t).collect();
        ptys.push(scrut);
        self.env.globals.push(Global {
            name,
            tparams: vec![],
            params: ptys,
            ret,
        });
        Decl::Def(def)
    }

    /// `def f {α : Type} (x : α) … : R` — polymorphic in one type, and with
    /// `universe` true also in its universe (`{α : Type u}`).
    fn poly_def(&mut self, universe: bool) -> Decl {
        let name = self.env.fresh("f");
        let alpha = "α".to_string();
        let a = Ty::Var(alpha.clone());
        let (univ_params, level) = if universe {
            self.hit(Family::UnivPolyDef);
            if !self.env.universes.is_empty() && self.coin(0.5) {
                let u = self.pick(&self.env.universes.clone());
                (vec![], succ(param(&u)))
            } else {
                let u = self.env.fresh("u");
                (vec![u.clone()], succ(param(&u)))
            }
        } else {
            self.hit(Family::PolyDef);
            (vec![], succ(Level::Zero))
        };
        let pool = [
            Ty::Nat,
            Ty::Bool,
            Ty::list(a.clone()),
            Ty::option(a.clone()),
            a.clone(),
        ];
        let mut params = vec![(self.env.fresh("x"), a.clone())];
        for _ in 0..self.below(3) {
            let t = self.pick(&pool);
            params.push((self.env.fresh("x"), t));
        }
        let ret = self.pick(&pool);
        let d = self.depth;
        let body = self.scoped(params.clone(), |g| g.term(&ret, d));
        let mut binders = vec![Binder {
            name: alpha.clone(),
            ty: sort(level),
            kind: BinderKind::Implicit,
        }];
        binders.extend(self.binders_of(&params));
        let def = Def {
            kind: DefKind::Def,
            attrs: vec![],
            name: name.clone(),
            univ_params,
            binders,
            ty: ret.to_term(&self.env),
            body: Body::Term(body),
        };
        self.env.globals.push(Global {
            name,
            tparams: vec![alpha],
            params: params.into_iter().map(|(_, t)| t).collect(),
            ret,
        });
        Decl::Def(def)
    }

    /// A sort-valued definition whose declared sort is a level expression
    /// (`imax`, `max`, successors) that must match what Lean infers.
    fn level_def(&mut self) -> Decl {
        self.hit(Family::LevelDef);
        let name = self.env.fresh("L");
        let form = self.pick(&[
            LevelForm::ImaxArrow,
            LevelForm::MaxProd,
            LevelForm::Lift,
            LevelForm::ImaxToProp,
            LevelForm::SuccSort,
        ]);
        let declared = self.env.universes.clone();
        let explicit_levels = declared.len() < 2 || self.coin(0.5);
        let (u, v) = if explicit_levels {
            (self.env.fresh("u"), self.env.fresh("v"))
        } else {
            (declared[0].clone(), declared[1].clone())
        };
        let (a, b) = (id("α"), id("β"));
        let (pu, pv) = (param(&u), param(&v));
        let two = |x: Term, y: Term| vec![explicit("α".into(), x), explicit("β".into(), y)];
        let (binders, ty, body, used) = match form {
            LevelForm::ImaxArrow => (
                two(sort(pu.clone()), sort(pv.clone())),
                sort(Level::IMax(Box::new(pu), Box::new(pv))),
                Term::Arrow(Box::new(a), Box::new(b)),
                2,
            ),
            LevelForm::MaxProd => (
                two(sort(succ(pu.clone())), sort(succ(pv.clone()))),
                sort(succ(Level::Max(Box::new(pu), Box::new(pv)))),
                app("Prod", vec![a, b]),
                2,
            ),
            LevelForm::Lift => (
                vec![explicit("α".into(), sort(pu.clone()))],
                sort(succ(pu)),
                app("PLift", vec![a]),
                1,
            ),
            LevelForm::ImaxToProp => (
                two(sort(pu.clone()), sort(pv.clone())),
                sort(Level::IMax(
                    Box::new(pu),
                    Box::new(Level::IMax(Box::new(pv), Box::new(Level::Zero))),
                )),
                Term::Arrow(
                    Box::new(a),
                    Box::new(Term::Arrow(Box::new(b), Box::new(id("False")))),
                ),
                2,
            ),
            LevelForm::SuccSort => (
                vec![explicit("α".into(), sort(succ(pu.clone())))],
                sort(succ(pu)),
                a,
                1,
            ),
        };
        let univ_params = if explicit_levels {
            [u, v].into_iter().take(used).collect()
        } else {
            vec![]
        };
        self.env.level_defs.push(LevelDef {
            name: name.clone(),
            form,
            explicit: explicit_levels,
        });
        Decl::Def(Def {
            kind: DefKind::Def,
            attrs: vec![],
            name,
            univ_params,
            binders,
            ty,
            body: Body::Term(body),
        })
    }

    fn opaque(&mut self) -> Decl {
        self.hit(Family::Opaque);
        let name = self.env.fresh("o");
        let ty = self.ty(2);
        let body = if self.coin(0.5) {
            Body::Term(self.term(&ty, self.depth))
        } else {
            Body::Empty
        };
        let def = Def {
            kind: DefKind::Opaque,
            attrs: vec![],
            name: name.clone(),
            univ_params: vec![],
            binders: vec![],
            ty: ty.to_term(&self.env),
            body,
        };
        self.env.globals.push(Global {
            name,
            tparams: vec![],
            params: vec![],
            ret: ty,
        });
        Decl::Def(def)
    }

    /// `instance : Inhabited T := ⟨e⟩` or `instance : Add T := ⟨fun a b => e⟩`.
    fn instance(&mut self) -> Decl {
        self.hit(Family::Instance);
        let i = self.pick(&self.plain_types());
        let t = Ty::User(i, vec![]);
        let tt = t.to_term(&self.env);
        let (class, value) = if self.coin(0.5) {
            ("Inhabited", self.term(&t, self.depth - 1))
        } else {
            let class = if self.coin(0.5) { "Add" } else { "Mul" };
            let (x, y) = (self.env.fresh("x"), self.env.fresh("y"));
            let d = self.depth - 2;
            let body = self.scoped(vec![(x.clone(), t.clone()), (y.clone(), t.clone())], |g| {
                g.term(&t, d)
            });
            let lam = Term::Lam(
                vec![explicit(x, tt.clone()), explicit(y, tt.clone())],
                Box::new(body),
            );
            (class, lam)
        };
        Decl::Def(Def {
            kind: DefKind::Instance,
            attrs: vec![],
            name: String::new(),
            univ_params: vec![],
            binders: vec![],
            ty: app(class, vec![tt]),
            body: Body::Term(Term::Anon(vec![value])),
        })
    }

    pub(super) fn set_option(&mut self) -> Decl {
        if self.coin(0.1) {
            // Declarations after it reach the environment unchecked by the
            // kernel (comparator's replay still checks them).
            self.hit(Family::SkipKernelOption);
            return Decl::SetOption("debug.skipKernelTC".into(), OptionValue::Bool(true));
        }
        self.hit(Family::SetOption);
        let [(rec_depth, rec_default), (heartbeats, hb_default)] = LIMIT_DEFAULTS;
        if self.coin(0.5) {
            let v = rec_default << self.below(5);
            Decl::SetOption(rec_depth.into(), OptionValue::Nat(v))
        } else {
            let v = if self.coin(0.1) {
                0
            } else {
                hb_default + 50_000 * self.below(13) as u64
            };
            Decl::SetOption(heartbeats.into(), OptionValue::Nat(v))
        }
    }

    /// One of the statements that fits the depth bound (templates are
    /// listed so that the first always fits [`super::MIN_DEPTH`]).
    fn fitting(&mut self, templates: Vec<Term>) -> Term {
        let fits: Vec<Term> = templates
            .into_iter()
            .filter(|t| height(t) <= self.depth)
            .collect();
        self.pick(&fits)
    }

    fn theorem(
        &mut self,
        attrs: Vec<Attr>,
        params: &[(Name, Ty)],
        stmt: Term,
        proof: Term,
    ) -> Decl {
        Decl::Def(Def {
            kind: DefKind::Theorem,
            attrs,
            name: self.env.fresh("t"),
            univ_params: vec![],
            binders: self.binders_of(params),
            ty: stmt,
            body: Body::Term(proof),
        })
    }

    /// `(e : T) = e` by reflexivity, over some parameters.
    fn thm_rfl(&mut self) -> Decl {
        self.hit(Family::TheoremRfl);
        let params = self.params(2);
        let t = self.ty(2);
        let d = self.depth - 1;
        let e = self.scoped(params.clone(), |g| g.term(&t, d));
        let lhs = Term::Typed(Box::new(e.clone()), Box::new(t.to_term(&self.env)));
        let proof = if self.coin(0.5) {
            id("rfl")
        } else {
            Term::By(vec![Tactic::Rfl])
        };
        self.theorem(vec![], &params, bin(BinOp::Eq, lhs, e), proof)
    }

    /// A closed computation equals its value (computed here).
    fn thm_computed(&mut self) -> Decl {
        self.hit(Family::TheoremComputed);
        let stmt = self.closed_fact(self.depth, true);
        let simp_worthy = matches!(&stmt, Term::BinOp(_, lhs, _) if !matches!(**lhs, Term::Ident(_) | Term::NatLit(_)));
        let mut attrs = vec![];
        if simp_worthy && self.coin(0.2) {
            self.hit(Family::AttrSimp);
            attrs.push(Attr::Simp);
        }
        let proof = self.fact_proof(&stmt);
        self.theorem(attrs, &[], stmt, proof)
    }

    /// A linear identity or inequality over Nat variables, by `omega`.
    fn thm_omega(&mut self) -> Decl {
        self.hit(Family::TheoremOmega);
        let vars: Vec<Name> = (0..1 + self.below(3))
            .map(|_| self.env.fresh("n"))
            .collect();
        let summands = 4.min(self.depth - 2);
        let mut terms: Vec<Term> = (0..summands)
            .map(|k| {
                if k == 0 {
                    return nat(self.below(10) as u128);
                }
                let v = id(&self.pick(&vars));
                match self.below(3) {
                    0 => v,
                    _ => bin(BinOp::Mul, nat(1 + self.below(5) as u128), v),
                }
            })
            .collect();
        let sum = |ts: &[Term]| {
            ts.iter()
                .cloned()
                .reduce(|acc, t| bin(BinOp::Add, acc, t))
                .expect("at least one summand")
        };
        let lhs = sum(&terms);
        terms.reverse();
        let rhs = sum(&terms);
        let op = self.pick(&[BinOp::Eq, BinOp::Le]);
        let params: Vec<(Name, Ty)> = vars.into_iter().map(|v| (v, Ty::Nat)).collect();
        self.theorem(
            vec![],
            &params,
            bin(op, lhs, rhs),
            Term::By(vec![Tactic::Omega]),
        )
    }

    fn thm_connectives(&mut self) -> Decl {
        self.hit(Family::TheoremConnectives);
        let (stmt, proof) = self.true_prop(self.depth);
        // The same proof as a tactic script, when `by` still fits.
        let proof = if height(&proof) < self.depth && self.coin(0.35) {
            self.hit(Family::TheoremTactics);
            Term::By(self.tactic_script(&stmt, &proof))
        } else {
            proof
        };
        self.theorem(vec![], &[], stmt, proof)
    }

    /// Tactics that prove `stmt` the way the term `proof` does: `intro`
    /// for implications, `constructor` then `exact` for conjunctions,
    /// `trivial` for `True`, `exact` otherwise. No tactic is taller than
    /// `proof`.
    fn tactic_script(&mut self, stmt: &Term, proof: &Term) -> Vec<Tactic> {
        match (stmt, proof) {
            (Term::Ident(t), _) if t == "True" => vec![Tactic::Trivial],
            (Term::Arrow(_, p), Term::Lam(_, pp)) => {
                let mut script = vec![Tactic::Intro(vec![self.env.fresh("h")])];
                script.extend(self.tactic_script(p, pp));
                script
            }
            (Term::BinOp(BinOp::And, _, _), Term::Anon(parts)) if parts.len() == 2 => vec![
                Tactic::Constructor,
                Tactic::Exact(parts[0].clone()),
                Tactic::Exact(parts[1].clone()),
            ],
            _ => vec![Tactic::Exact(proof.clone())],
        }
    }

    /// Statements proved by a case split on a Bool, an enumeration, or the
    /// argument of an earlier one-argument function.
    fn thm_cases(&mut self) -> Decl {
        self.hit(Family::TheoremCases);
        let x = self.env.fresh("x");
        let enums = self.enums();
        let unary: Vec<(Name, Ty)> = self
            .env
            .globals
            .iter()
            .filter(|g| g.tparams.is_empty() && g.params.len() == 1)
            .filter(|g| match &g.params[0] {
                Ty::Bool => true,
                Ty::User(_, args) => args.is_empty(),
                _ => false,
            })
            .map(|g| (g.name.clone(), g.params[0].clone()))
            .collect();
        let choice = self.below(3);
        let (ty, stmt, then) = if choice == 1 && !enums.is_empty() {
            let i = self.pick(&enums);
            let eq = bin(BinOp::BEq, id(&x), id(&x));
            (
                Ty::User(i, vec![]),
                bin(BinOp::Eq, eq, id("true")),
                Tactic::Decide,
            )
        } else if choice == 2 && !unary.is_empty() {
            let (f, t) = self.pick(&unary);
            let call = app(&f, vec![id(&x)]);
            (t, bin(BinOp::Eq, call.clone(), call), Tactic::Rfl)
        } else {
            let b = || id(&x);
            let not = |t: Term| Term::BNot(Box::new(t));
            let templates = vec![
                bin(BinOp::Eq, bin(BinOp::BOr, b(), not(b())), id("true")),
                bin(BinOp::Eq, bin(BinOp::BAnd, b(), not(b())), id("false")),
                bin(BinOp::Eq, not(not(b())), b()),
                bin(BinOp::Eq, bin(BinOp::BEq, b(), b()), id("true")),
            ];
            let stmt = self.fitting(templates);
            let then = if self.coin(0.5) {
                Tactic::Rfl
            } else {
                Tactic::Decide
            };
            (Ty::Bool, stmt, then)
        };
        let proof = Term::By(vec![Tactic::CasesAll(x.clone(), Box::new(then))]);
        self.theorem(vec![], &[(x, ty)], stmt, proof)
    }

    fn thm_induction(&mut self) -> Decl {
        self.hit(Family::TheoremInduction);
        let x = self.env.fresh("n");
        let v = || id(&x);
        let nat_stmts = vec![
            bin(BinOp::Eq, bin(BinOp::Add, nat(0), v()), v()),
            bin(BinOp::Eq, bin(BinOp::Mul, v(), nat(1)), v()),
            bin(BinOp::Eq, bin(BinOp::Sub, v(), v()), nat(0)),
        ];
        let list_stmts = vec![
            bin(BinOp::Eq, bin(BinOp::Append, v(), Term::List(vec![])), v()),
            bin(BinOp::Eq, bin(BinOp::Append, Term::List(vec![]), v()), v()),
            bin(
                BinOp::Eq,
                app("List.length", vec![app("List.reverse", vec![v()])]),
                app("List.length", vec![v()]),
            ),
        ];
        let (ty, stmt) = if self.coin(0.5) {
            (Ty::Nat, self.fitting(nat_stmts))
        } else {
            (Ty::list(Ty::Nat), self.fitting(list_stmts))
        };
        let proof = Term::By(vec![Tactic::InductionAll(
            x.clone(),
            Box::new(Tactic::Simp(vec![])),
        )]);
        self.theorem(vec![], &[(x, ty)], stmt, proof)
    }

    /// Two distinct constructors of an enumeration differ.
    fn thm_enum_ne(&mut self) -> Decl {
        self.hit(Family::TheoremEnumNe);
        let i = self.pick(&self.enums());
        let t = &self.env.types[i];
        let TypeShape::Inductive { ctors } = &t.shape else {
            unreachable!("enums are inductive")
        };
        let name = t.name.clone();
        let n = ctors.len();
        let names: Vec<Name> = ctors.iter().map(|c| c.name.clone()).collect();
        let a = self.below(n);
        let b = (a + 1 + self.below(n - 1)) % n;
        let stmt = bin(
            BinOp::Ne,
            id(&format!("{name}.{}", names[a])),
            id(&format!("{name}.{}", names[b])),
        );
        let tac = if self.coin(0.5) {
            Tactic::Decide
        } else {
            Tactic::Simp(vec![])
        };
        self.theorem(vec![], &[], stmt, Term::By(vec![tac]))
    }

    /// A sort-level definition unfolds to its body at concrete levels.
    fn thm_levels(&mut self) -> Decl {
        self.hit(Family::TheoremLevels);
        let ld = self.pick(&self.env.level_defs.clone());
        let one = || succ(Level::Zero);
        let (levels, args, rhs) = match ld.form {
            LevelForm::ImaxArrow => (
                vec![one(), one()],
                vec![id("Nat"), id("Bool")],
                Term::Arrow(Box::new(id("Nat")), Box::new(id("Bool"))),
            ),
            LevelForm::MaxProd => (
                vec![Level::Zero, Level::Zero],
                vec![id("Nat"), id("Bool")],
                app("Prod", vec![id("Nat"), id("Bool")]),
            ),
            LevelForm::Lift => (vec![one()], vec![id("Nat")], app("PLift", vec![id("Nat")])),
            LevelForm::ImaxToProp => (
                vec![Level::Zero, Level::Zero],
                vec![id("True"), id("True")],
                Term::Arrow(
                    Box::new(id("True")),
                    Box::new(Term::Arrow(Box::new(id("True")), Box::new(id("False")))),
                ),
            ),
            LevelForm::SuccSort => (vec![Level::Zero], vec![id("Nat")], id("Nat")),
        };
        let head = if ld.explicit && self.coin(0.7) {
            Term::IdentLevels(ld.name.clone(), levels)
        } else {
            id(&ld.name)
        };
        let lhs = Term::App(Box::new(head), args);
        let stmt = bin(BinOp::Eq, lhs, rhs);
        if height(&stmt) > self.depth {
            // Too tall for this depth: state the definition's reflexivity.
            let lhs = match &stmt {
                Term::BinOp(_, l, _) => (**l).clone(),
                _ => unreachable!("built as an equation"),
            };
            return self.theorem(vec![], &[], bin(BinOp::Eq, lhs.clone(), lhs), id("rfl"));
        }
        self.theorem(vec![], &[], stmt, id("rfl"))
    }
}
