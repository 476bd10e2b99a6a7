//! Property tests of the environment mutations: over many seeds, every
//! mutation keeps an environment closed (each name declared once, before
//! it is used) and its labels honest; every kind applies; the same random
//! state gives the same result.

use generator::kernel::edit::check_closed;
use generator::kernel::gen::{IllFormedRates, KernelGenConfig};
use generator::kernel::mutate::{mutate, EnvMutation, Labelled};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;

fn input(seed: u64, ill: f64) -> Labelled {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::uniform(ill),
        ..Default::default()
    };
    Labelled::generated(seed, &cfg)
}

fn closed(l: &Labelled) -> Result<(), String> {
    check_closed(&l.env.decls)
}

#[test]
fn mutations_keep_environments_closed_and_labels_honest() {
    let cfg = KernelGenConfig::default();
    let mut applied: HashMap<&str, usize> = HashMap::new();
    for seed in 0..300u64 {
        let mut x = input(seed, 0.3);
        let donor = input(seed + 10_000, 0.3);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        for step in 0..8 {
            let m = EnvMutation::ALL[(seed as usize + step) % EnvMutation::ALL.len()];
            let before = x.clone();
            if !mutate(&mut x, m, &mut rng, &cfg, Some(&donor)) {
                assert_eq!(x, before, "{m:?} did not apply but changed the input");
                continue;
            }
            assert_ne!(x, before, "{m:?} applied without a change");
            *applied.entry(m.name()).or_default() += 1;
            closed(&x).unwrap_or_else(|e| panic!("seed {seed} step {step}: {m:?}: {e}"));
            match m {
                EnvMutation::Literal => assert!(!x.labelled),
                EnvMutation::Corrupt => {
                    assert_eq!(x.env.ill_formed.len(), before.env.ill_formed.len() + 1)
                }
                EnvMutation::Hints => assert_eq!(x.labelled, before.labelled),
                _ => {}
            }
            // A label is never lost while the labels are trusted, and
            // names a declaration of the environment (after renaming).
            if x.labelled {
                assert!(before.labelled, "{m:?} made an unlabelled input labelled");
                assert!(x.env.ill_formed.len() >= before.env.ill_formed.len());
                for label in &x.env.ill_formed {
                    assert!(
                        x.env.decls.iter().any(|d| d.names().contains(&&label.decl)),
                        "seed {seed} step {step}: {m:?}: {label:?} names no declaration"
                    );
                }
            }
        }
    }
    for m in EnvMutation::ALL {
        assert!(
            applied.get(m.name()).copied().unwrap_or(0) > 20,
            "{} applied only {:?} times",
            m.name(),
            applied.get(m.name())
        );
    }
}

#[test]
fn deleting_from_a_well_formed_environment_keeps_it_labelled() {
    let cfg = KernelGenConfig::default();
    let mut x = input(7, 0.0);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    assert!(mutate(&mut x, EnvMutation::Delete, &mut rng, &cfg, None));
    assert!(x.labelled && x.env.ill_formed.is_empty());
    // With an ill-formed declaration in it, a deletion may remove that one.
    let mut bad = input(7, 0.0);
    assert!(mutate(&mut bad, EnvMutation::Corrupt, &mut rng, &cfg, None));
    assert!(bad.labelled);
    assert!(mutate(&mut bad, EnvMutation::Delete, &mut rng, &cfg, None));
    assert!(!bad.labelled);
}

#[test]
fn the_same_random_state_gives_the_same_mutation() {
    let cfg = KernelGenConfig::default();
    for m in EnvMutation::ALL {
        let donor = input(99, 0.2);
        let run = || {
            let mut x = input(5, 0.2);
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
            mutate(&mut x, m, &mut rng, &cfg, Some(&donor));
            x
        };
        assert_eq!(run(), run(), "{m:?}");
    }
}

#[test]
fn environments_stop_growing_at_their_bound() {
    use generator::kernel::mutate::MAX_GROWTH;
    let cfg = KernelGenConfig::default();
    let mut x = input(3, 0.2);
    let donor = input(4, 0.2);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    for step in 0..400 {
        let m = [
            EnvMutation::Append,
            EnvMutation::Splice,
            EnvMutation::Corrupt,
        ][step % 3];
        mutate(&mut x, m, &mut rng, &cfg, Some(&donor));
    }
    let user = x.env.user_decls().len();
    // The last growth may add one generated part past the bound.
    assert!(user >= MAX_GROWTH * cfg.decls, "{user}");
    assert!(user < MAX_GROWTH * cfg.decls + 3 * cfg.decls, "{user}");
}
