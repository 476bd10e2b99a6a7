//! How a workspace gets the template's `.lake` without copying it and without
//! any way for a test to change the pristine template.
//!
//! Hard links are not safe (a stage that rewrites a linked file in place
//! rewrites the template's file, and root ignores permission bits), so we use:
//! - `overlay`: each stage process enters a private mount namespace and
//!   mounts overlayfs on the workspace's `.lake`, with the template's `.lake`
//!   as the read-only lower layer and a per-workspace upper layer. Writes,
//!   truncations and deletions land in the upper layer only. Setup cost is
//!   one mount, independent of the size of `.lake`. Needs root, or
//!   unprivileged user namespaces (Linux >= 5.11).
//! - `copy`: a full copy of `.lake` per test (mtimes kept, so Lake sees it
//!   fresh; `copy_file_range` makes it a reflink on btrfs/XFS). Always safe,
//!   but its cost grows with `.lake`: the fallback where overlay is refused.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use super::error::HarnessError;
use super::sandbox::{cstring, IdMaps};

/// The strategy a campaign uses, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IsolationMode {
    Overlay,
    Copy,
}

impl IsolationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            IsolationMode::Overlay => "overlay",
            IsolationMode::Copy => "copy",
        }
    }
}

/// What the user asked for (`--isolation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IsolationRequest {
    /// Overlay where the kernel allows it, else copy (with a warning).
    #[default]
    Auto,
    Overlay,
    Copy,
}

/// Decides the mode: probes overlay with the real lower layer and the real
/// work root, so a yes here means stages will mount. Returns the mode and,
/// for `Auto` falling back, the reason overlay was refused.
pub fn resolve(
    request: IsolationRequest,
    lake_dir: &Path,
    work_root: &Path,
) -> Result<(IsolationMode, Option<String>), HarnessError> {
    if request == IsolationRequest::Copy || !lake_dir.is_dir() {
        return Ok((IsolationMode::Copy, None));
    }
    match probe_overlay(lake_dir, work_root) {
        Ok(()) => Ok((IsolationMode::Overlay, None)),
        Err(why) if request == IsolationRequest::Auto => Ok((IsolationMode::Copy, Some(why))),
        Err(why) => Err(HarnessError::Isolation {
            mode: "overlay".into(),
            why,
        }),
    }
}

/// Mounts a throw-away overlay in a child process running `true`.
pub fn probe_overlay(lower: &Path, work_root: &Path) -> Result<(), String> {
    let scratch = tempfile::Builder::new()
        .prefix("leanfuzz-probe-")
        .tempdir_in(work_root)
        .map_err(|e| format!("cannot make a probe dir in {}: {e}", work_root.display()))?;
    let upper = scratch.path().join("upper");
    let work = scratch.path().join("work");
    let merged = scratch.path().join("merged");
    for d in [&upper, &work, &merged] {
        std::fs::create_dir(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let mount = Arc::new(OverlayMount::new(lower, &upper, &work, &merged)?);
    let truth = which::which("true").map_err(|e| format!("no `true` on PATH: {e}"))?;
    let mut cmd = Command::new(truth);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let m = Arc::clone(&mount);
    // SAFETY: `enter` makes only async-signal-safe calls.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || m.enter());
    }
    let result = match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("probe exited with {s}")),
        Err(e) => Err(format!("mounting overlayfs failed: {e}")),
    };
    make_removable(scratch.path());
    result
}

/// Everything a forked child needs to mount the overlay, prepared before the
/// fork so that the child allocates nothing.
#[derive(Debug)]
pub struct OverlayMount {
    target: CString,
    /// Options for a mount by a privileged process (trusted xattrs).
    options_root: CString,
    /// Options inside a user namespace (user xattrs).
    options_user: CString,
    ids: IdMaps,
}

impl OverlayMount {
    /// Prepares a mount of `lower` (read-only) + `upper` on `target`.
    pub fn new(lower: &Path, upper: &Path, work: &Path, target: &Path) -> Result<Self, String> {
        for p in [lower, upper, work] {
            let bytes = p.as_os_str().as_bytes();
            if bytes.contains(&b',') || bytes.contains(&b':') {
                return Err(format!(
                    "path {} holds ',' or ':', which overlayfs options cannot carry",
                    p.display()
                ));
            }
        }
        let base = format!(
            "lowerdir={},upperdir={},workdir={}",
            lower.display(),
            upper.display(),
            work.display()
        );
        Ok(OverlayMount {
            target: cstring(target)?,
            options_root: CString::new(base.clone()).map_err(|e| e.to_string())?,
            options_user: CString::new(format!("{base},userxattr")).map_err(|e| e.to_string())?,
            ids: IdMaps::ours()?,
        })
    }

    /// Runs in the child between fork and exec: enter a private mount
    /// namespace (through a user namespace when not privileged) and mount.
    /// Only async-signal-safe system calls on pre-built strings.
    pub fn enter(&self) -> io::Result<()> {
        // SAFETY: plain system calls on valid NUL-terminated strings.
        unsafe {
            let in_userns = self.ids.unshare(libc::CLONE_NEWNS)?;
            let flags = (libc::MS_REC | libc::MS_PRIVATE) as libc::c_ulong;
            if libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                flags,
                std::ptr::null(),
            ) != 0
            {
                return Err(io::Error::last_os_error());
            }
            self.mount(in_userns)
        }
    }

    /// Mounts the overlay in the current (private) mount namespace;
    /// `in_userns` says whether that namespace belongs to a user namespace
    /// of ours (user xattrs) or to the host's root (trusted xattrs).
    /// Only an async-signal-safe system call on pre-built strings.
    pub fn mount(&self, in_userns: bool) -> io::Result<()> {
        let options = if in_userns {
            &self.options_user
        } else {
            &self.options_root
        };
        // SAFETY: a plain system call on valid NUL-terminated strings.
        unsafe {
            if libc::mount(
                c"overlay".as_ptr(),
                self.target.as_ptr(),
                c"overlay".as_ptr(),
                0,
                options.as_ptr().cast(),
            ) != 0
            {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

/// Overlayfs leaves `work/work` with mode 000; an unprivileged owner must
/// open it up again before the tree can be removed.
pub fn make_removable(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&dir) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        if meta.permissions().mode() & 0o700 != 0o700 {
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            stack.extend(entries.flatten().map(|e| e.path()));
        }
    }
}
