//! The pristine Lake project every test is copied from: validated once at
//! start-up so that a broken template is one clear error, not a failure in
//! every test.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::error::HarnessError;

/// The comparator config file inside the template: the soundness config,
/// whose checked theorem is the false challenge (`soundness_check`).
pub const CONFIG_FILE: &str = "config.json";

/// The replay config, when the template has one: its checked theorem
/// (`replay_check : True`) is proved in every generated solution by a term
/// that mentions every generated declaration, so comparator exports and
/// replays all of them through its kernels. Comparator exports only the
/// checked theorems' dependency closure and checks axioms before any
/// kernel runs (comparator `Main.lean`, `compareIt` and `verifyMatch`, at
/// 19e111e), so a sorry-free theorem that depends on everything is the only
/// way a kernel sees a generated declaration.
pub const REPLAY_CONFIG_FILE: &str = "replay.json";

/// The comparator configuration fields we rely on (comparator's README).
/// Unknown fields are kept so the file is passed to comparator unchanged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComparatorConfig {
    pub challenge_module: String,
    pub solution_module: String,
    pub theorem_names: Vec<String>,
    pub permitted_axioms: Vec<String>,
    #[serde(default)]
    pub enable_nanoda: bool,
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A validated template directory.
#[derive(Debug, Clone)]
pub struct Template {
    /// Absolute path of the template.
    pub root: PathBuf,
    /// The soundness config ([`CONFIG_FILE`]).
    pub config: ComparatorConfig,
    /// The replay config ([`REPLAY_CONFIG_FILE`]), when the template has one.
    pub replay: Option<ComparatorConfig>,
}

/// `Foo.Bar` → `Foo/Bar.lean`.
pub fn module_file(module: &str) -> PathBuf {
    let mut p: PathBuf = module.split('.').collect();
    p.set_extension("lean");
    p
}

impl Template {
    /// Checks that `dir` is a Lake project with a well-formed comparator
    /// config naming modules whose source exists (Solution may be absent:
    /// each test writes it).
    pub fn open(dir: &Path) -> Result<Self, HarnessError> {
        if !dir.is_dir() {
            return Err(HarnessError::TemplateMissing(dir.to_path_buf()));
        }
        let root = dir
            .canonicalize()
            .map_err(|_| HarnessError::TemplateMissing(dir.to_path_buf()))?;
        if !root.join("lakefile.toml").is_file() && !root.join("lakefile.lean").is_file() {
            return Err(HarnessError::TemplateNoLakefile(root));
        }
        let config = read_config(&root.join(CONFIG_FILE))?;
        let replay_path = root.join(REPLAY_CONFIG_FILE);
        let replay = if replay_path.exists() {
            let replay = read_config(&replay_path)?;
            if replay.challenge_module != config.challenge_module
                || replay.solution_module != config.solution_module
            {
                return Err(HarnessError::ConfigMalformed {
                    path: replay_path,
                    what: format!(
                        "its modules ({}, {}) differ from {CONFIG_FILE}'s ({}, {})",
                        replay.challenge_module,
                        replay.solution_module,
                        config.challenge_module,
                        config.solution_module
                    ),
                });
            }
            Some(replay)
        } else {
            None
        };
        let challenge = root.join(module_file(&config.challenge_module));
        if !challenge.is_file() {
            return Err(HarnessError::TemplateBroken {
                path: root,
                what: format!(
                    "the challenge module file {} is missing",
                    challenge.display()
                ),
            });
        }
        Ok(Template {
            root,
            config,
            replay,
        })
    }

    /// The template's `.lake`, built once and reused by every test.
    pub fn lake_dir(&self) -> PathBuf {
        self.root.join(".lake")
    }

    /// Path of the solution file, relative to the project root.
    pub fn solution_file(&self) -> PathBuf {
        module_file(&self.config.solution_module)
    }

    /// The `lean-toolchain` line, when the template pins one.
    pub fn lean_toolchain(&self) -> Option<String> {
        std::fs::read_to_string(self.root.join("lean-toolchain"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// Reads and checks one comparator config file.
fn read_config(path: &Path) -> Result<ComparatorConfig, HarnessError> {
    let bad = |what: String| HarnessError::ConfigMalformed {
        path: path.to_path_buf(),
        what,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let config: ComparatorConfig = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if config.theorem_names.is_empty() {
        return Err(bad("theorem_names is empty".into()));
    }
    for (field, module) in [
        ("challenge_module", &config.challenge_module),
        ("solution_module", &config.solution_module),
    ] {
        let valid = !module.is_empty()
            && module
                .split('.')
                .all(|part| !part.is_empty() && !part.contains(['/', '\\']));
        if !valid {
            return Err(bad(format!("{field} {module:?} is not a module name")));
        }
    }
    if config.challenge_module == config.solution_module {
        return Err(bad(
            "challenge_module and solution_module are the same".into()
        ));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(module_file("Solution"), PathBuf::from("Solution.lean"));
        assert_eq!(module_file("Foo.Bar"), PathBuf::from("Foo/Bar.lean"));
    }
}
