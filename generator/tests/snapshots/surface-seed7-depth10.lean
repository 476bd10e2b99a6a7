-- leanfuzz program (profile: surface)

universe u1 v2

structure S3 where
  fld4 : Bool → Bool
  fld5 : Nat
  deriving Inhabited

@[reducible] def f6 : Nat :=
  2

abbrev f7 : (List Bool) → Bool → S3 :=
  (default : (List Bool) → Bool → S3)

def badLevels31.{u, u} (α : Sort u) : Sort u :=
  α

def f8 {α : Type} (x9 : α) (x10 : Nat) (x11 : List α) : α :=
  x9

theorem t13 (x12 : Bool) : (x12 == x12) = true := by
  cases x12 <;> decide

def f14 (x15 : Nat) : Char :=
  let x23 : Bool := (if false then (f8 true f6 (false :: ([] : List Bool))) else (f8 (Nat.beq 17 (Nat.lor ((match x15 with | 0 => x15 | a16 + 1 => (let x17 : S3 := (⟨(default : Bool → Bool), x15⟩ : S3); a16 ^ 2)) + (f8 (match x15 with | 0 => x15 | a18 + 1 => (a18 ^ 2)) (4 ^ 2) (if (x15 = x15) then (List.replicate x15 0) else ([] : List Nat)))) (f8 (((f8 x15 x15 ([] : List Nat)) ^ 2) / (if (!false) then x15 else x15)) (f8 (match x15 with | 0 => (if false then x15 else x15) | a19 + 1 => a19) (List.length (if false then ([] : List Char) else ([] : List Char))) ([] : List Nat)) ([] : List Nat)))) (f8 (if false then f6 else (if ((if (x15 ≤ 16) then x15 else (f8 x15 x15 ([] : List Nat))) < (f8 (match x15 with | 0 => 13 | a20 + 1 => a20) x15 (f8 ([] : List Nat) f6 ([] : List (List Nat))))) then (x15 ^ 2) else (f8 (Nat.xor (f8 x15 x15 ([] : List Nat)) x15) ((List.length ([] : List S3)) % 5) (if (x15 = x15) then ([] : List Nat) else ([] : List Nat))))) (f8 (f8 x15 (Nat.min x15 (f8 (f8 x15 1 ([] : List Nat)) 10 (x15 :: ([] : List Nat)))) ((x15 ^ 3) :: ([] : List Nat))) (let x21 : Bool := (f8 false x15 ([] : List Bool)); x15) ([] : List Nat)) ([] : List Nat)) (match x15 with | 0 => ([] : List Bool) | a22 + 1 => ([] : List Bool)))); match x23 with | true => '𝔽' | false => '𝔽'

theorem t25 (n24 : Nat) : (((8 + (3 * n24)) + n24) + (5 * n24)) ≤ ((((5 * n24) + n24) + (3 * n24)) + 8) := by
  omega

class Cls26 (α : Type) where
  op27 : α → α

theorem t28 : (Nat.gcd (Nat.land ((Nat.lor 10 (23 % (64 * ((Nat.gcd 9223372036854775808 19) ^ 4)))) % (Nat.xor 95 (Nat.lor 87 ((18 + 96) - (Nat.shiftLeft (Nat.xor 72 56) 41))))) 18446744073709551616) (Nat.lor 68 (Nat.gcd (Nat.gcd (Nat.gcd (Nat.lor (Nat.xor (12 + 50) (14 * 23)) (Nat.land (Nat.gcd 77 89) (42 * 0))) ((9223372036854775808 % (Nat.lor 55 82)) + 51)) (Nat.land (Nat.shiftLeft (Nat.land (11 ^ 6) 60) 15) 52)) 4294967295))) = 69 := by
  decide

theorem t29 : 9 = 9 := by
  decide

theorem t30 : ((40 - 4) * 59) = 2124 := by
  rfl

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @S3
  have _ := @f6
  have _ := @f7
  have _ := @badLevels31.{0, 0}
  have _ := @f8
  have _ := @t13
  have _ := @f14
  have _ := @t25
  have _ := @Cls26
  have _ := @t28
  have _ := @t29
  have _ := @t30
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t13
  have h1 := @t25
  have h2 := @t28
  have h3 := @t29
  have h4 := @t30
  first | simp_all | decide | omega | trivial | native_decide | sorry
