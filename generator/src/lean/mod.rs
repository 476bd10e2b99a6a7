//! The program model: a typed AST for a Lean 4 subset, type-directed and
//! depth-bounded generation, and rendering to Lean text. No LibAFL here.

pub mod ast;
pub mod depth;
pub mod env;
pub mod eval;
pub mod families;
pub mod gen;
pub mod hygiene;
pub mod mutate;
pub mod names;
pub mod render;
pub mod replay;
pub mod stats;
pub mod suffix;
pub mod types;
pub mod validity;
pub mod version;
