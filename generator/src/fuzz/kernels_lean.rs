//! The kernel target through Lean: the same generated environments, but
//! rendered as a Lean file of `run_elab addDecl` commands (the
//! declarations after the prelude, over Lean's own) and run through the
//! isolated pipeline, so `lake build` tests them with Lean's builtin kernel
//! and comparator with its external kernels. Findings are `.lean` files.

use std::path::{Path, PathBuf};

use super::kernels::{features, KernelInput};
use super::mutators::{all_kernel, KernelMutators};
use super::program::{harness_error, pipeline_in, reduce_and_store};
use super::target::{store_finding, Target, TestError, Tested};
use crate::harness::{Pipeline, Verdict};
use crate::kernel::gen::KernelGenConfig;
use crate::kernel::lean_source;
use crate::triage::reduce::reduce_text;
use crate::triage::{FindingMeta, Store};
use std::collections::HashSet;

/// Kernel environments as Lean files through `lake build` and comparator.
#[derive(Clone)]
pub struct KernelLeanTarget {
    pipeline: Pipeline,
    store: Store,
    meta: FindingMeta,
    gen: KernelGenConfig,
    /// With `--auto-reduce`: the signatures this process has reduced a
    /// finding of.
    auto_reduce: Option<HashSet<String>>,
}

impl KernelLeanTarget {
    pub fn new(pipeline: Pipeline, store: Store, gen: KernelGenConfig, auto_reduce: bool) -> Self {
        KernelLeanTarget {
            pipeline,
            store,
            meta: FindingMeta {
                origin: "fuzz".into(),
                depth: Some(gen.depth),
                profile: Some("kernels-via-lean".into()),
                ..Default::default()
            },
            gen,
            auto_reduce: auto_reduce.then(HashSet::new),
        }
    }
}

impl Target for KernelLeanTarget {
    const CAMPAIGN: &'static str = "leanfuzz-kernels-via-lean";
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
        let text = lean_source::render(input.env.user_decls());
        let report = self.pipeline.run(&text).map_err(harness_error)?;
        let verdict = report.verdict();
        // As labelled: a well-formed environment builds, an ill-formed one
        // does not (Lean's kernel rejects its `addDecl`).
        let built = !report.signature().starts_with("build-error");
        let valid = match verdict {
            _ if !input.labelled => None,
            Verdict::Crash | Verdict::Timeout => None,
            _ => Some(built == input.env.ill_formed.is_empty()),
        };
        let mut stored = false;
        if let Some(path) = store_finding(&self.store, &text, &report, &self.meta)? {
            stored = true;
            // `--auto-reduce`: the file's lines (one declaration each),
            // then its tokens.
            if let Some(done) = &mut self.auto_reduce {
                if done.insert(report.signature().to_string()) {
                    reduce_and_store(
                        &self.pipeline,
                        &self.store,
                        &self.meta,
                        &report,
                        &path,
                        &|o| reduce_text(&text, o, 1, &|_| {}),
                    )?;
                }
            }
        }
        Ok(Tested {
            verdict,
            signature: report.signature().to_string(),
            valid,
            stored,
        })
    }

    fn work_root(&self) -> &Path {
        &self.pipeline.config().work_root
    }

    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self {
        let mut target = self.clone();
        target.pipeline = pipeline_in(&self.pipeline, work_root);
        target.meta.instance = instance.to_string();
        target
    }
}
