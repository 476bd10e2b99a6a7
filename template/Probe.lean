/-
leanfuzz probe: settles, on a machine with Lean, every point about the
pinned Lean that leanfuzz's generators and judge depend on but that could
only be checked against Lean's sources when they were written
(`generator/src/lean/version.rs`, `generator/src/lean/suffix.rs`).

Run it once per toolchain, in this directory (so elan picks the template's
Lean):

    cd template && lake env lean Probe.lean

Every line it prints starts with `ok:` or `info:`; a wrong assumption stops
the run with `PROBE FAILED: …` (an error, exit 1). It writes and removes
two scratch files, `ProbePrelude.lean` and `ProbeSimp.lean`, here.
It is not part of the Lake project (not a `lean_lib`): tests never build it.
-/
import Lean
open Lean Elab Command Meta

/-- Stops the run with `what` unless `ok`. -/
def probeCheck (ok : Bool) (what : String) : IO Unit :=
  if ok then IO.println s!"ok: {what}"
  else throw <| IO.userError s!"PROBE FAILED: {what}"

def probeContains (s sub : String) : Bool :=
  (s.splitOn sub).length > 1

/-! ## 1. The version: the template, comparator 19e111e and lean4export (as
comparator's dependency) are all on v4.34.0-rc2. -/

#eval probeCheck (Lean.versionString == "4.34.0-rc2")
  s!"Lean {Lean.versionString} is the pinned v4.34.0-rc2 (template/lean-toolchain)"

/-! ## 2. String literals: the kernel expands `"a"` into
`String.ofList [Char.ofNat 97]` (lean4 PR 11048), so the fact the
kernels-via-lean files state holds by `Eq.refl`, added as they add it
(`run_elab addDecl`, no elaborator in between). -/

run_elab Lean.addDecl <| .thmDecl {
  name := `probeStringOfList
  levelParams := []
  type := mkApp3 (mkConst ``Eq [levelOne]) (mkConst ``String)
    (mkApp (mkConst ``String.ofList)
      (mkApp3 (mkConst ``List.cons [levelZero]) (mkConst ``Char)
        (mkApp (mkConst ``Char.ofNat) (mkRawNatLit 97))
        (mkApp (mkConst ``List.nil [levelZero]) (mkConst ``Char))))
    (mkStrLit "a")
  value := mkApp2 (mkConst ``Eq.refl [levelOne]) (mkConst ``String) (mkStrLit "a")
  all := [`probeStringOfList]
}

#eval show CoreM Unit from do
  probeCheck ((← getEnv).contains `probeStringOfList)
    "the kernel accepts String.ofList [Char.ofNat 97] = \"a\" by Eq.refl"
  IO.println s!"info: String.mk exists: {(← getEnv).contains `String.mk} (deprecated since PR 11017; the generators do not use it)"

/-! ## 3. The replay theorem: `have _ := @d` keeps every `d` in the proof
term (comparator exports only what the checked theorem uses), universe
parameters set to `0` leave no metavariable, an anonymous instance is
found by `inferInstance` under the meta profile's `open`s. -/

universe u

def probeD : Nat := 1
def probePoly.{v} (α : Sort v) : Sort v := α
def probeAuto (α : Sort u) : Sort u := α
structure ProbeS where
  x : Nat
instance : Inhabited ProbeS := ⟨⟨0⟩⟩
theorem probeFact : 2 + 2 = 4 := rfl

open Lean Elab Term Meta in
theorem probeReplay : True :=
  have _ := @probeD
  have _ := @probePoly.{0}
  have _ := @probeAuto.{0}
  have _ := (inferInstance : Inhabited ProbeS)
  have _ := @probeFact
  True.intro

#eval show CoreM Unit from do
  let some info := (← getEnv).find? `probeReplay
    | throwError "PROBE FAILED: probeReplay was not added"
  let some v := info.value? (allowOpaque := true)
    | throwError "PROBE FAILED: probeReplay has no value"
  let used := v.getUsedConstants
  IO.println s!"info: probeReplay uses {used}"
  for n in [`probeD, `probePoly, `probeAuto, `probeFact, `ProbeS] do
    probeCheck (used.contains n || (n == `ProbeS && used.any (probeContains ·.toString "ProbeS")))
      s!"the replay theorem's proof term mentions {n}"

/-! The `hidden-axiom` family's shapes (comparator's `opaque_value` and
`simple_axiom_issue` tests): both build; comparator must refuse them. -/

axiom probeAx : 40 + 54 = 94
opaque probeOpaque : 40 + 54 = 94 := probeAx
theorem probeByAxiom : 40 + 54 = 94 := probeAx

#eval show CoreM Unit from do
  probeCheck ((← getEnv).contains `probeOpaque && (← getEnv).contains `probeByAxiom)
    "an opaque and a theorem whose value is an axiom build (hidden-axiom)"

/-! ## 4. The soundness attempt: every fact in scope, automation, then
`sorry`: it builds, with exactly Lean's `declaration uses 'sorry'`
warning (the pipeline runs the soundness config only without it). The
unguarded copy below prints the warning with its position: it must be on
the `theorem` line (the pipeline accepts any line of the declaration). -/

set_option linter.unusedVariables false in
/-- warning: declaration uses 'sorry' -/
#guard_msgs in
theorem probeSoundness : False := by
  have h0 := @probeFact
  first | simp_all | decide | omega | trivial | native_decide | sorry

set_option linter.unusedVariables false in
theorem probeSoundnessPosition : False := by
  have h0 := @probeFact
  first | simp_all | decide | omega | trivial | native_decide | sorry

/-! ## 5. The prelude profile: a `prelude` file importing `Init.Prelude`
and `Init.Core` may define the accelerated names `Init` defines later
(`PRELUDE_FREE`), the suffix's tactics parse there, and the direct exploit
of a clash closes `False` without `sorry` (comparator's `primitive_issue`
class: comparator must reject it at its compare step). -/

def probePrelude : String := "prelude
import Init.Prelude
import Init.Core

def Nat.gcd (x y : Nat) : Nat := 7
def Nat.land (x y : Nat) : Nat := 0
def Nat.lor (x y : Nat) : Nat := 0
def Nat.xor (x y : Nat) : Nat := 0
def Nat.shiftLeft (x y : Nat) : Nat := 0
def Nat.shiftRight (x y : Nat) : Nat := 0

theorem t : Nat.gcd 4 6 = 2 := by decide
theorem u (x y : Nat) : Nat.gcd x y = 7 := rfl

theorem replay_check : True :=
  have _ := @Nat.gcd
  have _ := @t
  have _ := @u
  True.intro

theorem soundness_check : False := by
  have h0 := @t
  have h1 := @u
  first | (exact absurd (Eq.trans (Eq.symm t) (u 4 6)) (by decide)) | simp_all | decide | omega | trivial | native_decide | sorry
"

#eval show IO Unit from do
  IO.FS.writeFile "ProbePrelude.lean" probePrelude
  let out ← IO.Process.output { cmd := "lean", args := #["ProbePrelude.lean"] }
  IO.FS.removeFile "ProbePrelude.lean"
  IO.println s!"info: lean ProbePrelude.lean exited {out.exitCode}:\n{out.stdout}{out.stderr}"
  probeCheck (out.exitCode == 0)
    "a prelude file redefines Nat.gcd/land/lor/xor/shiftLeft/shiftRight, and the suffix parses and builds there"
  probeCheck (!probeContains out.stdout "declaration uses 'sorry'")
    "the direct exploit of a clash proves False without sorry (the soundness config would judge it)"

/-! ## 6. simp on a by-name `Nat.land` fact (information only: the
generators prove those by `decide`/`rfl`; lean4 PR 12950 added the
rewriting lemmas). -/

#eval show IO Unit from do
  IO.FS.writeFile "ProbeSimp.lean" "example : Nat.land 12 10 = 8 := by simp\n"
  let out ← IO.Process.output { cmd := "lean", args := #["ProbeSimp.lean"] }
  IO.FS.removeFile "ProbeSimp.lean"
  IO.println s!"info: simp closes Nat.land 12 10 = 8: {out.exitCode == 0}"
