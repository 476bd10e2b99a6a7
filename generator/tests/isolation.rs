//! No test can change the pristine template: a stand-in `lake` rewrites,
//! appends to, truncates, chmods and deletes every file it can reach under
//! the workspace's `.lake`, and afterwards the template is byte-identical
//! (contents, modes, mtimes, links) and the next test still finds the
//! challenge built.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;

/// A built template with more inside `.lake` than the challenge: a nested
/// package, a read-only file and a symlink.
fn rich_template() -> Sandbox {
    let sb = Sandbox::new(true);
    let lake = sb.template.join(".lake");
    let pkg = lake.join("packages/dep/.lake/build/lib/lean");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("Dep.olean"), vec![7u8; 100_000]).unwrap();
    let ro = lake.join("build/lib/lean/ReadOnly.olean");
    std::fs::write(&ro, b"read only").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::os::unix::fs::symlink("build/lib/lean/Challenge.olean", lake.join("link.olean")).unwrap();
    sb
}

fn trash_leaves_template_intact(isolation: &str) {
    let sb = rich_template();
    let before = snapshot(&sb.template);
    let out = sb.repro_output(
        "-- standin-lake: trash-lake\n-- standin-comparator: accept\n",
        &["--isolation", isolation],
    );
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if isolation == "overlay" && err.contains("isolation overlay is not available") {
            say_skipped(
                "trash under overlay",
                &format!("overlay is not available here: {err}"),
            );
            return;
        }
        panic!("repro failed: {err}");
    }
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["isolation"], isolation);
    // The trashing really happened inside the workspace: the build had to
    // rebuild the challenge it had just deleted.
    let build_out = r["stages"][0]["stdout"].as_str().unwrap();
    assert!(build_out.contains("rebuilding"), "{build_out}");
    assert_eq!(r["verdict"], "soundness", "{r:#}");

    let after = snapshot(&sb.template);
    assert_eq!(
        before, after,
        "the template changed under --isolation {isolation}"
    );

    // The next test still sees the pristine build.
    let r = sb.repro(
        "-- standin-comparator: accept\n",
        &["--isolation", isolation],
    );
    let build_out = r["stages"][0]["stdout"].as_str().unwrap();
    assert!(!build_out.contains("rebuilding"), "{build_out}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn trashing_lake_under_overlay_leaves_the_template_intact() {
    trash_leaves_template_intact("overlay");
}

#[test]
fn trashing_lake_under_copy_leaves_the_template_intact() {
    trash_leaves_template_intact("copy");
}

#[test]
fn auto_picks_a_mode_and_says_which() {
    let sb = Sandbox::new(true);
    let r = sb.repro("-- standin-comparator: accept\n", &[]);
    let mode = r["isolation"].as_str().unwrap();
    assert!(mode == "overlay" || mode == "copy", "{mode}");
}

#[test]
fn unbuilt_template_still_works_and_stays_unbuilt() {
    let sb = Sandbox::new(false);
    let out = sb.repro_output("-- standin-comparator: accept\n", &[]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no .lake"), "{err}");
    assert!(!sb.template.join(".lake").exists());
}

#[test]
fn workspace_is_removed_when_we_panic() {
    use generator::harness::isolation::IsolationMode;
    use generator::harness::template::Template;
    use generator::harness::workspace::Workspace;
    let sb = Sandbox::new(true);
    let template = Template::open(&sb.template).unwrap();
    let work = sb.work.clone();
    let result = std::panic::catch_unwind(move || {
        let ws = Workspace::create(&template, &work, IsolationMode::Copy, "-- x\n").unwrap();
        assert!(ws.project_dir().join("Solution.lean").is_file());
        assert!(ws
            .project_dir()
            .join(".lake/build/lib/lean/Challenge.olean")
            .is_file());
        panic!("a bug of ours");
    });
    assert!(result.is_err());
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

/// Non-root users get the overlay through an unprivileged user namespace.
/// Run as root, this drops to `nobody` with `setpriv` to test that path.
#[test]
fn unprivileged_overlay_leaves_the_template_intact() {
    use std::process::Command;
    const NOBODY: u32 = 65534;
    if !nix::unistd::geteuid().is_root() || which::which("setpriv").is_err() {
        say_skipped(
            "unprivileged_overlay…",
            "needs root and setpriv to drop to an unprivileged user",
        );
        return;
    }
    let sb = rich_template();
    let chown_all = |p: &std::path::Path| {
        let ok = Command::new("chown")
            .args(["-R", "-h", &format!("{NOBODY}:{NOBODY}")])
            .arg(p)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    chown_all(sb.dir.path());
    std::fs::set_permissions(sb.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = sb.file(
        "T.lean",
        "-- standin-lake: trash-lake\n-- standin-comparator: accept\n",
    );
    chown_all(&file);
    let before = snapshot(&sb.template);
    let mut cmd = Command::new("setpriv");
    cmd.args([
        &format!("--reuid={NOBODY}"),
        &format!("--regid={NOBODY}"),
        "--clear-groups",
        "--",
        env!("CARGO_BIN_EXE_main"),
        "repro",
        file.to_str().unwrap(),
        "--json",
        "--isolation",
        "overlay",
        "--template",
        sb.template.to_str().unwrap(),
        "--work-dir",
        sb.work.to_str().unwrap(),
        "--comparator",
        standin_comparator().to_str().unwrap(),
    ])
    .env("PATH", standin_path())
    .env("COMPARATOR_LANDRUN", "/bin/true")
    .env("COMPARATOR_LEAN4EXPORT", "/bin/true");
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        if err.contains("Permission denied") || err.contains("isolation overlay is not available") {
            say_skipped(
                "unprivileged_overlay…",
                &format!("not possible here: {err}"),
            );
            return;
        }
        panic!("repro as nobody failed: {err}");
    }
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["isolation"], "overlay");
    assert_eq!(r["verdict"], "soundness", "{r:#}");
    assert!(r["stages"][0]["stdout"]
        .as_str()
        .unwrap()
        .contains("rebuilding"));
    assert_eq!(before, snapshot(&sb.template), "the template changed");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}
