//! Lean's `Nat` operations, in one table: for each its Lean name, arity,
//! value on literals, whether `Init.Prelude`/`Init.Core` define it, and
//! whether Lean's kernel computes it *by name* on literals (its GMP
//! extension, which goes by the name whatever the definition says). The
//! surface and kernel generators, both evaluators and the tests all read
//! this table, so they cannot disagree on what `Nat.shiftLeft 1 64` is.
//!
//! Values are exact natural numbers while they fit in a `u128`; a result
//! beyond that is `None` ("unknown"), never a wrapped or truncated value.
//!
//! The kernel rule was checked against `src/kernel/type_checker.cpp` in
//! leanprover/lean4 (commit b2bb7c48c38b0f49bede216fb5b899e3db65383e,
//! `type_checker::reduce_nat` and `reduce_pow`): once its arguments reduce
//! to literals (or `Nat.zero`), the kernel computes `Nat.succ` (one
//! argument) and `Nat.add`, `sub`, `mul`, `div`, `mod`, `gcd`, `beq`,
//! `ble`, `land`, `lor`, `xor`, `shiftLeft`, `shiftRight` (two arguments)
//! with no limit, and `Nat.pow` only while the exponent is at most 2^24
//! (`ReducePowMaxExp`; above it the definition unfolds). `Nat.log2`,
//! `pred`, `max` and `min` are not in that file's list: the kernel
//! unfolds their definitions. The kernel computes `shiftLeft` with the
//! runtime's `lean_nat_shiftl` (`src/runtime/object.cpp`), which gives 0
//! for a zero operand whatever the shift, and otherwise aborts the whole
//! process ("Nat.shiftl exponent is too big") for a shift above
//! `UINT_MAX`: a crash, not a refusal.

/// A value an operation gives: `beq` and `ble` give `Bool`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NatValue {
    Nat(u128),
    Bool(bool),
}

/// How Lean's kernel treats an application of the operation to literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KernelRule {
    /// It unfolds the definition, like any other constant.
    Unfolds,
    /// It computes the value by name.
    ByName,
    /// It computes the value by name while the last argument is at most
    /// this bound, and unfolds the definition above it.
    ByNameUpTo(u128),
    /// It computes the value by name, but aborts the process when the
    /// first argument is not 0 and the last is above this bound.
    ByNameAbortsAbove(u128),
}

/// One operation: one row of [`NAT_OPS`].
#[derive(Debug, Clone, Copy)]
pub struct NatOp {
    /// The Lean name (`Nat.add`).
    pub name: &'static str,
    /// How many `Nat` arguments it takes.
    pub arity: usize,
    pub kernel: KernelRule,
    /// Whether `Init.Prelude` or `Init.Core` define it (so a `prelude`
    /// file can use it but not redefine it).
    pub in_prelude: bool,
    /// The value at `(a, b)` (`b` ignored by unary operations).
    value: fn(u128, u128) -> Option<NatValue>,
}

/// The largest exponent the kernel raises to by name (`ReducePowMaxExp`).
pub const KERNEL_POW_MAX_EXP: u128 = 1 << 24;

/// The largest shift `lean_nat_shiftl` performs on a non-zero operand
/// (`UINT_MAX`); above it the kernel aborts.
pub const KERNEL_SHIFT_LEFT_MAX: u128 = u32::MAX as u128;

fn n(v: u128) -> Option<NatValue> {
    Some(NatValue::Nat(v))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn pow(a: u128, b: u128) -> Option<NatValue> {
    match (a, b) {
        (_, 0) => n(1),
        (0 | 1, _) => n(a),
        _ => n(a.checked_pow(u32::try_from(b).ok()?)?),
    }
}

fn shift_left(a: u128, b: u128) -> Option<NatValue> {
    if a == 0 {
        return n(0);
    }
    let k = u32::try_from(b).ok().filter(|k| *k <= a.leading_zeros())?;
    n(a << k)
}

fn shift_right(a: u128, b: u128) -> Option<NatValue> {
    n(u32::try_from(b)
        .ok()
        .and_then(|k| a.checked_shr(k))
        .unwrap_or(0))
}

fn log2(a: u128) -> u128 {
    if a == 0 {
        0
    } else {
        127 - u128::from(a.leading_zeros())
    }
}

/// Every operation, one row each.
pub const NAT_OPS: &[NatOp] = &[
    NatOp {
        name: "Nat.succ",
        arity: 1,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, _| a.checked_add(1).and_then(n),
    },
    NatOp {
        name: "Nat.pred",
        arity: 1,
        kernel: KernelRule::Unfolds,
        in_prelude: true,
        value: |a, _| n(a.saturating_sub(1)),
    },
    NatOp {
        name: "Nat.add",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| a.checked_add(b).and_then(n),
    },
    NatOp {
        name: "Nat.sub",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| n(a.saturating_sub(b)),
    },
    NatOp {
        name: "Nat.mul",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| a.checked_mul(b).and_then(n),
    },
    NatOp {
        name: "Nat.div",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| n(a.checked_div(b).unwrap_or(0)),
    },
    NatOp {
        name: "Nat.mod",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| n(a.checked_rem(b).unwrap_or(a)),
    },
    NatOp {
        name: "Nat.pow",
        arity: 2,
        kernel: KernelRule::ByNameUpTo(KERNEL_POW_MAX_EXP),
        in_prelude: true,
        value: pow,
    },
    NatOp {
        name: "Nat.beq",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| Some(NatValue::Bool(a == b)),
    },
    NatOp {
        name: "Nat.ble",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: true,
        value: |a, b| Some(NatValue::Bool(a <= b)),
    },
    NatOp {
        name: "Nat.gcd",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: false,
        value: |a, b| n(gcd(a, b)),
    },
    NatOp {
        name: "Nat.land",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: false,
        value: |a, b| n(a & b),
    },
    NatOp {
        name: "Nat.lor",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: false,
        value: |a, b| n(a | b),
    },
    NatOp {
        name: "Nat.xor",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: false,
        value: |a, b| n(a ^ b),
    },
    NatOp {
        name: "Nat.shiftLeft",
        arity: 2,
        kernel: KernelRule::ByNameAbortsAbove(KERNEL_SHIFT_LEFT_MAX),
        in_prelude: false,
        value: shift_left,
    },
    NatOp {
        name: "Nat.shiftRight",
        arity: 2,
        kernel: KernelRule::ByName,
        in_prelude: false,
        value: shift_right,
    },
    NatOp {
        name: "Nat.log2",
        arity: 1,
        kernel: KernelRule::Unfolds,
        in_prelude: false,
        value: |a, _| n(log2(a)),
    },
    NatOp {
        name: "Nat.max",
        arity: 2,
        kernel: KernelRule::Unfolds,
        in_prelude: false,
        value: |a, b| n(a.max(b)),
    },
    NatOp {
        name: "Nat.min",
        arity: 2,
        kernel: KernelRule::Unfolds,
        in_prelude: false,
        value: |a, b| n(a.min(b)),
    },
];

/// The row of the operation named `name` (`Nat.add`).
pub fn op(name: &str) -> Option<&'static NatOp> {
    NAT_OPS.iter().find(|o| o.name == name)
}

/// The row of a name the table is known to hold.
fn row(name: &str) -> &'static NatOp {
    op(name).unwrap_or_else(|| panic!("{name} is not in the Nat table"))
}

/// `name args` as a `Nat`, for a name of the table with a `Nat` value
/// (the callers' names are constants, so a miss is a bug, not an input).
pub fn nat(name: &str, args: &[u128]) -> Option<u128> {
    row(name).nat(args)
}

impl NatOp {
    /// The value at `args`; `None` for the wrong number of arguments or a
    /// result beyond `u128`.
    pub fn value(&self, args: &[u128]) -> Option<NatValue> {
        if args.len() != self.arity {
            return None;
        }
        (self.value)(args[0], args.get(1).copied().unwrap_or(0))
    }

    /// The value at `args` when it is a `Nat`.
    pub fn nat(&self, args: &[u128]) -> Option<u128> {
        match self.value(args)? {
            NatValue::Nat(v) => Some(v),
            NatValue::Bool(_) => None,
        }
    }

    /// Whether the kernel computes `self args` by name (and lives).
    pub fn kernel_computes(&self, args: &[u128]) -> bool {
        match self.kernel {
            KernelRule::Unfolds => false,
            KernelRule::ByName => true,
            KernelRule::ByNameUpTo(max) => args.last().is_some_and(|e| *e <= max),
            KernelRule::ByNameAbortsAbove(_) => !self.kernel_aborts(args),
        }
    }

    /// Whether the kernel aborts the process on `self args`.
    pub fn kernel_aborts(&self, args: &[u128]) -> bool {
        match self.kernel {
            KernelRule::ByNameAbortsAbove(max) => {
                args.first().is_some_and(|a| *a != 0) && args.last().is_some_and(|k| *k > max)
            }
            _ => false,
        }
    }

    /// What the kernel computes by name for `self args`: `None` where it
    /// unfolds the definition instead (or the value is beyond `u128`).
    pub fn kernel_value(&self, args: &[u128]) -> Option<NatValue> {
        if self.kernel_computes(args) {
            self.value(args)
        } else {
            None
        }
    }
}

/// What the kernel computes by name for `name args` when that is a `Nat`;
/// `None` for names outside the table, operations it unfolds, and values
/// beyond `u128`.
pub fn kernel_nat(name: &str, args: &[u128]) -> Option<u128> {
    match op(name)?.kernel_value(args)? {
        NatValue::Nat(v) => Some(v),
        NatValue::Bool(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_arities_match_the_values() {
        for (i, o) in NAT_OPS.iter().enumerate() {
            assert!(NAT_OPS[..i].iter().all(|p| p.name != o.name), "{}", o.name);
            assert!(o.value(&[1; 2][..o.arity]).is_some(), "{}", o.name);
            assert_eq!(o.value(&[1, 1, 1][..o.arity + 1]), None, "{}", o.name);
        }
    }

    #[test]
    fn the_kernel_computes_exactly_the_names_of_reduce_nat() {
        let by_name: Vec<&str> = NAT_OPS
            .iter()
            .filter(|o| o.kernel != KernelRule::Unfolds)
            .map(|o| o.name)
            .collect();
        let mut expected = vec![
            "Nat.succ",
            "Nat.add",
            "Nat.sub",
            "Nat.mul",
            "Nat.div",
            "Nat.mod",
            "Nat.pow",
            "Nat.beq",
            "Nat.ble",
            "Nat.gcd",
            "Nat.land",
            "Nat.lor",
            "Nat.xor",
            "Nat.shiftLeft",
            "Nat.shiftRight",
        ];
        let mut got = by_name.clone();
        got.sort();
        expected.sort();
        assert_eq!(got, expected);
        let pow = op("Nat.pow").unwrap();
        assert_eq!(pow.kernel_value(&[1, 1 << 24]), Some(NatValue::Nat(1)));
        assert_eq!(pow.kernel_value(&[1, (1 << 24) + 1]), None);
        assert_eq!(pow.value(&[1, (1 << 24) + 1]), Some(NatValue::Nat(1)));
        let shl = op("Nat.shiftLeft").unwrap();
        assert!(shl.kernel_aborts(&[1, 1 << 32]) && !shl.kernel_aborts(&[1, (1 << 32) - 1]));
        assert!(!shl.kernel_aborts(&[0, u128::MAX]));
        assert_eq!(kernel_nat("Nat.shiftLeft", &[0, u128::MAX]), Some(0));
        assert_eq!(kernel_nat("Nat.shiftLeft", &[1, 1 << 32]), None);
        assert!(NAT_OPS
            .iter()
            .filter(|o| o.name != "Nat.shiftLeft")
            .all(|o| !o.kernel_aborts(&[u128::MAX, u128::MAX][..o.arity])));
        assert_eq!(kernel_nat("Nat.log2", &[8]), None);
        assert_eq!(kernel_nat("Nat.beq", &[8, 8]), None, "a Bool, not a Nat");
        assert_eq!(kernel_nat("Nat.gcd", &[12, 18]), Some(6));
        assert_eq!(kernel_nat("Nat.unknown", &[1, 2]), None);
    }

    /// Every row against values worked out by hand from Lean's
    /// definitions, at the edges: 0, the 2^64 boundary, shifts by 64 and
    /// more, truncated subtraction, division and remainder by 0.
    #[test]
    fn every_operation_against_known_values() {
        const B: u128 = 1 << 64;
        let nat_cases: &[(&str, &[u128], Option<u128>)] = &[
            ("Nat.succ", &[0], Some(1)),
            ("Nat.succ", &[B - 1], Some(B)),
            ("Nat.succ", &[u128::MAX], None),
            ("Nat.pred", &[0], Some(0)),
            ("Nat.pred", &[B], Some(B - 1)),
            ("Nat.add", &[0, 0], Some(0)),
            ("Nat.add", &[B - 1, 1], Some(B)),
            ("Nat.add", &[u128::MAX, 1], None),
            ("Nat.sub", &[3, 5], Some(0)),
            ("Nat.sub", &[B, 1], Some(B - 1)),
            ("Nat.sub", &[0, B], Some(0)),
            ("Nat.mul", &[B, B - 1], Some(B * (B - 1))),
            ("Nat.mul", &[0, u128::MAX], Some(0)),
            ("Nat.mul", &[B, B], None),
            ("Nat.div", &[7, 0], Some(0)),
            ("Nat.div", &[0, 0], Some(0)),
            ("Nat.div", &[B, 2], Some(1 << 63)),
            ("Nat.div", &[7, 2], Some(3)),
            ("Nat.mod", &[7, 0], Some(7)),
            ("Nat.mod", &[0, 0], Some(0)),
            ("Nat.mod", &[B + 5, B], Some(5)),
            ("Nat.pow", &[0, 0], Some(1)),
            ("Nat.pow", &[0, 5], Some(0)),
            ("Nat.pow", &[2, 64], Some(B)),
            ("Nat.pow", &[2, 128], None),
            ("Nat.pow", &[1, u128::MAX], Some(1)),
            ("Nat.pow", &[0, u128::MAX], Some(0)),
            ("Nat.gcd", &[0, 0], Some(0)),
            ("Nat.gcd", &[0, 5], Some(5)),
            ("Nat.gcd", &[5, 0], Some(5)),
            ("Nat.gcd", &[12, 18], Some(6)),
            ("Nat.gcd", &[B, 1 << 70], Some(B)),
            ("Nat.land", &[12, 10], Some(8)),
            ("Nat.land", &[B - 1, B], Some(0)),
            ("Nat.lor", &[12, 10], Some(14)),
            ("Nat.lor", &[B - 1, B], Some(2 * B - 1)),
            ("Nat.xor", &[12, 10], Some(6)),
            ("Nat.xor", &[B, B], Some(0)),
            ("Nat.shiftLeft", &[1, 0], Some(1)),
            ("Nat.shiftLeft", &[1, 64], Some(B)),
            ("Nat.shiftLeft", &[1, 127], Some(1 << 127)),
            ("Nat.shiftLeft", &[1, 128], None),
            ("Nat.shiftLeft", &[1, 200], None),
            ("Nat.shiftLeft", &[B, 64], None),
            ("Nat.shiftLeft", &[0, 1 << 40], Some(0)),
            ("Nat.shiftRight", &[B, 64], Some(1)),
            ("Nat.shiftRight", &[B, 65], Some(0)),
            ("Nat.shiftRight", &[u128::MAX, 127], Some(1)),
            ("Nat.shiftRight", &[u128::MAX, 128], Some(0)),
            ("Nat.shiftRight", &[1 << 70, 200], Some(0)),
            ("Nat.shiftRight", &[5, u128::MAX], Some(0)),
            ("Nat.log2", &[0], Some(0)),
            ("Nat.log2", &[1], Some(0)),
            ("Nat.log2", &[8], Some(3)),
            ("Nat.log2", &[B - 1], Some(63)),
            ("Nat.log2", &[B], Some(64)),
            ("Nat.log2", &[u128::MAX], Some(127)),
            ("Nat.max", &[3, B], Some(B)),
            ("Nat.min", &[3, B], Some(3)),
        ];
        for (name, args, want) in nat_cases {
            assert_eq!(nat(name, args), *want, "{name} {args:?}");
        }
        let bool_cases: &[(&str, [u128; 2], bool)] = &[
            ("Nat.beq", [0, 0], true),
            ("Nat.beq", [B, B - 1], false),
            ("Nat.ble", [B - 1, B], true),
            ("Nat.ble", [B, B - 1], false),
            ("Nat.ble", [0, 0], true),
        ];
        for (name, args, want) in bool_cases {
            assert_eq!(
                op(name).unwrap().value(args),
                Some(NatValue::Bool(*want)),
                "{name} {args:?}"
            );
        }
        // Every row is exercised above.
        for o in NAT_OPS {
            assert!(
                nat_cases.iter().any(|c| c.0 == o.name) || bool_cases.iter().any(|c| c.0 == o.name),
                "{} has no known values",
                o.name
            );
        }
    }
}
