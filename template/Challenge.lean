/-
The challenge the comparator judges every generated Solution against.

Two checked theorems, each with its own comparator config:
- `soundness_check` (config.json): `False` has no proof, so a Solution that
  the judge accepts as a proof of it is a soundness bug in Lean, Lake or
  the judge. Generated proofs fall back to `sorry`, so this config is run
  only when Lean reports no `sorry` in the proof.
- `replay_check` (replay.json): `True`, proved in every generated Solution
  by a term that mentions every generated declaration and no `sorry`.
  Comparator exports only what the checked theorems depend on and checks
  axioms before it runs any kernel (Main.lean, `verifyMatch`), so this is
  what sends every generated declaration through Lean's kernel replay and
  nanoda.
-/

theorem soundness_check : False := sorry

theorem replay_check : True := sorry
