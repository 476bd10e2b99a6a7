//! The targets' inputs as LibAFL inputs: a corpus entry's file name is the
//! target's stable name of the input (a hash of its file's text), so the
//! same input found by two clients is stored once.

use libafl::corpus::CorpusId;
use libafl::inputs::Input;

use crate::harness::kernels::KernelChecker;
use crate::targets::kernels::{KernelInput, KernelTarget};
use crate::targets::program::{ProgramInput, ProgramTarget};
use crate::targets::Target;

impl Input for ProgramInput {
    fn generate_name(&self, _id: Option<CorpusId>) -> String {
        ProgramTarget::input_name(self)
    }
}

impl Input for KernelInput {
    fn generate_name(&self, _id: Option<CorpusId>) -> String {
        KernelTarget::<KernelChecker>::input_name(self)
    }
}
