//! Every error a user can cause is one line naming the path or value, with a
//! non-zero exit code: never a panic or a backtrace.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::process::Output;

/// Asserts a one-line error on stderr that mentions `needle`.
fn one_line_error(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "expected failure, got success: {err}"
    );
    assert!(!err.contains("panicked"), "panic: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "not one line: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[0].contains(needle), "{needle:?} not in: {err}");
}

fn repro_with(sb: &Sandbox, file: &str, extra: &[&str]) -> Output {
    let mut args = vec!["repro", file];
    args.extend_from_slice(extra);
    sb.main(&args).output().unwrap()
}

#[test]
fn missing_template_dir() {
    let sb = Sandbox::new(false);
    let f = sb.file("A.lean", "-- x\n");
    let out = repro_with(
        &sb,
        f.to_str().unwrap(),
        &["--template", "/nonexistent/tpl"],
    );
    one_line_error(&out, "/nonexistent/tpl");
}

#[test]
fn template_without_lakefile() {
    let sb = Sandbox::new(false);
    std::fs::remove_file(sb.template.join("lakefile.toml")).unwrap();
    let f = sb.file("A.lean", "-- x\n");
    let out = repro_with(&sb, f.to_str().unwrap(), &[]);
    one_line_error(&out, "no lakefile");
}

#[test]
fn malformed_comparator_config() {
    let sb = Sandbox::new(false);
    let cfg = sb.template.join("config.json");
    let f = sb.file("A.lean", "-- x\n");
    std::fs::write(&cfg, "{ \"challenge_module\": ").unwrap();
    one_line_error(
        &repro_with(&sb, f.to_str().unwrap(), &[]),
        "config.json is malformed",
    );
    std::fs::write(
        &cfg,
        r#"{"challenge_module":"Challenge","solution_module":"Solution","theorem_names":[],"permitted_axioms":[]}"#,
    )
    .unwrap();
    one_line_error(
        &repro_with(&sb, f.to_str().unwrap(), &[]),
        "theorem_names is empty",
    );
    std::fs::remove_file(&cfg).unwrap();
    one_line_error(&repro_with(&sb, f.to_str().unwrap(), &[]), "config.json");
}

#[test]
fn unreadable_and_non_utf8_files() {
    let sb = Sandbox::new(false);
    one_line_error(
        &repro_with(&sb, "/nonexistent/X.lean", &[]),
        "/nonexistent/X.lean",
    );
    let bad = sb.dir.path().join("Bad.lean");
    std::fs::write(&bad, b"theorem x : True := \xff\xfe trivial\n").unwrap();
    let out = repro_with(&sb, bad.to_str().unwrap(), &[]);
    one_line_error(&out, "is not UTF-8 (invalid byte at offset 20)");
    let dir = sb.dir.path().join("Dir.lean");
    std::fs::create_dir(&dir).unwrap();
    one_line_error(&repro_with(&sb, dir.to_str().unwrap(), &[]), "Dir.lean");
}

#[test]
fn unusable_work_dir() {
    let sb = Sandbox::new(false);
    let f = sb.file("A.lean", "-- x\n");
    // A missing work dir is created; one that cannot be is one line.
    let blocker = sb.file("plain-file", "x");
    let bad = blocker.join("work");
    let out = repro_with(
        &sb,
        f.to_str().unwrap(),
        &["--work-dir", bad.to_str().unwrap()],
    );
    one_line_error(&out, &format!("cannot create work dir {}", bad.display()));
    let fresh = sb.dir.path().join("new/work");
    let out = repro_with(
        &sb,
        f.to_str().unwrap(),
        &["--work-dir", fresh.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(&fresh).unwrap().count(), 0, "left behind");
    // /proc refuses new directories even to root.
    let out = repro_with(
        &sb,
        f.to_str().unwrap(),
        &["--work-dir", "/proc", "--isolation", "copy"],
    );
    one_line_error(&out, "work dir /proc");
}

#[test]
fn comparator_not_executable_or_missing() {
    let sb = Sandbox::new(false);
    let f = sb.file("A.lean", "-- x\n");
    let plain = sb.file("comparator", "#!/bin/sh\n");
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = repro_with(
        &sb,
        f.to_str().unwrap(),
        &["--comparator", plain.to_str().unwrap()],
    );
    one_line_error(&out, "is not an executable file");
    let out = sb
        .main(&["repro", f.to_str().unwrap()])
        .env("COMPARATOR_LANDRUN", "/nonexistent/landrun")
        .output()
        .unwrap();
    one_line_error(&out, "COMPARATOR_LANDRUN");
}

#[test]
fn lake_missing_from_path() {
    let sb = Sandbox::new(false);
    let f = sb.file("A.lean", "-- x\n");
    let empty = tempfile::tempdir().unwrap();
    let out = sb
        .main(&["repro", f.to_str().unwrap()])
        .env("PATH", empty.path())
        .output()
        .unwrap();
    one_line_error(&out, "lake not found");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("elan"), "{err}");
}

#[test]
fn bad_flag_values_are_refused_by_the_parser() {
    let sb = Sandbox::new(false);
    let f = sb.file("A.lean", "-- x\n");
    for (flag, value) in [
        ("--timeout", "-1"),
        ("--mem-limit", "lots"),
        ("--isolation", "magic"),
    ] {
        let out = repro_with(&sb, f.to_str().unwrap(), &[flag, value]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(value), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A full disk while writing a workspace: a 1 MiB tmpfs as the work dir
/// and a solution larger than that. Needs the right to mount (root).
#[test]
fn disk_full_while_writing_a_workspace() {
    let sb = Sandbox::new(false);
    let small = sb.dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        say_skipped(
            "disk_full_while_writing_a_workspace",
            "cannot mount a small tmpfs (needs root)",
        );
        return;
    }
    let big = sb.file("Big.lean", &"-- padding\n".repeat(200_000));
    let out = repro_with(
        &sb,
        big.to_str().unwrap(),
        &["--work-dir", small.to_str().unwrap(), "--isolation", "copy"],
    );
    let leftovers = std::fs::read_dir(&small).unwrap().count();
    let _ = std::process::Command::new("umount").arg(&small).status();
    one_line_error(&out, "Solution.lean");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(leftovers, 0, "the failed workspace was left behind");
}
