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
use crate::kernel::variants::{changed, variant, Relation, Scope};
use crate::kernel::{Decl, Name};

/// Which variant to compare with: recorded with a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metamorphic {
    pub relation: Relation,
    pub seed: u64,
    /// Declarations before this index are left as they are (the prelude).
    #[serde(default)]
    pub from: usize,
    /// The declaration the variant changes, once known: the variant then
    /// follows it (a reduction removes and renumbers declarations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decl: Option<String>,
}

impl Metamorphic {
    /// Where its variant applies in `decls`: its declaration when that is
    /// there, else the declarations from `from` on.
    fn scope(&self, decls: &[Decl]) -> Scope {
        match &self.decl {
            Some(name) => {
                let n = Name::from_dotted(name);
                if decls.iter().any(|d| d.names().contains(&&n)) {
                    return Scope::Named(n);
                }
                Scope::From(self.from)
            }
            None => Scope::From(self.from),
        }
    }

    /// The same comparison pinned to the declaration its variant of
    /// `decls` changes.
    pub fn pinned(mut self, decls: &[Decl]) -> Metamorphic {
        if self.decl.is_none() {
            self.decl = variant(decls, &self.scope(decls), self.relation, self.seed)
                .and_then(|v| changed(decls, &v))
                .map(|n| n.to_string());
        }
        self
    }
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
    let Some(changed) = variant(decls, &spec.scope(decls), spec.relation, spec.seed) else {
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
