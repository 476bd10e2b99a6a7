//! Faults of the export format itself, for kernels' readers: a reference
//! to an id never defined, a reference to an id defined only later, a gap
//! in the expression or the name ids, level lines out of order. The Lean
//! Kernel Arena tests checkers on such files (dangling and out-of-order
//! ids, discontiguous back-references, sparse name indices): a kernel must
//! decline or reject them, never accept. Applied to the written text, at
//! places chosen by a seed, so a finding is reproduced from the kind and
//! the seed.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A kind of format fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatFault {
    /// An expression refers to an expression id no line defines.
    DanglingRef,
    /// An expression line comes before the line defining an id it uses.
    ForwardRef,
    /// The expression ids skip one (every later id and use moved up).
    ExprIdGap,
    /// The name ids skip one (a sparse name index).
    NameIdGap,
    /// Two level lines swapped, so level ids come out of order.
    LevelOrder,
}

impl FormatFault {
    pub const ALL: [FormatFault; 5] = [
        FormatFault::DanglingRef,
        FormatFault::ForwardRef,
        FormatFault::ExprIdGap,
        FormatFault::NameIdGap,
        FormatFault::LevelOrder,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FormatFault::DanglingRef => "dangling-ref",
            FormatFault::ForwardRef => "forward-ref",
            FormatFault::ExprIdGap => "expr-id-gap",
            FormatFault::NameIdGap => "name-id-gap",
            FormatFault::LevelOrder => "level-order",
        }
    }

    pub fn parse(s: &str) -> Option<FormatFault> {
        FormatFault::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// A fault and the seed that places it: recorded with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FormatFault,
    pub seed: u64,
}

/// The fields of an expression line's body that hold expression ids.
const EXPR_REFS: [&str; 6] = ["fn", "arg", "type", "body", "value", "struct"];

/// `text` (an export file our writer made) with the fault in it; `None`
/// when the file has no place for it.
pub fn apply(text: &str, fault: Fault) -> Option<String> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(fault.seed);
    let mut lines: Vec<Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .ok()?;
    let pick = |rng: &mut Xoshiro256PlusPlus, v: &[usize]| -> Option<usize> {
        (!v.is_empty()).then(|| v[rng.random_range(0..v.len())])
    };
    match fault.kind {
        FormatFault::DanglingRef => {
            let max = max_id(&lines, "ie");
            let users = lines_with_expr_refs(&lines);
            let i = pick(&mut rng, &users)?;
            let (_, field) = expr_refs(&lines[i]).into_iter().next()?;
            set_ref(&mut lines[i], &field, max + 1000);
        }
        FormatFault::ForwardRef => {
            // A line using id `j`: move the line defining `j` after it.
            let users = lines_with_expr_refs(&lines);
            let i = pick(&mut rng, &users)?;
            let (j, _) = expr_refs(&lines[i]).into_iter().next()?;
            let def = lines
                .iter()
                .position(|l| l.get("ie").and_then(Value::as_u64) == Some(j))?;
            if def > i {
                return None;
            }
            // After the removal the user sits at `i - 1`: insert after it.
            let moved = lines.remove(def);
            lines.insert(i, moved);
        }
        FormatFault::ExprIdGap => {
            let max = max_id(&lines, "ie");
            let k = rng.random_range(1..=max.max(1));
            shift_ids(&mut lines, k, "ie", &EXPR_ID_FIELDS);
        }
        FormatFault::NameIdGap => {
            let max = max_id(&lines, "in");
            if max < 2 {
                return None;
            }
            let k = rng.random_range(2..=max);
            shift_ids(&mut lines, k, "in", &NAME_ID_FIELDS);
        }
        FormatFault::LevelOrder => {
            // Two neighbouring level lines, the second not built on the
            // first.
            let levels: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].get("il").is_some())
                .collect();
            let pairs: Vec<usize> = (0..levels.len().saturating_sub(1))
                .filter(|&k| {
                    let a = lines[levels[k]]["il"].as_u64();
                    !level_refs(&lines[levels[k + 1]]).contains(&a.unwrap_or(u64::MAX))
                })
                .collect();
            let k = pick(&mut rng, &pairs)?;
            lines.swap(levels[k], levels[k + 1]);
        }
    }
    Some(
        lines
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n",
    )
}

fn max_id(lines: &[Value], key: &str) -> u64 {
    lines
        .iter()
        .filter_map(|l| l.get(key).and_then(Value::as_u64))
        .max()
        .unwrap_or(0)
}

/// The body of an expression line (the one object beside `"ie"`).
fn body(line: &Value) -> Option<(&String, &Value)> {
    line.as_object()?.iter().find(|(k, _)| *k != "ie")
}

/// The expression ids an expression line uses, with their field names.
fn expr_refs(line: &Value) -> Vec<(u64, String)> {
    if line.get("ie").is_none() {
        return Vec::new();
    }
    let Some((_, b)) = body(line) else {
        return Vec::new();
    };
    EXPR_REFS
        .iter()
        .filter_map(|f| {
            b.get(*f)
                .and_then(Value::as_u64)
                .map(|j| (j, f.to_string()))
        })
        .collect()
}

fn lines_with_expr_refs(lines: &[Value]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| !expr_refs(&lines[i]).is_empty())
        .collect()
}

fn set_ref(line: &mut Value, field: &str, id: u64) {
    if let Some(obj) = line.as_object_mut() {
        for (k, b) in obj.iter_mut() {
            if k != "ie" {
                if let Some(slot) = b.get_mut(field) {
                    *slot = Value::from(id);
                }
            }
        }
    }
}

/// The level ids a level line uses.
fn level_refs(line: &Value) -> Vec<u64> {
    let Some(obj) = line.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in obj {
        if k == "il" {
            continue;
        }
        match v {
            Value::Number(n) if k == "succ" => out.extend(n.as_u64()),
            Value::Array(a) => out.extend(a.iter().filter_map(Value::as_u64)),
            _ => {}
        }
    }
    out
}

/// The fields that hold an expression id, in expression bodies and in
/// declarations.
const EXPR_ID_FIELDS: [&str; 8] = [
    "fn", "arg", "type", "body", "value", "struct", "expr", "rhs",
];

/// The fields that hold name ids (or arrays of them).
const NAME_ID_FIELDS: [&str; 9] = [
    "pre",
    "name",
    "typeName",
    "levelParams",
    "all",
    "ctors",
    "induct",
    "ctor",
    "param",
];

/// Every id `>= k` one higher: the line ids under `key` and every use in
/// a field of `fields` (a number, or an array of numbers), at any depth.
fn shift_ids(lines: &mut [Value], k: u64, key: &str, fields: &[&str]) {
    // An id field holds a number or an array of numbers; an array of
    // objects under such a name (an inductive's `ctors`) is walked.
    fn bump(v: &mut Value, k: u64, fields: &[&str]) {
        match v {
            Value::Number(n) => {
                if let Some(id) = n.as_u64().filter(|id| *id >= k) {
                    *v = Value::from(id + 1);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| bump(x, k, fields)),
            Value::Object(_) => walk(v, k, fields),
            _ => {}
        }
    }
    fn walk(v: &mut Value, k: u64, fields: &[&str]) {
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, k, fields)),
            Value::Object(o) => {
                for (name, x) in o.iter_mut() {
                    if fields.contains(&name.as_str()) {
                        bump(x, k, fields);
                    } else {
                        walk(x, k, fields);
                    }
                }
            }
            _ => {}
        }
    }
    for line in lines.iter_mut() {
        if let Some(id) = line.get(key).and_then(Value::as_u64).filter(|id| *id >= k) {
            line[key] = Value::from(id + 1);
        }
        walk(line, k, fields);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::gen::{generate, KernelGenConfig};
    use crate::kernel::ndjson::{read, write, ExportMeta};

    #[test]
    fn every_fault_applies_and_our_reader_names_the_line() {
        let cfg = KernelGenConfig::default();
        for kind in FormatFault::ALL {
            for seed in 0..8u64 {
                let text = write(&generate(seed, &cfg).decls, &ExportMeta::default());
                assert!(read(&text).is_ok());
                let fault = Fault { kind, seed };
                let bad = apply(&text, fault).unwrap_or_else(|| panic!("{kind:?} seed {seed}"));
                assert_ne!(bad, text);
                assert_eq!(Some(&bad), apply(&text, fault).as_ref(), "deterministic");
                let err = read(&bad).expect_err(&format!("{kind:?} seed {seed} reads"));
                assert!(err.line >= 2, "{kind:?}: {err}");
                assert!(err.to_string().starts_with("line "), "{err}");
            }
        }
    }

    #[test]
    fn a_gap_moves_every_later_id_and_use() {
        let cfg = KernelGenConfig::default();
        let text = write(&generate(3, &cfg).decls, &ExportMeta::default());
        for kind in [FormatFault::ExprIdGap, FormatFault::NameIdGap] {
            let bad = apply(&text, Fault { kind, seed: 1 }).unwrap();
            // The ids jump by two at one place: the gap.
            let key = if kind == FormatFault::ExprIdGap {
                "ie"
            } else {
                "in"
            };
            let ids: Vec<u64> = bad
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter_map(|v| v.get(key).and_then(Value::as_u64))
                .collect();
            let gap = ids.windows(2).find(|w| w[1] != w[0] + 1).expect("a gap");
            assert_eq!(gap[1], gap[0] + 2, "{kind:?}");
        }
    }
}
