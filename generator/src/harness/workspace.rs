//! A fresh, disposable copy of the template per test. The small top-level
//! files are copied; `.lake` is shared read-only through overlayfs or copied
//! whole (see [`super::isolation`]). The directory is removed when the
//! [`Workspace`] is dropped: after the test, on Ctrl-C (the wait loop returns
//! and unwinds normally) and on a panic of ours (unwinding runs `Drop`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

use super::error::HarnessError;
use super::isolation::{make_removable, IsolationMode, OverlayMount};
use super::template::Template;

/// Top-level template entries never copied into a workspace.
const SKIP_TOP: &[&str] = &[".lake", ".git"];

/// One test's project directory.
#[derive(Debug)]
pub struct Workspace {
    dir: TempDir,
    project: PathBuf,
    overlay: Option<Arc<OverlayMount>>,
}

impl Workspace {
    /// Builds the workspace for one test with `solution` as the solution
    /// module's source.
    pub fn create(
        template: &Template,
        work_root: &Path,
        mode: IsolationMode,
        solution: &str,
    ) -> Result<Self, HarnessError> {
        let dir = tempfile::Builder::new()
            .prefix("leanfuzz-ws-")
            .tempdir_in(work_root)
            .map_err(|error| HarnessError::WorkDir {
                path: work_root.to_path_buf(),
                error,
            })?;
        let project = dir.path().join("project");
        copy_tree(&template.root, &project, SKIP_TOP)?;

        let lake = template.lake_dir();
        let ws_lake = project.join(".lake");
        let mut overlay = None;
        if lake.is_dir() {
            match mode {
                IsolationMode::Copy => copy_tree(&lake, &ws_lake, &[])?,
                IsolationMode::Overlay => {
                    let upper = dir.path().join("upper");
                    let work = dir.path().join("overlay-work");
                    for d in [&ws_lake, &upper, &work] {
                        fs::create_dir(d).map_err(|e| HarnessError::workspace(d, e))?;
                    }
                    let mount =
                        OverlayMount::new(&lake, &upper, &work, &ws_lake).map_err(|why| {
                            HarnessError::Isolation {
                                mode: "overlay".into(),
                                why,
                            }
                        })?;
                    overlay = Some(Arc::new(mount));
                }
            }
        }

        let solution_path = project.join(template.solution_file());
        if let Some(parent) = solution_path.parent() {
            fs::create_dir_all(parent).map_err(|e| HarnessError::workspace(parent, e))?;
        }
        fs::write(&solution_path, solution)
            .map_err(|e| HarnessError::workspace(&solution_path, e))?;
        Ok(Workspace {
            dir,
            project,
            overlay,
        })
    }

    /// The Lake project root inside the workspace (the stages' cwd).
    pub fn project_dir(&self) -> &Path {
        &self.project
    }

    /// The overlay every stage must mount, if the mode is overlay.
    pub fn overlay(&self) -> Option<Arc<OverlayMount>> {
        self.overlay.clone()
    }

    /// The temporary directory holding the whole workspace.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if self.overlay.is_some() {
            make_removable(&self.dir.path().join("overlay-work"));
        }
        // TempDir's own Drop removes the tree.
    }
}

/// Copies a tree: files with their permissions and modification times
/// (Lake decides freshness partly from mtimes), symlinks as symlinks.
/// `skip` names top-level entries to leave out.
pub fn copy_tree(src: &Path, dst: &Path, skip: &[&str]) -> Result<(), HarnessError> {
    fs::create_dir_all(dst).map_err(|e| HarnessError::workspace(dst, e))?;
    let entries = fs::read_dir(src).map_err(|e| HarnessError::TemplateBroken {
        path: src.to_path_buf(),
        what: format!("cannot read: {e}"),
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| HarnessError::TemplateBroken {
            path: src.to_path_buf(),
            what: format!("cannot read: {e}"),
        })?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        let meta = fs::symlink_metadata(&from).map_err(|e| HarnessError::TemplateBroken {
            path: from.clone(),
            what: e.to_string(),
        })?;
        if meta.is_dir() {
            copy_tree(&from, &to, &[])?;
        } else if meta.file_type().is_symlink() {
            let target = fs::read_link(&from).map_err(|e| HarnessError::TemplateBroken {
                path: from.clone(),
                what: e.to_string(),
            })?;
            std::os::unix::fs::symlink(target, &to).map_err(|e| HarnessError::workspace(&to, e))?;
        } else if meta.is_file() {
            copy_file(&from, &to, &meta).map_err(|e| HarnessError::workspace(&to, e))?;
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path, meta: &fs::Metadata) -> io::Result<()> {
    fs::copy(from, to)?;
    let times = fs::FileTimes::new()
        .set_modified(meta.modified()?)
        .set_accessed(meta.accessed()?);
    // futimens needs ownership, not write access: read-only files work too.
    fs::File::open(to)?.set_times(times)
}
