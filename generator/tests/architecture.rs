//! The crate's layering, kept by the build: the models (`lean/`,
//! `kernel/`), the checkers (`harness/`), the oracles, the targets and
//! triage know nothing of LibAFL, so they can be used and tested on their
//! own; `fuzz/`, the LibAFL glue, knows nothing of Lean (it names targets,
//! never the models); and the library's doc lists every module.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    assert!(!out.is_empty(), "no sources below {}", dir.display());
    out
}

/// Lines of code (comments left out) that contain `needle`.
fn code_lines_with(text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| l.contains(needle))
        .map(String::from)
        .collect()
}

#[test]
fn models_checkers_oracles_targets_and_triage_know_nothing_of_libafl() {
    for module in [
        "lean", "kernel", "harness", "oracles", "targets", "triage", "report",
    ] {
        for (path, text) in sources(&src().join(module)) {
            for needle in ["libafl", "crate::fuzz", "crate::cli"] {
                let hits = code_lines_with(&text, needle);
                assert!(
                    hits.is_empty(),
                    "{} uses {needle}: {hits:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_libafl_glue_knows_nothing_of_lean() {
    for (path, text) in sources(&src().join("fuzz")) {
        for needle in ["crate::lean", "crate::kernel", "crate::oracles"] {
            // Tests inside a module may name the models they exercise.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let hits = code_lines_with(code, needle);
            assert!(
                hits.is_empty(),
                "{} uses {needle}: {hits:?}",
                path.display()
            );
        }
    }
}

#[test]
fn the_library_doc_names_every_module() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(modules.len() >= 8, "{modules:?}");
    for m in modules {
        assert!(
            lib.contains(&format!("[`{m}`]")),
            "lib.rs does not describe module {m}"
        );
    }
}
