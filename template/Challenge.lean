/-
The challenge the comparator judges every generated Solution against.
`False` has no proof, so a Solution that the judge accepts as a proof of
`soundness_check` is a soundness bug in Lean, Lake or the judge.
-/

theorem soundness_check : False := sorry
