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

inductive Ix11 : Nat → Type where
  | base12 : Ix11 0
  | step13 (k14 : Nat) (a17 : Nat) (h16 : Ix11 k14) : Ix11 (k14 + 1)

def f18 (x19 : Bool) (x20 : Nat) (x21 : Bool) : Nat :=
  x20

theorem t23 (n22 : Nat) : (n22 * 1) = n22 := by
  induction n22 <;> simp

def f24 (x25 : Nat) : T6 → (Prod String String)
  | T6.c7 => (default : Prod String String)
  | T6.c8 => ("\x7f'λ", (String.push (toString x25) (Char.ofNat (let x26 : Bool := true; x25))))
  | T6.c9 => (if ((Nat.min (f18 false x25 false) (String.length "lean")) ≤ (let x28 : Bool := (let x27 : Nat := 11; true); match x28 with | true => x25 | false => 16)) then (match x25 with | 0 => (default : Prod String String) | a29 + 1 => (default : Prod String String)) else (default : Prod String String))
  | T6.c10 => (default : Prod String String)

def f30.{u31} {α : Type u31} (x32 : α) (x33 : Nat) : List α :=
  [x32]

def f34 (x35 : List String) (x36 : Nat) : (Option Bool) → Bool
  | none => true
  | some a37 => a37

def v38 : Ix11 0 :=
  Ix11.base12

def f39 (x40 : String) (x41 : T1) (x42 : Bool) : Bool → (List Nat) :=
  if (if ((f18 true 5 x42) < (List.length ([] : List Nat))) then (if (true && false) then (let x43 : Nat := 16; x42) else (let x44 : List Nat := ([] : List Nat); true)) else (f34 (let x45 : Nat := 5; ([] : List String)) 0 (none : Option Bool))) then (default : Bool → (List Nat)) else (default : Bool → (List Nat))

def f46 {α : Type} (x47 : α) (x48 : Bool) : Nat :=
  4294967295

theorem t49 : (Nat.xor ((Nat.gcd 36 73) - 53) (Nat.land 88 (92 + 56))) = 16 := by
  decide

-- leanfuzz replay: depends on every generated declaration, no `sorry`
theorem replay_check : True :=
  have _ := @T1
  have _ := @T6
  have _ := @Ix11
  have _ := @f18
  have _ := @t23
  have _ := @f24
  have _ := @f30.{0}
  have _ := @f34
  have _ := @v38
  have _ := @f39
  have _ := @f46
  have _ := @t49
  True.intro

-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`
theorem soundness_check : False := by
  have h0 := @t23
  have h1 := @t49
  first | simp_all | decide | omega | trivial | native_decide | sorry
