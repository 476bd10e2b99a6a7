//! One locked directory per process under the work root, and the sweep of
//! those whose process is gone.
//!
//! Workspaces are removed when a test ends, on Ctrl-C and on a panic of
//! ours, but a `kill -9` (or a power cut) runs no code. So every process
//! puts its workspaces under `<work root>/leanfuzz-run-XXXXXX/`, holding an
//! exclusive `flock` on its `.lock` for as long as it lives; the kernel
//! drops the lock when the process dies, however it dies. At start, every
//! `leanfuzz-run-*` directory whose lock can be taken belongs to a dead
//! process and is removed. Two campaigns sharing a work root never sweep
//! each other's: a living process's lock cannot be taken.
//!
//! Processes forked without `exec` (LLMP clients) inherit the lock and use
//! their parent's directory, so a campaign's directory lives until its last
//! process is gone. Stage processes are `exec`ed and do not hold it (Rust
//! opens files close-on-exec).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::error::HarnessError;
use super::isolation::make_removable;

/// Prefix of the per-process directories: the sweep touches nothing else.
pub const RUN_PREFIX: &str = "leanfuzz-run-";
/// Prefix of a run dir being made (before its lock is held).
const NEW_PREFIX: &str = ".leanfuzz-new-";
const LOCK_FILE: &str = ".lock";
/// A directory without its lock file this young may be one another
/// process is creating right now.
const CREATION_GRACE: Duration = Duration::from_secs(60);

struct Session {
    root: PathBuf,
    dir: PathBuf,
    owner: u32,
    _lock: File,
}

static SESSIONS: Mutex<Vec<Session>> = Mutex::new(Vec::new());

/// This process's locked directory under `root` (created, and `root`
/// swept of dead processes' directories, on the first call for `root`).
/// A forked child gets its parent's.
pub fn claim(root: &Path) -> Result<PathBuf, HarnessError> {
    let mut sessions = SESSIONS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = sessions.iter().find(|s| s.root == root) {
        return Ok(s.dir.clone());
    }
    let swept = sweep(root);
    if swept > 0 {
        eprintln!(
            "removed {swept} work dir(s) of stopped runs from {}",
            root.display()
        );
    }
    let work_err = |error| HarnessError::WorkDir {
        path: root.to_path_buf(),
        error,
    };
    // Made under a name the sweep leaves to its maker, locked, then given
    // its name: a sweeper never sees a run dir whose lock is not yet held.
    let new = tempfile::Builder::new()
        .prefix(NEW_PREFIX)
        .tempdir_in(root)
        .map_err(work_err)?
        .keep();
    let lock_path = new.join(LOCK_FILE);
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::from))
        .map_err(|error| HarnessError::WorkDir {
            path: lock_path.clone(),
            error,
        })?;
    let suffix = new
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_start_matches(NEW_PREFIX)
                .to_string()
        })
        .unwrap_or_default();
    let dir = root.join(format!("{RUN_PREFIX}{suffix}"));
    std::fs::rename(&new, &dir).map_err(|error| HarnessError::WorkDir {
        path: dir.clone(),
        error,
    })?;
    sessions.push(Session {
        root: root.to_path_buf(),
        dir: dir.clone(),
        owner: std::process::id(),
        _lock: lock,
    });
    Ok(dir)
}

/// Removes this process's directories (at a normal exit). A forked child
/// leaves its parent's alone.
pub fn release_all() {
    let mut sessions = SESSIONS.lock().unwrap_or_else(|p| p.into_inner());
    let me = std::process::id();
    sessions.retain(|s| {
        if s.owner != me {
            return true;
        }
        make_removable(&s.dir);
        if let Err(e) = std::fs::remove_dir_all(&s.dir) {
            eprintln!("warning: cannot remove work dir {}: {e}", s.dir.display());
        }
        false
    });
}

/// Removes every `leanfuzz-run-*` directory under `root` whose process is
/// gone; returns how many.
pub fn sweep(root: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(root) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let making = name.starts_with(NEW_PREFIX);
        if !name.starts_with(RUN_PREFIX) && !making {
            continue;
        }
        let dir = entry.path();
        // One still being made is its maker's, unless its maker died
        // making it long ago.
        if !entry.file_type().is_ok_and(|t| t.is_dir())
            || (making && !older_than_grace(&dir))
            || !abandoned(&dir)
        {
            continue;
        }
        make_removable(&dir);
        if std::fs::remove_dir_all(&dir).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether no living process holds `dir`'s lock. A directory whose lock
/// file is missing counts as abandoned once it is older than the grace
/// time of its creation.
fn abandoned(dir: &Path) -> bool {
    match File::open(dir.join(LOCK_FILE)) {
        // Taken: nobody holds it. (Released when this call returns; a
        // second sweeper removing the same directory meanwhile is harmless.)
        Ok(f) => f.try_lock().is_ok(),
        Err(_) => older_than_grace(dir),
    }
}

fn older_than_grace(dir: &Path) -> bool {
    std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > CREATION_GRACE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_living_processs_dir_is_kept_and_a_dead_ones_swept() {
        let root = tempfile::tempdir().unwrap();
        let mine = claim(root.path()).unwrap();
        assert!(mine.starts_with(root.path()));
        assert_eq!(claim(root.path()).unwrap(), mine, "one dir per process");

        // A stopped run: its lock file exists but nobody holds it.
        let dead = root.path().join(format!("{RUN_PREFIX}dead"));
        std::fs::create_dir_all(dead.join("leanfuzz-ws-x/project")).unwrap();
        File::create(dead.join(LOCK_FILE)).unwrap();
        // Not ours to touch.
        let other = root.path().join("someone-else");
        std::fs::create_dir(&other).unwrap();

        assert_eq!(sweep(root.path()), 1);
        assert!(!dead.exists());
        assert!(mine.is_dir(), "our own locked dir survives a sweep");
        assert!(other.is_dir());

        release_all();
        assert!(!mine.exists());
    }
}
