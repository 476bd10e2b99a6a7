//! Metamorphic relations as an oracle: every kernel must give the same
//! answer to a semantics-preserving variant of an environment it checked
//! (`kernel::variants`). A kernel whose answer flips — accept on one,
//! reject or crash on the other — is a `metamorphic:<relation>:<kernel>`
//! finding: the kernel's, not the generator's, since both files mean the
//! same. The variant is made from the relation and a seed recorded with
//! the finding, so `main kernels` and `main reduce` judge it again.

use serde::{Deserialize, Serialize};

use crate::harness::kernels::reason;
use crate::harness::{Classification, HarnessError, KernelAnswer, Report, StageReport, Verdict};
use crate::kernel::variants::{variant, Relation};
use crate::kernel::Decl;

/// Which variant to compare with: recorded with a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metamorphic {
    pub relation: Relation,
    pub seed: u64,
    /// Declarations before this index are left as they are (the prelude).
    #[serde(default)]
    pub from: usize,
}

/// Compares `report` (the kernels' answers on `decls`) with their answers
/// on the variant `spec` makes; `check` checks a list of declarations.
/// A report that is already a finding stands.
pub fn judge(
    report: Report,
    decls: &[Decl],
    spec: &Metamorphic,
    check: &dyn Fn(&[Decl]) -> Result<Report, HarnessError>,
) -> Result<Report, HarnessError> {
    if report.verdict().is_finding() {
        return Ok(report);
    }
    let Some(changed) = variant(decls, spec.from, spec.relation, spec.seed) else {
        return Ok(report);
    };
    let other = check(&changed)?;
    let flip = report.kernel_runs().find_map(|(s, a)| {
        let (t, b) = other.kernel_runs().find(|(t, _)| t.name == s.name)?;
        let decided = |x: KernelAnswer| {
            matches!(
                x,
                KernelAnswer::Accept | KernelAnswer::Reject | KernelAnswer::Crash
            )
        };
        (a != b && decided(a) && decided(b)).then(|| (s.clone(), a, t.clone(), b))
    });
    let Some((orig, a, var, b)) = flip else {
        return Ok(report);
    };
    let word = |x: KernelAnswer| match x {
        KernelAnswer::Accept => "accepts",
        KernelAnswer::Reject => "rejects",
        _ => "crashes on",
    };
    let why = if b == KernelAnswer::Accept {
        reason(&orig)
    } else {
        reason(&var)
    };
    let relation = spec.relation.name();
    let classification = Classification::new(
        Verdict::Metamorphic,
        format!("metamorphic:{relation}:{}", orig.name),
        format!(
            "{} {} the environment and {} its {relation} variant (seed {}): {why}",
            orig.name,
            word(a),
            word(b),
            spec.seed
        ),
    );
    let mut report = report.reclassified(classification);
    report
        .stages
        .extend(other.stages.into_iter().map(|s| StageReport {
            name: format!("{}@{relation}", s.name),
            ..s
        }));
    Ok(report)
}
