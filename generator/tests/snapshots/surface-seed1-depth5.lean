-- leanfuzz program (profile: surface)

inductive T1 : Type where
  | c2
  | c3
  | c4
  | c5
  deriving DecidableEq, Inhabited, Repr

inductive T6 : Type where
  | c7
  | c8
  | c9
  | c10
  deriving DecidableEq, Inhabited, Repr

mutual
  inductive T11 : Type where
    | c13
    | c14 (a18 : T12)
    | c15 (a19 : Bool) (a20 : Nat) (a21 : Bool)
  inductive T12 : Type where
    | c16
    | c17 (a22 : T11)
end

theorem t27 (x23 : List Nat) (x24 : Nat → Bool) : (match x23 with | [] => 12 | a25 :: a26 => 2 : Nat) = (match x23 with | [] => 12 | a25 :: a26 => 2) := by
  rfl

instance : Inhabited T11 :=
  ⟨(T11.c15 (decide (18446744073709551616 < 6)) 9 true)⟩

opaque o28 : Nat :=
  14

theorem t30 (n29 : List Nat) : (List.length (List.reverse n29)) = (List.length n29) := by
  induction n29 <;> simp

def f31 (x32 : Nat) (x33 : Bool) : Prod Nat Bool :=
  match x32 with | 0 => (let x36 : Bool := (let x34 : Nat := (List.length ([] : List Nat)); match x34 with | 0 => x33 | a35 + 1 => false); (o28, (Nat.beq x32 x32))) | a37 + 1 => (default : Prod Nat Bool)

theorem t38 : (true : Bool) = true := by
  rfl

theorem t39 : 58 = 58 := by
  rfl

class Cls40 (α : Type) where
  op41 : α → α → α → α

def f42 {α : Type} (x43 : α) : List α :=
  []

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
