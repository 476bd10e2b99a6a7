/-
Placeholder: every test writes its own Solution.lean into a fresh copy of
this template. This one is an honest attempt and must be rejected.
-/

theorem soundness_check : False := by
  simp_all
