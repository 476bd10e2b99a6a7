//! Shrinking a finding while its verdict signature holds: delta debugging
//! (Zeller's ddmin, in its "remove one chunk" form) first over lines, then
//! over tokens (a token goes with the whitespace before it, so what stays
//! keeps its layout — Lean cares about indentation); a finding the
//! generator wrote is first reduced on its tree. A kernel finding (an
//! export file) is reduced on its declarations and terms only. Candidates of one
//! round are tested in parallel; the first that keeps the signature, in
//! order, wins, so the result does not depend on timing.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::kernel::edit::smaller_variants as smaller_environments;
use crate::kernel::ndjson::{self, ExportMeta};
use crate::lean::ast::{Decl, Program};
use crate::lean::mutate::smaller_variants;
use crate::lean::render::render_program;

/// Decides whether a candidate text still shows the finding (the
/// workflow's [`super::workflow::SameSignature`] runs it through a judge).
pub trait Oracle: Sync {
    /// `Ok(true)` when `text` keeps the signature; `Err` stops the
    /// reduction (our own failure or the user's interrupt).
    fn keeps(&self, text: &str) -> anyhow::Result<bool>;
}

/// Progress, for a bar or a log.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub tests: usize,
    pub bytes: usize,
    /// `lines` or `tokens`.
    pub pass: &'static str,
}

/// What a reduction did.
#[derive(Debug, Clone)]
pub struct Reduced {
    pub text: String,
    pub tests: usize,
}

/// Pieces of text whose concatenation is the whole.
fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(String::from).collect()
}

/// Tokens with the whitespace before them; the last piece also carries
/// any trailing whitespace.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_token = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if in_token {
                out.push(std::mem::take(&mut cur));
                in_token = false;
            }
        } else {
            in_token = true;
        }
        cur.push(ch);
    }
    if !cur.is_empty() {
        if in_token || out.is_empty() {
            out.push(cur);
        } else if let Some(last) = out.last_mut() {
            last.push_str(&cur);
        }
    }
    out
}

/// Reduces `text` with `oracle`, testing up to `jobs` candidates at once.
/// `on_progress` is called after every round.
pub fn reduce_text(
    text: &str,
    oracle: &dyn Oracle,
    jobs: usize,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> anyhow::Result<Reduced> {
    let pool = pool(jobs)?;
    let mut search = Search::new(oracle, &pool, on_progress);
    let text = search.text_passes(text.to_string())?;
    Ok(Reduced {
        text,
        tests: search.tests,
    })
}

/// Reduces a generated program on its tree first — whole declarations
/// (ddmin), then one place at a time: a subtree by a leaf of its type, a
/// numeral by 0 — and then its text as [`reduce_text`] does.
pub fn reduce_program(
    program: &Program,
    depth: usize,
    oracle: &dyn Oracle,
    jobs: usize,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> anyhow::Result<Reduced> {
    let pool = pool(jobs)?;
    let mut search = Search::new(oracle, &pool, on_progress);
    let profile = program.profile;
    let render = |decls: &[Decl]| {
        render_program(&Program {
            profile,
            decls: decls.to_vec(),
        })
        .text
    };
    let decls = search.ddmin(program.decls.clone(), &render, "declarations")?;
    let current = search.one_place_at_a_time(
        Program { profile, decls },
        &|p| smaller_variants(p, depth),
        &|p| render_program(p).text,
    )?;
    let text = search.text_passes(render_program(&current).text)?;
    Ok(Reduced {
        text,
        tests: search.tests,
    })
}

/// Reduces a kernel environment: whole declarations (ddmin, the prelude
/// included — a kernel bug may need none of it), then one place at a time
/// ([`crate::kernel::edit::smaller_variants`]: a definition or theorem
/// made an axiom, a term by a subterm, a literal by 0). The result is the
/// export file's text.
pub fn reduce_environment(
    decls: &[crate::kernel::Decl],
    oracle: &dyn Oracle,
    jobs: usize,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> anyhow::Result<Reduced> {
    let pool = pool(jobs)?;
    let mut search = Search::new(oracle, &pool, on_progress);
    let render = |ds: &[crate::kernel::Decl]| ndjson::write(ds, &ExportMeta::default());
    let decls = search.ddmin(decls.to_vec(), &render, "declarations")?;
    let current =
        search.one_place_at_a_time(decls, &|d| smaller_environments(d), &|d| render(d))?;
    Ok(Reduced {
        text: render(&current),
        tests: search.tests,
    })
}

fn pool(jobs: usize) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start {jobs} reduction threads: {e}"))
}

struct Search<'a> {
    oracle: &'a dyn Oracle,
    pool: &'a rayon::ThreadPool,
    tried: HashSet<String>,
    tests: usize,
    on_progress: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Search<'a> {
    fn new(
        oracle: &'a dyn Oracle,
        pool: &'a rayon::ThreadPool,
        on_progress: &'a (dyn Fn(Progress) + Sync),
    ) -> Self {
        Search {
            oracle,
            pool,
            tried: HashSet::new(),
            tests: 0,
            on_progress,
        }
    }

    fn report(&self, bytes: usize, pass: &'static str) {
        (self.on_progress)(Progress {
            tests: self.tests,
            bytes,
            pass,
        });
    }

    /// Lines, then tokens, then again while tokens freed some.
    fn text_passes(&mut self, mut current: String) -> anyhow::Result<String> {
        let concat = |u: &[String]| u.concat();
        loop {
            let before = current.len();
            current = self.ddmin(lines(&current), &concat, "lines")?.concat();
            current = self.ddmin(tokens(&current), &concat, "tokens")?.concat();
            if current.len() == before {
                return Ok(current);
            }
        }
    }

    /// Takes the first of `variants` (in order) that keeps the finding,
    /// again and again, until none does.
    fn one_place_at_a_time<T: Clone>(
        &mut self,
        mut current: T,
        variants: &dyn Fn(&T) -> Vec<T>,
        render: &dyn Fn(&T) -> String,
    ) -> anyhow::Result<T> {
        loop {
            let candidates = variants(&current);
            match self.first_keeping(&candidates, render)? {
                Some(i) => current = candidates[i].clone(),
                None => return Ok(current),
            }
            self.report(render(&current).len(), "subterms");
        }
    }

    /// One-minimal removal of chunks of `units` (by ddmin's schedule); a
    /// candidate is judged on its rendering.
    fn ddmin<T: Clone>(
        &mut self,
        mut units: Vec<T>,
        render: &dyn Fn(&[T]) -> String,
        pass: &'static str,
    ) -> anyhow::Result<Vec<T>> {
        let mut n = 2usize;
        while units.len() >= 2 {
            let chunk = units.len().div_ceil(n);
            let candidates: Vec<Vec<T>> = (0..units.len())
                .step_by(chunk)
                .map(|start| {
                    let mut c = units[..start].to_vec();
                    c.extend_from_slice(&units[(start + chunk).min(units.len())..]);
                    c
                })
                .collect();
            match self.first_keeping(&candidates, &|c: &Vec<T>| render(c))? {
                Some(i) => {
                    units = candidates[i].clone();
                    n = n.saturating_sub(1).max(2);
                }
                None if chunk == 1 => break,
                None => n = (n * 2).min(units.len()),
            }
            self.report(render(&units).len(), pass);
        }
        // A single unit left may itself be removable only if the empty
        // text keeps the finding, which says nothing useful: keep it.
        Ok(units)
    }

    /// The index of the first candidate whose rendering keeps the finding,
    /// testing as many at a time as the pool has threads, in order. A
    /// candidate is rendered only when its batch comes (the first that
    /// keeps is often among the first, and a rendering can be large).
    fn first_keeping<T>(
        &mut self,
        candidates: &[T],
        render: &dyn Fn(&T) -> String,
    ) -> anyhow::Result<Option<usize>> {
        let width = self.pool.current_num_threads();
        for (batch_no, batch) in candidates.chunks(width).enumerate() {
            let batch: Vec<String> = batch.iter().map(render).collect();
            let fresh: Vec<bool> = batch.iter().map(|t| self.tried.insert(t.clone())).collect();
            let oracle = self.oracle;
            let results: Vec<anyhow::Result<bool>> = self.pool.install(|| {
                batch
                    .par_iter()
                    .zip(fresh.par_iter())
                    .map(|(t, &fresh)| if fresh { oracle.keeps(t) } else { Ok(false) })
                    .collect()
            });
            self.tests += fresh.iter().filter(|f| **f).count();
            for (i, r) in results.into_iter().enumerate() {
                if r? {
                    return Ok(Some(batch_no * width + i));
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps texts that contain every needle.
    struct Contains(Vec<&'static str>);

    impl Oracle for Contains {
        fn keeps(&self, text: &str) -> anyhow::Result<bool> {
            Ok(self.0.iter().all(|n| text.contains(n)))
        }
    }

    fn quiet(_: Progress) {}

    #[test]
    fn pieces_concatenate_to_the_whole() {
        for text in ["", "a", "a b\n  c\n", "  lead\n\ntrail  \n", "x\n"] {
            assert_eq!(lines(text).concat(), text);
            assert_eq!(tokens(text).concat(), text);
        }
        assert_eq!(tokens("a  b\n c"), vec!["a", "  b", "\n c"]);
    }

    #[test]
    fn a_padded_file_shrinks_to_what_the_oracle_needs() {
        let mut text = String::new();
        for i in 0..50 {
            text.push_str(&format!("def pad{i} : Nat := {i}\n"));
            if i == 31 {
                text.push_str("theorem bug : boom := by trigger\n");
            }
        }
        for jobs in [1, 3] {
            let r = reduce_text(&text, &Contains(vec!["boom", "trigger"]), jobs, &quiet).unwrap();
            assert_eq!(
                r.text.split_whitespace().collect::<Vec<_>>(),
                vec!["boom", "trigger"]
            );
            assert!(r.tests > 0);
        }
    }

    #[test]
    fn the_result_does_not_depend_on_the_number_of_jobs() {
        let text = "a b c\nd e f\ng h i\nj k l\n";
        let oracle = Contains(vec!["b", "k"]);
        let one = reduce_text(text, &oracle, 1, &quiet).unwrap().text;
        let four = reduce_text(text, &oracle, 4, &quiet).unwrap().text;
        assert_eq!(one, four);
        assert_eq!(one.split_whitespace().collect::<Vec<_>>(), vec!["b", "k"]);
    }

    #[test]
    fn an_oracle_error_stops_the_reduction() {
        struct Fails;
        impl Oracle for Fails {
            fn keeps(&self, _: &str) -> anyhow::Result<bool> {
                anyhow::bail!("interrupted")
            }
        }
        assert!(reduce_text("a\nb\n", &Fails, 2, &quiet).is_err());
    }
}
