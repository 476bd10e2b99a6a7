-- leanfuzz program (profile: prelude)
prelude
import Init.Prelude
import Init.Core

def Nat.shiftRight (x1 : Nat) (x2 : Nat) : Nat :=
  14

def Nat.gcd (x3 : Nat) (x4 : Nat) : Nat :=
  ((if (((Nat.shiftRight (x4 + x4) (let x5 : Bool := true; 1)) * ((let x6 : Nat := 17; x6) - (x4 ^ 0))) ≤ 5) then (Nat.shiftRight x3 (((x4 / x3) / 19) * (if (x4 = 6) then (match x3 with | 0 => x3 | a7 + 1 => 7) else (match x3 with | 0 => x4 | a8 + 1 => 9)))) else (match x3 with | 0 => (if ((let x9 : Nat := x4; x4) < (Nat.succ x3)) then 9223372036854775808 else x3) | a10 + 1 => (let x11 : Nat := 10; a10))) + x3) ^ 0

theorem t12 (x1 : Nat) (x2 : Nat) : (Nat.shiftRight x1 x2) = 14 :=
  rfl

theorem t13 (x1 : Nat) (x2 : Nat) : (Nat.shiftRight x1 x2) = 14 :=
  rfl

def Nat.shiftLeft (x14 : Nat) (x15 : Nat) : Nat :=
  9

theorem t16 : ((36 * ((((56 - (53 * 80)) + 25) ^ 5) / 81)) = 4340268) → (((True ∨ ((((56 * 36) ^ 8) * (90 % (18446744073709551616 - 30))) = 24556514931356885590883696640)) ∧ (30 = 30)) ∧ (18446744073709551615 = 18446744073709551615)) :=
  fun (_ : (36 * ((((56 - (53 * 80)) + 25) ^ 5) / 81)) = 4340268) => ⟨⟨(Or.inl trivial), (by decide)⟩, (by decide)⟩

theorem t17 (x3 : Nat) (x4 : Nat) : (Nat.gcd x3 x4) = (((if (((Nat.shiftRight (x4 + x4) (let x5 : Bool := true; 1)) * ((let x6 : Nat := 17; x6) - (x4 ^ 0))) ≤ 5) then (Nat.shiftRight x3 (((x4 / x3) / 19) * (if (x4 = 6) then (match x3 with | 0 => x3 | a7 + 1 => 7) else (match x3 with | 0 => x4 | a8 + 1 => 9)))) else (match x3 with | 0 => (if ((let x9 : Nat := x4; x4) < (Nat.succ x3)) then 9223372036854775808 else x3) | a10 + 1 => (let x11 : Nat := 10; a10))) + x3) ^ 0) :=
  rfl

def f18 (x19 : Bool) : Bool :=
  !x19

def Nat.xor (x20 : Nat) (x21 : Nat) : Nat :=
  Nat.gcd ((match x21 with | 0 => (Nat.shiftRight 12 (if ((Nat.gcd 12 7) = (let x22 : Nat := 14; x21)) then (19 ^ 3) else ((Nat.shiftLeft 4 x21) * (x21 * x21)))) | a23 + 1 => (match a23 with | 0 => ((let x24 : Nat := (x21 ^ 0); let x25 : Nat := 0; 4) % x20) | a26 + 1 => (if ((Nat.gcd 13 1) ≤ a26) then (Nat.succ a23) else (let x27 : Bool := false; 18 - x21)))) ^ 1) (Nat.succ (Nat.gcd (Nat.succ (let x28 : Nat := x21; Nat.succ (Nat.gcd x28 13))) (Nat.succ (match x20 with | 0 => (match x21 with | 0 => (Nat.shiftRight 1000000000000000000000000000000000000000000000000 4) | a29 + 1 => (let x30 : Nat := a29; x30)) | a31 + 1 => (if (18446744073709551615 ≤ 7) then (match a31 with | 0 => x20 | a32 + 1 => 1) else (let x33 : Nat := x20; x33))))))

theorem t34 : ((false || (((Nat.beq ((52 - 45) / (34 + 11)) ((37 + 32) ^ 8)) && (!true)) && ((((9 % 39) % 45) + (33 * (40 * 9223372036854775808))) == (((84 ^ 8) * (9223372036854775808 * 94)) - 18)))) && (Nat.beq ((79 / (17 + 39)) + ((((4294967296 / 99) - 52) * (97 * (37 + 80))) + (((68 % 71) - (18446744073709551616 % 16)) % 21))) (((((89 * 4) * (72 * 7)) * ((4 % 75) % (58 ^ 8))) / ((13 * (47 ^ 8)) % ((86 - 57) / (4294967296 + 0)))) + (52 - (((33 * 16) ^ 4) * ((69 + 9223372036854775808) ^ 0)))))) = false := by
  decide

theorem t35 : True ∧ ((((false = true) → ((((23 / 86) = 1) → (True ↔ True)) ∨ (((67 == 85) && false) = true))) ∧ (((((false || false) = true) → (true = false) → True) ∨ (((79 - 18446744073709551615) * (38 - 57)) = 0)) ↔ ((((false || false) = true) → (true = false) → True) ∨ (((79 - 18446744073709551615) * (38 - 57)) = 0)))) ∨ (46 = 47)) :=
  ⟨trivial, (Or.inl ⟨(fun (_ : false = true) => Or.inl (fun (_ : (23 / 86) = 1) => Iff.rfl)), Iff.rfl⟩)⟩

theorem t36 : (Nat.gcd 4294967296 3) = 1 := by
  rfl

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
