//! Fuzzing, the default command of `main`: generated programs through the
//! pipeline under LibAFL, findings into the store, statistics on the
//! terminal and in `stats.jsonl`. By default one LLMP client per core of
//! `--cores` with a shared corpus; `--mode simple` runs one in-process
//! fuzzer.

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use libafl_bolts::core_affinity::{get_core_ids, Cores};

use super::args::{parse_seconds, PipelineArgs};
use super::generate::GenArgs;
use super::kernels::check_kernel_files;
use crate::fuzz::client::{FuzzOptions, Start};
use crate::fuzz::executor::Budget;
use crate::fuzz::llmp::{run_llmp, LlmpOptions};
use crate::fuzz::resume::entry_files;
use crate::fuzz::simple::run_simple;
use crate::fuzz::stats::{read_lines, StatsLine};
use crate::fuzz::target::FuzzTarget;
use crate::harness::kernels::KernelChecker;
use crate::harness::kernels::KernelSpec;
use crate::harness::{interrupt, Pipeline};
use crate::kernel::variants::Relation;
use crate::targets::kernels::KernelTarget;
use crate::targets::program::ProgramTarget;
use crate::triage::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// One LLMP client per core of --cores, one broker, one shared corpus (restarts dead clients).
    Llmp,
    /// One in-process fuzzer, LibAFL's simple event manager (debugging, independent instances).
    Simple,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FuzzTargetArg {
    /// Lean programs through lake build + comparator.
    Surface,
    /// Kernel environments (lean4export NDJSON) through the external kernels of --kernel.
    Kernels,
    /// Kernel environments as Lean files of `run_elab addDecl` through lake build + comparator (Lean's kernel, then comparator's).
    KernelsViaLean,
}

#[derive(Debug, Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub gen: GenArgs,
    /// What to fuzz
    #[arg(long, value_enum, default_value = "surface")]
    pub target: FuzzTargetArg,
    /// With --target kernels: a kernel to run, NAME=PATH; repeat for several (a name containing `noda` gets a nanoda config)
    #[arg(long = "kernel", value_name = "NAME=PATH", value_parser = KernelSpec::parse)]
    pub kernels: Vec<KernelSpec>,
    /// How the fuzzer runs
    #[arg(long, value_enum, default_value = "llmp")]
    pub mode: ModeArg,
    /// Cores to fuzz on, one client each, in LibAFL's syntax: 0-3, 0,2,5, all
    #[arg(long, value_name = "LIST", default_value = "0")]
    pub cores: String,
    /// TCP port of this machine's LLMP broker (on 127.0.0.1)
    #[arg(long, value_name = "PORT", default_value_t = 1337)]
    pub broker_port: u16,
    /// Connect this machine's broker to another machine's broker (HOST:PORT) to share one corpus
    #[arg(long, value_name = "HOST:PORT")]
    pub remote_broker: Option<String>,
    /// Where each LLMP client writes its log, client-N.log [default: logs/ beside the corpus]
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// With --target kernels: export files (.ndjson, or directories of them) a fresh corpus starts from, e.g. real lean4export output
    #[arg(long = "seeds", value_name = "PATH")]
    pub seeds: Vec<PathBuf>,
    /// Continue the campaign whose corpus is in --corpus: read its entries back (without running them) instead of generating
    #[arg(long)]
    pub resume: bool,
    /// Stop after this many tests (in LLMP mode, spread over the clients)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_tests: Option<u64>,
    /// Stop after this many seconds
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub max_time: Option<Duration>,
    /// The corpus directory [default: corpus/ beside the solutions directory]
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Generated programs each client's corpus starts from
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub initial: u64,
    /// Count timeouts as objectives (they are stored as findings either way)
    #[arg(long)]
    pub timeouts_are_objectives: bool,
    /// Files kept per signature in the store: the first seen and the smallest stay; the others are counted in index.json (`dropped`)
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u64).range(2..))]
    pub keep_per_signature: u64,
    /// Reduce the first finding of each new signature right away and store the result beside it (costs tests)
    #[arg(long)]
    pub auto_reduce: bool,
    /// --target kernels: the share of tests also judged against a semantics-preserving variant (binder names or infos, mdata, reordered or unused declarations, β/η-expanded values); a kernel whose answer flips is a metamorphic finding
    #[arg(long, value_name = "R", default_value_t = 0.1, value_parser = parse_rate)]
    pub metamorphic_rate: f64,
    /// --target kernels: the share of generated inputs whose export file carries a format fault (a dangling or forward id, a gap in the expression or name ids, level lines out of order); a kernel that accepts one is an unexpected-accept finding
    #[arg(long, value_name = "R", default_value_t = 0.02, value_parser = parse_rate)]
    pub format_fault_rate: f64,
    /// --target kernels: a relation the metamorphic variants use (repeatable) [default: all: binder-names, binder-infos, mdata, reorder, unused-decl, beta-expand, eta-expand]
    #[arg(long = "metamorphic-relation", value_name = "RELATION", value_parser = parse_relation)]
    pub metamorphic_relations: Vec<Relation>,
    /// Where a JSON line of statistics is appended at every interval [default: stats.jsonl beside the corpus]
    #[arg(long, value_name = "FILE")]
    pub stats_file: Option<PathBuf>,
    /// Seconds between statistics lines
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    pub stats_interval: Duration,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

pub fn run(args: FuzzArgs) -> anyhow::Result<ExitCode> {
    if args.target != FuzzTargetArg::Kernels {
        if let Some(k) = args.kernels.first() {
            bail!(
                "--kernel {}=… needs --target kernels (this target runs lake and comparator)",
                k.name
            );
        }
        if let Some(r) = args.metamorphic_relations.first() {
            bail!(
                "--metamorphic-relation {} needs --target kernels (the metamorphic oracle compares external kernels' answers)",
                r.name()
            );
        }
        if let Some(seed) = args.seeds.first() {
            bail!(
                "--seeds {} takes export files for --target kernels; this target starts from generated inputs",
                seed.display()
            );
        }
    }
    match args.target {
        FuzzTargetArg::KernelsViaLean => {
            let config = args.pipeline.pipeline_config()?;
            let solutions = args.pipeline.solutions_dir(&config.template);
            let target = KernelTarget::new(
                Pipeline::new(config),
                Vec::new(),
                Store::open_for_campaign(&solutions, args.keep_per_signature as usize)?,
                args.gen.kernel_config(),
                args.auto_reduce,
            );
            campaign(&args, target, &solutions)
        }
        FuzzTargetArg::Surface => {
            args.gen.check_surface()?;
            let config = args.pipeline.pipeline_config()?;
            let solutions = args.pipeline.solutions_dir(&config.template);
            let target = ProgramTarget::new(
                Pipeline::new(config),
                Store::open_for_campaign(&solutions, args.keep_per_signature as usize)?,
                args.gen.config(),
                args.auto_reduce,
            );
            campaign(&args, target, &solutions)
        }
        FuzzTargetArg::Kernels => {
            if args.kernels.is_empty() {
                bail!("--target kernels needs at least one --kernel NAME=PATH");
            }
            check_kernel_files(&args.kernels)?;
            let solutions = args.pipeline.solutions_dir_default();
            let checker = KernelChecker {
                kernels: args.kernels.clone(),
                limits: args.pipeline.limits(),
                work_root: args.pipeline.work_root()?,
            };
            let target = KernelTarget::new(
                checker,
                args.kernels.iter().map(|k| k.spec_string()).collect(),
                Store::open_for_campaign(&solutions, args.keep_per_signature as usize)?,
                args.gen.kernel_config(),
                args.auto_reduce,
            )
            .with_metamorphic(
                args.metamorphic_rate,
                &args.metamorphic_relations,
                args.gen.seed,
            )
            .with_format_faults(args.format_fault_rate);
            campaign(&args, target, &solutions)
        }
    }
}

/// A metamorphic relation by its name.
fn parse_relation(s: &str) -> Result<Relation, String> {
    Relation::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Relation::ALL.iter().map(|r| r.name()).collect();
        format!("{s:?} is not a relation (one of {})", names.join(", "))
    })
}

/// A probability in [0, 1].
fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?} is not a rate between 0 and 1")),
    }
}

/// Runs the campaign on `target`, in the chosen mode.
fn campaign<T: FuzzTarget>(
    args: &FuzzArgs,
    target: T,
    solutions: &Path,
) -> anyhow::Result<ExitCode> {
    let base = parent_or_dot(solutions);
    let corpus_dir = args.corpus.clone().unwrap_or_else(|| base.join("corpus"));
    let beside_corpus = parent_or_dot(&corpus_dir);
    let stats_file = args
        .stats_file
        .clone()
        .unwrap_or_else(|| beside_corpus.join("stats.jsonl"));
    let log_dir = args
        .log_dir
        .clone()
        .unwrap_or_else(|| beside_corpus.join("logs"));
    check_corpus(&corpus_dir, args.resume)?;
    let host = nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "host".into());
    let campaign = format!("{host}/{}", std::process::id());
    interrupt::install_handler();
    let started = Instant::now();
    let opts = FuzzOptions {
        seed: args.gen.seed,
        initial: args.initial as usize,
        timeouts_are_objectives: args.timeouts_are_objectives,
        corpus_dir: corpus_dir.clone(),
        load_from: vec![corpus_dir.clone()],
        seeds: seed_files(args, &target)?,
        stats_file: stats_file.clone(),
        stats_interval: args.stats_interval,
        budget: Budget {
            max_tests: args.max_tests,
            deadline: args.max_time.map(|d| started + d),
            stop_file: None,
            count_file: None,
            launcher: None,
        },
        instance: format!("{campaign}/simple"),
    };
    let start = if args.resume {
        Start::Load
    } else {
        Start::Generate
    };
    match args.mode {
        ModeArg::Simple => {
            if args.remote_broker.is_some() {
                bail!("--remote-broker needs the LLMP mode (drop --mode simple)");
            }
            let summary = run_simple(opts, start, target)?;
            index_store(solutions);
            super::report::after_campaign(args, &stats_file, solutions);
            println!(
                "{} after {:.1} s: {} tests, corpus {} (kept {}), {} objective(s), {} finding file(s) stored in {}, validity {:.1} %",
                if summary.interrupted { "interrupted" } else { "done" },
                summary.elapsed.as_secs_f64(),
                summary.tests,
                summary.corpus,
                kept(summary.corpus, summary.tests),
                summary.objectives,
                summary.stored,
                solutions.display(),
                100.0 * summary.validity_rate,
            );
            print_verifiers(&summary.verifiers);
            Ok(exit_code(summary.interrupted, false))
        }
        ModeArg::Llmp => {
            let cores = parse_cores(&args.cores)?;
            check_broker_port(args.broker_port)?;
            let remote_broker = args
                .remote_broker
                .as_deref()
                .map(resolve_remote)
                .transpose()?;
            std::fs::create_dir_all(&log_dir)
                .with_context(|| format!("cannot create log dir {}", log_dir.display()))?;
            let llmp = LlmpOptions {
                base: opts,
                cores,
                broker_port: args.broker_port,
                remote_broker,
                log_dir: log_dir.clone(),
                resume: args.resume,
                target,
                campaign: campaign.clone(),
            };
            println!(
                "leanfuzz: {} client(s) on cores {}, broker on port {}, logs in {}",
                llmp.cores.ids.len(),
                args.cores,
                args.broker_port,
                log_dir.display()
            );
            if !run_llmp(&llmp)? {
                // A client or its respawner: the launcher reports.
                return Ok(ExitCode::SUCCESS);
            }
            index_store(solutions);
            let totals = campaign_totals(&stats_file, &campaign);
            let entries = entry_files(std::slice::from_ref(&corpus_dir)).len();
            super::report::after_campaign(args, &stats_file, solutions);
            println!(
                "{} after {:.1} s: {} tests by {} client(s), corpus {} entries on disk (kept {}), {} finding file(s) stored in {}, validity {:.1} %",
                if interrupt::requested() { "interrupted" } else { "done" },
                started.elapsed().as_secs_f64(),
                totals.tests,
                totals.clients,
                entries,
                kept(entries, totals.tests),
                totals.stored,
                solutions.display(),
                100.0 * totals.validity_rate(),
            );
            print_verifiers(&totals.verifiers);
            for (client, error) in &totals.errors {
                eprintln!("error: {client} stopped: {error}");
            }
            Ok(exit_code(interrupt::requested(), !totals.errors.is_empty()))
        }
    }
}

/// The verifier table (tests per key of the judges' outcomes), when the
/// target has judges.
fn print_verifiers(verifiers: &BTreeMap<String, u64>) {
    let table = crate::fuzz::stats::verifier_table(verifiers);
    if !table.is_empty() {
        println!("verifiers:");
        for row in table {
            println!("  {row}");
        }
    }
}

/// Corpus entries per test, as a share: how selective novelty is.
fn kept(corpus: usize, tests: u64) -> String {
    if tests == 0 {
        return "-".into();
    }
    format!(
        "{corpus}/{tests} = {:.0} %",
        100.0 * corpus as f64 / tests as f64
    )
}

fn exit_code(interrupted: bool, failed: bool) -> ExitCode {
    if interrupted {
        ExitCode::from(130)
    } else if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The directory holding `path` (`.` for a bare name): where the
/// campaign's files beside it go.
pub(crate) fn parent_or_dot(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The seed files of `--seeds` (a directory stands for its `.ndjson`
/// files), each checked to read as the target's input.
fn seed_files<T: FuzzTarget>(args: &FuzzArgs, target: &T) -> anyhow::Result<Vec<PathBuf>> {
    if args.seeds.is_empty() {
        return Ok(Vec::new());
    }
    if args.resume {
        bail!("--seeds starts a campaign's corpus; --resume continues one (drop one of them)");
    }
    let mut files = Vec::new();
    for p in &args.seeds {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list seed dir {}", p.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.is_file() && f.extension().is_some_and(|e| e == "ndjson"))
                .collect();
            if found.is_empty() {
                bail!("seed dir {} holds no .ndjson file", p.display());
            }
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            bail!("seed {} does not exist", p.display());
        }
    }
    for f in &files {
        target.read_seed(f)?;
    }
    Ok(files)
}

/// A fresh campaign needs an empty corpus dir; a resumed one an existing.
fn check_corpus(dir: &Path, resume: bool) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("corpus dir {} is not a directory", dir.display());
    }
    let entries = entry_files(&[dir.to_path_buf()]).len();
    if resume && !dir.is_dir() {
        bail!("cannot resume: corpus dir {} does not exist", dir.display());
    }
    if !resume && entries > 0 {
        bail!(
            "corpus dir {} already holds {entries} entries of an earlier campaign: pass --resume to continue it, or choose another --corpus",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create corpus dir {}", dir.display()))?;
    let probe = dir.join(format!(".leanfuzz-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .with_context(|| format!("corpus dir {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// LibAFL's core syntax, checked against the cores this machine has.
pub fn parse_cores(list: &str) -> anyhow::Result<Cores> {
    let bad = || format!("invalid core list {list:?}: expected e.g. 0, 0-3, 0,2,5 or all");
    if list.split(',').any(|part| part.split('-').count() > 2) {
        bail!(bad());
    }
    let mut cores = Cores::from_cmdline(list).map_err(|_| anyhow::anyhow!(bad()))?;
    cores.ids.sort_by_key(|c| c.0);
    cores.ids.dedup();
    let available =
        get_core_ids().map_err(|e| anyhow::anyhow!("cannot list this machine's cores: {e}"))?;
    if let Some(missing) = cores.ids.iter().find(|c| !available.contains(c)) {
        let have: Vec<String> = available.iter().map(|c| c.0.to_string()).collect();
        bail!(
            "core {} is not available: this machine lets us use cores {} ({} in all)",
            missing.0,
            have.join(","),
            available.len()
        );
    }
    Ok(cores)
}

/// The broker must own its port; a busy one belongs to another campaign
/// (whose broker our clients would silently join) or another program.
fn check_broker_port(port: u16) -> anyhow::Result<()> {
    TcpListener::bind(("127.0.0.1", port)).map(drop).map_err(|e| {
        anyhow::anyhow!(
            "broker port {port} is busy ({e}): another campaign's broker? choose another with --broker-port"
        )
    })
}

/// Resolves HOST:PORT and checks that an LLMP broker answers there (a
/// broker greets every new connection at once; the link itself would wait
/// forever on a service that stays silent).
fn resolve_remote(addr: &str) -> anyhow::Result<SocketAddr> {
    let resolved = addr
        .to_socket_addrs()
        .map_err(|e| anyhow::anyhow!("remote broker {addr:?} is not HOST:PORT ({e})"))?
        .next()
        .ok_or_else(|| anyhow::anyhow!("remote broker {addr:?} resolves to no address"))?;
    let mut stream = TcpStream::connect_timeout(&resolved, REMOTE_ANSWER)
        .map_err(|e| anyhow::anyhow!("cannot reach the remote broker {addr} ({resolved}): {e}"))?;
    let _ = stream.set_read_timeout(Some(REMOTE_ANSWER));
    let mut first = [0u8; 1];
    match stream.read(&mut first) {
        Ok(1) => Ok(resolved),
        _ => bail!(
            "{addr} ({resolved}) does not answer like an LLMP broker within {} s",
            REMOTE_ANSWER.as_secs()
        ),
    }
}

/// How long a remote broker may take to connect and greet.
const REMOTE_ANSWER: Duration = Duration::from_secs(5);

/// The campaign's totals, from each client process's last stats line.
#[derive(Debug, Default)]
struct Totals {
    clients: usize,
    tests: u64,
    stored: u64,
    valid_weighted: f64,
    errors: BTreeMap<String, String>,
    verifiers: BTreeMap<String, u64>,
}

impl Totals {
    fn validity_rate(&self) -> f64 {
        if self.tests == 0 {
            0.0
        } else {
            self.valid_weighted / self.tests as f64
        }
    }
}

/// Refreshes the store's `index.json` at the end of a campaign (per
/// signature: files kept, files dropped by the cap, the smallest).
fn index_store(solutions: &Path) {
    if let Err(e) = crate::triage::merge::write_index(solutions) {
        eprintln!(
            "warning: cannot write the index of {}: {e:#}",
            solutions.display()
        );
    }
}

fn campaign_totals(stats_file: &Path, campaign: &str) -> Totals {
    // The last line of each (client, process): a restarted client has
    // lines of several processes, each counting its own tests.
    let mut last: BTreeMap<(String, u32), StatsLine> = BTreeMap::new();
    for line in read_lines(stats_file) {
        if line.client.starts_with(&format!("{campaign}/")) {
            last.insert((line.client.clone(), line.pid), line);
        }
    }
    let mut totals = Totals::default();
    let mut clients = std::collections::BTreeSet::new();
    // A client's tests: its processes' own, summed, or (when a process was
    // killed after its last line) the count its successor continued from.
    let mut per_client: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for ((client, _), v) in &last {
        let (sum, latest) = per_client.entry(client).or_default();
        *sum += v.tests;
        *latest = (*latest).max(v.client_tests);
    }
    totals.tests = per_client.values().map(|(s, l)| *s.max(l)).sum();
    totals.verifiers = crate::fuzz::stats::sum_verifiers(last.values());
    for ((client, _), v) in &last {
        clients.insert(client.clone());
        totals.stored += v.stored_findings;
        totals.valid_weighted += v.validity_rate * v.tests as f64;
        if let Some(e) = &v.error {
            totals.errors.insert(client.clone(), e.clone());
        }
    }
    totals.clients = clients.len();
    totals
}
