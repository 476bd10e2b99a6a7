//! Running one stage: its own process group, a wall-clock timeout and a
//! memory limit that kill the whole group, size-capped capture of stdout and
//! stderr, and the exact way the process ended (exit code or signal).
//!
//! We never trust a parent tool to tell us that something crashed: the
//! termination is read from the wait status here, and the classifier also
//! looks at exit codes and texts.

use nix::sys::signal::{killpg, Signal};
use nix::sys::wait::{waitid, Id, WaitPidFlag};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::error::HarnessError;
use super::interrupt;
use super::isolation::OverlayMount;
use super::sandbox::{self, StageSandbox};

/// How often the wait loop wakes to check Ctrl-C. Process exit itself is
/// reported at once by the waiter thread, so this adds no latency to a test.
const TICK: Duration = Duration::from_millis(25);
/// How often the memory of the process group is summed from /proc.
const MEM_TICK: Duration = Duration::from_millis(100);
/// How long to wait for the output pipes to close after the group was
/// killed; a descendant that left the group may still hold them.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// Limits applied to every stage.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock limit for one stage; the whole group is killed past it.
    pub timeout: Duration,
    /// Resident memory limit summed over the process group, in bytes.
    pub mem_limit: Option<u64>,
    /// Bytes of stdout (and, separately, of stderr) kept: half from the
    /// head, half from the tail.
    pub output_cap: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(60),
            mem_limit: None,
            output_cap: 256 * 1024,
        }
    }
}

/// One command to run under limits.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    /// Variables set for the child on top of our own environment.
    pub env_set: Vec<(OsString, OsString)>,
    /// Variables removed from the child's environment.
    pub env_remove: Vec<OsString>,
    pub limits: Limits,
    /// Copy-on-write view of the template's `.lake`, mounted in the child's
    /// private mount namespace before it executes.
    pub overlay: Option<Arc<OverlayMount>>,
    /// The namespaces the stage runs in ([`super::sandbox`]). `None`:
    /// containment only (its tree dies with us), where the kernel allows it.
    pub sandbox: Option<Arc<StageSandbox>>,
}

impl ProcessSpec {
    pub fn new(program: impl Into<PathBuf>, cwd: impl Into<PathBuf>, limits: Limits) -> Self {
        ProcessSpec {
            program: program.into(),
            args: Vec::new(),
            cwd: cwd.into(),
            env_set: Vec::new(),
            env_remove: Vec::new(),
            limits,
            overlay: None,
            sandbox: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// The command line as a user would type it, for reports.
    pub fn command_line(&self) -> Vec<String> {
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.args.iter().map(|a| a.to_string_lossy().into_owned()))
            .collect()
    }
}

/// How a stage's process ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Termination {
    /// Exited by itself with this code.
    Exited { code: i32 },
    /// Killed by a signal it did not ask us for (a crash, or a kill from outside).
    Signaled {
        signal: i32,
        name: String,
        core_dumped: bool,
    },
    /// Ran past the wall-clock limit; we killed its group.
    TimedOut,
    /// Its group's resident memory passed the limit; we killed the group.
    MemoryLimit { peak_bytes: u64 },
}

impl Termination {
    pub fn success(&self) -> bool {
        matches!(self, Termination::Exited { code: 0 })
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Termination::Exited { code } => write!(f, "exit {code}"),
            Termination::Signaled { name, .. } => write!(f, "killed by {name}"),
            Termination::TimedOut => f.write_str("timed out"),
            Termination::MemoryLimit { peak_bytes } => {
                write!(f, "memory limit ({} MiB)", peak_bytes / (1024 * 1024))
            }
        }
    }
}

/// The name of a signal number (`SIGSEGV`), or `SIG<n>` for unknown ones.
pub fn signal_name(signal: i32) -> String {
    Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("SIG{signal}"))
}

/// Captured output of one stream, with the size cap applied.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub text: String,
    /// Bytes dropped from the middle.
    pub omitted: u64,
}

/// Everything a stage produced.
#[derive(Debug, Clone)]
pub struct ProcessOutcome {
    pub termination: Termination,
    pub stdout: Captured,
    pub stderr: Captured,
    pub duration: Duration,
}

/// Keeps the first and last `cap / 2` bytes of a stream.
#[derive(Debug)]
struct HeadTail {
    half: usize,
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    total: u64,
}

impl HeadTail {
    fn new(cap: usize) -> Self {
        HeadTail {
            half: cap / 2,
            head: Vec::new(),
            tail: std::collections::VecDeque::new(),
            total: 0,
        }
    }

    fn push(&mut self, mut chunk: &[u8]) {
        self.total += chunk.len() as u64;
        let room = self.half - self.head.len();
        let take = room.min(chunk.len());
        self.head.extend_from_slice(&chunk[..take]);
        chunk = &chunk[take..];
        if chunk.len() >= self.half {
            self.tail.clear();
            self.tail.extend(&chunk[chunk.len() - self.half..]);
        } else {
            self.tail.extend(chunk);
            let excess = self.tail.len().saturating_sub(self.half);
            self.tail.drain(..excess);
        }
    }

    fn snapshot(&self) -> Captured {
        let kept = (self.head.len() + self.tail.len()) as u64;
        let omitted = self.total - kept;
        let mut bytes = self.head.clone();
        if omitted > 0 {
            bytes.extend_from_slice(format!("\n[... {omitted} bytes omitted ...]\n").as_bytes());
        }
        bytes.extend(self.tail.iter());
        Captured {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            omitted,
        }
    }
}

/// Drains one pipe into a shared head/tail buffer; reports on `done` at EOF.
fn spawn_reader(
    mut pipe: impl Read + Send + 'static,
    cap: usize,
    done: mpsc::Sender<()>,
) -> Arc<Mutex<HeadTail>> {
    let buf = Arc::new(Mutex::new(HeadTail::new(cap)));
    let shared = Arc::clone(&buf);
    thread::spawn(move || {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => shared.lock().expect("capture lock").push(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
    buf
}

/// Runs `spec` to completion under its limits. Returns an error only for our
/// own failures (cannot spawn) or when the user interrupted us; every way the
/// child itself can end is a [`Termination`].
pub fn run(spec: &ProcessSpec) -> Result<ProcessOutcome, HarnessError> {
    let mut cmd = Command::new(&spec.program);
    cmd.args(&spec.args)
        .current_dir(&spec.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for key in &spec.env_remove {
        cmd.env_remove(key);
    }
    for (key, value) in &spec.env_set {
        cmd.env(key, value);
    }
    let sandbox = spec.sandbox.clone().or_else(sandbox::containment);
    // B, the stage's init, writes C's wait status here (see `sandbox`).
    let status_pipe = match &sandbox {
        Some(_) => Some(
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK)
                .map_err(|e| HarnessError::Spawn {
                    program: spec.program.display().to_string(),
                    error: e.into(),
                })?,
        ),
        None => None,
    };
    match (&sandbox, &status_pipe) {
        (Some(sandbox), Some((_, status_w))) => {
            if sandbox.policy().read_only {
                cmd.env("TMPDIR", "/tmp");
            }
            let sandbox = Arc::clone(sandbox);
            let overlay = spec.overlay.clone();
            let parent = nix::unistd::getpid().as_raw();
            let status_fd = status_w.as_raw_fd();
            // SAFETY: `enter` only makes async-signal-safe system calls on
            // memory prepared before the fork, and is called between fork
            // and exec of a child of `parent`.
            unsafe {
                cmd.pre_exec(move || sandbox.enter(overlay.as_deref(), parent, status_fd));
            }
        }
        _ => {
            if let Some(overlay) = &spec.overlay {
                let overlay = Arc::clone(overlay);
                // SAFETY: `enter` only makes async-signal-safe system calls on
                // memory prepared before the fork.
                unsafe {
                    cmd.pre_exec(move || overlay.enter());
                }
            }
        }
    }

    let start = Instant::now();
    let spawned = cmd.spawn();
    // Only the child's copies of the write end may stay open.
    let status_r = status_pipe.map(|(r, _w)| r);
    let mut child = spawned.map_err(|error| HarnessError::Spawn {
        program: match &sandbox {
            Some(_) => format!("{} in its sandbox", spec.program.display()),
            None => spec.program.display().to_string(),
        },
        error,
    })?;
    let pid = Pid::from_raw(child.id() as i32);

    let (pipe_tx, pipe_rx) = mpsc::channel();
    let out = spawn_reader(
        child.stdout.take().expect("stdout piped"),
        spec.limits.output_cap,
        pipe_tx.clone(),
    );
    let err = spawn_reader(
        child.stderr.take().expect("stderr piped"),
        spec.limits.output_cap,
        pipe_tx,
    );

    // The waiter learns of the exit without reaping, so the group id stays
    // valid until we have killed what is left of the group.
    let (exit_tx, exit_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
        // Retry when a signal interrupts the wait.
        while let Err(nix::errno::Errno::EINTR) = waitid(Id::Pid(pid), flags) {}
        let _ = exit_tx.send(());
    });

    let deadline = start + spec.limits.timeout;
    let mut forced: Option<Termination> = None;
    let mut interrupted = false;
    let mut peak_rss = 0u64;
    let mut last_mem_check = start;
    loop {
        let now = Instant::now();
        if now >= deadline {
            forced = Some(Termination::TimedOut);
            break;
        }
        match exit_rx.recv_timeout(TICK.min(deadline - now)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if interrupt::requested() {
            interrupted = true;
            break;
        }
        if let Some(limit) = spec.limits.mem_limit {
            if last_mem_check.elapsed() >= MEM_TICK {
                last_mem_check = Instant::now();
                let rss = group_rss_bytes(pid.as_raw());
                peak_rss = peak_rss.max(rss);
                if rss > limit {
                    forced = Some(Termination::MemoryLimit {
                        peak_bytes: peak_rss,
                    });
                    break;
                }
            }
        }
    }
    // Always kill the group: on a timeout it stops the stage, and after a
    // normal exit it takes down orphans still holding our pipes.
    let _ = killpg(pid, Signal::SIGKILL);
    let status = child.wait().map_err(|error| HarnessError::Spawn {
        program: spec.program.display().to_string(),
        error,
    })?;
    let _ = waiter.join();
    let duration = start.elapsed();

    let grace_end = Instant::now() + PIPE_GRACE;
    for _ in 0..2 {
        let left = grace_end.saturating_duration_since(Instant::now());
        if pipe_rx.recv_timeout(left).is_err() {
            break;
        }
    }
    if interrupted {
        return Err(HarnessError::Interrupted);
    }

    // The program's own status, as the stage's init reported it; our
    // direct child's when there is no init (or it was killed first).
    let (code, signal, core_dumped) = status_r
        .as_ref()
        .and_then(read_status)
        .map(sandbox::decode_status)
        .unwrap_or((status.code(), status.signal(), status.core_dumped()));
    let termination = forced.unwrap_or_else(|| match (code, signal) {
        (Some(code), _) => Termination::Exited { code },
        (None, Some(signal)) => Termination::Signaled {
            signal,
            name: signal_name(signal),
            core_dumped,
        },
        (None, None) => Termination::Exited { code: -1 },
    });
    let stdout = out.lock().expect("capture lock").snapshot();
    let stderr = err.lock().expect("capture lock").snapshot();
    Ok(ProcessOutcome {
        termination,
        stdout,
        stderr,
        duration,
    })
}

/// The raw wait status the stage's init wrote, if it wrote one.
fn read_status(pipe: &std::os::fd::OwnedFd) -> Option<i32> {
    let mut bytes = [0u8; 4];
    match nix::unistd::read(pipe, &mut bytes) {
        Ok(4) => Some(i32::from_ne_bytes(bytes)),
        _ => None,
    }
}

/// Resident memory of every process in group `pgid`, from /proc.
fn group_rss_bytes(pgid: i32) -> u64 {
    let page = nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .unwrap_or(4096) as u64;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut total = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{name}/stat")) else {
            continue;
        };
        if let Some((group, rss_pages)) = parse_stat_group_rss(&stat) {
            if group == pgid {
                total += rss_pages * page;
            }
        }
    }
    total
}

/// Process group (field 5) and resident pages (field 24) of a /proc stat
/// line. The command name (field 2) may hold spaces and parentheses, so
/// fields are counted from the last `)`.
fn parse_stat_group_rss(stat: &str) -> Option<(i32, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): field n is fields[n - 3].
    let group = fields.get(2)?.parse().ok()?;
    let rss = fields.get(21)?.parse().ok()?;
    Some((group, rss))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_tail_keeps_both_ends() {
        let mut h = HeadTail::new(10);
        h.push(b"0123456789");
        h.push(b"abcdefghij");
        let c = h.snapshot();
        assert_eq!(c.omitted, 10);
        assert!(c.text.starts_with("01234"));
        assert!(c.text.ends_with("fghij"));
        assert!(c.text.contains("10 bytes omitted"));
    }

    #[test]
    fn head_tail_small_output_is_whole() {
        let mut h = HeadTail::new(100);
        h.push(b"hello ");
        h.push(b"world");
        let c = h.snapshot();
        assert_eq!(c.text, "hello world");
        assert_eq!(c.omitted, 0);
    }

    #[test]
    fn head_tail_many_small_chunks() {
        let mut h = HeadTail::new(8);
        for b in b"abcdefghijklmnopqrstuvwxyz" {
            h.push(&[*b]);
        }
        let c = h.snapshot();
        assert!(c.text.starts_with("abcd"));
        assert!(c.text.ends_with("wxyz"));
        assert_eq!(c.omitted, 18);
    }

    #[test]
    fn stat_parsing_survives_odd_command_names() {
        let line = "1234 (a) b (c)) S 1 777 777 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 100 12345678 321 18446744073709551615";
        assert_eq!(parse_stat_group_rss(line), Some((777, 321)));
    }

    #[test]
    fn signal_names() {
        assert_eq!(signal_name(11), "SIGSEGV");
        assert_eq!(signal_name(6), "SIGABRT");
        assert_eq!(signal_name(99), "SIG99");
    }
}
