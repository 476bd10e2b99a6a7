//! `main generate`: print or write generated programs for a seed and depth,
//! no toolchain needed.

use anyhow::Context;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::kernel::gen::{IllFormed, IllFormedRates, KernelGenConfig};
use crate::lean::ast::Profile;
use crate::lean::gen::{generate, GenConfig, MIN_DEPTH};
use crate::lean::render::render_program;
use crate::lean::stats::{Family, Stats};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// A weighted mix of the shapes below (surface 45 %, meta 30 %, prelude 25 %).
    Mixed,
    /// Ordinary declarations over Init.
    Surface,
    /// `import Lean`, plus kernel declarations added with `addDecl` of explicit `Expr` trees.
    Meta,
    /// A `prelude` file redefining kernel-accelerated names (`Nat.gcd`, `Nat.land`, …).
    Prelude,
}

/// Flags that decide which programs are generated (shared by `generate`
/// and `validity`).
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Bound on the height of every term and type tree (see README)
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(MIN_DEPTH as u64..=200))]
    pub depth: u64,
    /// Seed of the first program; program i uses seed + i
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Declarations per program
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub decls: u64,
    /// Probability that a program carries one deliberately ill-formed declaration (kernel environments: on average)
    #[arg(long, default_value_t = 0.1, value_parser = parse_rate)]
    pub ill_formed_rate: f64,
    /// Probability that a surface or meta program ends with an axiom hidden in an opaque or a theorem (comparator must refuse it)
    #[arg(long, default_value_t = crate::lean::gen::axioms::HIDDEN_AXIOM_RATE, value_parser = parse_rate)]
    pub hidden_axiom_rate: f64,
    /// Program shape
    #[arg(long, value_enum, default_value = "mixed")]
    pub profile: ProfileArg,
    /// With --target kernels or kernels-via-lean: one ill-formed family's own probability, FAMILY=RATE (repeatable; the others share --ill-formed-rate)
    #[arg(long = "ill-formed", value_name = "FAMILY=RATE", value_parser = IllFormedRates::parse_one)]
    pub ill_formed_families: Vec<(IllFormed, f64)>,
}

/// A probability in [0, 1].
fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?} is not a probability between 0 and 1")),
    }
}

impl GenArgs {
    /// The kernel generator's configuration: `--ill-formed-rate` spread
    /// evenly over the families, then each `--ill-formed FAMILY=RATE`.
    pub fn kernel_config(&self) -> KernelGenConfig {
        let mut rates = IllFormedRates::uniform(self.ill_formed_rate);
        for (kind, rate) in &self.ill_formed_families {
            rates.set(*kind, *rate);
        }
        KernelGenConfig {
            depth: self.depth as usize,
            decls: self.decls as usize,
            ill_formed: rates,
        }
    }

    /// Rejects flags that only the kernel target reads.
    pub fn check_surface(&self) -> anyhow::Result<()> {
        if let Some((kind, _)) = self.ill_formed_families.first() {
            anyhow::bail!(
                "--ill-formed {}=… sets a kernel family's rate; it needs --target kernels (or kernels-via-lean)",
                kind.name()
            );
        }
        Ok(())
    }

    pub fn config(&self) -> GenConfig {
        GenConfig {
            depth: self.depth as usize,
            decls: self.decls as usize,
            ill_formed_rate: self.ill_formed_rate,
            hidden_axiom_rate: self.hidden_axiom_rate,
            profile: match self.profile {
                ProfileArg::Mixed => None,
                ProfileArg::Surface => Some(Profile::Surface),
                ProfileArg::Meta => Some(Profile::Meta),
                ProfileArg::Prelude => Some(Profile::Prelude),
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many programs
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: u64,
    #[command(flatten)]
    pub gen: GenArgs,
    /// Write `prog-<seed>.lean` files here instead of printing
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print how often each construct family appeared
    #[arg(long)]
    pub stats: bool,
    /// What to generate: Lean programs, or kernel environments (lean4export NDJSON with their own prelude, and with --out also a Lean file adding the declarations after the prelude)
    #[arg(long, value_enum, default_value = "surface")]
    pub target: TargetArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetArg {
    /// Lean programs for the lake build + comparator pipeline.
    Surface,
    /// Kernel environments for external kernels.
    Kernels,
}

/// `--target kernels`: environments as `env-<seed>.ndjson` and
/// `env-<seed>.lean` in `--out`, or NDJSON on stdout (a blank line
/// between environments).
fn run_kernels(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    use crate::kernel::gen::generate as generate_env;
    use crate::kernel::ndjson;
    let cfg = args.gen.kernel_config();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for i in 0..args.count {
        let seed = args.gen.seed.wrapping_add(i);
        let env = generate_env(seed, &cfg);
        let text = ndjson::write(&env.decls, &ndjson::ExportMeta::default());
        match &args.out {
            Some(dir) => {
                for (path, body) in [
                    (dir.join(format!("env-{seed}.ndjson")), text),
                    (
                        dir.join(format!("env-{seed}.lean")),
                        crate::targets::kernels::lean_text(&env),
                    ),
                ] {
                    std::fs::write(&path, body)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
            }
            None => {
                if i > 0 {
                    writeln!(out)?;
                }
                out.write_all(text.as_bytes())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let cfg = args.gen.config();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output dir {}", dir.display()))?;
    }
    if args.target == TargetArg::Kernels {
        if args.stats {
            anyhow::bail!("--stats counts construct families of Lean programs; it has no meaning with --target kernels");
        }
        return run_kernels(&args);
    }
    args.gen.check_surface()?;
    let mut total = Stats::default();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for i in 0..args.count {
        let seed = args.gen.seed.wrapping_add(i);
        let g = generate(seed, &cfg);
        total.merge(&g.stats);
        let text = render_program(&g.program).text;
        match &args.out {
            Some(dir) => {
                let path = dir.join(format!("prog-{seed}.lean"));
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            None => {
                writeln!(out, "-- seed {seed}, depth {}", args.gen.depth)?;
                out.write_all(text.as_bytes())?;
                writeln!(out)?;
            }
        }
    }
    if args.stats {
        let mut report = format!("construct families over {} program(s):\n", args.count);
        for f in Family::ALL {
            report.push_str(&format!("  {:<28} {}\n", f.name(), total.get(*f)));
        }
        if args.out.is_some() {
            write!(out, "{report}")?;
        } else {
            eprint!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
