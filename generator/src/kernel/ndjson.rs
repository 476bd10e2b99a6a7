//! The lean4export NDJSON format, version 3.1.0 (`format_ndjson.md` in
//! leanprover/lean4export): a `meta` line, then one JSON object per line —
//! names (`in`), levels (`il`) and expressions (`ie`), each referring only
//! to earlier ids, and declarations referring to them. Name 0 is the
//! anonymous name and level 0 is universe zero; neither is written.
//!
//! The writer shares every repeated name, level and expression (one line
//! each), as lean4export does. The reader takes real export files (to seed
//! the fuzzer from them); a malformed line is an error naming its number.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::*;

/// The exporter and Lean versions of the `meta` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMeta {
    pub exporter_name: String,
    pub exporter_version: String,
    pub lean_githash: String,
    pub lean_version: String,
    pub format_version: String,
}

impl Default for ExportMeta {
    fn default() -> Self {
        ExportMeta {
            exporter_name: "leanfuzz".into(),
            exporter_version: env!("CARGO_PKG_VERSION").into(),
            lean_githash: String::new(),
            lean_version: String::new(),
            format_version: "3.1.0".into(),
        }
    }
}

/// Writes `decls` as an NDJSON export file (one object per line).
pub fn write(decls: &[Decl], meta: &ExportMeta) -> String {
    let mut w = Writer::default();
    w.lines.push(
        json!({"meta": {
            "exporter": {"name": meta.exporter_name, "version": meta.exporter_version},
            "lean": {"githash": meta.lean_githash, "version": meta.lean_version},
            "format": {"version": meta.format_version},
        }})
        .to_string(),
    );
    for d in decls {
        let v = w.decl(d);
        w.lines.push(v.to_string());
    }
    let mut out = w.lines.join("\n");
    out.push('\n');
    out
}

#[derive(Default)]
struct Writer {
    names: HashMap<Name, u64>,
    levels: HashMap<Level, u64>,
    /// An expression node's text without its id → its id.
    exprs: HashMap<String, u64>,
    lines: Vec<String>,
}

impl Writer {
    fn name(&mut self, n: &Name) -> u64 {
        if n.0.is_empty() {
            return 0;
        }
        if let Some(&id) = self.names.get(n) {
            return id;
        }
        let pre = self.name(&n.prefix());
        let id = self.names.len() as u64 + 1;
        let v = match n.0.last().expect("not anonymous") {
            NamePart::Str(s) => json!({"str": {"pre": pre, "str": s}, "in": id}),
            NamePart::Num(k) => json!({"num": {"pre": pre, "i": k}, "in": id}),
        };
        self.lines.push(v.to_string());
        self.names.insert(n.clone(), id);
        id
    }

    fn names(&mut self, ns: &[Name]) -> Vec<u64> {
        ns.iter().map(|n| self.name(n)).collect()
    }

    fn level(&mut self, l: &Level) -> u64 {
        if *l == Level::Zero {
            return 0;
        }
        if let Some(&id) = self.levels.get(l) {
            return id;
        }
        let (key, val) = match l {
            Level::Zero => unreachable!("handled above"),
            Level::Succ(a) => ("succ", json!(self.level(a))),
            Level::Max(a, b) => ("max", json!([self.level(a), self.level(b)])),
            Level::IMax(a, b) => ("imax", json!([self.level(a), self.level(b)])),
            Level::Param(n) => ("param", json!(self.name(n))),
        };
        let id = self.levels.len() as u64 + 1;
        let mut obj = Map::new();
        obj.insert(key.into(), val);
        obj.insert("il".into(), json!(id));
        self.lines.push(Value::Object(obj).to_string());
        self.levels.insert(l.clone(), id);
        id
    }

    fn expr(&mut self, e: &Expr) -> u64 {
        let binder = |w: &mut Self, n: &Name, t: &Expr, b: &Expr, bi: &BinderInfo| {
            json!({"name": w.name(n), "type": w.expr(t), "body": w.expr(b),
                   "binderInfo": binder_info(*bi)})
        };
        let (key, val) = match e {
            Expr::BVar(i) => ("bvar", json!(i)),
            Expr::Sort(l) => ("sort", json!(self.level(l))),
            Expr::Const(n, us) => {
                let us: Vec<u64> = us.iter().map(|u| self.level(u)).collect();
                ("const", json!({"name": self.name(n), "us": us}))
            }
            Expr::App(f, a) => ("app", json!({"fn": self.expr(f), "arg": self.expr(a)})),
            Expr::Lam(n, t, b, bi) => ("lam", binder(self, n, t, b, bi)),
            Expr::ForallE(n, t, b, bi) => ("forallE", binder(self, n, t, b, bi)),
            Expr::LetE {
                name,
                ty,
                value,
                body,
                nondep,
            } => (
                "letE",
                json!({"name": self.name(name), "type": self.expr(ty),
                       "value": self.expr(value), "body": self.expr(body), "nondep": nondep}),
            ),
            Expr::Proj(n, idx, s) => (
                "proj",
                json!({"typeName": self.name(n), "idx": idx, "struct": self.expr(s)}),
            ),
            Expr::NatLit(n) => ("natVal", json!(n)),
            Expr::StrLit(s) => ("strVal", json!(s)),
            Expr::MData(data, inner) => {
                let data: serde_json::Value =
                    serde_json::from_str(data).unwrap_or(serde_json::Value::Null);
                ("mdata", json!({"expr": self.expr(inner), "data": data}))
            }
        };
        let mut obj = Map::new();
        obj.insert(key.into(), val);
        let shape = Value::Object(obj.clone()).to_string();
        if let Some(&id) = self.exprs.get(&shape) {
            return id;
        }
        let id = self.exprs.len() as u64;
        obj.insert("ie".into(), json!(id));
        self.lines.push(Value::Object(obj).to_string());
        self.exprs.insert(shape, id);
        id
    }

    fn decl(&mut self, d: &Decl) -> Value {
        match d {
            Decl::Axiom {
                name,
                level_params,
                ty,
                is_unsafe,
            } => json!({"axiom": {"name": self.name(name), "levelParams": self.names(level_params),
                                  "type": self.expr(ty), "isUnsafe": is_unsafe}}),
            Decl::Def {
                name,
                level_params,
                ty,
                value,
                hints,
                safety,
                all,
            } => json!({"def": {"name": self.name(name), "levelParams": self.names(level_params),
                "type": self.expr(ty), "value": self.expr(value),
                "hints": match hints {
                    Hints::Opaque => json!("opaque"),
                    Hints::Abbrev => json!("abbrev"),
                    Hints::Regular(h) => json!({"regular": h}),
                },
                "safety": match safety { Safety::Unsafe => "unsafe", Safety::Safe => "safe", Safety::Partial => "partial" },
                "all": self.names(all)}}),
            Decl::Opaque {
                name,
                level_params,
                ty,
                value,
                is_unsafe,
                all,
            } => {
                json!({"opaque": {"name": self.name(name), "levelParams": self.names(level_params),
                "type": self.expr(ty), "value": self.expr(value), "isUnsafe": is_unsafe,
                "all": self.names(all)}})
            }
            Decl::Thm {
                name,
                level_params,
                ty,
                value,
                all,
            } => json!({"thm": {"name": self.name(name), "levelParams": self.names(level_params),
                "type": self.expr(ty), "value": self.expr(value), "all": self.names(all)}}),
            Decl::Quot {
                name,
                level_params,
                ty,
                kind,
            } => json!({"quot": {"name": self.name(name), "levelParams": self.names(level_params),
                "type": self.expr(ty),
                "kind": match kind { QuotKind::Type => "type", QuotKind::Ctor => "ctor", QuotKind::Lift => "lift", QuotKind::Ind => "ind" }}}),
            Decl::Inductive { types, ctors, recs } => {
                let types: Vec<Value> = types
                    .iter()
                    .map(|t| {
                        json!({"name": self.name(&t.name), "levelParams": self.names(&t.level_params),
                        "type": self.expr(&t.ty), "numParams": t.num_params, "numIndices": t.num_indices,
                        "all": self.names(&t.all), "ctors": self.names(&t.ctors), "numNested": t.num_nested,
                        "isRec": t.is_rec, "isUnsafe": t.is_unsafe, "isReflexive": t.is_reflexive})
                    })
                    .collect();
                let ctors: Vec<Value> = ctors
                    .iter()
                    .map(|c| {
                        json!({"name": self.name(&c.name), "levelParams": self.names(&c.level_params),
                        "type": self.expr(&c.ty), "induct": self.name(&c.induct), "cidx": c.cidx,
                        "numParams": c.num_params, "numFields": c.num_fields, "isUnsafe": c.is_unsafe})
                    })
                    .collect();
                let recs: Vec<Value> = recs
                    .iter()
                    .map(|r| {
                        let rules: Vec<Value> = r
                            .rules
                            .iter()
                            .map(|rr| {
                                json!({"ctor": self.name(&rr.ctor), "nfields": rr.nfields,
                                "rhs": self.expr(&rr.rhs)})
                            })
                            .collect();
                        json!({"name": self.name(&r.name), "levelParams": self.names(&r.level_params),
                        "type": self.expr(&r.ty), "all": self.names(&r.all),
                        "numParams": r.num_params, "numIndices": r.num_indices,
                        "numMotives": r.num_motives, "numMinors": r.num_minors,
                        "rules": rules, "k": r.k, "isUnsafe": r.is_unsafe})
                    })
                    .collect();
                json!({"inductive": {"types": types, "ctors": ctors, "recs": recs}})
            }
        }
    }
}

fn binder_info(bi: BinderInfo) -> &'static str {
    match bi {
        BinderInfo::Default => "default",
        BinderInfo::Implicit => "implicit",
        BinderInfo::StrictImplicit => "strictImplicit",
        BinderInfo::InstImplicit => "instImplicit",
    }
}

/// A malformed export file: which line, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ReadError {
    pub line: usize,
    pub what: String,
}

/// Reads an NDJSON export file.
pub fn read(text: &str) -> Result<(ExportMeta, Vec<Decl>), ReadError> {
    let mut r = Reader::default();
    let mut meta = None;
    let mut decls = Vec::new();
    for (i, line) in text.lines().enumerate() {
        r.line = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| r.err(format!("not JSON: {e}")))?;
        if meta.is_none() {
            meta = Some(r.meta(&v)?);
            continue;
        }
        if let Some(id) = v.get("in") {
            r.read_name(&v, id)?;
        } else if let Some(id) = v.get("il") {
            r.read_level(&v, id)?;
        } else if let Some(id) = v.get("ie") {
            r.read_expr(&v, id)?;
        } else {
            decls.push(r.decl(&v)?);
        }
    }
    let meta = meta.ok_or(ReadError {
        line: 0,
        what: "empty file: no meta line".into(),
    })?;
    Ok((meta, decls))
}

#[derive(Default)]
struct Reader {
    line: usize,
    names: HashMap<u64, Name>,
    levels: HashMap<u64, Level>,
    exprs: HashMap<u64, Expr>,
}

impl Reader {
    fn err(&self, what: impl Into<String>) -> ReadError {
        ReadError {
            line: self.line,
            what: what.into(),
        }
    }

    fn meta(&self, v: &Value) -> Result<ExportMeta, ReadError> {
        let m = v
            .get("meta")
            .ok_or_else(|| self.err("the first line must be the meta object"))?;
        let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
        let format_version = s(&m["format"]["version"]);
        if !format_version.is_empty() && !format_version.starts_with("3.") {
            return Err(self.err(format!("format version {format_version} is not 3.x")));
        }
        Ok(ExportMeta {
            exporter_name: s(&m["exporter"]["name"]),
            exporter_version: s(&m["exporter"]["version"]),
            lean_githash: s(&m["lean"]["githash"]),
            lean_version: s(&m["lean"]["version"]),
            format_version,
        })
    }

    fn uint(&self, v: &Value, what: &str) -> Result<u64, ReadError> {
        v.as_u64()
            .ok_or_else(|| self.err(format!("{what} is not a non-negative integer: {v}")))
    }

    fn string(&self, v: &Value, what: &str) -> Result<String, ReadError> {
        v.as_str()
            .map(String::from)
            .ok_or_else(|| self.err(format!("{what} is not a string: {v}")))
    }

    fn bool(&self, v: &Value, what: &str) -> Result<bool, ReadError> {
        v.as_bool()
            .ok_or_else(|| self.err(format!("{what} is not a boolean: {v}")))
    }

    fn name(&self, v: &Value) -> Result<Name, ReadError> {
        let id = self.uint(v, "a name id")?;
        if id == 0 {
            return Ok(Name::anonymous());
        }
        self.names
            .get(&id)
            .cloned()
            .ok_or_else(|| self.err(format!("name {id} is not defined before")))
    }

    fn names(&self, v: &Value) -> Result<Vec<Name>, ReadError> {
        v.as_array()
            .ok_or_else(|| self.err(format!("not an array of names: {v}")))?
            .iter()
            .map(|x| self.name(x))
            .collect()
    }

    fn level(&self, v: &Value) -> Result<Level, ReadError> {
        let id = self.uint(v, "a level id")?;
        if id == 0 {
            return Ok(Level::Zero);
        }
        self.levels
            .get(&id)
            .cloned()
            .ok_or_else(|| self.err(format!("level {id} is not defined before")))
    }

    fn expr(&self, v: &Value) -> Result<Expr, ReadError> {
        let id = self.uint(v, "an expression id")?;
        self.exprs
            .get(&id)
            .cloned()
            .ok_or_else(|| self.err(format!("expression {id} is not defined before")))
    }

    fn read_name(&mut self, v: &Value, id: &Value) -> Result<(), ReadError> {
        let id = self.uint(id, "\"in\"")?;
        let n = if let Some(s) = v.get("str") {
            self.name(&s["pre"])?.str(&self.string(&s["str"], "str")?)
        } else if let Some(n) = v.get("num") {
            let mut name = self.name(&n["pre"])?;
            name.0.push(NamePart::Num(self.uint(&n["i"], "i")?));
            name
        } else {
            return Err(self.err("a name must be \"str\" or \"num\""));
        };
        self.next_id(id, self.names.len() as u64 + 1, "name")?;
        self.names.insert(id, n);
        Ok(())
    }

    fn read_level(&mut self, v: &Value, id: &Value) -> Result<(), ReadError> {
        let id = self.uint(id, "\"il\"")?;
        let pair = |r: &Self, x: &Value| -> Result<(Box<Level>, Box<Level>), ReadError> {
            match x.as_array().map(Vec::as_slice) {
                Some([a, b]) => Ok((Box::new(r.level(a)?), Box::new(r.level(b)?))),
                _ => Err(r.err(format!("not a pair of levels: {x}"))),
            }
        };
        let l = if let Some(a) = v.get("succ") {
            Level::Succ(Box::new(self.level(a)?))
        } else if let Some(x) = v.get("max") {
            let (a, b) = pair(self, x)?;
            Level::Max(a, b)
        } else if let Some(x) = v.get("imax") {
            let (a, b) = pair(self, x)?;
            Level::IMax(a, b)
        } else if let Some(n) = v.get("param") {
            Level::Param(self.name(n)?)
        } else {
            return Err(self.err("a level must be succ, max, imax or param"));
        };
        self.next_id(id, self.levels.len() as u64 + 1, "level")?;
        self.levels.insert(id, l);
        Ok(())
    }

    fn binder_info(&self, v: &Value) -> Result<BinderInfo, ReadError> {
        Ok(match v.as_str() {
            Some("default") => BinderInfo::Default,
            Some("implicit") => BinderInfo::Implicit,
            Some("strictImplicit") => BinderInfo::StrictImplicit,
            Some("instImplicit") => BinderInfo::InstImplicit,
            _ => return Err(self.err(format!("unknown binderInfo {v}"))),
        })
    }

    fn read_expr(&mut self, v: &Value, id: &Value) -> Result<(), ReadError> {
        let id = self.uint(id, "\"ie\"")?;
        let bx = |r: &Self, x: &Value| r.expr(x).map(Box::new);
        let e = if let Some(i) = v.get("bvar") {
            Expr::BVar(self.uint(i, "bvar")?)
        } else if let Some(l) = v.get("sort") {
            Expr::Sort(self.level(l)?)
        } else if let Some(c) = v.get("const") {
            let us = c["us"]
                .as_array()
                .ok_or_else(|| self.err("const.us is not an array"))?
                .iter()
                .map(|u| self.level(u))
                .collect::<Result<_, _>>()?;
            Expr::Const(self.name(&c["name"])?, us)
        } else if let Some(a) = v.get("app") {
            Expr::App(bx(self, &a["fn"])?, bx(self, &a["arg"])?)
        } else if let Some(b) = v.get("lam") {
            Expr::Lam(
                self.name(&b["name"])?,
                bx(self, &b["type"])?,
                bx(self, &b["body"])?,
                self.binder_info(&b["binderInfo"])?,
            )
        } else if let Some(b) = v.get("forallE") {
            Expr::ForallE(
                self.name(&b["name"])?,
                bx(self, &b["type"])?,
                bx(self, &b["body"])?,
                self.binder_info(&b["binderInfo"])?,
            )
        } else if let Some(b) = v.get("letE") {
            Expr::LetE {
                name: self.name(&b["name"])?,
                ty: bx(self, &b["type"])?,
                value: bx(self, &b["value"])?,
                body: bx(self, &b["body"])?,
                nondep: self.bool(&b["nondep"], "letE.nondep")?,
            }
        } else if let Some(p) = v.get("proj") {
            Expr::Proj(
                self.name(&p["typeName"])?,
                self.uint(&p["idx"], "proj.idx")?,
                bx(self, &p["struct"])?,
            )
        } else if let Some(n) = v.get("natVal") {
            let digits = self.string(n, "natVal")?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(self.err(format!("natVal {digits:?} is not a decimal numeral")));
            }
            Expr::NatLit(digits)
        } else if let Some(s) = v.get("strVal") {
            Expr::StrLit(self.string(s, "strVal")?)
        } else if let Some(m) = v.get("mdata") {
            Expr::MData(m["data"].to_string(), bx(self, &m["expr"])?)
        } else {
            return Err(self.err("unknown kind of expression"));
        };
        self.next_id(id, self.exprs.len() as u64, "expression")?;
        self.exprs.insert(id, e);
        Ok(())
    }

    /// Ids come in order and without gaps (names and levels from 1, `0`
    /// being the anonymous name and level zero; expressions from 0), as
    /// lean4export writes them: a file that skips or repeats one is
    /// malformed, whatever a kernel would make of it.
    fn next_id(&self, id: u64, expected: u64, what: &str) -> Result<(), ReadError> {
        if id == expected {
            return Ok(());
        }
        Err(self.err(format!(
            "{what} id {id} out of order: the next {what} id is {expected} (ids are contiguous and in order)"
        )))
    }

    fn decl(&self, v: &Value) -> Result<Decl, ReadError> {
        let common = |r: &Self, d: &Value| -> Result<(Name, Vec<Name>, Expr), ReadError> {
            Ok((
                r.name(&d["name"])?,
                r.names(&d["levelParams"])?,
                r.expr(&d["type"])?,
            ))
        };
        if let Some(d) = v.get("axiom") {
            let (name, level_params, ty) = common(self, d)?;
            return Ok(Decl::Axiom {
                name,
                level_params,
                ty,
                is_unsafe: self.bool(&d["isUnsafe"], "isUnsafe")?,
            });
        }
        if let Some(d) = v.get("def") {
            let (name, level_params, ty) = common(self, d)?;
            let hints = match &d["hints"] {
                Value::String(s) if s == "opaque" => Hints::Opaque,
                Value::String(s) if s == "abbrev" => Hints::Abbrev,
                h => match h.get("regular").and_then(Value::as_u64) {
                    Some(n) => Hints::Regular(n as u32),
                    None => return Err(self.err(format!("unknown hints {h}"))),
                },
            };
            let safety = match d["safety"].as_str() {
                Some("unsafe") => Safety::Unsafe,
                Some("safe") => Safety::Safe,
                Some("partial") => Safety::Partial,
                _ => return Err(self.err(format!("unknown safety {}", d["safety"]))),
            };
            return Ok(Decl::Def {
                name,
                level_params,
                ty,
                value: self.expr(&d["value"])?,
                hints,
                safety,
                all: self.names(&d["all"])?,
            });
        }
        if let Some(d) = v.get("opaque") {
            let (name, level_params, ty) = common(self, d)?;
            return Ok(Decl::Opaque {
                name,
                level_params,
                ty,
                value: self.expr(&d["value"])?,
                is_unsafe: self.bool(&d["isUnsafe"], "isUnsafe")?,
                all: self.names(&d["all"])?,
            });
        }
        if let Some(d) = v.get("thm") {
            let (name, level_params, ty) = common(self, d)?;
            return Ok(Decl::Thm {
                name,
                level_params,
                ty,
                value: self.expr(&d["value"])?,
                all: self.names(&d["all"])?,
            });
        }
        if let Some(d) = v.get("quot") {
            let (name, level_params, ty) = common(self, d)?;
            let kind = match d["kind"].as_str() {
                Some("type") => QuotKind::Type,
                Some("ctor") => QuotKind::Ctor,
                Some("lift") => QuotKind::Lift,
                Some("ind") => QuotKind::Ind,
                _ => return Err(self.err(format!("unknown quot kind {}", d["kind"]))),
            };
            return Ok(Decl::Quot {
                name,
                level_params,
                ty,
                kind,
            });
        }
        if let Some(d) = v.get("inductive") {
            return self.inductive(d);
        }
        Err(self.err("not a name, level, expression or declaration"))
    }

    fn array<'a>(&self, v: &'a Value, what: &str) -> Result<&'a Vec<Value>, ReadError> {
        v.as_array()
            .ok_or_else(|| self.err(format!("{what} is not an array")))
    }

    fn inductive(&self, d: &Value) -> Result<Decl, ReadError> {
        let types = self
            .array(&d["types"], "inductive.types")?
            .iter()
            .map(|t| {
                Ok(InductiveVal {
                    name: self.name(&t["name"])?,
                    level_params: self.names(&t["levelParams"])?,
                    ty: self.expr(&t["type"])?,
                    num_params: self.uint(&t["numParams"], "numParams")?,
                    num_indices: self.uint(&t["numIndices"], "numIndices")?,
                    all: self.names(&t["all"])?,
                    ctors: self.names(&t["ctors"])?,
                    num_nested: self.uint(&t["numNested"], "numNested")?,
                    is_rec: self.bool(&t["isRec"], "isRec")?,
                    is_unsafe: self.bool(&t["isUnsafe"], "isUnsafe")?,
                    is_reflexive: self.bool(&t["isReflexive"], "isReflexive")?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        let ctors = self
            .array(&d["ctors"], "inductive.ctors")?
            .iter()
            .map(|c| {
                Ok(ConstructorVal {
                    name: self.name(&c["name"])?,
                    level_params: self.names(&c["levelParams"])?,
                    ty: self.expr(&c["type"])?,
                    induct: self.name(&c["induct"])?,
                    cidx: self.uint(&c["cidx"], "cidx")?,
                    num_params: self.uint(&c["numParams"], "numParams")?,
                    num_fields: self.uint(&c["numFields"], "numFields")?,
                    is_unsafe: self.bool(&c["isUnsafe"], "isUnsafe")?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        let recs = self
            .array(&d["recs"], "inductive.recs")?
            .iter()
            .map(|r| {
                let rules = self
                    .array(&r["rules"], "rules")?
                    .iter()
                    .map(|rr| {
                        Ok(RecursorRule {
                            ctor: self.name(&rr["ctor"])?,
                            nfields: self.uint(&rr["nfields"], "nfields")?,
                            rhs: self.expr(&rr["rhs"])?,
                        })
                    })
                    .collect::<Result<_, ReadError>>()?;
                Ok(RecursorVal {
                    name: self.name(&r["name"])?,
                    level_params: self.names(&r["levelParams"])?,
                    ty: self.expr(&r["type"])?,
                    all: self.names(&r["all"])?,
                    num_params: self.uint(&r["numParams"], "numParams")?,
                    num_indices: self.uint(&r["numIndices"], "numIndices")?,
                    num_motives: self.uint(&r["numMotives"], "numMotives")?,
                    num_minors: self.uint(&r["numMinors"], "numMinors")?,
                    rules,
                    k: self.bool(&r["k"], "k")?,
                    is_unsafe: self.bool(&r["isUnsafe"], "isUnsafe")?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        Ok(Decl::Inductive { types, ctors, recs })
    }
}
