//! Shared by the integration tests: a private copy of the repository's
//! template built with the stand-in toolchain, and a way to run `main` with
//! the stand-ins selected through PATH and `--comparator`, as a user would
//! select the real tools.
#![allow(dead_code)]

pub mod kernel_campaign;

use generator::harness::workspace::copy_tree;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

pub fn standin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standin")
}

pub fn repo_template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../template")
}

pub fn standin_comparator() -> PathBuf {
    standin_dir().join("comparator")
}

/// PATH with the stand-in toolchain first.
pub fn standin_path() -> String {
    format!(
        "{}:{}",
        standin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A scratch area with a template copy, a work dir and a solutions dir.
pub struct Sandbox {
    pub dir: TempDir,
    pub template: PathBuf,
    pub work: PathBuf,
}

impl Sandbox {
    /// A template copy; `built` runs `main doctor --build` on it first.
    pub fn new(built: bool) -> Self {
        Self::new_in(&std::env::temp_dir(), built)
    }

    /// [`Sandbox::new`] in a scratch dir under `parent` (a stage's /tmp is
    /// private: what must be seen as the host's file system goes elsewhere).
    pub fn new_in(parent: &Path, built: bool) -> Self {
        let dir = tempfile::tempdir_in(parent).unwrap();
        let template = dir.path().join("template");
        copy_tree(&repo_template(), &template, &[".lake"]).unwrap();
        let work = dir.path().join("work");
        std::fs::create_dir(&work).unwrap();
        let sb = Sandbox {
            dir,
            template,
            work,
        };
        if built {
            let out = sb.main(&["doctor", "--build"]).output().unwrap();
            assert!(
                sb.template
                    .join(".lake/build/lib/lean/Challenge.olean")
                    .is_file(),
                "doctor --build did not build the template: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        sb
    }

    /// `main ARGS... --template T --work-dir W --comparator STANDIN` with the
    /// stand-ins first on PATH; a flag given in ARGS replaces its default.
    pub fn main(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_main"));
        // Never the checkout: anything relative lands in the sandbox.
        c.args(args).current_dir(self.dir.path());
        let defaults = [
            ("--template", self.template.clone()),
            ("--work-dir", self.work.clone()),
            ("--comparator", standin_comparator()),
        ];
        for (flag, value) in defaults {
            if !args.contains(&flag) {
                c.arg(flag).arg(value);
            }
        }
        c.env("PATH", standin_path())
            .env("COMPARATOR_LANDRUN", "/bin/true")
            .env("COMPARATOR_LEAN4EXPORT", "/bin/true")
            .env("COMPARATOR_NANODA", standin_dir().join("nanoda"));
        c
    }

    /// Writes `source` to a file in the sandbox and returns its path.
    pub fn file(&self, name: &str, source: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, source).unwrap();
        p
    }

    /// `main repro --json` on `source` with extra flags; the parsed report.
    pub fn repro(&self, source: &str, extra: &[&str]) -> Value {
        let out = self.repro_output(source, extra);
        assert!(
            out.status.success(),
            "repro failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "repro printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    pub fn repro_output(&self, source: &str, extra: &[&str]) -> Output {
        let file = self.file("Test.lean", source);
        let mut args = vec!["repro", file.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        self.main(&args).output().unwrap()
    }

    /// Entries left in the work dir (workspaces must all be removed).
    pub fn work_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(&self.work)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

/// Every entry under `root`: kind, mode, size, mtime and content hash.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut map = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let rel = p.strip_prefix(root).unwrap().to_path_buf();
        let desc = if meta.file_type().is_symlink() {
            format!("link -> {}", std::fs::read_link(&p).unwrap().display())
        } else if meta.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            format!("dir {:o}", meta.permissions().mode())
        } else {
            let bytes = std::fs::read(&p).unwrap();
            format!(
                "file {:o} {} {}.{} {:x}",
                meta.permissions().mode(),
                meta.len(),
                meta.mtime(),
                meta.mtime_nsec(),
                Sha256::digest(&bytes)
            )
        };
        map.insert(rel, desc);
    }
    map
}

/// Whether process `pid` is gone (or a zombie waiting for its reaper).
pub fn process_gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .map(|(_, rest)| rest.starts_with('Z') || rest.starts_with('X'))
            .unwrap_or(true),
    }
}

/// The pids a hanging stand-in wrote to `dir`.
pub fn hang_pids(dir: &Path, tag: &str) -> Vec<i32> {
    [format!("{tag}.pid"), format!("{tag}-child.pid")]
        .iter()
        .map(|f| {
            std::fs::read_to_string(dir.join(f))
                .unwrap_or_else(|e| panic!("{f} not written: {e}"))
                .trim()
                .parse()
                .unwrap()
        })
        .collect()
}

/// Says that a test was skipped, on the real stderr: libtest captures
/// `eprintln!` of passing tests, and a skip must be seen.
pub fn say_skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// The files below `dir` (at any depth) with extension `ext`; none when
/// `dir` does not exist.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out
}

/// The variable that marks every process of one run (`main` and all it
/// starts inherit it), so a test can find them in /proc.
pub const RUN_MARKER: &str = "LEANFUZZ_TEST_RUN";

/// A marker value no other run shares.
pub fn run_marker(test: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{test}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Live processes (not zombies) whose environment holds `RUN_MARKER=marker`,
/// with their command names.
pub fn marked_processes(marker: &str) -> Vec<(i32, String)> {
    let needle = format!("{RUN_MARKER}={marker}");
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|v| v == needle.as_bytes()) && !process_gone(pid) {
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            found.push((pid, comm.trim().to_string()));
        }
    }
    found
}

/// Waits up to `secs` for every process of the run to be gone; returns the
/// survivors.
pub fn wait_run_gone(marker: &str, secs: u64) -> Vec<(i32, String)> {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let left = marked_processes(marker);
        if left.is_empty() || std::time::Instant::now() >= end {
            return left;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Waits up to `secs` for a process of the run named `comm`; its pid.
pub fn wait_marked(marker: &str, comm: &str, secs: u64) -> Option<i32> {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        if let Some((pid, _)) = marked_processes(marker)
            .into_iter()
            .find(|(_, c)| c == comm)
        {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}

/// Moves every file under `root` an hour into the past: the next start
/// sees them as left by writers long gone, not by living ones.
pub fn age_all(root: &Path) {
    for p in walk(root) {
        if p.is_file() {
            age(&p);
        }
    }
}

/// Sets a file's modification time an hour back (a writer long gone).
pub fn age(path: &Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_times(
            std::fs::FileTimes::new()
                .set_modified(old)
                .set_accessed(old),
        )
        .unwrap();
}

/// Checks the store: no temporary file, every finding named by its content
/// with its record beside it, every record with its finding.
pub fn store_is_whole(solutions: &Path) {
    for ext in ["lean", "json"] {
        for f in files_with_ext(solutions, ext) {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.starts_with(".tmp-"), "left: {}", f.display());
            if f.parent() == Some(solutions) || name == ".dropped.json" {
                continue; // the index, a signature's count of findings not kept
            }
            if ext == "lean" {
                let text = std::fs::read_to_string(&f).unwrap();
                assert_eq!(
                    f.file_stem().unwrap().to_string_lossy(),
                    generator::triage::store::content_hash(&text),
                    "cut short: {}",
                    f.display()
                );
                assert!(
                    f.with_extension("json").is_file(),
                    "no record: {}",
                    f.display()
                );
            } else {
                assert!(
                    f.with_extension("lean").is_file(),
                    "lone record: {}",
                    f.display()
                );
            }
        }
    }
    let tmp: Vec<_> = walk(solutions)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".tmp-")
        })
        .collect();
    assert!(tmp.is_empty(), "temporary files left: {tmp:?}");
}

pub fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}
