//! Finding the target tools: `lake`, `lean`, comparator and the helpers
//! comparator calls (lean4export, landrun, nanoda). A missing or broken tool
//! is one line saying what is missing and where to get it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::error::HarnessError;

/// How to install Lean and Lake.
pub const LEAN_HINT: &str = "install Lean with elan (https://github.com/leanprover/elan), \
     then open a new shell so that ~/.elan/bin is on PATH";
/// How to get comparator.
pub const COMPARATOR_HINT: &str = "build it from https://github.com/leanprover/comparator \
     (`lake build comparator`) and pass --comparator PATH, set COMPARATOR_PATH, or put it on PATH";

/// How to get SafeVerify.
pub const SAFEVERIFY_HINT: &str = "build it from https://github.com/GasStationManager/SafeVerify \
     (`lake build`, which writes .lake/build/bin/safe_verify) on the template's Lean, and pass \
     --safeverify PATH, set SAFEVERIFY_PATH, or put safe_verify on PATH";
/// How to get lean4checker.
pub const LEAN4CHECKER_HINT: &str = "Lean >= 4.28 ships it as `leanchecker` (on PATH with elan); \
     or build https://github.com/leanprover/lean4checker on the template's Lean; pass \
     --lean4checker PATH, set LEAN4CHECKER_PATH, or put lean4checker on PATH";

/// A helper program comparator runs, with the variable that overrides it.
#[derive(Debug, Clone, Copy)]
pub struct Helper {
    pub name: &'static str,
    pub env: &'static str,
    pub required: bool,
    pub hint: &'static str,
}

/// comparator's helpers, per its README.
pub const HELPERS: &[Helper] = &[
    Helper {
        name: "lean4export",
        env: "COMPARATOR_LEAN4EXPORT",
        required: true,
        hint: "build https://github.com/leanprover/lean4export at the template's Lean version",
    },
    Helper {
        name: "landrun",
        env: "COMPARATOR_LANDRUN",
        required: true,
        hint: "build https://github.com/Zouuup/landrun, or set COMPARATOR_LANDRUN to comparator's scripts/fake-landrun.sh",
    },
    Helper {
        name: "nanoda_bin",
        env: "COMPARATOR_NANODA",
        required: false,
        hint: "optional: build https://github.com/ammkrn/nanoda_lib (only for enable_nanoda)",
    },
];

/// A located tool and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub name: String,
    pub path: PathBuf,
    /// `PATH`, `--comparator`, or the environment variable that named it.
    pub source: String,
}

/// Checks that `path` is a regular file with an execute bit.
pub fn check_executable(tool: &str, path: &Path) -> Result<PathBuf, HarnessError> {
    let not_exec = || HarnessError::ToolNotExecutable {
        tool: tool.to_string(),
        path: path.to_path_buf(),
    };
    let meta = std::fs::metadata(path).map_err(|e| HarnessError::ToolMissing {
        tool: tool.to_string(),
        hint: format!("{}: {e}", path.display()),
    })?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(not_exec());
    }
    path.canonicalize().map_err(|_| not_exec())
}

/// Finds `name` on PATH. A PATH entry that exists but cannot be executed is
/// reported as such rather than as missing.
pub fn on_path(name: &str) -> Option<Result<PathBuf, HarnessError>> {
    match which::which(name) {
        Ok(p) => Some(check_executable(name, &p)),
        Err(_) => {
            let paths = std::env::var_os("PATH")?;
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
                .map(|p| check_executable(name, &p))
        }
    }
}

/// `lake`, which the pipeline needs for every test.
pub fn find_lake() -> Result<Tool, HarnessError> {
    find_on_path("lake", LEAN_HINT)
}

/// `lean`, which comparator needs on PATH.
pub fn find_lean() -> Result<Tool, HarnessError> {
    find_on_path("lean", LEAN_HINT)
}

fn find_on_path(name: &str, hint: &str) -> Result<Tool, HarnessError> {
    match on_path(name) {
        Some(Ok(path)) => Ok(Tool {
            name: name.into(),
            path,
            source: "PATH".into(),
        }),
        Some(Err(e)) => Err(e),
        None => Err(HarnessError::ToolMissing {
            tool: name.into(),
            hint: format!("`{name}` is not on PATH; {hint}"),
        }),
    }
}

/// comparator: `--comparator` first, then `COMPARATOR_PATH`, then PATH.
pub fn find_comparator(flag: Option<&Path>) -> Result<Tool, HarnessError> {
    let named = |path: &Path, source: &str| -> Result<Tool, HarnessError> {
        Ok(Tool {
            name: "comparator".into(),
            path: check_executable("comparator", path)?,
            source: source.into(),
        })
    };
    if let Some(p) = flag {
        return named(p, "--comparator");
    }
    if let Some(p) = std::env::var_os("COMPARATOR_PATH").filter(|p| !p.is_empty()) {
        return named(Path::new(&p), "COMPARATOR_PATH");
    }
    find_on_path("comparator", COMPARATOR_HINT).map_err(|e| match e {
        HarnessError::ToolMissing { tool, .. } => HarnessError::ToolMissing {
            tool,
            hint: COMPARATOR_HINT.into(),
        },
        other => other,
    })
}

/// A judge tool: the flag first, then the variable `env`, then each of
/// `names` on PATH (a flag or variable must name an executable).
fn find_judge_tool(
    tool: &str,
    flag: Option<&Path>,
    flag_name: &str,
    env: &str,
    names: &[&str],
    hint: &str,
) -> Result<Tool, HarnessError> {
    let named = |path: &Path, source: &str| -> Result<Tool, HarnessError> {
        Ok(Tool {
            name: tool.into(),
            path: check_executable(tool, path)?,
            source: source.into(),
        })
    };
    if let Some(p) = flag {
        return named(p, flag_name);
    }
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return named(Path::new(&p), env);
    }
    for name in names {
        if let Some(found) = on_path(name) {
            return found.map(|path| Tool {
                name: tool.into(),
                path,
                source: "PATH".into(),
            });
        }
    }
    Err(HarnessError::ToolMissing {
        tool: tool.into(),
        hint: hint.into(),
    })
}

/// SafeVerify: `--safeverify` first, then `SAFEVERIFY_PATH`, then
/// `safe_verify` on PATH (the executable its lakefile builds).
pub fn find_safeverify(flag: Option<&Path>) -> Result<Tool, HarnessError> {
    find_judge_tool(
        "safe_verify",
        flag,
        "--safeverify",
        "SAFEVERIFY_PATH",
        &["safe_verify"],
        SAFEVERIFY_HINT,
    )
}

/// lean4checker: `--lean4checker` first, then `LEAN4CHECKER_PATH`, then
/// `lean4checker` on PATH, then Lean's own `leanchecker` (lean4checker's
/// README: built into every toolchain from v4.28.0, same interface).
pub fn find_lean4checker(flag: Option<&Path>) -> Result<Tool, HarnessError> {
    find_judge_tool(
        "lean4checker",
        flag,
        "--lean4checker",
        "LEAN4CHECKER_PATH",
        &["lean4checker", "leanchecker"],
        LEAN4CHECKER_HINT,
    )
}

/// The Lean a judge tool runs on: the `lean-toolchain` of the Lake project
/// that built it, or, for a `leanchecker` inside an elan toolchain
/// (`~/.elan/toolchains/<name>/bin/leanchecker`), that toolchain's name
/// (`leanprover--lean4---v4.34.0-rc2` → `leanprover/lean4:v4.34.0-rc2`).
pub fn judge_toolchain(binary: &Path) -> Option<String> {
    if let Some((tc, _)) = built_toolchain(binary) {
        return Some(tc);
    }
    let dir = binary.parent()?.parent()?;
    if dir.parent()?.file_name()? != "toolchains" {
        return None;
    }
    let name = dir.file_name()?.to_str()?;
    let (origin, version) = name.split_once("---")?;
    Some(format!("{}:{version}", origin.replace("--", "/")))
}

/// A comparator helper: its override variable when set (which must then
/// point at an executable), else PATH. `Ok(None)` when not found at all.
pub fn find_helper(helper: &Helper) -> Result<Option<Tool>, HarnessError> {
    if let Some(p) = std::env::var_os(helper.env).filter(|p| !p.is_empty()) {
        let path = check_executable(helper.env, Path::new(&p))?;
        return Ok(Some(Tool {
            name: helper.name.into(),
            path,
            source: helper.env.into(),
        }));
    }
    match on_path(helper.name) {
        Some(Ok(path)) => Ok(Some(Tool {
            name: helper.name.into(),
            path,
            source: "PATH".into(),
        })),
        Some(Err(e)) => Err(e),
        None => Ok(None),
    }
}

/// Checks every helper override variable that is set: comparator would fail
/// on each test if one pointed nowhere, so we say so once, up front.
pub fn check_helper_overrides() -> Result<(), HarnessError> {
    for helper in HELPERS {
        if std::env::var_os(helper.env).is_some_and(|v| !v.is_empty()) {
            find_helper(helper)?;
        }
    }
    Ok(())
}

/// The `lean-toolchain` of the comparator checkout a binary was built in
/// (`<repo>/.lake/build/bin/comparator`), to compare with the template's.
pub fn comparator_toolchain(comparator: &Path) -> Option<String> {
    built_toolchain(comparator).map(|(tc, _)| tc)
}

/// The Lean toolchain a Lake-built binary (`<pkg>/.lake/build/bin/<exe>`)
/// was built with, and the `lean-toolchain` file that says so. A package
/// built as a dependency (`<root>/.lake/packages/<pkg>/…`, as comparator's
/// README builds lean4export: `lake build lean4export comparator`) is
/// compiled by the root project's Lean, not its own `lean-toolchain`: Lake
/// runs one toolchain, elan's choice for the root.
pub fn built_toolchain(binary: &Path) -> Option<(String, PathBuf)> {
    let pkg = binary.parent()?.parent()?.parent()?.parent()?;
    let packages = pkg.parent()?;
    let root = (packages.file_name()? == "packages" && packages.parent()?.file_name()? == ".lake")
        .then(|| packages.parent()?.parent())
        .flatten()
        .unwrap_or(pkg);
    let file = root.join("lean-toolchain");
    let tc = std::fs::read_to_string(&file).ok()?.trim().to_string();
    (!tc.is_empty()).then_some((tc, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn non_executable_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("comparator");
        std::fs::write(&f, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = find_comparator(Some(&f)).unwrap_err().to_string();
        assert!(err.contains("not an executable"), "{err}");
        assert!(err.contains(&f.display().to_string()), "{err}");
    }

    #[test]
    fn missing_comparator_path_is_named() {
        let err = find_comparator(Some(Path::new("/nonexistent/comparator")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/comparator"), "{err}");
    }

    #[test]
    fn a_dependency_is_built_by_its_root_projects_toolchain() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("comparator");
        let dep = root.join(".lake/packages/lean4export");
        std::fs::create_dir_all(dep.join(".lake/build/bin")).unwrap();
        std::fs::create_dir_all(root.join(".lake/build/bin")).unwrap();
        std::fs::write(
            root.join("lean-toolchain"),
            "leanprover/lean4:v4.34.0-rc2\n",
        )
        .unwrap();
        std::fs::write(dep.join("lean-toolchain"), "leanprover/lean4:v4.31.0-rc2\n").unwrap();
        let (tc, file) = built_toolchain(&dep.join(".lake/build/bin/lean4export")).unwrap();
        assert_eq!(tc, "leanprover/lean4:v4.34.0-rc2");
        assert_eq!(file, root.join("lean-toolchain"));
        // A checkout of its own is built by its own toolchain.
        let alone = dir.path().join("lean4export");
        std::fs::create_dir_all(alone.join(".lake/build/bin")).unwrap();
        std::fs::write(alone.join("lean-toolchain"), "leanprover/lean4:v4.31.0-rc2").unwrap();
        let (tc, _) = built_toolchain(&alone.join(".lake/build/bin/lean4export")).unwrap();
        assert_eq!(tc, "leanprover/lean4:v4.31.0-rc2");
        assert_eq!(
            comparator_toolchain(&root.join(".lake/build/bin/comparator")).unwrap(),
            "leanprover/lean4:v4.34.0-rc2"
        );
    }

    #[test]
    fn judge_tools_follow_flag_then_variable() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("safe_verify");
        std::fs::write(&f, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
        let t = find_safeverify(Some(&f)).unwrap();
        assert_eq!(t.source, "--safeverify");
        let err = find_lean4checker(Some(Path::new("/nonexistent/lean4checker")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/lean4checker"), "{err}");
        let elan = dir
            .path()
            .join("toolchains/leanprover--lean4---v4.34.0-rc2/bin");
        std::fs::create_dir_all(&elan).unwrap();
        assert_eq!(
            judge_toolchain(&elan.join("leanchecker")).as_deref(),
            Some("leanprover/lean4:v4.34.0-rc2")
        );
    }

    #[test]
    fn directory_is_not_executable() {
        let dir = tempfile::tempdir().unwrap();
        let err = check_executable("lake", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an executable"), "{err}");
    }
}
