//! The generator's label as an oracle. A kernel that rejects a well-formed
//! environment is an `unexpected-reject` finding (a completeness bug of the
//! kernel, or a generator bug); one that accepts an ill-formed environment
//! is `unexpected-accept` (soundness class), and accepting a theorem of
//! `False` without axioms is `soundness`. An ill-formed environment
//! rejected *before* its labelled declaration is `unexpected-reject` too.
//! Which declaration failed first is found by cutting the export at
//! declaration boundaries (kernels check in file order and stop at the
//! first failure), and its kind goes into the signature beside the
//! kernel's normalized reason.

use serde::{Deserialize, Serialize};

use crate::harness::kernels::{reason, KernelChecker, ALL_ACCEPT, ALL_REJECT};
use crate::harness::{Checker, Classification, HarnessError, KernelAnswer, Report, Verdict};
use crate::kernel::faults::FormatFault;
use crate::kernel::ndjson::{self, ExportMeta};
use crate::kernel::{false_theorem, Decl};
use crate::oracles::metamorphic::{self, Metamorphic};

/// What the generator claims about an environment it built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "label", rename_all = "kebab-case")]
pub enum Label {
    /// Nothing is claimed (a seed file, a hand-written export, a mutation
    /// that may have cut what made it ill-formed).
    #[default]
    Unknown,
    /// Every declaration is well-formed: every kernel must accept.
    WellFormed,
    /// The first ill-formed declaration, in file order, and its family:
    /// every kernel must accept what comes before it and reject it.
    IllFormed { family: String, decl: String },
    /// The file breaks the export format (`kernel::faults`): every kernel
    /// must decline or reject it.
    FormatFault { fault: String },
}

impl Label {
    /// The label of a part of the environment (a reduction candidate):
    /// an ill-formed label holds while its declaration is there.
    pub fn restricted_to(&self, decls: &[Decl]) -> Label {
        match self {
            Label::IllFormed { decl, .. } if position_of(decls, decl).is_none() => Label::Unknown,
            l => l.clone(),
        }
    }
}

fn position_of(decls: &[Decl], name: &str) -> Option<usize> {
    decls
        .iter()
        .position(|d| d.names().iter().any(|n| n.to_string() == name))
}

/// The first declaration a kernel rejects, found by cutting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstFailure {
    pub index: usize,
    pub kernel: String,
    /// The kernel's normalized reason (on the whole file).
    pub reason: String,
}

/// A fuzzing process skips optional re-checks (a confirming cut, a
/// metamorphic variant) of an environment whose own check took longer than
/// this: each would cost as much again, on the inputs that are already the
/// campaign's slowest.
pub const RECHECK_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

/// How often the oracle cuts an ill-formed environment's export to
/// confirm that the kernels reject it at its labelled declaration and not
/// before (one more kernel run each time): always for a family and
/// rejection reason seen fewer than three times, then one time in
/// sixteen — a fuzzing process sees the same few pairs again and again.
/// `main kernels` and `main reduce` confirm always.
#[derive(Debug, Clone, Default)]
pub struct Confirmations {
    seen: std::collections::HashMap<String, u32>,
    always: bool,
}

impl Confirmations {
    /// Confirm every time.
    pub fn always() -> Self {
        Confirmations {
            always: true,
            ..Default::default()
        }
    }

    fn due(&mut self, family: &str, report: &Report) -> bool {
        if self.always {
            return true;
        }
        if report.total > RECHECK_LIMIT {
            return false;
        }
        let why = report
            .kernel_runs()
            .find(|(_, a)| *a == KernelAnswer::Reject)
            .map(|(s, _)| format!("{}|{}", s.name, reason(s)))
            .unwrap_or_default();
        let n = self.seen.entry(format!("{family}|{why}")).or_default();
        *n += 1;
        *n <= 3 || (*n).is_multiple_of(16)
    }
}

/// Checks an environment with `checker` and judges the report as
/// [`judge_checked`] does.
pub fn judge_environment(
    checker: &KernelChecker,
    decls: &[Decl],
    label: &Label,
    metamorphic: Option<&Metamorphic>,
    confirmations: &mut Confirmations,
) -> Result<Report, HarnessError> {
    let report = checker.check(&ndjson::write(decls, &ExportMeta::default()))?;
    judge_checked(report, checker, decls, label, metamorphic, confirmations)
}

/// Judges the kernels' `report` on `decls` against `label` (and against a
/// theorem of `False`, whatever the label), then, when that found nothing
/// and `metamorphic` names a variant, against the kernels' answers on the
/// variant; `checker` checks the cut exports and the variant.
pub fn judge_checked(
    report: Report,
    checker: &KernelChecker,
    decls: &[Decl],
    label: &Label,
    metamorphic: Option<&Metamorphic>,
    confirmations: &mut Confirmations,
) -> Result<Report, HarnessError> {
    let check = |ds: &[Decl]| checker.check(&ndjson::write(ds, &ExportMeta::default()));
    let report = judge(report, decls, label, &|k| check(&decls[..k]), confirmations)?;
    match metamorphic {
        // Recorded with a finding (`always`): judged whatever it costs.
        Some(spec) if confirmations.always || report.total <= RECHECK_LIMIT => {
            metamorphic::judge(report, decls, spec, &check)
        }
        _ => Ok(report),
    }
}

/// Judges a kernels' report of `decls` against `label`; `check_prefix(k)`
/// checks the first `k` declarations alone.
fn judge(
    report: Report,
    decls: &[Decl],
    label: &Label,
    check_prefix: &dyn Fn(usize) -> Result<Report, HarnessError>,
    confirmations: &mut Confirmations,
) -> Result<Report, HarnessError> {
    // A crash, a timeout or a disagreement stands: it is more severe.
    if report.verdict() != Verdict::Rejected {
        return Ok(report);
    }
    let accepters: Vec<String> = report
        .kernel_runs()
        .filter(|(_, a)| *a == KernelAnswer::Accept)
        .map(|(s, _)| s.name.clone())
        .collect();
    match (report.signature().to_string().as_str(), label) {
        (ALL_ACCEPT, _) if false_theorem(decls).is_some() => {
            let thm = false_theorem(decls)
                .map(|n| n.to_string())
                .unwrap_or_default();
            Ok(report.reclassified(Classification::new(
                Verdict::Soundness,
                "soundness:kernels-accept-false",
                format!(
                    "{} accept theorem {thm} : False, no axioms",
                    accepters.join("+")
                ),
            )))
        }
        (ALL_ACCEPT, Label::IllFormed { family, decl }) => {
            let who = accepters.join("+");
            Ok(report.reclassified(Classification::new(
                Verdict::UnexpectedAccept,
                format!("unexpected-accept:{who}:{family}"),
                format!("{who} accept {decl}, built ill-formed ({family})"),
            )))
        }
        (ALL_REJECT, Label::WellFormed) => {
            let failure = first_failure(&report, decls.len(), check_prefix)?;
            Ok(unexpected_reject(report, decls, &failure, None))
        }
        (ALL_REJECT, Label::IllFormed { family, decl }) => {
            // Everything before the labelled declaration must pass.
            let Some(at) = position_of(decls, decl) else {
                return Ok(report);
            };
            if !confirmations.due(family, &report) {
                return Ok(report);
            }
            let before = check_prefix(at)?;
            if before.signature() != ALL_REJECT {
                return Ok(report);
            }
            let failure = first_failure(&before, at, check_prefix)?;
            Ok(unexpected_reject(report, decls, &failure, Some(decl)))
        }
        _ => Ok(report),
    }
}

fn unexpected_reject(
    report: Report,
    decls: &[Decl],
    failure: &FirstFailure,
    labelled: Option<&str>,
) -> Report {
    let d = &decls[failure.index];
    let name = d.names().first().map(|n| n.to_string()).unwrap_or_default();
    let kind = d.kind_name();
    let mut evidence = format!(
        "{} rejects {kind} {name} (declaration {} of {}): {}",
        failure.kernel,
        failure.index + 1,
        decls.len(),
        failure.reason
    );
    if let Some(l) = labelled {
        evidence.push_str(&format!("; the ill-formed declaration is {l}, later"));
    }
    report.reclassified(Classification::new(
        Verdict::UnexpectedReject,
        format!(
            "unexpected-reject:{}:{}:{kind}",
            failure.kernel, failure.reason
        ),
        evidence,
    ))
}

/// The first declaration of `decls[..n]` the kernels reject: the smallest
/// prefix they reject, by bisection (`report` is the verdict on all `n`).
fn first_failure(
    report: &Report,
    n: usize,
    check_prefix: &dyn Fn(usize) -> Result<Report, HarnessError>,
) -> Result<FirstFailure, HarnessError> {
    let (kernel, why) = report
        .kernel_runs()
        .find(|(_, a)| *a == KernelAnswer::Reject)
        .map(|(s, _)| (s.name.clone(), reason(s)))
        .unwrap_or_default();
    let rejected = |k: usize| Ok(check_prefix(k)?.signature() == ALL_REJECT);
    let hi = shortest_rejected_prefix(n, &rejected)?;
    Ok(FirstFailure {
        index: hi.saturating_sub(1),
        kernel,
        reason: why,
    })
}

/// The length of the shortest prefix of a file of `n` declarations that
/// `rejected` holds for, by bisection, given that the whole file is
/// rejected (kernels check in order, so a rejected prefix stays rejected
/// when it grows). Its last declaration is the first one rejected.
fn shortest_rejected_prefix(
    n: usize,
    rejected: &dyn Fn(usize) -> Result<bool, HarnessError>,
) -> Result<usize, HarnessError> {
    // Invariant: the first `lo` are accepted, the first `hi` rejected.
    let (mut lo, mut hi) = (0usize, n);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if rejected(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}

/// Judges kernels' report on a file with a format fault: a kernel that
/// accepts it is `unexpected-accept` (it took a malformed file for an
/// environment); declining or rejecting is as meant.
pub fn judge_format(report: Report, fault: FormatFault) -> Report {
    if report.verdict() != Verdict::Rejected || report.signature() != ALL_ACCEPT {
        return report;
    }
    let who: Vec<String> = report
        .kernel_runs()
        .filter(|(_, a)| *a == KernelAnswer::Accept)
        .map(|(s, _)| s.name.clone())
        .collect();
    let who = who.join("+");
    let fault = fault.name();
    report.reclassified(Classification::new(
        Verdict::UnexpectedAccept,
        format!("unexpected-accept:{who}:format-{fault}"),
        format!("{who} accept an export file with a format fault ({fault})"),
    ))
}

/// Where and why the kernels first reject `decls`, whose whole file they
/// answered with `whole`: the index of the first declaration a prefix is
/// rejected at, the kernel and its words (its output on that prefix);
/// `None` when no kernel rejects the file.
pub fn explain_rejection(
    checker: &KernelChecker,
    decls: &[Decl],
    whole: &Report,
) -> Result<Option<(usize, String, String)>, HarnessError> {
    let rejects = |r: &Report| r.kernel_runs().any(|(_, a)| a == KernelAnswer::Reject);
    if !rejects(whole) || decls.is_empty() {
        return Ok(None);
    }
    let prefix = |k: usize| checker.check(&ndjson::write(&decls[..k], &ExportMeta::default()));
    let hi = shortest_rejected_prefix(decls.len(), &|k| Ok(rejects(&prefix(k)?)))?;
    let at = prefix(hi)?;
    let Some((stage, _)) = at.kernel_runs().find(|(_, a)| *a == KernelAnswer::Reject) else {
        return Ok(None);
    };
    let words = if stage.stderr.trim().is_empty() {
        &stage.stdout
    } else {
        &stage.stderr
    };
    Ok(Some((hi - 1, stage.name.clone(), words.trim().to_string())))
}

/// External kernels with the label oracle, for texts: what `main reduce`
/// and `main kernels` judge an export file with. A candidate keeps the
/// label while its labelled declaration is there.
#[derive(Debug, Clone)]
pub struct LabelledKernels {
    pub checker: KernelChecker,
    pub label: Label,
    /// The variant a metamorphic finding compared with.
    pub metamorphic: Option<Metamorphic>,
}

impl LabelledKernels {
    /// Reads `text` (an export file) and judges it; a file labelled with a
    /// format fault is judged as it is, unread.
    pub fn judge_text(&self, text: &str) -> Result<Report, HarnessError> {
        if let Label::FormatFault { fault } = &self.label {
            let kind = FormatFault::parse(fault)
                .ok_or_else(|| HarnessError::Input(format!("unknown format fault {fault}")))?;
            let report = self.checker.check(text)?;
            // A candidate our reader takes has lost the fault: accepting
            // it is no finding.
            if ndjson::read(text).is_ok() {
                return Ok(report);
            }
            return Ok(judge_format(report, kind));
        }
        let (_, decls) = ndjson::read(text).map_err(|e| HarnessError::Input(e.to_string()))?;
        judge_environment(
            &self.checker,
            &decls,
            &self.label.restricted_to(&decls),
            self.metamorphic.as_ref(),
            &mut Confirmations::always(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::process::Termination;
    use crate::harness::StageReport;
    use std::time::Duration;

    fn rejected(stderr: &str) -> Report {
        let stage = StageReport {
            name: "nanoda".into(),
            command: vec![],
            termination: Termination::Exited { code: 101 },
            duration: Duration::ZERO,
            stdout: String::new(),
            stderr: stderr.into(),
            omitted_bytes: 0,
            answer: Some(KernelAnswer::Reject),
        };
        let c = Classification::new(Verdict::Rejected, ALL_REJECT, "");
        Report {
            signature_hash: c.signature_hash(),
            classification: c,
            stages: vec![stage],
            skipped: vec![],
            judges: vec![],
            judge_split: None,
            workspace_setup: Duration::ZERO,
            total: Duration::ZERO,
        }
    }

    #[test]
    fn confirmations_thin_out_per_family_and_reason() {
        let mut c = Confirmations::default();
        let a = rejected("panicked at src/tc.rs:925:5:\nassertion failed\n");
        let b = rejected("panicked at src/tc.rs:477:5:\ninfer_proj prop\n");
        let due: Vec<bool> = (0..32).map(|_| c.due("loose-bvar", &a)).collect();
        // A slow check is not confirmed in a campaign.
        let mut slow = rejected("panicked at src/tc.rs:925:5:\nassertion failed\n");
        slow.total = RECHECK_LIMIT * 2;
        assert!(!Confirmations::default().due("loose-bvar", &slow));
        assert!(Confirmations::always().due("loose-bvar", &slow));
        assert_eq!(due.iter().filter(|d| **d).count(), 3 + 2, "{due:?}");
        // Another reason, or another family, starts again.
        assert!(c.due("loose-bvar", &b));
        assert!(c.due("theorem-not-prop", &a));
        let mut always = Confirmations::always();
        assert!((0..50).all(|_| always.due("loose-bvar", &a)));
    }
}
