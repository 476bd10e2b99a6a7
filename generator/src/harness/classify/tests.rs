//! Classification over the output shapes of real Lake, Lean and comparator
//! runs (Lake's and Lean's documented output; comparator's Main.lean for the judge's lines).

use super::*;

const SOL: &str = "Solution";

fn exited(code: i32) -> Termination {
    Termination::Exited { code }
}

fn build(t: Termination, stdout: &str, stderr: &str) -> Classification {
    classify_build(
        &StageOutput {
            termination: &t,
            stdout,
            stderr,
        },
        SOL,
    )
}

fn judge(t: Termination, stdout: &str, stderr: &str) -> Classification {
    classify_comparator(
        &StageOutput {
            termination: &t,
            stdout,
            stderr,
        },
        SOL,
    )
}

const LAKE_UNKNOWN_ID: &str = "\
✖ [2/3] Building Solution
trace: .> LEAN_PATH=././.lake/build/lib/lean /root/.elan/toolchains/leanprover--lean4---v4.24.0/bin/lean ././././Solution.lean -R ./././. -o ././.lake/build/lib/lean/Solution.olean
error: ././././Solution.lean:3:8: unknown identifier 'fooBar42'
error: ././././Solution.lean:7:2: type mismatch
error: Lean exited with code 1
Some required builds logged failures:
- Solution
error: build failed
";

#[test]
fn lake_success_is_build_ok() {
    let c = build(
        exited(0),
        "✔ [2/3] Built Solution\nBuild completed successfully.\n",
        "",
    );
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(c.signature, "build-ok");
}

#[test]
fn first_located_error_names_the_kind() {
    let c = build(exited(1), LAKE_UNKNOWN_ID, "");
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(c.signature, "build-error:unknown-identifier");
    assert_eq!(c.evidence, "unknown identifier 'fooBar42'");
}

#[test]
fn lean_direct_error_format() {
    let c = build(
        exited(1),
        "",
        "Solution.lean:12:4: error: (kernel) declaration type mismatch, 'x' has type\n",
    );
    assert_eq!(c.signature, "build-error:kernel-declaration-type-mismatch");
}

#[test]
fn kernel_and_limit_messages() {
    for (msg, kind) in [
        ("(kernel) deep recursion detected", "kernel-deep-recursion-detected"),
        ("(kernel) deterministic timeout", "kernel-deterministic-timeout"),
        ("(kernel) unknown constant 'Foo.bar'", "kernel-unknown-constant"),
        ("(kernel) invalid projection\n  x.1", "kernel-invalid-projection"),
        (
            "(deterministic) timeout at `whnf`, maximum number of heartbeats (200000) has been reached",
            "heartbeats",
        ),
        (
            "maximum recursion depth has been reached",
            "maximum-recursion-depth-has-been-reached",
        ),
        ("unexpected token 'at'; expected term", "unexpected-token"),
        ("function expected at\n  f 3", "function-expected-at"),
        ("unknown constant 'x.y.z'", "unknown-constant"),
        ("failed to synthesize\n  Decidable p", "failed-to-synthesize"),
    ] {
        assert_eq!(error_kind(msg), kind, "{msg}");
    }
}

#[test]
fn signatures_do_not_carry_names_or_numbers() {
    let a = build(
        exited(1),
        "error: ././././Solution.lean:3:8: unknown identifier 'x1'\n",
        "",
    );
    let b = build(
        exited(1),
        "error: ././././Solution.lean:99:0: unknown identifier 'zzz'\n",
        "",
    );
    assert_eq!(a.signature, b.signature);
}

#[test]
fn error_without_location_uses_lake_error_line() {
    let c = build(exited(1), "error: unknown target `Solutio`\n", "");
    assert_eq!(c.signature, "build-error:unknown-target");
    let c = build(exited(1), "error: build failed\n", "");
    assert_eq!(c.signature, "build-error:exit-1");
}

#[test]
fn lean_panic_is_a_crash_with_its_location() {
    let out = "PANIC at Lean.Expr.bindingBody! Lean.Expr:1018:23: binding expected\nerror: Lean exited with code 134\nerror: build failed\n";
    let c = build(exited(1), out, "");
    assert_eq!(c.verdict, Verdict::Crash);
    assert_eq!(c.signature, "crash:lean:panic:Lean.Expr.bindingBody!");
}

#[test]
fn panic_in_the_solution_is_grouped() {
    let out = "PANIC at myFun17 Solution:3:4: index out of bounds\n";
    let c = build(exited(1), "", out);
    assert_eq!(c.signature, "crash:lean:panic:in-solution");
}

#[test]
fn internal_panic_and_stack_overflow() {
    let c = build(exited(1), "", "INTERNAL PANIC: out of memory\n");
    assert_eq!(c.signature, "crash:lean:internal-panic:out-of-memory");
    let c = build(
        exited(1),
        "",
        "INTERNAL PANIC: unreachable code has been reached\n",
    );
    assert_eq!(
        c.signature,
        "crash:lean:internal-panic:unreachable-code-has-been"
    );
    let c = build(exited(134), "", "Stack overflow detected. Aborting.\n");
    assert_eq!(c.signature, "crash:lean:stack-overflow");
}

#[test]
fn lean_signal_reported_by_lake() {
    let out = "✖ [2/3] Building Solution\nerror: Lean exited with code 139\nerror: build failed\n";
    let c = build(exited(1), out, "");
    assert_eq!(c.verdict, Verdict::Crash);
    assert_eq!(c.signature, "crash:lean:SIGSEGV");
    // A normal failure code is not a signal.
    let c = build(exited(1), "error: Lean exited with code 1\n", "");
    assert_eq!(c.verdict, Verdict::Rejected);
}

#[test]
fn signal_deaths_of_lake_itself() {
    let c = build(
        Termination::Signaled {
            signal: 11,
            name: "SIGSEGV".into(),
            core_dumped: false,
        },
        "",
        "",
    );
    assert_eq!(c.signature, "crash:lake:SIGSEGV");
    assert_eq!(build(exited(134), "", "").signature, "crash:lake:SIGABRT");
    assert_eq!(build(exited(139), "", "").signature, "crash:lake:SIGSEGV");
    assert_eq!(build(exited(137), "", "").signature, "crash:lake:SIGKILL");
    assert_eq!(signal_of_exit_code(128), None);
    assert_eq!(signal_of_exit_code(3), None);
}

#[test]
fn limits_are_timeouts() {
    assert_eq!(
        build(Termination::TimedOut, "", "").signature,
        "timeout:build:wall"
    );
    let c = judge(
        Termination::MemoryLimit {
            peak_bytes: 3 << 30,
        },
        "",
        "",
    );
    assert_eq!(c.verdict, Verdict::Timeout);
    assert_eq!(c.signature, "timeout:comparator:memory");
}

const JUDGE_PREFIX: &str = "\
Building Challenge
Exporting #[soundness_check, propext, Quot.sound, Classical.choice, Nat.add] from Challenge
Building Solution
Exporting #[soundness_check, propext, Quot.sound, Classical.choice, Nat.add] from Solution
";

#[test]
fn judge_accepting_is_soundness() {
    let out = format!(
        "{JUDGE_PREFIX}Running Lean default kernel on solution.\nLean default kernel accepts the solution\nYour solution is okay!\n"
    );
    let c = judge(exited(0), &out, "");
    assert_eq!(c.verdict, Verdict::Soundness);
    assert_eq!(c.signature, "soundness:judge-accepted");
    assert_eq!(c.evidence, "Your solution is okay!");
}

#[test]
fn judge_rejections() {
    let c = judge(
        exited(1),
        JUDGE_PREFIX,
        "uncaught exception: Some targets failed:\n- soundness_check: Illegal axiom detected: 'sorryAx'\n",
    );
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(c.signature, "judge-reject:illegal-axiom:sorryax");
    let c = judge(
        exited(1),
        JUDGE_PREFIX,
        "uncaught exception: Some targets failed:\n- soundness_check: Illegal axiom detected: 'myAxiom3'\n",
    );
    assert_eq!(c.signature, "judge-reject:illegal-axiom:other");
    let c = judge(
        exited(1),
        JUDGE_PREFIX,
        "uncaught exception: Some targets failed:\n- soundness_check: Const does not match between challenge and target 'Nat.add'\n",
    );
    assert_eq!(c.signature, "judge-reject:mismatch");
    let c = judge(
        exited(1),
        JUDGE_PREFIX,
        "uncaught exception: Some targets failed:\n- soundness_check: Const not found in solution: soundness_check\n",
    );
    assert_eq!(c.signature, "judge-reject:const-not-found");
}

#[test]
fn judge_child_failures() {
    let out = "Building Challenge\nExporting #[x] from Challenge\nBuilding Solution\n";
    let c = judge(exited(1), out, "uncaught exception: Child exited with 1\n");
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(c.signature, "judge-reject:lake-build-failed");
    let out = "Building Challenge\nExporting #[x] from Challenge\n";
    let c = judge(
        exited(1),
        out,
        "uncaught exception: Child exited with 139\n",
    );
    assert_eq!(c.verdict, Verdict::Crash);
    assert_eq!(c.signature, "crash:judge-lean4export:SIGSEGV");
}

#[test]
fn kernel_replay_rejection() {
    let out = format!("{JUDGE_PREFIX}Running Lean default kernel on solution.\n");
    let c = judge(
        exited(1),
        &out,
        "uncaught exception: (kernel) declaration has metavariables 'soundness_check'\n",
    );
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(
        c.signature,
        "judge-reject:kernel-declaration-has-metavariables"
    );
}

#[test]
fn nanoda_disagreement_and_crash() {
    let out = format!(
        "{JUDGE_PREFIX}Running nanoda kernel on solution\nRunning Lean default kernel on solution.\nLean default kernel accepts the solution\n"
    );
    let c = judge(
        exited(1),
        &out,
        "uncaught exception: Child exited with 101\n",
    );
    assert_eq!(c.verdict, Verdict::Disagreement);
    assert_eq!(c.signature, "disagreement:nanoda-rejects");

    let c = judge(
        exited(1),
        &out,
        "uncaught exception: Child exited with 139\n",
    );
    assert_eq!(c.verdict, Verdict::Crash);
    assert_eq!(c.signature, "crash:kernel-nanoda:SIGSEGV");

    // nanoda declining (exit 2) is no judgment.
    let c = judge(exited(1), &out, "uncaught exception: Child exited with 2\n");
    assert_eq!(c.verdict, Verdict::Rejected);
    assert_eq!(c.signature, "judge-reject:kernel-error:nanoda:exit-2");

    // nanoda accepts, the builtin replay rejects.
    let out = format!(
        "{JUDGE_PREFIX}Running nanoda kernel on solution\nNanoda kernel accepts the solution\nRunning Lean default kernel on solution.\n"
    );
    let c = judge(
        exited(1),
        &out,
        "uncaught exception: (kernel) declaration type mismatch\n",
    );
    assert_eq!(c.verdict, Verdict::Disagreement);
    assert_eq!(c.signature, "disagreement:lean-default-rejects");
}

#[test]
fn external_kernel_lines() {
    let out = format!(
        "{JUDGE_PREFIX}Running lean4lean kernel on solution\nlean4lean exited with 1\nRunning Lean default kernel on solution.\nLean default kernel accepts the solution\n"
    );
    let c = judge(
        exited(1),
        &out,
        "uncaught exception: lean4lean exited with 1\n",
    );
    assert_eq!(c.verdict, Verdict::Disagreement);
    assert_eq!(c.signature, "disagreement:lean4lean-rejects");
}

#[test]
fn comparator_own_death() {
    let c = judge(
        Termination::Signaled {
            signal: 6,
            name: "SIGABRT".into(),
            core_dumped: true,
        },
        JUDGE_PREFIX,
        "",
    );
    assert_eq!(c.signature, "crash:comparator:SIGABRT");
    let c = judge(exited(139), JUDGE_PREFIX, "");
    assert_eq!(c.signature, "crash:comparator:SIGSEGV");
    let c = judge(exited(1), "", "");
    assert_eq!(c.signature, "judge-reject:exit-1");
}

#[test]
fn error_locations_of_the_solution_file() {
    let t = exited(1);
    let out = StageOutput {
        termination: &t,
        stdout: LAKE_UNKNOWN_ID,
        stderr:
            "Challenge.lean:1:0: error: something else\nSolution.lean:9:2: error: type mismatch\n",
    };
    assert_eq!(
        error_locations(&out, "Solution.lean"),
        vec![
            (3, "unknown identifier 'fooBar42'".to_string()),
            (7, "type mismatch".to_string()),
            (9, "type mismatch".to_string()),
        ]
    );
}
