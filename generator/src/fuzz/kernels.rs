//! The kernel target: a generated environment written as a lean4export
//! NDJSON file and checked by every configured external kernel
//! (`harness::kernels`); disagreements, crashes, timeouts and accepted
//! proofs of `False` go to the store as `.ndjson` findings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use libafl::corpus::CorpusId;
use libafl::inputs::Input;

use super::mutators::{all_kernel, KernelMutators};
use super::target::{reduced_meta, store_finding, Target, TestError, Tested};
use crate::harness::kernels::{check_text, KernelReport, KernelSpec};
use crate::harness::process::Limits;
use crate::harness::{interrupt, HarnessError, Verdict};
use crate::kernel::edit::terms;
use crate::kernel::gen::{Environment, KernelGenConfig};
use crate::kernel::mutate::Labelled;
use crate::kernel::ndjson::{self, ExportMeta};
use crate::kernel::{false_theorem, Decl, Expr, Level};
use crate::triage::reduce::{reduce_environment, SameKernelSignature};
use crate::triage::store::content_hash;
use crate::triage::{FindingMeta, Store};

/// The kernel target's input: an environment with its labels.
pub type KernelInput = Labelled;

impl KernelInput {
    /// The export file's text.
    pub fn ndjson(&self) -> String {
        ndjson::write(&self.env.decls, &ExportMeta::default())
    }
}

impl Input for KernelInput {
    /// The corpus file name: a hash of the export file, so the same
    /// environment found by two clients is stored once.
    fn generate_name(&self, _id: Option<CorpusId>) -> String {
        content_hash(&self.ndjson())[..16].to_string()
    }
}

/// Kernel environments through external kernels.
#[derive(Clone)]
pub struct KernelTarget {
    kernels: Vec<KernelSpec>,
    limits: Limits,
    work_root: PathBuf,
    store: Store,
    meta: FindingMeta,
    gen: KernelGenConfig,
    /// With `--auto-reduce`: the signatures this process has reduced a
    /// finding of.
    auto_reduce: Option<HashSet<String>>,
}

impl KernelTarget {
    pub fn new(
        kernels: Vec<KernelSpec>,
        limits: Limits,
        work_root: PathBuf,
        store: Store,
        gen: KernelGenConfig,
        auto_reduce: bool,
    ) -> Self {
        let meta = FindingMeta {
            origin: "fuzz".into(),
            depth: Some(gen.depth),
            profile: Some("kernels".into()),
            kernels: kernels
                .iter()
                .map(|k| format!("{}={}", k.name, k.program.display()))
                .collect(),
            ..Default::default()
        };
        KernelTarget {
            kernels,
            limits,
            work_root,
            store,
            meta,
            gen,
            auto_reduce: auto_reduce.then(HashSet::new),
        }
    }

    /// Checks one export file's text in a fresh directory under the work
    /// root (removed afterwards, also on an interrupt).
    fn check_text(&self, text: &str, decls: &[Decl]) -> Result<KernelReport, TestError> {
        let falsity = false_theorem(decls).map(|n| n.to_string());
        check_text(
            text,
            &self.kernels,
            &self.limits,
            &self.work_root,
            falsity.as_deref(),
        )
        .map_err(|e| match e {
            HarnessError::Interrupted => TestError::Interrupted,
            e => TestError::Harness(e.to_string()),
        })
    }
}

impl Target for KernelTarget {
    const CAMPAIGN: &'static str = "leanfuzz-kernels";
    type Input = KernelInput;
    type Mutators = KernelMutators;

    fn generate(&self, seed: u64) -> KernelInput {
        KernelInput::generated(seed, &self.gen)
    }

    fn mutators(&self) -> KernelMutators {
        all_kernel(self.gen)
    }

    fn features(input: &KernelInput) -> Vec<String> {
        features(&input.env)
    }

    fn test(&mut self, input: &KernelInput) -> Result<Tested, TestError> {
        let text = input.ndjson();
        let report = self.check_text(&text, &input.env.decls)?;
        let verdict = report.verdict;
        let valid = match (verdict, report.signature.as_str()) {
            _ if !input.labelled => None,
            (Verdict::Crash | Verdict::Timeout, _) | (_, "kernels:all-declined") => None,
            (_, sig) if input.env.ill_formed.is_empty() => Some(sig == "kernels:all-accept"),
            (_, sig) => Some(sig == "kernels:all-reject"),
        };
        let mut stored = false;
        if verdict.is_finding() {
            if let Some(path) = store_finding(&self.store, &text, &report, &self.meta)? {
                stored = true;
                self.maybe_reduce(input, &report, &path)?;
            }
        }
        Ok(Tested {
            verdict,
            signature: report.signature,
            valid,
            stored,
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
        })
    }

    fn work_root(&self) -> &Path {
        &self.work_root
    }

    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self {
        let mut target = self.clone();
        target.work_root = work_root;
        target.meta.instance = instance.to_string();
        target
    }
}

impl KernelTarget {
    /// `--auto-reduce`: shrinks a finding of a signature not reduced yet
    /// (declarations, then subterms) and stores the result beside it.
    fn maybe_reduce(
        &mut self,
        input: &KernelInput,
        report: &KernelReport,
        path: &Path,
    ) -> Result<(), TestError> {
        let Some(done) = &mut self.auto_reduce else {
            return Ok(());
        };
        if !done.insert(report.signature.clone()) {
            return Ok(());
        }
        let oracle = SameKernelSignature {
            kernels: self.kernels.clone(),
            limits: self.limits.clone(),
            work_root: self.work_root.clone(),
            signature: report.signature.clone(),
        };
        let reduced = match reduce_environment(&input.env.decls, &oracle, 1, &|_| {}) {
            Ok(r) => r,
            Err(_) if interrupt::requested() => return Err(TestError::Interrupted),
            Err(e) => {
                eprintln!("auto-reduce of {} failed: {e}", path.display());
                return Ok(());
            }
        };
        let (_, decls) = ndjson::read(&reduced.text)
            .map_err(|e| TestError::Fatal(format!("a reduced export file does not read: {e}")))?;
        let last = self.check_text(&reduced.text, &decls)?;
        if last.signature != report.signature {
            eprintln!(
                "auto-reduce of {}: the result gave {} on its last run; not stored",
                path.display(),
                last.signature
            );
            return Ok(());
        }
        match self
            .store
            .save(&reduced.text, &last, &reduced_meta(&self.meta, path))
        {
            Ok(Some(saved)) => println!(
                "[{}] reduced {} declarations -> {} in {} tests: {}",
                self.meta.instance,
                input.env.decls.len(),
                decls.len(),
                reduced.tests + 1,
                saved.path.display()
            ),
            Ok(None) => {}
            Err(e) => return Err(TestError::Fatal(format!("findings store: {e}"))),
        }
        Ok(())
    }
}

/// What novelty is judged on: the kinds of declarations after the prelude
/// (and of inductive types: recursive, parametric, indexed, …), the term
/// and level constructors they use, the prelude constants they
/// reach, literal sizes, and the ill-formed families they carry.
pub fn features(env: &Environment) -> Vec<String> {
    let prelude: HashSet<String> = env.decls[..env.prelude]
        .iter()
        .flat_map(|d| d.names().into_iter().map(|n| n.to_string()))
        .collect();
    let mut out: HashSet<String> = HashSet::new();
    for d in env.user_decls() {
        out.insert(
            match d {
                Decl::Axiom { .. } => "decl:axiom",
                Decl::Def { .. } => "decl:def",
                Decl::Opaque { .. } => "decl:opaque",
                Decl::Thm { .. } => "decl:theorem",
                Decl::Quot { .. } => "decl:quot",
                Decl::Inductive { .. } => "decl:inductive",
            }
            .to_string(),
        );
        if let Decl::Inductive { types, .. } = d {
            for t in types {
                for (on, feature) in [
                    (t.is_rec, "ind:recursive"),
                    (t.num_params > 0, "ind:params"),
                    (t.num_indices > 0, "ind:indices"),
                    (t.all.len() > 1, "ind:mutual"),
                    (t.num_nested > 0, "ind:nested"),
                ] {
                    if on {
                        out.insert(feature.to_string());
                    }
                }
            }
        }
        for t in terms(d) {
            expr_features(t, &prelude, &mut out);
        }
    }
    out.extend(
        env.ill_formed
            .iter()
            .map(|l| format!("ill:{}", l.kind.name())),
    );
    let mut v: Vec<String> = out.into_iter().collect();
    v.sort();
    v
}

fn level_features(l: &Level, out: &mut HashSet<String>) {
    match l {
        Level::Zero => {}
        Level::Succ(a) => level_features(a, out),
        Level::Max(a, b) | Level::IMax(a, b) => {
            let kind = if matches!(l, Level::Max(..)) {
                "max"
            } else {
                "imax"
            };
            out.insert(format!("level:{kind}"));
            level_features(a, out);
            level_features(b, out);
        }
        Level::Param(_) => {
            out.insert("level:param".into());
        }
    }
}

fn expr_features(e: &Expr, prelude: &HashSet<String>, out: &mut HashSet<String>) {
    match e {
        Expr::Const(n, us) => {
            let s = n.to_string();
            if prelude.contains(&s) {
                out.insert(format!("use:{s}"));
            }
            us.iter().for_each(|l| level_features(l, out));
        }
        Expr::Sort(l) => level_features(l, out),
        Expr::NatLit(v) => {
            let big = v.len() > 19 || v.parse::<u64>().is_err();
            out.insert(if big { "lit:nat-big" } else { "lit:nat" }.into());
        }
        Expr::StrLit(_) => {
            out.insert("lit:string".into());
        }
        Expr::LetE { .. } => {
            out.insert("expr:let".into());
        }
        Expr::Proj(..) => {
            out.insert("expr:proj".into());
        }
        Expr::MData(..) => {
            out.insert("expr:mdata".into());
        }
        Expr::BVar(_) | Expr::App(..) | Expr::Lam(..) | Expr::ForallE(..) => {}
    }
    for c in crate::kernel::expr::children(e) {
        expr_features(c, prelude, out);
    }
}
