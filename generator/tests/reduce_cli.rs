//! `main reduce` through the stand-in toolchain: a padded crashing file
//! shrinks to its trigger line with the same signature; a stored finding's
//! reduction joins its signature folder and becomes the index's smallest;
//! a file that is not a finding is one clear error.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn padded(trigger: &str) -> String {
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&format!("def pad{i} : Nat := {i}\n"));
        if i == 17 {
            text.push_str(trigger);
            text.push('\n');
        }
    }
    text
}

fn json_at(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `main reduce FILE` with the stand-in crashing on `trigger`; its stdout.
fn reduce_ok(sb: &Sandbox, file: &Path, trigger: &str) -> String {
    let out = sb
        .main(&["reduce", file.to_str().unwrap()])
        .env("STANDIN_LEAN_CRASH_ON", trigger)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The `.lean` files of a directory.
fn lean_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lean"))
        .collect()
}

#[test]
fn a_padded_crashing_file_shrinks_to_its_trigger_line() {
    let sb = Sandbox::new(true);
    let text = padded("-- standin-lean: signal SEGV");
    let file = sb.file("Padded.lean", &text);
    let out = sb
        .main(&["reduce", file.to_str().unwrap(), "--jobs", "2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reduced = sb.dir.path().join("Padded.reduced.lean");
    assert_eq!(
        std::fs::read_to_string(&reduced).unwrap(),
        "-- standin-lean: signal SEGV\n"
    );
    let meta = json_at(&reduced.with_extension("json"));
    let original = sb.repro(&text, &[]);
    assert_eq!(meta["signature"], original["signature"]);
    assert!(
        stdout.contains(&format!("{} -> 29 bytes", text.len())),
        "{stdout}"
    );
    assert!(stdout.contains("x smaller"), "{stdout}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn tokens_go_too_and_a_stored_finding_gets_a_smaller_sibling() {
    let sb = Sandbox::new(true);
    // A bug triggered by one word anywhere in the file.
    let text = padded("theorem bug : True := by exact standinTrigger");
    let saved = sb
        .main(&[
            "repro",
            sb.file("Bug.lean", &text).to_str().unwrap(),
            "--save",
            "--json",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "standinTrigger")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&saved.stdout).unwrap();
    let stored = std::path::PathBuf::from(v["saved"].as_str().unwrap());
    reduce_ok(&sb, &stored, "standinTrigger");
    let siblings: Vec<_> = lean_files(stored.parent().unwrap())
        .into_iter()
        .filter(|p| *p != stored)
        .collect();
    assert_eq!(siblings.len(), 1, "{siblings:?}");
    assert_eq!(
        std::fs::read_to_string(&siblings[0]).unwrap().trim(),
        "standinTrigger"
    );
    let meta = json_at(&siblings[0].with_extension("json"));
    assert_eq!(meta["origin"], "reduce");
    assert_eq!(meta["reduced_from"], stored.display().to_string());
    let index = json_at(&sb.dir.path().join("solutions/index.json"));
    let smallest = index["signatures"][0]["smallest"].as_str().unwrap();
    assert!(siblings[0].ends_with(smallest), "{smallest}");
}

#[test]
fn a_file_that_is_not_a_finding_is_one_clear_error() {
    let sb = Sandbox::new(true);
    let file = sb.file("Fine.lean", "theorem ok : True := trivial\n");
    let out = sb
        .main(&["reduce", file.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("is not a finding"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn a_generated_finding_is_reduced_as_a_tree_first() {
    let sb = Sandbox::new(true);
    // The fuzz loop stores a crash triggered by a construct, with its tree.
    let fuzz = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "4",
            "--depth",
            "6",
            "--seed",
            "5",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "def ")
        .output()
        .unwrap();
    assert!(
        fuzz.status.success(),
        "{}",
        String::from_utf8_lossy(&fuzz.stderr)
    );
    let crash_dir = sb.dir.path().join("solutions/crash");
    let sigdir = std::fs::read_dir(&crash_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let stored = lean_files(&sigdir).remove(0);
    assert!(json_at(&stored.with_extension("json"))["program"].is_object());
    let before = std::fs::read_to_string(&stored).unwrap().len();

    let stdout = reduce_ok(&sb, &stored, "def ");
    assert!(stdout.contains("(tree, then text)"), "{stdout}");
    let reduced = lean_files(&sigdir)
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .min_by_key(String::len)
        .unwrap();
    assert!(reduced.contains("def "), "{reduced}");
    assert!(
        before >= 10 * reduced.len(),
        "{before} -> {}: {reduced}",
        reduced.len()
    );
}
