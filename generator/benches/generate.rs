//! Generation throughput (a bench binary, not a timed test): programs per
//! second and bytes per program at depths 5, 10 and 20, generation plus
//! rendering, on one core, for each profile and the default mix. Goal: at
//! least 10,000 programs/s at depth 10.

use generator::lean::ast::Profile;
use generator::lean::gen::{generate, GenConfig};
use generator::lean::render::render_program;
use std::time::Instant;

// The same allocator as the `main` binary, so the figures are the fuzzer's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let per_round: u64 = if quick { 1_000 } else { 5_000 };
    let rounds = 5;
    println!("Rounds of {per_round} programs (distinct seeds); the machine is noisy, so");
    println!("the median and the best round are both shown.\n");
    println!("| profile | depth | programs/s (median of {rounds}) | programs/s (best) | mean bytes/program | time rendering |");
    println!("|---|---|---|---|---|---|");
    let profiles = [
        ("surface", Some(Profile::Surface)),
        ("meta", Some(Profile::Meta)),
        ("prelude", Some(Profile::Prelude)),
        ("mixed", None),
    ];
    for ((name, profile), depth) in profiles
        .into_iter()
        .flat_map(|p| [5usize, 10, 20].map(|d| (p, d)))
    {
        let cfg = GenConfig {
            depth,
            profile,
            ..GenConfig::default()
        };
        let mut rates = Vec::new();
        let (mut bytes, mut gen_secs, mut render_secs) = (0usize, 0.0, 0.0);
        for r in 0..rounds {
            let start = Instant::now();
            for seed in r * per_round..(r + 1) * per_round {
                let t0 = Instant::now();
                let p = generate(seed, &cfg).program;
                let t1 = Instant::now();
                bytes += render_program(&p).text.len();
                gen_secs += (t1 - t0).as_secs_f64();
                render_secs += t1.elapsed().as_secs_f64();
            }
            rates.push(per_round as f64 / start.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "| {name} | {depth} | {:.0} | {:.0} | {:.0} | {:.0} % |",
            rates[rounds as usize / 2],
            rates[rates.len() - 1],
            bytes as f64 / (per_round * rounds) as f64,
            100.0 * render_secs / (gen_secs + render_secs)
        );
    }
}
