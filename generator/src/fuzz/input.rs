//! The fuzzer's input: one generated program (its AST, not its text), so
//! mutations work on structure and every input renders to valid syntax.

use libafl::corpus::CorpusId;
use libafl::inputs::Input;
use serde::{Deserialize, Serialize};

use crate::lean::ast::Program;
use crate::lean::families::decl_families;
use crate::lean::render::render_program;
use crate::triage::store::content_hash;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgramInput {
    pub program: Program,
}

impl ProgramInput {
    /// The construct families of the program, sorted and without repeats
    /// (novelty is judged on them).
    pub fn families(&self) -> Vec<String> {
        let mut families: Vec<String> = self
            .program
            .decls
            .iter()
            .flat_map(decl_families)
            .map(|f| f.name().to_string())
            .collect();
        families.sort();
        families.dedup();
        families
    }
}

impl Input for ProgramInput {
    /// The corpus file name: a hash of the rendered text, so the same
    /// program found by two clients is stored once.
    fn generate_name(&self, _id: Option<CorpusId>) -> String {
        content_hash(&render_program(&self.program).text)[..16].to_string()
    }
}
