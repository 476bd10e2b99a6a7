//! The fuzzer's input: one generated program (its AST, not its text), so
//! mutations work on structure and every input renders to valid syntax.

use libafl::corpus::CorpusId;
use libafl::inputs::Input;
use serde::{Deserialize, Serialize};

use crate::lean::ast::Program;
use crate::lean::render::render_program;
use crate::triage::store::content_hash;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgramInput {
    pub program: Program,
}

impl Input for ProgramInput {
    /// The corpus file name: a hash of the rendered text, so the same
    /// program found by two clients is stored once.
    fn generate_name(&self, _id: Option<CorpusId>) -> String {
        content_hash(&render_program(&self.program).text)[..16].to_string()
    }
}
