//! What the fuzz loop needs from a target: its input type, how to make and
//! mutate inputs, and how to test one. The loop (client, executor, LLMP
//! wiring) is written once over this trait; Lean programs through the
//! pipeline, kernel environments through external kernels, and kernel
//! environments through the pipeline are its implementations.

use std::path::{Path, PathBuf};

use libafl::inputs::Input;
use libafl::mutators::MutatorsTuple;
use libafl_bolts::tuples::NamedTuple;

use super::client::FuzzState;
use crate::harness::Verdict;
use crate::triage::{FindingMeta, FindingReport, Store};

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

/// A fuzzing target.
pub trait Target: Clone + Sized + 'static {
    /// The LLMP configuration name of this target's campaigns: every
    /// client and broker of a campaign shares it, so a client judges a
    /// testcase from another by the sender's observers instead of running
    /// it, and never takes another target's verdicts for its own.
    const CAMPAIGN: &'static str;
    type Input: Input;
    type Mutators: MutatorsTuple<Self::Input, FuzzState<Self::Input>> + NamedTuple;

    /// A fresh input for `seed` (deterministic).
    fn generate(&self, seed: u64) -> Self::Input;

    /// The mutators LibAFL's havoc scheduler picks among.
    fn mutators(&self) -> Self::Mutators;

    /// The features of an input novelty is judged on (construct
    /// families), sorted and without repeats.
    fn features(input: &Self::Input) -> Vec<String>;

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

/// Stores a finding; when its file is new, says so on stdout
/// (`[instance] verdict: signature -> path`) and returns the path.
pub fn store_finding<R: FindingReport>(
    store: &Store,
    text: &str,
    report: &R,
    meta: &FindingMeta,
) -> Result<Option<PathBuf>, TestError> {
    match store.save(text, report, meta) {
        Ok(Some(saved)) if saved.new => {
            println!(
                "[{}] {}: {} -> {}",
                meta.instance,
                report.verdict(),
                report.signature(),
                saved.path.display()
            );
            Ok(Some(saved.path))
        }
        Ok(_) => Ok(None),
        Err(e) => Err(TestError::Fatal(format!("findings store: {e}"))),
    }
}

/// The metadata of a reduction of the finding at `from`.
pub fn reduced_meta(meta: &FindingMeta, from: &Path) -> FindingMeta {
    FindingMeta {
        origin: "reduce".into(),
        reduced_from: Some(from.display().to_string()),
        ..meta.clone()
    }
}
