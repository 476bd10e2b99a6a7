//! Where a stage's processes live, so that a test can neither outlive the
//! fuzzer nor write outside its workspace (README, "Sandbox").
//!
//! Every stage started by [`super::process::run`] is *contained* when the
//! kernel allows it: its first process (A, our direct child) enters a new
//! PID namespace and forks B, the namespace's init, which forks C, the
//! stage's program. When B dies the kernel kills every process left in the
//! namespace, wherever it moved in the process tree or in process groups.
//! A dies by `PR_SET_PDEATHSIG(SIGKILL)` when the thread that started it
//! dies (that thread is always blocked in `process::run` until A is reaped,
//! whether it is the main thread, a rayon worker of `reduce` or an LLMP
//! client's thread, so the signal fires exactly when the fuzzer dies), and B
//! the same when A dies: a `kill -9` of the fuzzer takes the whole tree
//! down. The program does not run as the namespace's init (C, not B): init
//! ignores the signals it sends itself, and Lean aborts by `raise(SIGABRT)`.
//! B reports C's wait status to the fuzzer through a pipe, so signals and
//! exit codes read exactly as without the namespace.
//!
//! A stage with a [`Policy::build`] policy is also *sandboxed*: in its own
//! user and mount namespaces the whole file system is read-only except the
//! workspace's project directory, `/tmp` and `/run` are fresh private
//! tmpfs, a new network namespace has only loopback, and System V IPC and
//! the host name are its own. The mounts are
//! then locked by one more user namespace, so even a stage running as root
//! cannot remount them writable.
//!
//! Everything the child does runs between fork and exec: only system calls
//! on memory prepared before the fork.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::error::HarnessError;
use super::isolation::OverlayMount;

/// What a stage may do besides running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Read-only file system except the writable directory, private `/tmp`.
    pub read_only: bool,
    /// Network (loopback only), System V IPC and host name namespaces of
    /// its own: nothing of the host's reachable but through files.
    pub isolate_network: bool,
}

impl Policy {
    /// Only containment: the tree dies with the fuzzer.
    pub const CONTAIN: Policy = Policy {
        read_only: false,
        isolate_network: false,
    };
    /// The build stage's sandbox.
    pub const BUILD: Policy = Policy {
        read_only: true,
        isolate_network: true,
    };
}

/// What the user asked for (`--sandbox`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SandboxRequest {
    /// The build sandbox where the kernel allows it, else a warning.
    #[default]
    Auto,
    /// The build sandbox or an error.
    On,
    /// No build sandbox (builds run with the user's rights).
    Off,
}

/// Whether build stages are sandboxed, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxMode {
    Build,
    Off,
}

/// Decides the mode by running `true` in a full build sandbox whose
/// writable directory is a scratch directory of `work_root`. Returns the
/// mode and, when `Auto` falls back, why.
pub fn resolve(
    request: SandboxRequest,
    work_root: &Path,
) -> Result<(SandboxMode, Option<String>), HarnessError> {
    if request == SandboxRequest::Off {
        return Ok((SandboxMode::Off, None));
    }
    match probe(work_root) {
        Ok(()) => Ok((SandboxMode::Build, None)),
        Err(why) if request == SandboxRequest::Auto => Ok((SandboxMode::Off, Some(why))),
        Err(why) => Err(HarnessError::Sandbox { why }),
    }
}

/// Runs `true` in a build sandbox; `Err` says why it cannot run.
pub fn probe(work_root: &Path) -> Result<(), String> {
    let scratch = tempfile::Builder::new()
        .prefix("leanfuzz-sandbox-probe-")
        .tempdir_in(work_root)
        .map_err(|e| format!("cannot make a probe dir in {}: {e}", work_root.display()))?;
    let truth = which::which("true").map_err(|e| format!("no `true` on PATH: {e}"))?;
    let sandbox = StageSandbox::new(Policy::BUILD, scratch.path())?;
    let mut spec = super::process::ProcessSpec::new(
        truth,
        scratch.path(),
        super::process::Limits {
            timeout: std::time::Duration::from_secs(20),
            ..Default::default()
        },
    );
    spec.sandbox = Some(Arc::new(sandbox));
    match super::process::run(&spec) {
        Ok(o) if o.termination.success() => Ok(()),
        Ok(o) => Err(format!("a sandboxed `true` ended with {}", o.termination)),
        Err(HarnessError::Spawn { error, .. }) => Err(format!(
            "the kernel refused the namespaces: {error}{}",
            if error.raw_os_error() == Some(libc::ENOSPC) {
                " (a limit in /proc/sys/user/max_*_namespaces)"
            } else {
                ""
            }
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether stages can be contained (a PID namespace), probed once per
/// process; every `process::run` without its own sandbox uses it then.
pub fn containment() -> Option<Arc<StageSandbox>> {
    static CONTAIN: OnceLock<Option<Arc<StageSandbox>>> = OnceLock::new();
    CONTAIN
        .get_or_init(|| {
            let sandbox = Arc::new(StageSandbox::new(Policy::CONTAIN, Path::new("/")).ok()?);
            let truth = which::which("true").ok()?;
            let mut spec =
                super::process::ProcessSpec::new(truth, "/", super::process::Limits::default());
            spec.sandbox = Some(Arc::clone(&sandbox));
            match super::process::run(&spec) {
                Ok(o) if o.termination.success() => Some(sandbox),
                _ => None,
            }
        })
        .clone()
}

/// Everything the forked child needs, prepared before the fork.
#[derive(Debug)]
pub struct StageSandbox {
    policy: Policy,
    /// The one directory the stage may write (the workspace's project).
    writable: CString,
    /// Directories to create in a private tmpfs (`/tmp`, `/run`, `/dev`)
    /// so that `writable`, when it lies under one (a work dir in /tmp,
    /// /run/user or /dev/shm), can be mounted back at its own path.
    tmp_dirs: Vec<CString>,
    ids: IdMaps,
}

/// A path as the C string a child's system call takes.
pub(super) fn cstring(path: &Path) -> Result<CString, String> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| format!("path {} holds a NUL byte", path.display()))
}

/// Our own uid and gid, mapped into a user namespace a child makes;
/// prepared before the fork so that the child allocates nothing.
#[derive(Debug)]
pub(super) struct IdMaps {
    uid_map: CString,
    gid_map: CString,
    privileged: bool,
}

impl IdMaps {
    /// The maps of this process's effective ids.
    pub(super) fn ours() -> Result<Self, String> {
        let uid = nix::unistd::geteuid().as_raw();
        let gid = nix::unistd::getegid().as_raw();
        Ok(IdMaps {
            uid_map: CString::new(format!("{uid} {uid} 1")).map_err(|e| e.to_string())?,
            gid_map: CString::new(format!("{gid} {gid} 1")).map_err(|e| e.to_string())?,
            privileged: uid == 0,
        })
    }

    /// In the child: the namespaces of `flags`, directly when we are root
    /// and the kernel allows it, else inside a new user namespace mapping
    /// our ids. Whether a user namespace was made.
    pub(super) unsafe fn unshare(&self, flags: libc::c_int) -> io::Result<bool> {
        if self.privileged && libc::unshare(flags) == 0 {
            return Ok(false);
        }
        self.enter(flags)?;
        Ok(true)
    }

    /// In the child: a new user namespace (with `flags`) mapping our ids.
    pub(super) unsafe fn enter(&self, flags: libc::c_int) -> io::Result<()> {
        if libc::unshare(libc::CLONE_NEWUSER | flags) != 0 {
            return Err(io::Error::last_os_error());
        }
        write_proc(c"/proc/self/setgroups", c"deny")?;
        write_proc(c"/proc/self/uid_map", &self.uid_map)?;
        write_proc(c"/proc/self/gid_map", &self.gid_map)
    }
}

impl StageSandbox {
    /// A sandbox with `policy` whose writable directory is `writable`.
    pub fn new(policy: Policy, writable: &Path) -> Result<Self, String> {
        let writable = writable
            .canonicalize()
            .map_err(|e| format!("{}: {e}", writable.display()))?;
        let mut tmp_dirs = Vec::new();
        for private in PRIVATE_MOUNTS {
            if let Ok(rest) = writable.strip_prefix(private) {
                let mut dir = PathBuf::from(private);
                for part in rest.components() {
                    dir.push(part);
                    tmp_dirs.push(cstring(&dir)?);
                }
            }
        }
        Ok(StageSandbox {
            policy,
            writable: cstring(&writable)?,
            tmp_dirs,
            ids: IdMaps::ours()?,
        })
    }

    /// The policy this sandbox applies.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Runs in the forked child (A) before exec. Returns only in C, the
    /// process that goes on to exec the stage's program; A and B end here.
    /// `parent` is the fuzzer's pid, `status_fd` the pipe B writes C's wait
    /// status to.
    ///
    /// # Safety
    /// Only between fork and exec in a child of `parent`: it forks and
    /// exits, and closes every descriptor of the processes that do not exec.
    pub unsafe fn enter(
        &self,
        overlay: Option<&OverlayMount>,
        parent: libc::pid_t,
        status_fd: libc::c_int,
    ) -> io::Result<()> {
        // A dies with the thread that forked it; if that thread is already
        // gone, the signal was missed: stop here.
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::getppid() != parent {
            libc::_exit(1);
        }
        libc::signal(libc::SIGCHLD, libc::SIG_DFL);

        let mut flags = libc::CLONE_NEWPID;
        if overlay.is_some() || self.policy.read_only {
            flags |= libc::CLONE_NEWNS;
        }
        if self.policy.isolate_network {
            flags |= libc::CLONE_NEWNET | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS;
        }
        let in_userns = self.ids.unshare(flags)?;
        if flags & libc::CLONE_NEWNS != 0 {
            mount(None, c"/", None, libc::MS_REC | libc::MS_PRIVATE, None)?;
        }
        if let Some(overlay) = overlay {
            overlay.mount(in_userns)?;
        }
        if self.policy.isolate_network {
            loopback_up()?;
        }
        if self.policy.read_only {
            self.make_read_only()?;
            self.lock()?;
        }

        // A: fork the namespace's init (B) and wait for it.
        let mut alive = [0; 2];
        if libc::pipe2(alive.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(io::Error::last_os_error());
        }
        let b = libc::fork();
        if b < 0 {
            return Err(io::Error::last_os_error());
        }
        if b > 0 {
            close_all_but(alive[1]);
            let mut status = 0;
            loop {
                let r = libc::waitpid(b, &mut status, 0);
                if r == b {
                    break;
                }
                if r < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                    libc::_exit(1);
                }
            }
            mirror(status);
        }

        // B: dies with A; if A is already gone the signal was missed.
        libc::close(alive[1]);
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        let mut poll = libc::pollfd {
            fd: alive[0],
            events: libc::POLLIN,
            revents: 0,
        };
        if libc::poll(&mut poll, 1, 0) != 0 {
            libc::_exit(1);
        }
        let c = libc::fork();
        if c < 0 {
            libc::_exit(126);
        }
        if c > 0 {
            close_all_but(status_fd);
            let mut status = 0;
            loop {
                let r = libc::waitpid(-1, &mut status, 0);
                if r == c {
                    let bytes = status.to_ne_bytes();
                    libc::write(status_fd, bytes.as_ptr().cast(), bytes.len());
                    libc::_exit(0);
                }
                if r < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                    libc::_exit(1);
                }
            }
        }

        // C: no descriptor of ours reaches the program but stdio (and the
        // standard library's own exec-error pipe, already close-on-exec).
        libc::close_range(
            3,
            libc::c_uint::MAX,
            libc::CLOSE_RANGE_CLOEXEC as libc::c_int,
        );
        if self.policy.read_only {
            // The working directory was opened through the read-only
            // mount; enter it again through the writable one.
            if libc::chdir(self.writable.as_ptr()) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }

    /// Everything read-only but the writable directory; fresh tmpfs on
    /// `/tmp` and `/dev/shm` (writable), `/run` (no sockets of the host's
    /// services) and `/dev` (only `null`, `zero`, `full`, `random`,
    /// `urandom` and `tty` bound from the host's: a stage whose uid is
    /// root's must reach no disk device). `/proc` stays writable until the locking user
    /// namespace has written its map files ([`Self::lock`]).
    unsafe fn make_read_only(&self) -> io::Result<()> {
        let tree = clone_tree(&self.writable, true)?;
        let mut nodes = [-1; DEV_NODES.len()];
        for (fd, (host, _)) in nodes.iter_mut().zip(DEV_NODES) {
            if path_exists(host) {
                *fd = clone_tree(host, false)?;
            }
        }
        set_attr(
            c"/",
            libc::AT_RECURSIVE,
            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID,
            0,
        )?;
        set_attr(c"/proc", 0, 0, MOUNT_ATTR_RDONLY)?;
        let private = libc::MS_NOSUID | libc::MS_NODEV;
        let tmpfs = |target: &std::ffi::CStr, flags, options: &std::ffi::CStr| {
            mount(Some(c"tmpfs"), target, Some(c"tmpfs"), flags, Some(options))
        };
        tmpfs(c"/tmp", private, c"mode=1777,size=25%")?;
        let run = path_exists(c"/run");
        if run {
            tmpfs(c"/run", private, c"mode=755,size=64k")?;
        }
        tmpfs(
            c"/dev",
            libc::MS_NOSUID | libc::MS_NOEXEC,
            c"mode=755,size=64k",
        )?;
        for (fd, (_, node)) in nodes.iter().zip(DEV_NODES) {
            if *fd < 0 {
                continue;
            }
            let file = libc::open(
                node.as_ptr(),
                libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                0o666,
            );
            if file < 0 {
                return Err(io::Error::last_os_error());
            }
            libc::close(file);
            move_tree(*fd, node)?;
        }
        for (target, link) in DEV_LINKS {
            if libc::symlink(target.as_ptr(), link.as_ptr()) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        if libc::mkdir(c"/dev/shm".as_ptr(), 0o1777) != 0 {
            return Err(io::Error::last_os_error());
        }
        tmpfs(c"/dev/shm", private, c"mode=1777,size=25%")?;
        for dir in &self.tmp_dirs {
            if libc::mkdir(dir.as_ptr(), 0o755) != 0
                && io::Error::last_os_error().raw_os_error() != Some(libc::EEXIST)
            {
                return Err(io::Error::last_os_error());
            }
        }
        move_tree(tree, &self.writable)?;
        // Not recursive: the workspace mounted below stays writable.
        if run {
            set_attr(c"/run", 0, MOUNT_ATTR_RDONLY, 0)?;
        }
        set_attr(c"/dev", 0, MOUNT_ATTR_RDONLY, 0)
    }

    /// Locks the mounts: in a mount namespace owned by a less privileged
    /// user namespace they cannot be made writable or unmounted, whatever
    /// the stage's uid; then `/proc` goes read-only too (a stage whose uid
    /// is root's must not write `/proc/sys`).
    unsafe fn lock(&self) -> io::Result<()> {
        self.ids.enter(libc::CLONE_NEWNS)?;
        set_attr(c"/proc", 0, MOUNT_ATTR_RDONLY, 0)
    }
}

/// Where a stage gets a fresh tmpfs (README, "Sandbox").
const PRIVATE_MOUNTS: [&str; 3] = ["/tmp", "/run", "/dev"];

/// The device nodes a stage gets: the host's path and its path in the
/// stage's `/dev` (the same; both named to keep the pairs visible).
const DEV_NODES: [(&std::ffi::CStr, &std::ffi::CStr); 6] = [
    (c"/dev/null", c"/dev/null"),
    (c"/dev/zero", c"/dev/zero"),
    (c"/dev/full", c"/dev/full"),
    (c"/dev/random", c"/dev/random"),
    (c"/dev/urandom", c"/dev/urandom"),
    (c"/dev/tty", c"/dev/tty"),
];

/// The symbolic links of a stage's `/dev`: target and link.
const DEV_LINKS: [(&std::ffi::CStr, &std::ffi::CStr); 4] = [
    (c"/proc/self/fd", c"/dev/fd"),
    (c"/proc/self/fd/0", c"/dev/stdin"),
    (c"/proc/self/fd/1", c"/dev/stdout"),
    (c"/proc/self/fd/2", c"/dev/stderr"),
];

/// A detached copy of the mount at `path` (with its submounts when
/// `recursive`), as a descriptor for [`move_tree`].
unsafe fn clone_tree(path: &std::ffi::CStr, recursive: bool) -> io::Result<libc::c_int> {
    let mut flags = OPEN_TREE_CLONE | libc::O_CLOEXEC as libc::c_uint;
    if recursive {
        flags |= libc::AT_RECURSIVE as libc::c_uint;
    }
    let fd = libc::syscall(libc::SYS_open_tree, libc::AT_FDCWD, path.as_ptr(), flags);
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(fd as libc::c_int)
}

/// Attaches a tree from [`clone_tree`] at `target` and closes it.
unsafe fn move_tree(tree: libc::c_int, target: &std::ffi::CStr) -> io::Result<()> {
    let r = libc::syscall(
        libc::SYS_move_mount,
        tree,
        c"".as_ptr(),
        libc::AT_FDCWD,
        target.as_ptr(),
        MOVE_MOUNT_F_EMPTY_PATH,
    );
    let err = io::Error::last_os_error();
    libc::close(tree);
    if r != 0 {
        return Err(err);
    }
    Ok(())
}

/// Raw wait status of C, as B reported it: exit code or signal.
pub fn decode_status(status: i32) -> (Option<i32>, Option<i32>, bool) {
    if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None, false)
    } else if libc::WIFSIGNALED(status) {
        (None, Some(libc::WTERMSIG(status)), libc::WCOREDUMP(status))
    } else {
        (None, None, false)
    }
}

// Kernel ABI constants (linux/mount.h), stable since Linux 5.2 / 5.12.
const OPEN_TREE_CLONE: libc::c_uint = 1;
const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 4;
const MOUNT_ATTR_RDONLY: u64 = 1;
const MOUNT_ATTR_NOSUID: u64 = 2;

/// `struct mount_attr` (linux/mount.h, MOUNT_ATTR_SIZE_VER0).
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

unsafe fn set_attr(
    path: &std::ffi::CStr,
    flags: libc::c_int,
    set: u64,
    clear: u64,
) -> io::Result<()> {
    let attr = MountAttr {
        attr_set: set,
        attr_clr: clear,
        propagation: 0,
        userns_fd: 0,
    };
    if libc::syscall(
        libc::SYS_mount_setattr,
        libc::AT_FDCWD,
        path.as_ptr(),
        flags as libc::c_uint,
        &attr as *const MountAttr,
        std::mem::size_of::<MountAttr>(),
    ) != 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

unsafe fn mount(
    source: Option<&std::ffi::CStr>,
    target: &std::ffi::CStr,
    fstype: Option<&std::ffi::CStr>,
    flags: libc::c_ulong,
    data: Option<&std::ffi::CStr>,
) -> io::Result<()> {
    let ptr = |s: Option<&std::ffi::CStr>| s.map_or(std::ptr::null(), |s| s.as_ptr());
    if libc::mount(
        ptr(source),
        target.as_ptr(),
        ptr(fstype),
        flags,
        ptr(data).cast(),
    ) != 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

unsafe fn path_exists(path: &std::ffi::CStr) -> bool {
    libc::access(path.as_ptr(), libc::F_OK) == 0
}

/// `struct ifreq` with its flags member (`linux/if.h`; 40 bytes on 64-bit).
#[repr(C)]
struct IfreqFlags {
    name: [u8; 16],
    flags: libc::c_short,
    pad: [u8; 22],
}

/// Brings `lo` up in the new network namespace (it starts down).
unsafe fn loopback_up() -> io::Result<()> {
    let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut req = IfreqFlags {
        name: [0; 16],
        flags: 0,
        pad: [0; 22],
    };
    req.name[..2].copy_from_slice(b"lo");
    let ok = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) == 0 && {
        req.flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
        libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) == 0
    };
    let err = io::Error::last_os_error();
    libc::close(fd);
    if ok {
        Ok(())
    } else {
        Err(err)
    }
}

/// Closes every descriptor but `keep` (A and B never exec: holding the
/// output pipes or the standard library's exec-error pipe would keep the
/// fuzzer waiting on them).
unsafe fn close_all_but(keep: libc::c_int) {
    if keep > 0 {
        libc::close_range(0, (keep - 1) as libc::c_uint, 0);
    }
    libc::close_range((keep + 1) as libc::c_uint, libc::c_uint::MAX, 0);
}

/// Ends this process as `status` says its child ended.
unsafe fn mirror(status: libc::c_int) -> ! {
    if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::kill(libc::getpid(), sig);
        libc::_exit(128 + sig);
    }
    libc::_exit(if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        1
    })
}

/// Writes `text` to a /proc file with raw system calls.
pub(super) unsafe fn write_proc(path: &std::ffi::CStr, text: &std::ffi::CStr) -> io::Result<()> {
    let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let bytes = text.to_bytes();
    let n = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
    let err = io::Error::last_os_error();
    libc::close(fd);
    if n != bytes.len() as isize {
        return Err(err);
    }
    Ok(())
}
