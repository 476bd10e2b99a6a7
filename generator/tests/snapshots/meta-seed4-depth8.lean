-- leanfuzz program (profile: meta)
import Lean
open Lean Elab Term Meta

inductive T1 : Type where
  | c2
  | c3 (a6 : T1)
  | c4 (a7 : T1) (a8 : Bool)
  | c5 (a9 : Nat)
  deriving Inhabited

inductive T10 (α : Type) : Type where
  | c11
  | c12 (a13 : T10 α) (a14 : List α) (a15 : T10 α)
  deriving Inhabited

set_option maxHeartbeats 350000

theorem t17 (n16 : List Nat) : ([] ++ n16) = n16 := by
  induction n16 <;> simp

theorem t19 (x18 : Bool) : (x18 == x18) = true := by
  cases x18 <;> decide

def f20 (x21 : Bool) (x22 : T1) : Nat :=
  16

def f23 (x24 : Nat) : Bool :=
  decide ((if true then (if (9223372036854775808 < (String.length "x→")) then (Nat.lor ((String.length "»λ\x7fx") / (f20 false T1.c2)) ((match x24 with | 0 => x24 | a25 + 1 => a25) * 1)) else x24) else 13) ≤ 5)

theorem t26 : (Nat.gcd (Nat.gcd (((Nat.lor 4 37) % (Nat.lor (Nat.shiftLeft 12 25) (6 * 13))) + (Nat.gcd (Nat.gcd (95 + 18446744073709551615) 75) (4294967296 ^ 1))) ((78 / 44) + (Nat.shiftLeft (92 + (Nat.xor 62 55)) 8))) (15 - (49 ^ 5))) = 1 := by
  decide

def f27 (x28 : T10 Bool) : Bool :=
  false

run_elab addDecl <| .defnDecl { name := `k31, levelParams := [`u32, `v33], type := (Expr.forallE `α (Expr.sort (Level.param `u32)) (Expr.forallE `β (Expr.sort (Level.param `v33)) (Expr.sort (Level.imax (Level.param `u32) (Level.param `v33))) .default) .default), value := (Expr.lam `α (Expr.sort (Level.param `u32)) (Expr.lam `β (Expr.sort (Level.param `v33)) (Expr.forallE `x (Expr.bvar 1) (Expr.bvar 1) .default) .default) .default), hints := .abbrev, safety := .safe, all := [`k31] }

theorem t29 : (67 = 68) ∨ (¬(80 = 81)) := by
  exact Or.inr (by decide)

theorem t30 : 4294967296 = 4294967296 := by
  native_decide

set_option maxHeartbeats 200000

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @T1
  have _ := @T10
  have _ := @t17
  have _ := @t19
  have _ := @f20
  have _ := @f23
  have _ := @t26
  have _ := @f27
  have _ := @k31.{0, 0}
  have _ := @t29
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t17
  have h1 := @t19
  have h2 := @t26
  have h3 := @t29
  first | simp_all | decide | omega | trivial | native_decide | sorry
