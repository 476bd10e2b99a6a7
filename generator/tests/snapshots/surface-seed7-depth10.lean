-- leanfuzz program (profile: surface)

universe u1 v2

inductive T3.{u8} (α : Type u8) : Type u8 where
  | c4
  | c5 (a9 : T3 α) (a10 : Nat)
  | c6 (a11 : α) (a12 : α) (a13 : α)
  | c7 (a14 : α) (a15 : Nat) (a16 : α)
  deriving Inhabited, DecidableEq

def f17 (x18 : List Bool) (x19 : String → (T3 Nat)) (x20 : Nat) : Bool :=
  true

theorem t21 : ('\u{0}' : Char) = '\u{0}' := by
  rfl

def f22 (x23 : Nat) : Char :=
  let x36 : Bool := (if false then (f17 ([] : List Bool) (let x24 : Option Nat := (none : Option Nat); match x23 with | 0 => (if (f17 ([] : List Bool) (default : String → (T3 Nat)) ((Nat.lor x23 x23) % (match x24 with | none => x23 | some a25 => 2))) then (fun (x26 : String) => T3.c5 (T3.c5 (T3.c4 : T3 Nat) x23) 11) else (match x24 with | none => (default : String → (T3 Nat)) | some a27 => (default : String → (T3 Nat)))) | a28 + 1 => (fun (x29 : String) => let x31 : T3 Nat := (T3.c7 (List.length ([] : List Nat)) x23 (let x30 : Bool := true; 9)); if (a28 = x23) then x31 else (T3.c6 8 5 x23))) (match x23 with | 0 => (if (!(match x23 with | 0 => (match x23 with | 0 => false | a32 + 1 => (match x23 with | 0 => true | a33 + 1 => false)) | a34 + 1 => (if (f17 ([] : List Bool) (default : String → (T3 Nat)) x23) then (f17 ([] : List Bool) (default : String → (T3 Nat)) a34) else (true || false)))) then x23 else 4294967296) | a35 + 1 => a35)) else true); if ((if ((match x36 with | true => (Nat.lor (if (3 ≤ x23) then x23 else 15) x23) | false => 0) ≤ 2) then (let x37 : T3 Bool := (T3.c4 : T3 Bool); match x37 with | T3.c4 => 18 | T3.c5 a38 a39 => x23 | T3.c6 a40 a41 a42 => x23 | T3.c7 a43 a44 a45 => x23) else x23) < 5) then '0' else 'é'

set_option maxRecDepth 1024

theorem t46 : false = false := by
  decide

def f47 {α : Type} (x48 : α) (x49 : Nat) (x50 : List α) : Option α :=
  some (match x49 with | 0 => x48 | a51 + 1 => (match a51 with | 0 => (match a51 with | 0 => x48 | a52 + 1 => x48) | a53 + 1 => x48))

theorem t55 (n54 : Nat) : (((1 + n54) + (2 * n54)) + (3 * n54)) = ((((3 * n54) + (2 * n54)) + n54) + 1) := by
  omega

opaque o56 : T3 Bool :=
  T3.c5 (T3.c4 : T3 Bool) 19

def f57 (x58 : Nat) (x59 : Bool) : T3 Nat :=
  if (if (x58 < (match x59 with | true => 10 | false => 17)) then false else (Nat.beq (match x59 with | true => x58 | false => x58) 11)) then (T3.c4 : T3 Nat) else (T3.c5 (T3.c4 : T3 Nat) (let x60 : List Nat := ([] : List Nat); x58))

theorem t62 (n61 : Nat) : (((5 + n61) + n61) + (5 * n61)) ≤ ((((5 * n61) + n61) + n61) + 5) := by
  omega

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
