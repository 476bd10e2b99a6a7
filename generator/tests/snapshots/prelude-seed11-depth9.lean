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

theorem t17 : (Nat.shiftRight 9223372036854775807 9) = 18014398509481983 := by
  rfl

def f18 : Nat → Nat
  | 0 => (Nat.gcd 9 ((Nat.shiftRight (Nat.gcd 1 ((Nat.gcd 12 (14 + (Nat.succ 10))) % 17)) 9) * 13))
  | a19 + 1 => (Nat.shiftLeft (match a19 with | 0 => ((if ((Nat.gcd 8 2) ≤ a19) then (10 ^ 3) else (if ((match a19 with | 0 => (if True then 9223372036854775808 else 15) | a20 + 1 => (Nat.shiftLeft 4294967295 8)) ≤ (Nat.succ (a19 ^ 0))) then ((Nat.gcd (a19 - 15) a19) - (let x21 : Nat := a19; Nat.succ 7)) else 9)) + (((match a19 with | 0 => (Nat.shiftRight (if True then 11 else a19) a19) | a22 + 1 => (Nat.succ (if True then 18446744073709551615 else 7))) + (match a19 with | 0 => (match a19 with | 0 => a19 | a23 + 1 => (let x24 : Nat := a19; x24)) | a25 + 1 => (Nat.shiftLeft (if False then a19 else 2) (if False then a25 else 10)))) ^ 3)) | a26 + 1 => (match a19 with | 0 => (a26 ^ 3) | a27 + 1 => (let x28 : Nat := (19 - (19 - a19)); Nat.succ 13))) (a19 - (((Nat.gcd 18446744073709551616 ((match a19 with | 0 => (Nat.gcd 19 a19) | a29 + 1 => (a19 * 2)) + (a19 ^ 2))) % (Nat.shiftRight (a19 % ((let x30 : Nat := a19; 6) * 7)) 3)) + (1000000000000000000000000000000 / (18446744073709551616 % 1)))))

theorem t31 : (Nat.gcd 9 18446744073709551615) = 3 := by
  rfl

theorem t33 (x32 : Nat) : (8 : Nat) = 8 := by
  rfl

def f34 : Nat → Nat
  | 0 => (Nat.succ 9)
  | a35 + 1 => 14

def f36 (x37 : Nat) (x38 : Nat) (x39 : Bool) : Nat :=
  12

theorem leanfuzz_unfold_0 (x3 : Nat) (x4 : Nat) : (Nat.gcd x3 x4) = (((if (((Nat.shiftRight (x4 + x4) (let x5 : Bool := true; 1)) * ((let x6 : Nat := 17; x6) - (x4 ^ 0))) ≤ 5) then (Nat.shiftRight x3 (((x4 / x3) / 19) * (if (x4 = 6) then (match x3 with | 0 => x3 | a7 + 1 => 7) else (match x3 with | 0 => x4 | a8 + 1 => 9)))) else (match x3 with | 0 => (if ((let x9 : Nat := x4; x4) < (Nat.succ x3)) then 9223372036854775808 else x3) | a10 + 1 => (let x11 : Nat := 10; a10))) + x3) ^ 0) := by
  first | rfl | sorry

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @Nat.shiftRight
  have _ := @Nat.gcd
  have _ := @t12
  have _ := @t13
  have _ := @Nat.shiftLeft
  have _ := @t16
  have _ := @t17
  have _ := @f18
  have _ := @t31
  have _ := @t33
  have _ := @f34
  have _ := @f36
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t12
  have h1 := @t13
  have h2 := @t16
  have h3 := @t17
  have h4 := @t31
  have h5 := @t33
  first | (exact absurd (Eq.trans (Eq.symm t17) (t12 9223372036854775807 9)) (by decide)) | (exact absurd (Eq.trans (Eq.symm t31) (leanfuzz_unfold_0 9 18446744073709551615)) (by decide)) | simp_all | decide | omega | trivial | native_decide | sorry
