//! What the generators assume of the Lean the template pins
//! (`template/lean-toolchain`), each point with the source it was checked
//! against. Bumping the template means re-checking this file; a test keeps
//! [`PINNED`] and the template's pin equal, and the probe file
//! (`template/Probe.lean`) settles each point with one `lake env lean` run.
//!
//! - **The pin.** comparator main (19e111e, 2026-08-21) is on
//!   `v4.34.0-rc2` (its `lean-toolchain`, commit c78dd72); no comparator
//!   commit is on v4.24.0. comparator's `lake-manifest.json` pins
//!   lean4export at cacf989 and Lake builds it with comparator's own Lean
//!   (`lake build lean4export comparator`, comparator `README.md`), so both
//!   judge binaries are on `v4.34.0-rc2`. (lean4export's own main, b66b1cd,
//!   is on v4.31.0-rc2: built alone, it would not match; `main doctor`
//!   says so.)
//! - **String literals.** The kernel expands a string literal into
//!   `String.ofList [Char.ofNat c, …]` since lean4 PR 11048 (2025-11-01,
//!   "use `String.ofList` instead of `String.mk` in elaborator+kernel");
//!   before it, into `String.mk […]`. `String.ofList` is in `Init.Prelude`
//!   since PR 12029 (2026-01-16), and `String.mk` became a deprecated
//!   definition with the same body (PR 11017; a lean4 source snapshot of
//!   that time has `@[extern "lean_string_mk", expose, deprecated
//!   String.ofList (since := "2025-10-30")] def String.mk`), announced for
//!   removal by PR 11048. So the kernel generator states string facts
//!   over [`STRING_OF_LIST`] (`kernel::prelude`), in export files and in
//!   the Lean files rendered from them alike. comparator 19e111e lists
//!   `String.ofList` among its primitive targets (`Main.lean`,
//!   `primitiveTargets`).
//! - **Names the kernel computes by name.** comparator 19e111e's
//!   `primitiveTargets` (from `git grep new_persistent_expr_const
//!   src/kernel/`): `Nat.add`, `sub`, `mul`, `pow`, `gcd`, `div`, `mod`,
//!   `beq`, `ble`, `land`, `lor`, `xor`, `shiftLeft`, `shiftRight`,
//!   `String.ofList`, `Char.ofNat`, `List`, `eagerReduce`. Of the `Nat`
//!   ones, `gcd` (`src/Init/Data/Nat/Gcd.lean`) and the bitwise ones
//!   (`src/Init/Data/Nat/Bitwise/Basic.lean`) are defined after
//!   `Init.Core`, so a `prelude` file importing `Init.Prelude` and
//!   `Init.Core` may define them (comparator's `primitive_issue` test, on
//!   v4.34.0-rc2 in its CI, does exactly that):
//!   [`super::names::PRELUDE_FREE`].
//! - **simp lemmas.** The generator never relies on `simp` for a fact that
//!   applies `Nat.land`/`lor`/`xor`/`shiftLeft`/`shiftRight`/`beq` by name
//!   (those are proved by `decide`/`rfl`, which reach the kernel's by-name
//!   computation on every version): the rewriting lemmas for the function
//!   form came with lean4 PR 12950 (March 2026, so in v4.34), but the
//!   generator does not need them; the probe reports whether `simp` closes
//!   one. The suffix's `simp_all` is inside `first … | sorry`, so a
//!   missing lemma cannot break a build.

/// The template's pin (`template/lean-toolchain`).
pub const PINNED: &str = "leanprover/lean4:v4.34.0-rc2";

/// What the kernel of [`PINNED`] expands string literals into.
pub const STRING_OF_LIST: &str = "String.ofList";

/// The constant older kernels expanded them into (before lean4 PR 11048).
pub const STRING_MK: &str = "String.mk";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_pins_the_version_the_generators_follow() {
        let pin = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template/lean-toolchain"),
        )
        .unwrap();
        assert_eq!(pin.trim(), PINNED);
    }

    #[test]
    fn string_facts_are_stated_over_string_of_list() {
        use crate::kernel::gen::{generate, IllFormedRates, KernelGenConfig};
        let cfg = KernelGenConfig {
            ill_formed: IllFormedRates::none(),
            ..Default::default()
        };
        let mut seen = 0;
        for seed in 0..60 {
            let env = generate(seed, &cfg);
            let text = crate::kernel::lean_source::render(env.user_decls());
            seen += text.matches(&format!("`{STRING_OF_LIST}")).count();
            assert!(!text.contains(&format!("`{STRING_MK}")), "seed {seed}");
        }
        assert!(seen > 0, "no string fact in 60 environments");
    }
}
