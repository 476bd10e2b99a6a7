//! The generator's label on Lean programs with a `hidden-axiom`
//! declaration ([`crate::lean::gen::axioms`]): their replay theorem depends
//! on an axiom no config permits, so comparator must refuse them at its
//! axiom check (`Comparator/Axioms.lean`, at 19e111e). The replay config
//! accepting one is an `unexpected-accept`.

use crate::harness::{Classification, Report, Verdict};
use crate::lean::ast::{Decl, Program};
use crate::lean::gen::axioms::is_hidden_axiom;

/// The signature of the finding.
pub const REPLAY_ACCEPTED_AXIOM: &str = "unexpected-accept:replay-accepted-axiom";

/// Judges a program's report against its hidden axioms.
pub fn judge(program: &Program, report: Report) -> Report {
    if report.signature() != "replay-ok" {
        return report;
    }
    let Some(Decl::Def(ax)) = program.decls.iter().find(|d| is_hidden_axiom(d)) else {
        return report;
    };
    let evidence = format!(
        "comparator's replay config accepted a program whose replay theorem depends on `axiom {}`",
        ax.name
    );
    report.reclassified(Classification::new(
        Verdict::UnexpectedAccept,
        REPLAY_ACCEPTED_AXIOM,
        evidence,
    ))
}
