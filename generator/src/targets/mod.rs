//! What is fuzzed, without LibAFL: per target its input model, how inputs
//! are generated and mutated, the features novelty is judged on, and how
//! one input is checked, judged by the oracles and (when it is a finding)
//! stored and reduced through the one triage workflow. `fuzz/` binds a
//! [`Target`] to LibAFL; `repro`, `reduce` and `kernels` use the same
//! checkers, oracles and workflow.
//!
//! - [`program`]: Lean programs through `lake build` and the judge.
//! - [`kernels`]: kernel environments, through external kernels (export
//!   files) or through Lean (`run_elab addDecl` files and the pipeline).

pub mod kernels;
pub mod program;

use std::path::{Path, PathBuf};

use rand_xoshiro::Xoshiro256PlusPlus;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::harness::{interrupt, HarnessError, Report, Verdict};
use crate::triage::reduce::{Oracle, Reduced};
use crate::triage::rescue::rescue;
use crate::triage::workflow::{reduce_confirmed, reduced_meta, store_finding, Judge};
use crate::triage::{FindingMeta, Store};

/// One test's result, as the loop sees it.
#[derive(Debug, Clone)]
pub struct Tested {
    pub verdict: Verdict,
    pub signature: String,
    /// Whether the input came out as its generator meant it (`None`: the
    /// test says nothing about it, e.g. a stage died).
    pub valid: Option<bool>,
    /// Whether this test wrote a new finding file.
    pub stored: bool,
    /// The time the checked file's own stages took (build and judge, or
    /// each kernel once): what the same file costs run by hand, so the
    /// loop's overhead is the rest. Oracle re-checks (a cut export, a
    /// variant) are not in it.
    pub checked: std::time::Duration,
    /// The judges' outcomes as one key (e.g. "lake:pass comparator:fail"),
    /// for the verifier table; None when the target has no judges.
    pub verifiers: Option<String>,
    /// The finding file this test wrote (when `stored`), for the status
    /// screen's "last finding".
    pub finding: Option<PathBuf>,
}

/// The time of a report's own stages (not a variant's, named `k@relation`).
pub fn checked_time(report: &Report) -> std::time::Duration {
    report
        .stages
        .iter()
        .filter(|s| !s.name.contains('@'))
        .map(|s| s.duration)
        .sum()
}

/// Why a test gave no result.
#[derive(Debug)]
pub enum TestError {
    /// The user asked to stop.
    Interrupted,
    /// Our own failure this time (a tool missing, a full disk): counted,
    /// and fatal after a few in a row.
    Harness(String),
    /// A failure the campaign cannot go on after (the findings store).
    Fatal(String),
}

impl From<HarnessError> for TestError {
    fn from(e: HarnessError) -> Self {
        match e {
            HarnessError::Interrupted => TestError::Interrupted,
            e => TestError::Harness(e.to_string()),
        }
    }
}

/// A family of mutations of one input type: its kinds, and how to apply
/// one with a random source, a configuration and (for a splice) a donor.
pub trait MutationKind: Copy + PartialEq + std::fmt::Debug + 'static {
    type Input: Clone;
    type Config: Clone + std::fmt::Debug;
    /// Every kind.
    const ALL: &'static [Self];
    /// The kind that takes a part of another corpus entry.
    const SPLICE: Self;

    fn name(self) -> &'static str;

    /// Applies the mutation; false (and `input` unchanged) when it does
    /// not apply.
    fn apply(
        self,
        input: &mut Self::Input,
        rng: &mut Xoshiro256PlusPlus,
        cfg: &Self::Config,
        donor: Option<&Self::Input>,
    ) -> bool;
}

/// A fuzzing target.
pub trait Target: Clone + Sized + 'static {
    /// The name of this target's campaigns: every process of a campaign
    /// shares it, and never takes another target's verdicts for its own.
    const CAMPAIGN: &'static str;
    type Input: Clone + Serialize + DeserializeOwned + std::fmt::Debug + std::hash::Hash + PartialEq;
    type Mutation: MutationKind<Input = Self::Input>;

    /// A fresh input for `seed` (deterministic).
    fn generate(&self, seed: u64) -> Self::Input;

    /// The configuration its mutations take.
    fn mutation_config(&self) -> <Self::Mutation as MutationKind>::Config;

    /// The features of an input novelty is judged on, sorted and without
    /// repeats.
    fn features(input: &Self::Input) -> Vec<String>;

    /// A stable name of an input (a hash of its file's text): the same
    /// input found twice is kept once.
    fn input_name(input: &Self::Input) -> String;

    /// Tests one input, storing it when it is a finding.
    fn test(&mut self, input: &Self::Input) -> Result<Tested, TestError>;

    /// Reads a seed file into an input (for a target that has a file
    /// format for its inputs).
    fn read_seed(&self, path: &Path) -> anyhow::Result<Self::Input> {
        anyhow::bail!("{}: this target takes no seed files", path.display())
    }

    /// Where this target's per-test files go.
    fn work_root(&self) -> &Path;

    /// The same target for one fuzzing process: its name in finding
    /// metadata and its own work directory.
    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self;
}

/// Where a target's findings go: the store, and with `--auto-reduce` the
/// signatures this process has reduced a finding of.
#[derive(Debug, Clone)]
pub struct Findings {
    store: Store,
    auto_reduced: Option<std::collections::HashSet<String>>,
    /// The file the last `keep` wrote, until taken.
    last: Option<PathBuf>,
}

impl Findings {
    pub fn new(store: Store, auto_reduce: bool) -> Self {
        Findings {
            store,
            auto_reduced: auto_reduce.then(Default::default),
            last: None,
        }
    }

    /// The finding file written since the last call, if any.
    pub fn take_stored(&mut self) -> Option<PathBuf> {
        self.last.take()
    }

    /// Stores `text` (a finding of `report`) and, with `--auto-reduce`,
    /// reduces the first finding of each signature beside it (`judge`
    /// and `reduce` as [`auto_reduce`] takes them). Whether a new file
    /// was written.
    pub fn keep(
        &mut self,
        text: &str,
        report: &Report,
        meta: &FindingMeta,
        judge: &dyn Judge,
        reduce: &dyn Fn(&dyn Oracle) -> anyhow::Result<Reduced>,
    ) -> Result<bool, TestError> {
        let path =
            store_finding(&self.store, text, judge.extension(), report, meta).map_err(|e| {
                TestError::Fatal(rescue(
                    &self.store,
                    &e,
                    text,
                    judge.extension(),
                    report,
                    meta,
                ))
            })?;
        let Some(path) = path else {
            return Ok(false);
        };
        self.last = Some(path.clone());
        if self
            .auto_reduced
            .as_mut()
            .is_some_and(|done| done.insert(report.signature().to_string()))
        {
            auto_reduce(judge, &self.store, meta, report, &path, reduce)?;
        }
        Ok(true)
    }
}

/// `--auto-reduce` of the finding at `path`: shrunk with `reduce` while
/// `judge` gives it the same signature, confirmed by one more run, and
/// stored beside it. A failed or flaky reduction is reported and the
/// campaign goes on; an interrupt ends it as usual; a store that cannot be
/// written ends it.
fn auto_reduce(
    judge: &dyn Judge,
    store: &Store,
    meta: &FindingMeta,
    report: &Report,
    path: &Path,
    reduce: &dyn Fn(&dyn Oracle) -> anyhow::Result<Reduced>,
) -> Result<(), TestError> {
    let (reduced, last) = match reduce_confirmed(judge, report.signature(), reduce) {
        Ok(r) => r,
        Err(_) if interrupt::requested() => return Err(TestError::Interrupted),
        Err(e) => {
            eprintln!("auto-reduce of {}: {e}", path.display());
            return Ok(());
        }
    };
    let saved = store
        .save(
            &reduced.text,
            judge.extension(),
            &last,
            &reduced_meta(meta, path),
        )
        .map_err(|e| {
            let meta = reduced_meta(meta, path);
            TestError::Fatal(rescue(
                store,
                &e,
                &reduced.text,
                judge.extension(),
                &last,
                &meta,
            ))
        })?;
    if let Some(saved) = saved {
        println!(
            "[{}] reduced {} bytes -> {} bytes in {} tests: {}",
            meta.instance,
            std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            reduced.text.len(),
            reduced.tests + 1,
            saved.path.display()
        );
    }
    Ok(())
}
