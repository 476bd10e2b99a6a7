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

opaque o16 : Bool

instance : Mul T1 :=
  ⟨(fun (x17 : T1) (y18 : T1) => T1.c2)⟩

theorem t20 (x19 : Bool) : (x19 || (!x19)) = true := by
  cases x19 <;> decide

run_elab
  addDecl <| .defnDecl {
    name := `k59
    levelParams := [`u60]
    type := (.forallE `α (.sort (Level.param `u60)) (.forallE `a (.bvar 0) (.bvar 1) .default) .default)
    value := (.lam `α (.sort (Level.param `u60)) (.lam `a (.bvar 0) (.bvar 0) .default) .default)
    hints := .abbrev
    safety := .safe
  }

def f21 {α : Type} (x22 : α) (x23 : Bool) (x24 : Bool) : List α :=
  let x25 : T1 := T1.c2; []

def f26.{u27} {α : Type u27} (x28 : α) : Bool :=
  decide ((if o16 then 2 else 1) ≤ 11)

theorem t32 (x29 : Nat) : (!(f26 (let x30 : List Bool := (List.reverse (List.reverse (List.replicate 7 true))); "\u{0}→" ++ (let x31 : Option Bool := (none : Option Bool); ""))) : Bool) = (!(f26 (let x30 : List Bool := (List.reverse (List.reverse (List.replicate 7 true))); "\u{0}→" ++ (let x31 : Option Bool := (none : Option Bool); "")))) :=
  rfl

@[reducible, inline] def f33 (x34 : String) (x35 : List Nat) (x36 : Prod (List Nat) Bool) : Bool :=
  f26 1

def f37.{u38} {α : Type u38} (x39 : α) (x40 : Option α) : Bool :=
  f26 (T1.c4 T1.c2 true)

def f41 (x42 : Bool) (x43 : Bool) : (List Bool) → Nat
  | [] => (if x43 then (Nat.xor 14 2) else (List.length (List.reverse (18 :: (List.reverse (List.replicate (let x44 : T10 Bool := (T10.c11 : T10 Bool); 12) (Nat.gcd 100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 2)))))))
  | a45 :: a46 => 15

run_elab
  addDecl <| .defnDecl {
    name := `k62
    levelParams := [`u63]
    type := (.forallE `α (.sort (Level.param `u63)) (.forallE `a (.bvar 0) (.bvar 1) .default) .default)
    value := (.lam `α (.sort (Level.param `u63)) (.lam `a (.bvar 0) (.bvar 0) .default) .default)
    hints := .abbrev
    safety := .safe
  }

run_elab
  addDecl <| .opaqueDecl {
    name := `k61
    levelParams := []
    type := (.const `Nat [])
    value := (mkNatLit 14)
    isUnsafe := false
  }

def f47 (x48 : Nat) (x49 : String) : Bool → Bool
  | true => (match x48 with | 0 => true | a50 + 1 => (Nat.beq a50 (a50 ^ 1)))
  | false => (f33 (match x48 with | 0 => "b«" | a51 + 1 => ((if (13 < ((List.length ([] : List Bool)) + x48)) then (match a51 with | 0 => x49 | a52 + 1 => (String.push (toString a52) 'z')) else ((if (3 ≤ a51) then x49 else (if false then "b\u{0}" else x49)) ++ ("é' «" ++ (if false then x49 else "")))) ++ "»\\→")) ([] : List Nat) (if (2 = (let x53 : T10 T1 := (T10.c11 : T10 T1); x48)) then (((f41 o16 ((match x48 with | 0 => 'λ' | a54 + 1 => '\\') == (Char.ofNat x48)) ([] : List Bool)) :: (List.replicate (f41 (Nat.beq 5 15) (if o16 then true else true) (match x48 with | 0 => ([] : List Bool) | a55 + 1 => ([] : List Bool))) (if (6 < 0) then (f41 true true ([] : List Bool)) else (let x56 : T10 Bool := (T10.c11 : T10 Bool); x48)))), (false || (o16 || (let x57 : String := x49; f26 T1.c2)))) else (let x58 : T1 := T1.c2; (default : Prod (List Nat) Bool))))

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
