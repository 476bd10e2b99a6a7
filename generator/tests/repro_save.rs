//! `main repro --save` and `--times N` through the stand-in toolchain: a
//! hand-written reproducer joins the findings store and its index, a flaky
//! finding says so in its metadata, a non-finding is not stored, and a file
//! a merge left unclassified is classified by it.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn json_at(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn saved_path(v: &Value) -> PathBuf {
    PathBuf::from(v["saved"].as_str().expect("a saved path"))
}

#[test]
fn a_reproducer_is_saved_once_and_joins_the_index() {
    let sb = Sandbox::new(true);
    let v = sb.repro(
        "-- standin-lean: signal SEGV\ntheorem t : True := trivial\n",
        &["--save"],
    );
    assert_eq!(v["verdict"], "crash");
    let lean = saved_path(&v);
    let solutions = sb.dir.path().join("solutions");
    assert!(
        lean.starts_with(solutions.join("crash")),
        "{}",
        lean.display()
    );
    let meta = json_at(&lean.with_extension("json"));
    assert_eq!(meta["origin"], "repro");
    assert_eq!(meta["repro"]["runs"], 1);
    assert_eq!(meta["repro"]["stable"], true);
    let index = json_at(&solutions.join("index.json"));
    assert_eq!(index["signatures"][0]["signature"], v["signature"]);
    assert_eq!(index["signatures"][0]["count"], 1);

    // Saving the same file again adds nothing.
    let again = sb.repro(
        "-- standin-lean: signal SEGV\ntheorem t : True := trivial\n",
        &["--save"],
    );
    assert_eq!(saved_path(&again), lean);
    assert_eq!(
        json_at(&solutions.join("index.json"))["signatures"][0]["count"],
        1
    );
}

#[test]
fn times_tells_a_flaky_finding_from_a_stable_one() {
    let sb = Sandbox::new(true);
    let counter = sb.dir.path().join("runs");
    let source = format!("-- standin-lean: flaky {}\n", counter.display());
    // The stand-in keeps its run count outside the workspace, which the
    // build sandbox would refuse.
    let v = sb.repro(&source, &["--times", "4", "--save", "--sandbox", "off"]);
    assert_eq!(v["runs"]["runs"], 4);
    assert_eq!(v["runs"]["stable"], false);
    let outcomes = v["runs"]["outcomes"].as_object().unwrap();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert!(outcomes.values().all(|n| n == 2), "{outcomes:?}");
    // The most severe outcome is the one reported and stored.
    assert_eq!(v["verdict"], "crash");
    let meta = json_at(&saved_path(&v).with_extension("json"));
    assert_eq!(meta["repro"]["stable"], false);

    let stable = sb.repro("-- standin-lean: signal SEGV\n", &["--times", "3"]);
    assert_eq!(stable["runs"]["stable"], true);
    assert!(stable.get("saved").is_none());

    // Human output says it too.
    std::fs::remove_file(&counter).unwrap();
    let file = sb.file("Flaky.lean", &source);
    let human = sb
        .main(&[
            "repro",
            file.to_str().unwrap(),
            "--times",
            "2",
            "--sandbox",
            "off",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("runs:       flaky"), "{text}");
}

#[test]
fn a_non_finding_is_not_saved() {
    let sb = Sandbox::new(true);
    let file = sb.file(
        "Fine.lean",
        "-- standin-lean: error unknown identifier 'x'\n",
    );
    let out = sb
        .main(&["repro", file.to_str().unwrap(), "--save"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("saved:      no (rejected is not a finding)"),
        "{text}"
    );
    assert!(!sb.dir.path().join("solutions").exists());
}

#[test]
fn repro_save_classifies_what_a_merge_left_unclassified() {
    let sb = Sandbox::new(true);
    let old = sb.dir.path().join("old/type2_both");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("attack.lean"), "-- standin-lean: signal SEGV\n").unwrap();
    let store = sb.dir.path().join("store");
    let merged = std::process::Command::new(env!("CARGO_BIN_EXE_main"))
        .arg("merge")
        .arg(old.parent().unwrap())
        .arg("--into")
        .arg(&store)
        .output()
        .unwrap();
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let unclassified: Vec<PathBuf> = std::fs::read_dir(store.join("unclassified"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lean"))
        .collect();
    assert_eq!(unclassified.len(), 1);
    let out = sb
        .main(&[
            "repro",
            unclassified[0].to_str().unwrap(),
            "--save",
            "--json",
            "--solutions",
            store.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!unclassified[0].exists(), "the unclassified copy is gone");
    let index = json_at(&store.join("index.json"));
    assert_eq!(index["signatures"].as_array().unwrap().len(), 1, "{index}");
    assert_eq!(
        index["unclassified"].as_array().unwrap().len(),
        0,
        "{index}"
    );
}
