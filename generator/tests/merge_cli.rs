//! `main merge` and `scripts/merge_solutions.sh`: findings from several
//! stores become one, each file once; a truncated file is never taken for a
//! finding; merging twice is merging once; the old flat layout and files
//! without metadata are kept as unclassified; bad paths are one line.

mod common;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sha(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a finding the way the store does; returns its `.lean` path.
fn finding(store: &Path, verdict: &str, signature: &str, text: &str, found: u64) -> PathBuf {
    let sighash = &sha(signature)[..16];
    let dir = store.join(verdict).join(sighash);
    std::fs::create_dir_all(&dir).unwrap();
    let name = sha(text);
    let meta = json!({
        "verdict": verdict, "signature": signature, "signature_hash": sighash,
        "sha256": name, "bytes": text.len(), "found_unix_secs": found,
        "origin": "fuzz", "instance": "test",
    });
    std::fs::write(dir.join(format!("{name}.json")), meta.to_string()).unwrap();
    let lean = dir.join(format!("{name}.lean"));
    std::fs::write(&lean, text).unwrap();
    lean
}

fn merge(args: &[&Path], into: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_main"))
        .arg("merge")
        .args(args)
        .arg("--into")
        .arg(into)
        .output()
        .unwrap()
}

/// Every file under `root` with its content (what a merge produced).
fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn leans(root: &Path) -> Vec<String> {
    contents(root)
        .into_keys()
        .filter(|k| k.ends_with(".lean"))
        .collect()
}

fn index(root: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(root.join("index.json")).unwrap()).unwrap()
}

#[test]
fn two_instances_findings_merge_to_one_copy_each_with_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, dst) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("merged"),
    );
    let sig = "crash:lean:SIGSEGV";
    // The same crash found by both instances, plus one each.
    finding(&a, "crash", sig, "theorem t : 1 = 1 := rfl\n", 100);
    finding(&b, "crash", sig, "theorem t : 1 = 1 := rfl\n", 300);
    finding(
        &a,
        "crash",
        sig,
        "theorem longer_name : 2 = 2 := rfl\n",
        200,
    );
    finding(
        &b,
        "soundness",
        "soundness:judge-accepted",
        "theorem x : False := sorry\n",
        50,
    );
    let out = merge(&[&a, &b], &dst);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("merged 3 new file(s)"), "{stdout}");
    assert!(stdout.contains("1 already there"), "{stdout}");
    assert_eq!(leans(&dst).len(), 3, "{:?}", leans(&dst));

    let idx = index(&dst);
    let sigs = idx["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2, "{idx}");
    // Most severe first.
    assert_eq!(sigs[0]["verdict"], "soundness");
    let crash = &sigs[1];
    assert_eq!(crash["signature"], sig);
    assert_eq!(crash["count"], 2);
    assert_eq!(crash["first_seen_unix_secs"], 100);
    assert_eq!(crash["last_seen_unix_secs"], 200);
    let smallest = crash["smallest"].as_str().unwrap();
    assert!(
        smallest.ends_with(&format!("{}.lean", sha("theorem t : 1 = 1 := rfl\n"))),
        "{smallest}"
    );
    assert!(dst.join(smallest).is_file());
}

#[test]
fn merging_twice_is_merging_once_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (a, dst) = (dir.path().join("a"), dir.path().join("merged"));
    finding(
        &a,
        "timeout",
        "timeout:build:wall",
        "def f : Nat := 1\n",
        10,
    );
    finding(&a, "crash", "crash:lake:SIGABRT", "def g : Nat := 2\n", 11);
    assert!(merge(&[&a], &dst).status.success());
    let first = contents(&dst);
    let again = merge(&[&a], &dst);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("merged 0 new file(s)") && stdout.contains("2 already there"),
        "{stdout}"
    );
    assert_eq!(contents(&dst), first);

    // A merge cut short after the metadata (no .lean yet) is completed by
    // the next one, and a file already in place is never overwritten.
    let files = leans(&dst);
    let (cut_short, existing) = (dst.join(&files[0]), dst.join(&files[1]));
    std::fs::remove_file(&cut_short).unwrap();
    std::fs::write(&existing, "kept as it is").unwrap();
    assert!(merge(&[&a], &dst).status.success());
    assert_eq!(
        std::fs::read(&cut_short).unwrap(),
        first[&files[0]],
        "the cut-short merge was completed"
    );
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "kept as it is");
}

#[test]
fn a_truncated_or_temporary_file_is_never_taken_for_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let (a, dst) = (dir.path().join("a"), dir.path().join("merged"));
    let good = finding(
        &a,
        "crash",
        "crash:lean:SIGSEGV",
        "theorem ok : True := trivial\n",
        1,
    );
    // A copy cut short: the name no longer matches the content.
    let cut = finding(
        &a,
        "crash",
        "crash:lean:SIGSEGV",
        "theorem cut : True := trivial\n",
        2,
    );
    std::fs::write(&cut, "theorem cut : Tr").unwrap();
    // A store writer killed mid-write leaves only its hidden temporary.
    std::fs::write(good.parent().unwrap().join(".tmp-AbC123"), "theorem half").unwrap();
    let out = merge(&[&a], &dst);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("not to its name"), "{stderr}");
    assert!(
        stderr.contains(cut.file_name().unwrap().to_str().unwrap()),
        "{stderr}"
    );
    assert_eq!(leans(&dst).len(), 1, "{:?}", leans(&dst));
    assert!(leans(&dst)[0].ends_with(good.file_name().unwrap().to_str().unwrap()));
}

#[test]
fn old_layout_and_files_without_metadata_are_kept_unclassified() {
    let dir = tempfile::tempdir().unwrap();
    let (old, a, dst) = (
        dir.path().join("old"),
        dir.path().join("a"),
        dir.path().join("merged"),
    );
    for (sub, text) in [
        ("type1_lake_only", "-- one\n"),
        ("type2_both", "-- two\n"),
        ("type3_comparator_only", "-- three\n"),
    ] {
        std::fs::create_dir_all(old.join(sub)).unwrap();
        std::fs::write(old.join(sub).join("attack_0001.lean"), text).unwrap();
    }
    // A hand-made finding dropped into our layout without its metadata.
    let orphan = finding(&a, "crash", "crash:lean:SIGSEGV", "-- by hand\n", 5);
    std::fs::remove_file(orphan.with_extension("json")).unwrap();
    let out = merge(&[&old, &a], &dst);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let idx = index(&dst);
    let unclassified = idx["unclassified"].as_array().unwrap();
    assert_eq!(unclassified.len(), 4, "{idx}");
    let origins: Vec<&str> = unclassified
        .iter()
        .map(|u| u["origin"].as_str().unwrap())
        .collect();
    for o in [
        "legacy:type1_lake_only",
        "legacy:type2_both",
        "legacy:type3_comparator_only",
        "no-metadata",
    ] {
        assert!(origins.contains(&o), "{origins:?}");
    }
    // Merging the merged store elsewhere keeps them, with their origins.
    let further = dir.path().join("further");
    assert!(merge(&[&dst], &further).status.success());
    assert_eq!(index(&further)["unclassified"], idx["unclassified"]);
}

#[test]
fn bad_paths_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    std::fs::create_dir(&a).unwrap();
    let file = dir.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let cases: Vec<(Vec<PathBuf>, PathBuf, &str)> = vec![
        (
            vec![dir.path().join("missing")],
            dir.path().join("d"),
            "does not exist",
        ),
        (
            vec![file.clone()],
            dir.path().join("d"),
            "is not a directory",
        ),
        (vec![a.clone()], a.join("inside"), "is inside source"),
        (
            vec![a.clone()],
            dir.path().to_path_buf(),
            "is inside destination",
        ),
        (vec![a.clone()], a.clone(), "is inside source"),
        (vec![a.clone()], file.clone(), "is not a directory"),
    ];
    for (srcs, into, expected) in cases {
        let refs: Vec<&Path> = srcs.iter().map(PathBuf::as_path).collect();
        let out = merge(&refs, &into);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{srcs:?} -> {into:?} succeeded");
        assert!(err.contains(expected), "{srcs:?} -> {into:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/merge_solutions.sh")
}

#[test]
fn the_merge_script_merges_once_or_periodically_and_explains_its_usage() {
    let dir = tempfile::tempdir().unwrap();
    let (a, dst) = (dir.path().join("a"), dir.path().join("merged"));
    finding(&a, "crash", "crash:lean:SIGSEGV", "-- x\n", 1);
    let out = Command::new(script())
        .arg(&a)
        .arg("--into")
        .arg(&dst)
        .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(leans(&dst).len(), 1);

    // Periodic: a finding that appears later is merged by a later round.
    let mut child = Command::new(script())
        .args(["--every", "0.3"])
        .arg(&a)
        .arg("--into")
        .arg(&dst)
        .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    finding(&a, "timeout", "timeout:build:wall", "-- later\n", 2);
    let start = std::time::Instant::now();
    while leans(&dst).len() < 2 {
        assert!(
            start.elapsed().as_secs() < 20,
            "the later finding was not merged"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));

    for args in [
        vec![],
        vec!["--into"],
        vec!["a"],
        vec!["--every", "x", "a", "--into", "b"],
        vec!["--bogus"],
    ] {
        let out = Command::new(script())
            .args(&args)
            .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("usage: scripts/merge_solutions.sh"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn merging_keeps_the_cap_per_signature_and_carries_the_dropped_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, dst) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("merged"),
    );
    let sig = "crash:lean:SIGSEGV";
    // Found first (oldest), and the largest: it stays anyway.
    let first = finding(
        &a,
        "crash",
        sig,
        &format!("-- first {}\n", "x".repeat(90)),
        10,
    );
    for i in 0..4 {
        finding(
            &a,
            "crash",
            sig,
            &format!("-- a{i} {}\n", "y".repeat(20 + i)),
            100 + i as u64,
        );
        finding(
            &b,
            "crash",
            sig,
            &format!("-- b{i} {}\n", "z".repeat(40 + i)),
            200 + i as u64,
        );
    }
    let smallest = finding(&b, "crash", sig, "-- s\n", 300);
    // Store a had already dropped 5 of this signature.
    let sigdir = first.parent().unwrap();
    std::fs::write(
        sigdir.join(".dropped.json"),
        r#"{"by_store":{"store-a":5},"last_seen_unix_secs":400}"#,
    )
    .unwrap();

    let keep = |srcs: &[&Path]| {
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .arg("merge")
            .args(srcs)
            .args(["--keep-per-signature", "4", "--into"])
            .arg(&dst)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let said = keep(&[&a, &b]);
    assert!(
        said.contains("6 over the cap per signature removed"),
        "{said}"
    );
    let kept = leans(&dst);
    assert_eq!(kept.len(), 4, "{kept:?}");
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        kept.iter().any(|k| k.ends_with(&name(&first))),
        "first found dropped"
    );
    assert!(
        kept.iter().any(|k| k.ends_with(&name(&smallest))),
        "smallest dropped"
    );
    let entry = &index(&dst)["signatures"][0];
    assert_eq!(entry["count"], 4);
    // 6 pruned here + 5 store a had dropped.
    assert_eq!(entry["dropped"], 11, "{entry}");
    assert!(entry["last_seen_unix_secs"].as_u64().unwrap() >= 400);

    // Merging a again neither takes the pruned files back nor counts
    // anything twice.
    let before = contents(&dst);
    let said = keep(&[&a]);
    assert!(said.contains("merged 0 new file(s)"), "{said}");
    assert_eq!(leans(&dst), kept);
    assert_eq!(index(&dst)["signatures"][0]["dropped"], 11);
    assert_eq!(contents(&dst).len(), before.len());

    // Periodic merges both ways (PARALLEL.md's script on two machines):
    // the counts travel and never grow.
    for _ in 0..3 {
        for (from, into) in [(&dst, &a), (&a, &dst)] {
            let out = Command::new(env!("CARGO_BIN_EXE_main"))
                .arg("merge")
                .arg(from)
                .args(["--keep-per-signature", "4", "--into"])
                .arg(into)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert_eq!(index(&dst)["signatures"][0]["dropped"], 11);
    assert_eq!(index(&a)["signatures"][0]["dropped"], 11);
}
