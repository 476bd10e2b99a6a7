-- leanfuzz program (profile: surface)

mutual
  inductive T1 : Type where
    | c3
    | c4 (a9 : T2) (a10 : Nat) (a11 : T1)
    | c5 (a12 : T2)
    | c6 (a13 : T2) (a14 : T1)
  inductive T2 : Type where
    | c7
    | c8 (a15 : T1) (a16 : Nat)
end

abbrev f17 (x18 : String) (x19 : Nat) : T2 :=
  T2.c7

class Cls20 (α : Type) where
  op21 : α → α → α

instance : Cls20 T1 :=
  ⟨(fun (x22 : T1) (x23 : T1) => T1.c6 T2.c7 T1.c3)⟩

theorem t25 (n24 : Nat) : (n24 * 1) = n24 := by
  induction n24 <;> simp

instance : Inhabited T2 :=
  ⟨T2.c7⟩

theorem t27 (x26 : Char) : ((14, 'a') : Prod Nat Char) = (14, 'a') := by
  rfl

instance : Cls20 T2 :=
  ⟨(fun (x28 : T2) (x29 : T2) => f17 "\"abx" 2)⟩

def f30 (x31 : Nat) : Bool :=
  decide (x31 < (18 ^ 0))

theorem t32 : (Nat.xor 69 (Nat.shiftLeft 4294967295 68)) = 1267650599933081496317350379589 := by
  native_decide

theorem t33 : ¬(48 = 49) := by
  decide

instance : Cls20 Nat :=
  ⟨(fun (x34 : Nat) (x35 : Nat) => List.length ([] : List T2))⟩

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
