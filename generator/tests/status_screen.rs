//! What the user sees of a campaign, through the stand-in toolchain: on a
//! terminal (a pseudo-terminal here) an AFL-style screen with run time,
//! rates, corpus, findings by verdict with the last path, validity and
//! timeouts, and one row per LLMP client; without a terminal one compact
//! line per interval and one line per finding, on the launcher's output
//! in LLMP too; never LibAFL's per-event monitor lines or a backtrace.

mod common;
use common::*;
use std::io::Read;
use std::net::TcpListener;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::sync::Mutex;

static ONE_CAMPAIGN_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_CAMPAIGN_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn free_port() -> String {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string()
}

/// Runs `cmd` with its stdout on a new pseudo-terminal; what it wrote
/// there, and its stderr.
fn on_a_terminal(mut cmd: Command) -> (String, String, bool) {
    // SAFETY: plain libc calls on a descriptor we own; ptsname's buffer is
    // copied at once.
    let (master, slave) = unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "no pseudo-terminal");
        assert_eq!(libc::grantpt(m), 0);
        assert_eq!(libc::unlockpt(m), 0);
        let name = std::ffi::CStr::from_ptr(libc::ptsname(m))
            .to_owned()
            .into_string()
            .unwrap();
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name)
            .unwrap();
        (std::fs::File::from(OwnedFd::from_raw_fd(m)), slave)
    };
    let mut child = cmd
        .env("TERM", "xterm")
        .stdout(Stdio::from(slave))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut master = master;
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once the last writer closed the terminal.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let ok = child.wait().unwrap().success();
    let out = reader.join().unwrap();
    (String::from_utf8_lossy(&out).into_owned(), err, ok)
}

/// LibAFL's monitors' marks: none may reach the user.
fn no_libafl_monitor_lines(out: &str) {
    for mark in ["[Testcase", "GLOBAL", "(CLIENT)", "Backtrace"] {
        assert!(!out.contains(mark), "{mark:?} in:\n{out}");
    }
}

#[test]
fn llmp_without_a_terminal_prints_compact_lines_and_every_finding_path() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let root = sb.dir.path();
    let port = free_port();
    let out = sb
        .main(&[
            "--cores",
            "0-1",
            "--broker-port",
            &port,
            "--max-tests",
            "30",
            "--depth",
            "5",
            "--stats-interval",
            "0.3",
            "--corpus",
            root.join("corpus").to_str().unwrap(),
            // No cap: every announced file stays (under the cap a smaller
            // one may replace it).
            "--keep-per-signature",
            "1000",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .env("STANDIN_LEAN_COST_MS", "40")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    no_libafl_monitor_lines(&stdout);
    no_libafl_monitor_lines(&stderr);
    // Compact lines, at most one per interval: a few, not one per event.
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with('[') && l.contains(" tests "))
        .collect();
    assert!(!lines.is_empty(), "{stdout}");
    assert!(lines[0].contains("corpus ") && lines[0].contains("findings "));
    assert!(stdout.lines().count() < 60, "{stdout}");
    // The clients' finding paths reach the launcher's output.
    let findings: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("finding client-"))
        .collect();
    assert!(!findings.is_empty(), "{stdout}");
    for f in &findings {
        let path = f.rsplit(' ').next().unwrap();
        assert!(
            std::path::Path::new(path).is_file(),
            "{path} named but not stored"
        );
        assert!(f.contains(": crash "), "{f}");
    }
}

#[test]
fn a_terminal_gets_a_screen_with_the_last_finding_and_one_row_per_client() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let root = sb.dir.path();
    let port = free_port();
    let mut cmd = sb.main(&[
        "--cores",
        "0-1",
        "--broker-port",
        &port,
        "--max-tests",
        "30",
        "--depth",
        "5",
        "--corpus",
        root.join("corpus").to_str().unwrap(),
        // No cap: the last finding shown stays (see above).
        "--keep-per-signature",
        "1000",
    ]);
    cmd.env("STANDIN_LEAN_CRASH_ON", "theorem")
        .env("STANDIN_LEAN_COST_MS", "80");
    let (screen, err, ok) = on_a_terminal(cmd);
    assert!(ok, "{screen}\n{err}");
    no_libafl_monitor_lines(&screen);
    assert!(screen.contains("\x1b[H\x1b[2J"), "not redrawn: {screen}");
    let last = screen.rsplit("\x1b[H\x1b[2J").next().unwrap();
    for field in [
        "run time :",
        "tests :",
        "/s now",
        "average)",
        "corpus :",
        "entries on disk",
        "findings :",
        "crash",
        "last : client-",
        "validity :",
        "timeouts :",
        "client-1",
        "client-2",
    ] {
        assert!(last.contains(field), "{field:?} missing from:\n{last}");
    }
    let path = last
        .lines()
        .find_map(|l| l.split("last : ").nth(1))
        .and_then(|l| l.rsplit(' ').next())
        .unwrap()
        .trim();
    assert!(std::path::Path::new(path).is_file(), "{path}");
    assert!(last.contains("done after"), "{last}");
}

#[test]
fn simple_mode_on_a_terminal_draws_the_same_screen() {
    let sb = Sandbox::new(true);
    let mut cmd = sb.main(&["--mode", "simple", "--max-tests", "8", "--depth", "5"]);
    cmd.env("STANDIN_LEAN_COST_MS", "150");
    let (screen, err, ok) = on_a_terminal(cmd);
    assert!(ok, "{screen}\n{err}");
    no_libafl_monitor_lines(&screen);
    let last = screen.rsplit("\x1b[H\x1b[2J").next().unwrap();
    for field in ["run time :", "tests : 8", "corpus :", "validity :"] {
        assert!(last.contains(field), "{field:?} missing from:\n{last}");
    }
}
