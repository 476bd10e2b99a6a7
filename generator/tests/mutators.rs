//! Property tests: every mutation keeps programs well-scoped and within the
//! depth bound, over thousands of seeds; mutations are deterministic for a
//! given random state; every kind of mutation applies.

use generator::lean::depth::over_bound;
use generator::lean::gen::{generate, GenConfig};
use generator::lean::hygiene::check_program;
use generator::lean::mutate::{mutate, Mutation};
use generator::lean::render::render_program;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;

fn cfg(depth: usize) -> GenConfig {
    GenConfig {
        depth,
        ..GenConfig::default()
    }
}

#[test]
fn mutations_preserve_scoping_and_the_depth_bound() {
    let mut applied: HashMap<&str, usize> = HashMap::new();
    for (depth, seeds) in [(4usize, 0..300u64), (8, 300..700), (10, 700..1200)] {
        for seed in seeds {
            let mut p = generate(seed, &cfg(depth)).program;
            let donor = generate(seed + 100_000, &cfg(depth)).program;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            for step in 0..6 {
                let m = Mutation::ALL[(seed as usize + step) % Mutation::ALL.len()];
                let before = render_program(&p).text;
                if !mutate(&mut p, m, &mut rng, depth, Some(&donor)) {
                    assert_eq!(
                        before,
                        render_program(&p).text,
                        "{m:?} failed but changed the program"
                    );
                    continue;
                }
                *applied.entry(m.name()).or_default() += 1;
                if let Err(e) = check_program(&p) {
                    panic!(
                        "seed {seed} step {step}: {m:?} broke scoping: {e}\n{}",
                        render_program(&p).text
                    );
                }
                if let Some(tall) = over_bound(&p, depth) {
                    panic!("seed {seed} step {step}: {m:?} broke depth {depth}: {tall}");
                }
            }
        }
    }
    for m in Mutation::ALL {
        assert!(
            applied.get(m.name()).copied().unwrap_or(0) >= 20,
            "{} rarely applied: {applied:?}",
            m.name()
        );
    }
}

#[test]
fn mutation_is_deterministic() {
    for seed in 0..100u64 {
        let run = || {
            let mut p = generate(seed, &cfg(8)).program;
            let donor = generate(seed + 1, &cfg(8)).program;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed * 7);
            for m in Mutation::ALL {
                mutate(&mut p, *m, &mut rng, 8, Some(&donor));
            }
            render_program(&p).text
        };
        assert_eq!(run(), run(), "seed {seed}");
    }
}

#[test]
fn regenerate_and_splice_change_definition_bodies() {
    let mut changed = 0;
    for seed in 0..200u64 {
        let mut p = generate(seed, &cfg(8)).program;
        let donor = generate(seed + 5000, &cfg(8)).program;
        let before = render_program(&p).text;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        if mutate(&mut p, Mutation::Splice, &mut rng, 8, Some(&donor))
            && render_program(&p).text != before
        {
            changed += 1;
        }
    }
    assert!(
        changed > 50,
        "splice changed only {changed} of 200 programs"
    );
}
