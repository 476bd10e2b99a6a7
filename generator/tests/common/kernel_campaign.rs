//! A kernel campaign's scratch area for the integration tests: stand-in
//! kernels `nanoda` and `other` (links to the stand-in fixture), the
//! campaign's directories, and `main` run as a user runs it.
#![allow(dead_code)]

use super::standin_dir;
use generator::kernel::ndjson::read;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch area: kernels `nanoda` and `other` (the stand-in), and the
/// campaign's directories.
pub struct Campaign {
    pub dir: tempfile::TempDir,
}

/// nanoda rejects every environment holding an ill-formed declaration
/// (their names start with `bad`); `other` accepts everything.
pub const NANODA_REJECTS_BAD: (&str, &str) = ("STANDIN_KERNEL_NANODA_REJECT_IF", "\"str\":\"bad");

impl Campaign {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for k in ["nanoda", "other"] {
            std::os::unix::fs::symlink(standin_dir().join("kernel"), dir.path().join(k)).unwrap();
        }
        std::fs::create_dir(dir.path().join("work")).unwrap();
        Campaign { dir }
    }

    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    pub fn kernel(&self, name: &str) -> String {
        format!("{name}={}", self.path(name).display())
    }

    pub fn main(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_main"));
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    /// A simple-mode campaign of `tests` tests with kernels `nanoda` and
    /// `other`.
    pub fn fuzz(&self, tests: u32, extra: &[&str], env: &[(&str, &str)]) -> Output {
        self.fuzz_with(&["nanoda", "other"], tests, extra, env)
    }

    /// A simple-mode campaign of `tests` tests with the named kernels.
    pub fn fuzz_with(
        &self,
        kernels: &[&str],
        tests: u32,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Output {
        let (sol, corpus, work) = (
            self.path("solutions"),
            self.path("corpus"),
            self.path("work"),
        );
        let specs: Vec<String> = kernels.iter().map(|k| self.kernel(k)).collect();
        let tests = tests.to_string();
        let mut args = vec!["--target", "kernels", "--mode", "simple"];
        for k in &specs {
            args.extend(["--kernel", k.as_str()]);
        }
        args.extend([
            "--max-tests",
            &tests,
            "--solutions",
            sol.to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
        ]);
        if !extra.contains(&"--ill-formed-rate") {
            args.extend(["--ill-formed-rate", "0.5"]);
        }
        args.extend_from_slice(extra);
        self.main(&args, env)
    }

    /// The stored findings of `verdict`: (export file, metadata).
    pub fn findings(&self, verdict: &str) -> Vec<(PathBuf, Value)> {
        let mut out = Vec::new();
        let Ok(sigdirs) = std::fs::read_dir(self.path("solutions").join(verdict)) else {
            return out;
        };
        for sigdir in sigdirs.flatten() {
            for f in std::fs::read_dir(sigdir.path()).unwrap().flatten() {
                let p = f.path();
                if p.extension().is_some_and(|e| e == "ndjson") {
                    let meta =
                        serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap())
                            .unwrap();
                    out.push((p, meta));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    pub fn work_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.path("work"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

pub fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn declarations(file: &Path) -> usize {
    read(&std::fs::read_to_string(file).unwrap())
        .unwrap()
        .1
        .len()
}
