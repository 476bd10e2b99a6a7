/-
Placeholder: every test writes its own Solution.lean into a fresh copy of
this template. This one is an honest attempt: `soundness_check` falls back
to `sorry` (so only the replay config judges it) and `replay_check` is
proved without one.
-/

theorem soundness_check : False := by
  first | simp_all | sorry

theorem replay_check : True := trivial
