//! Construct families: the named kinds of Lean constructs the generator
//! produces. Counted per program (`main generate --stats`), required to all
//! appear by the coverage test, and (later) the unit of validity telemetry.

use serde::Serialize;
use std::collections::BTreeMap;

macro_rules! families {
    ($($variant:ident => $name:literal,)*) => {
        /// A kind of generated construct.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Family { $($variant,)* }

        impl Family {
            /// Every family, for coverage checks.
            pub const ALL: &'static [Family] = &[$(Family::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Family::$variant => $name,)* }
            }
        }
    };
}

families! {
    Universe => "universe-decl",
    SetOption => "set-option",
    EnumInductive => "inductive-enum",
    RecInductive => "inductive-recursive",
    ParamInductive => "inductive-parametric",
    Structure => "structure",
    Def => "def",
    DefArms => "def-pattern-matching",
    PolyDef => "def-polymorphic",
    UnivPolyDef => "def-universe-polymorphic",
    LevelDef => "def-universe-levels",
    Abbrev => "abbrev",
    Opaque => "opaque",
    Instance => "instance",
    AttrSimp => "attr-simp",
    AttrReducible => "attr-reducible",
    AttrInline => "attr-inline",
    TheoremRfl => "theorem-rfl",
    TheoremComputed => "theorem-computed-fact",
    TheoremOmega => "theorem-omega",
    TheoremConnectives => "theorem-connectives",
    TheoremTactics => "theorem-tactic-script",
    TheoremCases => "theorem-cases",
    TheoremInduction => "theorem-induction",
    TheoremEnumNe => "theorem-enum-ne",
    TheoremLevels => "theorem-universe-app",
    NativeDecide => "native-decide",
    TermLambda => "term-lambda",
    TermLet => "term-let",
    TermMatch => "term-match",
    TermFunMatch => "term-fun-pattern-matching",
    TermIte => "term-if",
    TermAnon => "term-anonymous-ctor",
    TermProj => "term-projection",
    TermTuple => "term-tuple",
    TermList => "term-list",
    TermCall => "term-call",
    TermPolyCall => "term-polymorphic-call",
    LitBoundary => "literal-nat-boundary",
    LitString => "literal-string",
    LitChar => "literal-char",
    IllFormed => "ill-formed",
    MetaComputed => "meta-computed-theorem",
    MetaFun => "meta-function",
    MetaPolyId => "meta-universe-polymorphic",
    MetaImax => "meta-imax-sort",
    MetaProj => "meta-projection",
    MetaLet => "meta-let",
    MetaOpaque => "meta-opaque",
    SkipKernel => "meta-skip-kernel-check",
    SkipKernelOption => "set-option-skip-kernel",
    Class => "class",
    ClassInstance => "instance-user-class",
    MutualInductive => "inductive-mutual",
    IndexedInductive => "inductive-indexed-family",
    IndexedValue => "term-indexed-family-value",
    AttrImplementedBy => "attr-implemented-by",
    HiddenAxiom => "hidden-axiom",
    PreludeRedef => "prelude-redefine-primitive",
    PreludeUnfold => "prelude-unfold-theorem",
    PreludeLiteral => "prelude-literal-fact",
    PreludeClash => "prelude-clash-fact",
}

/// How often each family appeared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub counts: BTreeMap<&'static str, u64>,
}

impl Stats {
    pub fn hit(&mut self, f: Family) {
        *self.counts.entry(f.name()).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Stats) {
        for (k, v) in &other.counts {
            *self.counts.entry(k).or_default() += v;
        }
    }

    pub fn get(&self, f: Family) -> u64 {
        self.counts.get(f.name()).copied().unwrap_or(0)
    }
}
