-- leanfuzz program (profile: surface)

inductive Ix1 : Nat → Type where
  | base2 : Ix1 0
  | step3 (k4 : Nat) (a7 : Bool) (h6 : Ix1 k4) : Ix1 (k4 + 1)

theorem t8 : (55 + (6 * 54)) = 379 := by
  simp

def f9 (x10 : String) (x11 : Bool) (x12 : List Nat) : Bool :=
  Nat.beq 14 15

theorem t14 (n13 : Nat) : (n13 * 1) = n13 := by
  induction n13 <;> simp

@[simp] theorem t15 : (Nat.lor (Nat.gcd 75 74) (62 * 73)) = 4527 := by
  native_decide

def v16 : Ix1 2 :=
  Ix1.step3 1 false (Ix1.step3 0 false Ix1.base2)

theorem t17 : true = true :=
  rfl

def v18 : Ix1 0 :=
  Ix1.base2

@[reducible] def f19 (x20 : Nat) : Nat :=
  List.length ([] : List Nat)

def f21 {α : Type} (x22 : α) (x23 : Option α) : Option α :=
  let x25 : List Bool := ((match x23 with | none => false | some a24 => true) :: ([] : List Bool)); none

def f26 (x27 : (List Nat) → Char) (x28 : String) : Nat → Bool
  | 0 => (f9 (String.push "\\\x7f»\t" '𝔽') ((f9 x28 true ([] : List Nat)) && true) ([] : List Nat))
  | a29 + 1 => (f9 (toString (List.length ([] : List Nat))) (if true then (!false) else (f9 "\"\x7f\x7flean" false ([] : List Nat))) (([] : List Nat) ++ ([] : List Nat)))

set_option debug.skipKernelTC true

axiom leanfuzzAx30 : (40 + 54) = 94

opaque o31 : (40 + 54) = 94 :=
  leanfuzzAx30

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @Ix1
  have _ := @t8
  have _ := @f9
  have _ := @t14
  have _ := @v16
  have _ := @t17
  have _ := @v18
  have _ := @f19
  have _ := @f21
  have _ := @f26
  have _ := @leanfuzzAx30
  have _ := @o31
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t8
  have h1 := @t14
  have h2 := @t17
  first | simp_all | decide | omega | trivial | native_decide | sorry
