-- leanfuzz program (profile: prelude)
prelude
import Init.Prelude
import Init.Core

def Nat.gcd (x1 : Nat) (x2 : Nat) : Nat :=
  2

def Nat.shiftLeft (x3 : Nat) (x4 : Nat) : Nat :=
  if (x3 ≤ x3) then (Nat.gcd ((Nat.succ 5) + (x4 ^ 0)) (match x3 with | 0 => (x4 + 12) | a5 + 1 => (if False then 2 else x3))) else 15

theorem t6 (x1 : Nat) (x2 : Nat) : (Nat.gcd x1 x2) = 2 :=
  rfl

def Nat.xor (x7 : Nat) (x8 : Nat) : Nat :=
  x7

theorem t10 (x9 : Bool) : (x9 && (!x9)) = false := by
  cases x9 <;> decide

theorem t11 : (Nat.shiftLeft 18446744073709551615 1) = 36893488147419103230 :=
  rfl

def Nat.lor (x12 : Nat) (x13 : Nat) : Nat :=
  Nat.xor 18446744073709551615 (if ((let x14 : Nat := x12; x12) ≤ 18) then (Nat.succ (match x12 with | 0 => x13 | a15 + 1 => x13)) else (Nat.xor (match x13 with | 0 => x13 | a16 + 1 => a16) x13))

theorem t18 : ((((18446744073709551615 + 24) - 22) / 61) = 302405640552615600) → ((((1 = 1) ∧ (19 = 19)) ↔ ((1 = 1) ∧ (19 = 19))) ↔ (((1 = 1) ∧ (19 = 19)) ↔ ((1 = 1) ∧ (19 = 19)))) := by
  intro h17
  exact Iff.rfl

def Nat.land (x19 : Nat) (x20 : Nat) : Nat :=
  Nat.shiftLeft ((let x21 : Nat := x19; let x22 : Nat := x20; 13) / ((match x20 with | 0 => x20 | a23 + 1 => x19) / x20)) (Nat.lor (let x25 : Bool := (let x24 : Nat := 10; true); let x26 : Nat := 4294967295; x20) (Nat.gcd x20 (x20 - 13)))

def Nat.shiftRight (x27 : Nat) (x28 : Nat) : Nat :=
  if (x28 < (if (9 ≤ 18) then x28 else (match x28 with | 0 => 0 | a29 + 1 => 11))) then x28 else (Nat.shiftLeft (if (4 ≤ 6) then x28 else 2) (5 - 16))

theorem t30 : (Nat.shiftLeft 0 1) = 0 :=
  rfl

set_option maxRecDepth 1024

theorem leanfuzz_unfold_0 (x3 : Nat) (x4 : Nat) : (Nat.shiftLeft x3 x4) = (if (x3 ≤ x3) then (Nat.gcd ((Nat.succ 5) + (x4 ^ 0)) (match x3 with | 0 => (x4 + 12) | a5 + 1 => (if False then 2 else x3))) else 15) := by
  first | rfl | sorry

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @Nat.gcd
  have _ := @Nat.shiftLeft
  have _ := @t6
  have _ := @Nat.xor
  have _ := @t10
  have _ := @t11
  have _ := @Nat.lor
  have _ := @t18
  have _ := @Nat.land
  have _ := @Nat.shiftRight
  have _ := @t30
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t6
  have h1 := @t10
  have h2 := @t11
  have h3 := @t18
  have h4 := @t30
  first | (exact absurd (Eq.trans (Eq.symm t30) (leanfuzz_unfold_0 0 1)) (by decide)) | simp_all | decide | omega | trivial | native_decide | sorry
