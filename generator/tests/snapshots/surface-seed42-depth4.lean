-- leanfuzz program (profile: surface)

structure S1 where
  fld2 : List Bool
  fld3 : Nat
  fld4 : String
  deriving Inhabited, DecidableEq

@[reducible] def f5 (x6 : Char) (x7 : S1) (x8 : Nat) : Bool :=
  match x8 with | 0 => ((Nat.beq x8 17) || false) | a9 + 1 => (Nat.beq a9 x8)

@[simp] theorem t10 : (Nat.lor 48 (62 * 73)) = 4542 := by
  native_decide

instance : Mul S1 :=
  ⟨(fun (x11 : S1) (y12 : S1) => (⟨([] : List Bool), 5, ""⟩ : S1))⟩

def f13 (x14 : S1) (x15 : Nat) (x16 : Bool) : Nat :=
  x14.fld3

def f17 : Bool → Bool
  | true => (f5 (let x18 : Prod String S1 := (default : Prod String S1); '0') (⟨([] : List Bool), 4, "λ'»"⟩ : S1) (f13 (⟨([] : List Bool), 12, "\n"⟩ : S1) (f13 (default : S1) 18 false) false))
  | false => (decide ((13 * 4) ≤ (let x19 : Char := '0'; 0)))

theorem t22 (x20 : List S1) (x21 : Bool) : (f13 (if true then (default : S1) else (default : S1)) 8 (Nat.beq 3 19) : Nat) = (f13 (if true then (default : S1) else (default : S1)) 8 (Nat.beq 3 19)) :=
  rfl

theorem t24 (x23 : Bool) : (f17 x23) = (f17 x23) := by
  cases x23 <;> rfl

theorem t28 (n25 : Nat) (n26 : Nat) (n27 : Nat) : (4 + n25) = (n25 + 4) := by
  omega

theorem t30 (x29 : Bool) : (x29 || (!x29)) = true := by
  cases x29 <;> decide

def f31 (x32 : String) : Bool :=
  Nat.beq (let x33 : S1 := (default : S1); 4) (String.length x32)

theorem t37 (n34 : Nat) (n35 : Nat) (n36 : Nat) : (0 + (1 * n36)) ≤ ((1 * n36) + 0) := by
  omega

-- leanfuzz golden suffix: generic automation against the challenge
theorem soundness_check : False := by
  first | simp_all | decide | omega | trivial | native_decide
