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

theorem t17 : ((((18446744073709551615 + 24) - 22) / 61) = 302405640552615600) → ((((1 = 1) ∧ (19 = 19)) ↔ ((1 = 1) ∧ (19 = 19))) ↔ (((1 = 1) ∧ (19 = 19)) ↔ ((1 = 1) ∧ (19 = 19)))) :=
  fun (_ : (((18446744073709551615 + 24) - 22) / 61) = 302405640552615600) => Iff.rfl

def Nat.land (x18 : Nat) (x19 : Nat) : Nat :=
  14

theorem t20 : (Nat.xor 2 1) = 3 :=
  rfl

theorem t21 (x12 : Nat) (x13 : Nat) : (Nat.lor x12 x13) = (Nat.xor 18446744073709551615 (if ((let x14 : Nat := x12; x12) ≤ 18) then (Nat.succ (match x12 with | 0 => x13 | a15 + 1 => x13)) else (Nat.xor (match x13 with | 0 => x13 | a16 + 1 => a16) x13))) :=
  rfl

def Nat.shiftRight (x22 : Nat) (x23 : Nat) : Nat :=
  Nat.xor (3 ^ 2) (x23 + (Nat.land (let x24 : Bool := false; x23) (match x23 with | 0 => x22 | a25 + 1 => x22)))

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
