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

structure S11 where
  fld12 : Nat
  fld13 : Nat
  fld14 : T1
  deriving Inhabited, DecidableEq

@[inline] def f15 (x16 : Nat) : Nat :=
  Nat.succ (Nat.gcd (match x16 with | 0 => 14 | a17 + 1 => a17) (x16 / x16))

def f18 (x19 : Char) (x20 : Bool) : Nat :=
  (if ((Nat.min 13 10) ≤ 15) then (String.length "") else (let x22 : Bool := (let x21 : Nat := 10; x20); match x22 with | true => 11 | false => 16)) - (15 % (f15 (4294967296 ^ 1)))

theorem t24 (x23 : Bool) : (x23 || (!x23)) = true := by
  cases x23 <;> decide

theorem t25 : 58 = 58 := by
  rfl

instance : Inhabited S11 :=
  ⟨(default : S11)⟩

set_option maxHeartbeats 750000

def f26 : T6 :=
  T6.c8

@[reducible] def f27 (x28 : Nat) (x29 : List Char) : Nat :=
  x28

set_option maxRecDepth 512

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
