//! The kernel targets: generated environments (with the generator's
//! labels) checked along one of two routes, written once over [`Route`]:
//! - as lean4export NDJSON files through every external kernel
//!   ([`KernelChecker`]), judged by the label oracle (`--target kernels`);
//! - as Lean files of `run_elab addDecl` commands (the declarations after
//!   the prelude, over Lean's own) through the pipeline, so `lake build`
//!   tests them with Lean's kernel and comparator with its external
//!   kernels (`--target kernels-via-lean`).
//!
//! Findings go to the store as `.ndjson` or `.lean` files; with
//! `--auto-reduce` the first of each signature is shrunk.

use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{checked_time, Findings, MutationKind, Target, TestError, Tested};
use crate::harness::kernels::{KernelChecker, ALL_ACCEPT, ALL_DECLINED, ALL_REJECT};
use crate::harness::{Checker, HarnessError, Pipeline, Report, Verdict};
use crate::kernel::faults::{self, Fault, FormatFault};
use crate::kernel::features::features;
use crate::kernel::gen::{Environment, KernelGenConfig};
use crate::kernel::lean_source;
use crate::kernel::mutate::{mutate as mutate_env, EnvMutation, Labelled};
use crate::kernel::ndjson::{self, ExportMeta};
use crate::kernel::variants::Relation;
use crate::kernel::Name;
use crate::oracles::label::{judge_format, Confirmations};
use crate::oracles::metamorphic::Metamorphic;
use crate::oracles::{judge_environment, Label, LabelledKernels};
use crate::triage::reduce::{reduce_environment, reduce_text, Oracle, Reduced};
use crate::triage::store::content_hash;
use crate::triage::workflow::Judge;
use crate::triage::{FindingMeta, Store};

/// The kernel targets' input: an environment with its labels.
pub type KernelInput = Labelled;

/// What the generator claims about an input.
pub fn label(input: &KernelInput) -> Label {
    if let Some(f) = input.fault {
        return Label::FormatFault {
            fault: f.kind.name().to_string(),
        };
    }
    if !input.labelled {
        return Label::Unknown;
    }
    // The first labelled declaration in file order: what a kernel that
    // checks in order must reject first.
    let decls = &input.env.decls;
    let position = |name: &Name| decls.iter().position(|d| d.names().contains(&name));
    match input
        .env
        .ill_formed
        .iter()
        .min_by_key(|l| position(&l.decl).unwrap_or(usize::MAX))
    {
        None => Label::WellFormed,
        Some(l) => Label::IllFormed {
            family: l.kind.name().to_string(),
            decl: l.decl.to_string(),
        },
    }
}

impl MutationKind for EnvMutation {
    type Input = KernelInput;
    type Config = KernelGenConfig;
    const ALL: &'static [Self] = &EnvMutation::ALL;
    const SPLICE: Self = EnvMutation::Splice;

    fn name(self) -> &'static str {
        EnvMutation::name(self)
    }

    fn apply(
        self,
        input: &mut KernelInput,
        rng: &mut Xoshiro256PlusPlus,
        cfg: &KernelGenConfig,
        donor: Option<&KernelInput>,
    ) -> bool {
        mutate_env(input, self, rng, cfg, donor)
    }
}

/// How environments are checked: the file they become, the checker and
/// oracles that judge it, and what "as labelled" means for validity.
pub trait Route: Checker {
    const CAMPAIGN: &'static str;
    /// The profile recorded with findings.
    const PROFILE: &'static str;
    type Judge: Judge;

    /// The file an input becomes.
    fn text(input: &KernelInput) -> String;

    /// Whether it checks export files with external kernels: only then
    /// can a report be compared with a variant's (the metamorphic oracle
    /// needs each kernel's own answer) and a file carry a format fault.
    const EXTERNAL: bool;

    /// Checks an input (its file's text already made) and judges it, also
    /// against the variant `metamorphic` names.
    fn judge_input(
        &self,
        input: &KernelInput,
        text: &str,
        metamorphic: Option<&Metamorphic>,
        confirmations: &mut Confirmations,
    ) -> Result<Report, HarnessError>;

    /// Whether the input came out as labelled.
    fn valid(input: &KernelInput, report: &Report) -> Option<bool>;

    /// The judge of reduction candidates of `input`'s file.
    fn judge_for(&self, input: &KernelInput, metamorphic: Option<Metamorphic>) -> Self::Judge;

    /// Shrinks `input`'s file with `oracle`.
    fn reduce(input: &KernelInput, text: &str, oracle: &dyn Oracle) -> anyhow::Result<Reduced>;
}

impl Route for KernelChecker {
    const CAMPAIGN: &'static str = "leanfuzz-kernels";
    const PROFILE: &'static str = "kernels";
    type Judge = LabelledKernels;
    const EXTERNAL: bool = true;

    /// The export file, with the input's format fault written in.
    fn text(input: &KernelInput) -> String {
        let text = ndjson::write(&input.env.decls, &ExportMeta::default());
        match input.fault {
            Some(fault) => faults::apply(&text, fault).unwrap_or(text),
            None => text,
        }
    }

    fn judge_input(
        &self,
        input: &KernelInput,
        text: &str,
        metamorphic: Option<&Metamorphic>,
        confirmations: &mut Confirmations,
    ) -> Result<Report, HarnessError> {
        match input.fault {
            // The file, not the environment, is what is judged.
            Some(fault) => Ok(judge_format(self.check(text)?, fault.kind)),
            None => judge_environment(
                self,
                &input.env.decls,
                &label(input),
                metamorphic,
                confirmations,
            ),
        }
    }

    fn valid(input: &KernelInput, report: &Report) -> Option<bool> {
        if input.fault.is_some() {
            // As meant: declined or rejected by every kernel.
            return match report.verdict() {
                Verdict::Crash | Verdict::Timeout => None,
                Verdict::Rejected => Some(report.signature() != ALL_ACCEPT),
                _ => Some(false),
            };
        }
        if !input.labelled {
            return None;
        }
        let accepted = match (report.verdict(), report.signature()) {
            (Verdict::Crash | Verdict::Timeout, _) | (_, ALL_DECLINED) => return None,
            // The label oracle found it not as meant.
            (Verdict::UnexpectedAccept | Verdict::UnexpectedReject | Verdict::Soundness, _) => {
                return Some(false)
            }
            (_, ALL_ACCEPT) => true,
            (_, ALL_REJECT) => false,
            // Kernels that disagree did not all answer as labelled.
            _ => return Some(false),
        };
        Some(accepted == input.env.ill_formed.is_empty())
    }

    fn judge_for(&self, input: &KernelInput, metamorphic: Option<Metamorphic>) -> LabelledKernels {
        LabelledKernels {
            checker: self.clone(),
            label: label(input),
            metamorphic,
        }
    }

    /// Declarations and terms; a file with a format fault by its lines
    /// (its environment, written again, would lose the fault).
    fn reduce(input: &KernelInput, text: &str, oracle: &dyn Oracle) -> anyhow::Result<Reduced> {
        match input.fault {
            Some(_) => reduce_text(text, oracle, 1, &|_| {}),
            None => reduce_environment(&input.env.decls, oracle, 1, &|_| {}),
        }
    }
}

/// An environment as the Lean file `--target kernels-via-lean` checks: its
/// declarations after the prelude as `run_elab addDecl` commands, then the
/// suffix every generated Lean program ends with (`replay_check` over every
/// declaration, `soundness_check` over every theorem; [`suffix`]), so
/// comparator's replay config sends them all through its kernels.
///
/// [`suffix`]: crate::lean::suffix
pub fn lean_text(env: &Environment) -> String {
    let decls = env.user_decls();
    let mut text = lean_source::render(decls);
    text.push('\n');
    text.push_str(&crate::lean::suffix::kernel_suffix(decls));
    text
}

impl Route for Pipeline {
    const CAMPAIGN: &'static str = "leanfuzz-kernels-via-lean";
    const PROFILE: &'static str = "kernels-via-lean";
    type Judge = Pipeline;
    const EXTERNAL: bool = false;

    fn text(input: &KernelInput) -> String {
        lean_text(&input.env)
    }

    fn judge_input(
        &self,
        _input: &KernelInput,
        text: &str,
        _metamorphic: Option<&Metamorphic>,
        _confirmations: &mut Confirmations,
    ) -> Result<Report, HarnessError> {
        self.check(text)
    }

    /// As labelled: a well-formed environment builds, an ill-formed one
    /// does not (Lean's kernel rejects its `addDecl`).
    fn valid(input: &KernelInput, report: &Report) -> Option<bool> {
        match report.verdict() {
            _ if !input.labelled => None,
            Verdict::Crash | Verdict::Timeout => None,
            _ => {
                let built = !report.signature().starts_with("build-error");
                Some(built == input.env.ill_formed.is_empty())
            }
        }
    }

    fn judge_for(&self, _input: &KernelInput, _metamorphic: Option<Metamorphic>) -> Pipeline {
        self.clone()
    }

    /// The file's lines (one declaration each), then its tokens.
    fn reduce(_input: &KernelInput, text: &str, oracle: &dyn Oracle) -> anyhow::Result<Reduced> {
        reduce_text(text, oracle, 1, &|_| {})
    }
}

/// Kernel environments along one route.
#[derive(Clone)]
pub struct KernelTarget<C: Route> {
    checker: C,
    findings: Findings,
    meta: FindingMeta,
    gen: KernelGenConfig,
    /// The share of tests also judged against a semantics-preserving
    /// variant, and the random source that picks them.
    metamorphic_rate: f64,
    /// When the label oracle confirms where an ill-formed environment is
    /// rejected.
    confirmations: Confirmations,
    /// The share of generated inputs whose file carries a format fault.
    fault_rate: f64,
    relations: Vec<Relation>,
    rng_seed: u64,
    rng: Xoshiro256PlusPlus,
}

impl<C: Route> KernelTarget<C> {
    /// Writes a format fault into this share of the generated inputs'
    /// files (route permitting).
    pub fn with_format_faults(mut self, rate: f64) -> Self {
        self.fault_rate = if C::EXTERNAL { rate } else { 0.0 };
        self
    }

    /// Judges this share of tests against a variant too (route
    /// permitting) under one of `relations` (all when empty), the variants
    /// picked from `seed` (and each process's name).
    pub fn with_metamorphic(mut self, rate: f64, relations: &[Relation], seed: u64) -> Self {
        self.metamorphic_rate = if C::EXTERNAL { rate } else { 0.0 };
        self.relations = if relations.is_empty() {
            Relation::ALL.to_vec()
        } else {
            relations.to_vec()
        };
        self.rng_seed = seed;
        self.rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        self
    }

    /// The variant this test is compared with, if any.
    fn pick_variant(&mut self, input: &KernelInput) -> Option<Metamorphic> {
        if self.metamorphic_rate <= 0.0 || !self.rng.random_bool(self.metamorphic_rate.min(1.0)) {
            return None;
        }
        let relation = self.relations[self.rng.random_range(0..self.relations.len())];
        let spec = Metamorphic {
            relation,
            seed: self.rng.random(),
            from: input.env.prelude,
            decl: None,
        };
        Some(spec.pinned(&input.env.decls))
    }

    /// `kernels` are recorded with every finding (`NAME=PATH`), so
    /// `main kernels` and `main reduce` run them again.
    pub fn new(
        checker: C,
        kernels: Vec<String>,
        store: Store,
        gen: KernelGenConfig,
        auto_reduce: bool,
    ) -> Self {
        let meta = FindingMeta {
            origin: "fuzz".into(),
            depth: Some(gen.depth),
            profile: Some(C::PROFILE.into()),
            kernels,
            ..Default::default()
        };
        KernelTarget {
            checker,
            findings: Findings::new(store, auto_reduce),
            meta,
            gen,
            metamorphic_rate: 0.0,
            confirmations: Confirmations::default(),
            fault_rate: 0.0,
            relations: Relation::ALL.to_vec(),
            rng_seed: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(0),
        }
    }
}

impl<C: Route> Target for KernelTarget<C> {
    const CAMPAIGN: &'static str = C::CAMPAIGN;
    type Input = KernelInput;
    type Mutation = EnvMutation;

    fn generate(&self, seed: u64) -> KernelInput {
        let mut input = KernelInput::generated(seed, &self.gen);
        // Whether this one's file carries a format fault: from the seed,
        // so the same seed gives the same input.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5eed_fa17);
        if self.fault_rate > 0.0 && rng.random_bool(self.fault_rate.min(1.0)) {
            input.fault = Some(Fault {
                kind: FormatFault::ALL[rng.random_range(0..FormatFault::ALL.len())],
                seed: rng.random(),
            });
        }
        input
    }

    fn mutation_config(&self) -> KernelGenConfig {
        self.gen
    }

    fn features(input: &KernelInput) -> Vec<String> {
        let mut out = features(&input.env);
        if let Some(f) = input.fault {
            out.push(format!("fault:{}", f.kind.name()));
            out.sort();
        }
        out
    }

    fn input_name(input: &KernelInput) -> String {
        content_hash(&KernelChecker::text(input))[..16].to_string()
    }

    fn test(&mut self, input: &KernelInput) -> Result<Tested, TestError> {
        let text = C::text(input);
        let variant = self.pick_variant(input);
        let report =
            self.checker
                .judge_input(input, &text, variant.as_ref(), &mut self.confirmations)?;
        let verdict = report.verdict();
        let valid = C::valid(input, &report);
        let mut stored = false;
        if verdict.is_finding() {
            let mut meta = self.meta.clone();
            meta.label = Some(label(input));
            meta.metamorphic = variant.filter(|_| report.verdict() == Verdict::Metamorphic);
            stored = self.findings.keep(
                &text,
                &report,
                &meta,
                &self.checker.judge_for(input, meta.metamorphic.clone()),
                &|oracle| C::reduce(input, &text, oracle),
            )?;
        }
        Ok(Tested {
            verdict,
            signature: report.signature().to_string(),
            valid,
            stored,
            checked: checked_time(&report),
            verifiers: report.verifiers(),
            finding: self.findings.take_stored(),
        })
    }

    /// A lean4export export file (a real one, say of `Init`): the whole
    /// file is the environment, taken as well-formed.
    fn read_seed(&self, path: &Path) -> anyhow::Result<KernelInput> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read seed {}: {e}", path.display()))?;
        let (_, decls) =
            ndjson::read(&text).map_err(|e| anyhow::anyhow!("seed {}: {e}", path.display()))?;
        Ok(KernelInput {
            env: Environment {
                decls,
                prelude: 0,
                ill_formed: Vec::new(),
            },
            labelled: true,
            fault: None,
        })
    }

    fn work_root(&self) -> &Path {
        self.checker.work_root()
    }

    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self {
        let mut target = self.clone();
        target.checker = self.checker.in_work_root(work_root);
        target.meta.instance = instance.to_string();
        // Each process picks its own variants.
        target.rng = Xoshiro256PlusPlus::seed_from_u64(self.rng_seed ^ content_hash_u64(instance));
        target
    }
}

/// A number from a name (its hash's first eight bytes).
fn content_hash_u64(s: &str) -> u64 {
    u64::from_str_radix(&content_hash(s)[..16], 16).unwrap_or(0)
}
