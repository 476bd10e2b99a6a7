//! The build sandbox on its own (`harness::sandbox` through
//! `process::run`): what a stage may write, see and reach.

use generator::harness::process::{run, Limits, ProcessOutcome, ProcessSpec, Termination};
use generator::harness::sandbox::{Policy, StageSandbox};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Runs `script` in bash in a build sandbox writable only in `writable`.
fn sandboxed(writable: &Path, script: &str) -> ProcessOutcome {
    let mut spec = ProcessSpec::new(
        "/bin/bash",
        writable,
        Limits {
            timeout: Duration::from_secs(30),
            ..Limits::default()
        },
    )
    .arg("-c")
    .arg(script);
    spec.sandbox = Some(Arc::new(
        StageSandbox::new(Policy::BUILD, writable).unwrap(),
    ));
    run(&spec).unwrap()
}

/// A scratch area outside /tmp (the stage's /tmp is private, so a path
/// under /tmp would not show whether the host's file system is read-only).
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

fn skip_without_namespaces() -> bool {
    let dir = scratch();
    match generator::harness::sandbox::probe(dir.path()) {
        Ok(()) => false,
        Err(why) => {
            println!("SKIPPED: namespaces are refused here: {why}");
            true
        }
    }
}

#[test]
fn only_the_workspace_and_a_private_tmp_are_writable() {
    if skip_without_namespaces() {
        return;
    }
    let area = scratch();
    let ws = area.path().join("ws");
    let outside = area.path().join("outside");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let marker = format!("leanfuzz-sandbox-test-{}", std::process::id());
    let o = sandboxed(
        &ws,
        &format!(
            "echo in > inside.txt && echo inside-ok; \
             echo out > {out}/x.txt || echo outside-refused; \
             echo tmp > /tmp/{marker} && echo tmp-ok; \
             echo \"tmpdir=$TMPDIR\"",
            out = outside.display()
        ),
    );
    let text = format!("{}{}", o.stdout.text, o.stderr.text);
    assert_eq!(o.termination, Termination::Exited { code: 0 }, "{text}");
    assert!(text.contains("inside-ok"), "{text}");
    assert!(text.contains("outside-refused"), "{text}");
    assert!(text.contains("Read-only file system"), "{text}");
    assert!(text.contains("tmp-ok"), "{text}");
    assert!(text.contains("tmpdir=/tmp"), "{text}");
    assert_eq!(
        std::fs::read_to_string(ws.join("inside.txt")).unwrap(),
        "in\n"
    );
    assert!(!outside.join("x.txt").exists());
    assert!(!Path::new("/tmp").join(&marker).exists());
}

#[test]
fn a_workspace_under_tmp_stays_writable() {
    if skip_without_namespaces() {
        return;
    }
    let area = tempfile::tempdir_in("/tmp").unwrap();
    let o = sandboxed(area.path(), "echo in > inside.txt && pwd");
    assert!(
        o.termination.success(),
        "{}{}",
        o.stdout.text,
        o.stderr.text
    );
    assert_eq!(
        std::fs::read_to_string(area.path().join("inside.txt")).unwrap(),
        "in\n"
    );
}

#[test]
fn a_workspace_under_dev_shm_or_run_stays_writable() {
    if skip_without_namespaces() {
        return;
    }
    for parent in ["/dev/shm", "/run"] {
        let Ok(area) = tempfile::tempdir_in(parent) else {
            println!("SKIPPED for {parent}: cannot make a dir there");
            continue;
        };
        let o = sandboxed(area.path(), "echo in > inside.txt && echo shm > /dev/shm/x");
        assert!(
            o.termination.success(),
            "{parent}: {}{}",
            o.stdout.text,
            o.stderr.text
        );
        assert_eq!(
            std::fs::read_to_string(area.path().join("inside.txt")).unwrap(),
            "in\n"
        );
    }
}

#[test]
fn the_mounts_cannot_be_made_writable_again() {
    if skip_without_namespaces() {
        return;
    }
    let area = scratch();
    let o = sandboxed(
        area.path(),
        "mount -o remount,rw / 2>&1 && echo REMOUNTED; \
         mount -o remount,rw /proc 2>&1 && echo PROC-REMOUNTED; \
         umount /tmp 2>&1 && echo UNMOUNTED; \
         unshare -U -r -m sh -c 'mount -o remount,rw / && echo NESTED-REMOUNTED' 2>&1; \
         cat /proc/sys/vm/swappiness > /proc/sys/vm/swappiness && echo SYSCTL-WRITTEN; \
         ls /dev",
    );
    let text = format!("{}{}", o.stdout.text, o.stderr.text);
    assert!(text.contains("swappiness: Read-only file system"), "{text}");
    for forbidden in ["REMOUNTED", "UNMOUNTED", "SYSCTL-WRITTEN"] {
        assert!(!text.contains(forbidden), "{forbidden}: {text}");
    }
    // Only the harmless devices are there.
    for dev in text.lines().filter(|l| !l.contains(' ')) {
        assert!(
            [
                "null", "zero", "full", "random", "urandom", "tty", "fd", "stdin", "stdout",
                "stderr", "shm"
            ]
            .contains(&dev),
            "unexpected /dev entry {dev:?}: {text}"
        );
    }
}

#[test]
fn the_network_is_loopback_only() {
    if skip_without_namespaces() {
        return;
    }
    let area = scratch();
    let o = sandboxed(
        area.path(),
        "cut -d: -f1 /proc/self/net/dev | tail -n +3 | tr -d ' '; \
         (exec 3<>/dev/tcp/1.1.1.1/80) && echo CONNECTED; \
         (exec 3<>/dev/tcp/127.0.0.1/1) || echo LOOPBACK-ANSWERED",
    );
    let text = format!("{}{}", o.stdout.text, o.stderr.text);
    assert!(!text.contains("CONNECTED"), "{text}");
    assert!(o.stderr.text.contains("Network is unreachable"), "{text}");
    // Loopback is up: a closed port refuses at once.
    assert!(o.stderr.text.contains("Connection refused"), "{text}");
    assert!(text.contains("LOOPBACK-ANSWERED"), "{text}");
    let interfaces: Vec<&str> = o.stdout.text.lines().filter(|l| !l.contains('-')).collect();
    assert_eq!(interfaces, ["lo"], "{text}");
}

#[test]
fn the_hosts_system_v_ipc_is_out_of_reach() {
    if skip_without_namespaces() {
        return;
    }
    // SAFETY: plain System V calls on a segment this test owns.
    let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 4096, libc::IPC_CREAT | 0o600) };
    assert!(id >= 0, "{}", std::io::Error::last_os_error());
    let shm_ids = |o: &ProcessOutcome| -> Vec<String> {
        o.stdout
            .text
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect()
    };
    let area = scratch();
    let sandboxed_ids = shm_ids(&sandboxed(area.path(), "cat /proc/sysvipc/shm"));
    // A stage that is only contained shares the host's IPC: the check
    // can fail.
    let contained =
        run(&ProcessSpec::new("/bin/cat", "/", Limits::default()).arg("/proc/sysvipc/shm"))
            .unwrap();
    // SAFETY: removes the segment made above.
    unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
    assert!(
        !sandboxed_ids.contains(&id.to_string()),
        "host segment {id} visible: {sandboxed_ids:?}"
    );
    assert!(
        shm_ids(&contained).contains(&id.to_string()),
        "{contained:?}"
    );
}
