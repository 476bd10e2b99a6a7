//! The multi-core mode: LibAFL's `Launcher` forks one client per core, each
//! under an `LlmpRestartingEventManager`, and this process becomes the LLMP
//! broker that forwards every new testcase to the other clients (and, with
//! `--remote-broker`, to another machine's broker).
//!
//! The broker loop is ours, not LibAFL's: LibAFL 0.16's launcher ignores
//! its remote-broker setting, and its broker never stops while a
//! broker-to-broker link is open. Ours stops when every local client has
//! exited or on SIGINT/SIGTERM, and then leaves a stop file that tells the
//! clients (which may not have seen the signal) to finish their test and
//! exit.

use std::fs::OpenOptions;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use libafl::events::launcher::{ClientDescription, Launcher};
use libafl::events::{
    setup_restarting_mgr_llmp, EventConfig, EventFirer, EventManagerHook, EventReceiver,
    EventRestarter, EventWithStats, LlmpRestartingEventManager, LogSeverity, ManagerKind,
    ProgressReporter, SendExiting, ShouldSaveState, StdLlmpEventHook,
};
use libafl::inputs::Input;
use libafl::monitors::NopMonitor;
use libafl::Error;
use libafl_bolts::core_affinity::Cores;
use libafl_bolts::llmp::{Broker, LlmpBroker, LlmpClient};
use libafl_bolts::shmem::ShMemProvider;
use libafl_bolts::tuples::tuple_list;
use libafl_bolts::ClientId;

use super::client::{Client, FuzzOptions, FuzzState, Start, StatusOut};
use super::resume::entry_files;
use super::shmem::{CampaignShMem, SelfRemovingShMemProvider};
use super::stats::read_lines;
use super::status::{read_live, StatusBoard};
use super::target::FuzzTarget;
use crate::harness::interrupt;

/// How long the broker waits for its clients to connect before it links
/// to a remote broker.
const CLIENTS_CONNECT: Duration = Duration::from_secs(60);

/// How often the broker looks for exited clients.
const CLIENT_CHECK: Duration = Duration::from_millis(200);

/// Everything the launcher needs.
#[derive(Clone)]
pub struct LlmpOptions<T> {
    /// The options every client starts from (seed, budget and paths are
    /// made per client).
    pub base: FuzzOptions,
    pub cores: Cores,
    pub broker_port: u16,
    pub remote_broker: Option<SocketAddr>,
    pub log_dir: PathBuf,
    pub resume: bool,
    /// What every client fuzzes (each with its own instance name and work
    /// directory).
    pub target: T,
    /// Prefix of the clients' instance names (`host/pid`).
    pub campaign: String,
}

impl<T> LlmpOptions<T> {
    /// The file whose appearance stops every client of the launcher
    /// `launcher_pid`.
    fn stop_file(&self, launcher_pid: u32) -> PathBuf {
        self.log_dir.join(format!(".stop-{launcher_pid}"))
    }

    /// Client `id`'s log.
    pub fn log_file(&self, id: usize) -> PathBuf {
        self.log_dir.join(format!("client-{id}.log"))
    }

    /// Client `id`'s instance name in stats lines and finding metadata.
    pub fn instance(&self, id: usize) -> String {
        format!("{}/client-{id}", self.campaign)
    }
}

type Manager<I> = LlmpRestartingEventManager<
    (ReceiveLog, ()),
    I,
    FuzzState<I>,
    CampaignShMem,
    SelfRemovingShMemProvider,
>;

/// What the launcher's spawn hook hands a client: its restored state (if
/// any) and its event manager.
type Spawned<I> = (Option<FuzzState<I>>, Manager<I>);

/// Logs each testcase this client receives from another (one line in its
/// log: which entry, from which client), so corpus sharing can be seen.
#[derive(Debug, Clone, Copy)]
pub struct ReceiveLog;

impl<I: Input> EventManagerHook<I, FuzzState<I>> for ReceiveLog {
    fn pre_receive(
        &mut self,
        _state: &mut FuzzState<I>,
        client_id: ClientId,
        event: &EventWithStats<I>,
    ) -> Result<bool, Error> {
        if let libafl::events::Event::NewTestcase { input, .. } = event.event() {
            println!(
                "received testcase {} from LLMP client {}",
                input.generate_name(None),
                client_id.0
            );
        }
        Ok(true)
    }
}

/// LibAFL 0.16.1's restarting manager does not pass its configuration on
/// (it reports "always unique"), so every client would run each shared
/// testcase again — a second per test per client. This view of the manager
/// reports the real configuration, so receivers judge a shared testcase by
/// the sender's observers, as LLMP intends.
struct Sharing<'a, I: Input>(&'a mut Manager<I>);

impl<I: Input> EventFirer<I, FuzzState<I>> for Sharing<'_, I> {
    fn fire(&mut self, state: &mut FuzzState<I>, event: EventWithStats<I>) -> Result<(), Error> {
        self.0.fire(state, event)
    }

    fn configuration(&self) -> EventConfig {
        self.0.inner.configuration()
    }

    fn should_send(&self) -> bool {
        self.0.should_send()
    }
}

impl<I: Input> EventReceiver<I, FuzzState<I>> for Sharing<'_, I> {
    fn try_receive(
        &mut self,
        state: &mut FuzzState<I>,
    ) -> Result<Option<(EventWithStats<I>, bool)>, Error> {
        self.0.try_receive(state)
    }

    fn on_interesting(
        &mut self,
        state: &mut FuzzState<I>,
        event: EventWithStats<I>,
    ) -> Result<(), Error> {
        self.0.on_interesting(state, event)
    }
}

impl<I: Input> ProgressReporter<FuzzState<I>> for Sharing<'_, I> {
    fn maybe_report_progress(
        &mut self,
        state: &mut FuzzState<I>,
        monitor_timeout: Duration,
    ) -> Result<(), Error> {
        self.0.maybe_report_progress(state, monitor_timeout)
    }

    fn report_progress(&mut self, state: &mut FuzzState<I>) -> Result<(), Error> {
        self.0.report_progress(state)
    }
}

impl<I: Input> SendExiting for Sharing<'_, I> {
    fn send_exiting(&mut self) -> Result<(), Error> {
        self.0.send_exiting()
    }

    fn on_shutdown(&mut self) -> Result<(), Error> {
        self.0.on_shutdown()
    }
}

/// Runs the campaign; returns in the launching process once every client
/// has stopped. Returns `Ok(false)` in a forked process (a client or its
/// respawner), which must then exit without printing anything.
pub fn run_llmp<T: FuzzTarget>(opts: &LlmpOptions<T>) -> anyhow::Result<bool> {
    let main_pid = std::process::id();
    let shmem = SelfRemovingShMemProvider::new()
        .map_err(|e| anyhow::anyhow!("cannot set up shared memory for LLMP: {e}"))?;
    // Our board draws the clients' live files; LibAFL's monitors print a
    // line or two per corpus event.
    let monitor = NopMonitor::new();
    let stop_file = opts.stop_file(main_pid);
    let _ = std::fs::remove_file(&stop_file);
    let broker_error = std::cell::RefCell::new(None::<String>);
    let board = std::cell::RefCell::new(StatusBoard::new(
        &opts.campaign,
        &opts.base.corpus_dir,
        opts.base.stats_interval,
    ));

    let spawn = |client: Option<ClientDescription>,
                 monitor: Option<NopMonitor>|
     -> Result<Spawned<T::Input>, Error> {
        match client {
            Some(desc) => {
                // The respawner: when the launcher dies, so does it, and
                // its client then sees its parent go.
                die_with_parent(libc::SIGTERM);
                // The launcher's SIGTERM handler (inherited through fork)
                // would turn that signal into a flag nobody here polls.
                // SAFETY: restoring a signal's default action.
                unsafe {
                    libc::signal(libc::SIGTERM, libc::SIG_DFL);
                }
                setup_restarting_mgr_llmp(
                    shmem.clone(),
                    EventConfig::from_name(T::CAMPAIGN),
                    None::<NopMonitor>,
                    opts.broker_port,
                    ManagerKind::Client {
                        client_description: desc,
                    },
                    None,
                    ShouldSaveState::OOMSafeOnRestart,
                    tuple_list!(ReceiveLog),
                )
            }
            None => {
                let monitor = monitor.expect("the launcher hands the broker its monitor");
                let result = run_broker(
                    opts,
                    shmem.clone(),
                    monitor,
                    opts.cores.ids.len(),
                    &mut board.borrow_mut(),
                );
                // Whatever stopped the broker, the clients stop too.
                let _ = std::fs::write(&stop_file, b"stop\n");
                if let Err(e) = result {
                    *broker_error.borrow_mut() = Some(first_line(&e));
                }
                Err(Error::shutting_down())
            }
        }
    };

    let launched = Launcher::builder()
        .shmem_provider(shmem.clone())
        .configuration(EventConfig::from_name(T::CAMPAIGN))
        .monitor(monitor)
        .cores(&opts.cores)
        .broker_port(opts.broker_port)
        .serialize_state(ShouldSaveState::OOMSafeOnRestart)
        .run_client(
            |state: Option<FuzzState<T::Input>>,
             mgr: Manager<T::Input>,
             desc: ClientDescription| {
                run_client(opts, main_pid, state, mgr, &desc);
                Ok(())
            },
        )
        .build()
        .launch_with_manager(|_launcher, client, monitor| spawn(client, monitor));
    if std::process::id() != main_pid {
        return Ok(false);
    }
    let _ = std::fs::remove_file(&stop_file);
    // Every client has stopped: the board's last state is each client's
    // last stats line (a live file may be a second behind, or gone).
    let mut board = board.into_inner();
    let mut last = std::collections::BTreeMap::new();
    for line in read_lines(&opts.base.stats_file) {
        if line.client.starts_with(&format!("{}/", opts.campaign)) {
            last.insert(line.client.clone(), line);
        }
    }
    for line in last.into_values() {
        board.update(line);
    }
    board.finish();
    remove_live_files(opts, main_pid);
    if let Some(e) = broker_error.into_inner() {
        anyhow::bail!("the LLMP broker failed: {e}");
    }
    match launched {
        Ok(()) | Err(Error::ShuttingDown) => Ok(true),
        Err(e) => Err(anyhow::anyhow!("the LLMP launcher failed: {e}")),
    }
}

/// The broker: forwards messages until every local client has exited or
/// this process is asked to stop.
fn run_broker<T: FuzzTarget>(
    opts: &LlmpOptions<T>,
    shmem: SelfRemovingShMemProvider,
    monitor: NopMonitor,
    clients: usize,
    board: &mut StatusBoard,
) -> Result<(), Error> {
    let main_pid = std::process::id();
    let mut last_board = Instant::now();
    let hook = StdLlmpEventHook::<T::Input, _>::new(monitor)?;
    let mut broker = LlmpBroker::create_attach_to_tcp(shmem, tuple_list!(hook), opts.broker_port)
        .map_err(|e| {
        Error::unknown(format!(
            "cannot listen on port {}: {}",
            opts.broker_port,
            first_line(&e)
        ))
    })?;
    if let Some(addr) = opts.remote_broker {
        // The link takes the next free LLMP client id; were a local client
        // still connecting, the two would share an id and each drop the
        // other's messages as its own. So: every local client first.
        let deadline = Instant::now() + CLIENTS_CONNECT;
        while broker.num_clients_seen() < broker.nb_listeners() + clients
            && Instant::now() < deadline
            && !interrupt::requested()
        {
            broker.broker_once()?;
            std::thread::sleep(Duration::from_millis(5));
        }
        broker.inner_mut().connect_b2b(addr).map_err(|e| {
            Error::unknown(format!(
                "cannot connect to the remote broker {addr}: {}",
                first_line(&e)
            ))
        })?;
        println!("connected to the remote broker {addr}");
    }
    let mut last_check = Instant::now();
    while !interrupt::requested() {
        broker.broker_once()?;
        if last_check.elapsed() >= CLIENT_CHECK {
            last_check = Instant::now();
            if live_children() == 0 {
                break;
            }
        }
        if last_board.elapsed() >= board.every() {
            read_clients(opts, main_pid, board);
            board.show();
            last_board = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    read_clients(opts, main_pid, board);
    Ok(())
}

/// One client process (also after each restart).
fn run_client<T: FuzzTarget>(
    opts: &LlmpOptions<T>,
    main_pid: u32,
    restored: Option<FuzzState<T::Input>>,
    mut mgr: Manager<T::Input>,
    desc: &ClientDescription,
) {
    let id = desc.id();
    // LibAFL's handler exits on the spot; ours lets the test finish its
    // cleanup. The respawner dying (the launcher gone) counts as a stop.
    interrupt::install_handler();
    die_with_parent(libc::SIGINT);
    if std::env::var_os("LIBAFL_DEBUG_OUTPUT").is_none() {
        if let Err(e) = redirect_output(&opts.log_file(id)) {
            eprintln!("warning: client {id}: {e}");
        }
    }
    let had_state = restored.is_some();
    let own_dir = opts.base.corpus_dir.join(format!("client-{id}"));
    // A predecessor in this campaign left its work dir (a first start with
    // --resume finds corpus entries, but no predecessor).
    let restarted = had_state || client_work_root(opts, main_pid, id).exists();
    let has_entries = !entry_files(std::slice::from_ref(&own_dir)).is_empty();
    println!(
        "client {id} (pid {}, core {}, launcher {main_pid}): {}",
        std::process::id(),
        desc.core_id().0,
        match (had_state, restarted) {
            (true, _) => "restarted with its state",
            (false, true) => "restarted without its state (its corpus, if any, is read back)",
            (false, false) => "started",
        }
    );
    let start = if opts.resume || (restarted && has_entries) {
        Start::Load
    } else {
        Start::Generate
    };
    if restarted && !had_state {
        if let Err(e) = fresh_llmp_client(&mut mgr, opts.broker_port) {
            eprintln!(
                "client {id}: cannot join the broker anew: {}",
                first_line(&e)
            );
        }
    }
    let result = client_body(opts, main_pid, id, own_dir, restored, start, &mut mgr);
    match result {
        ClientEnd::Finished(error) => {
            if let Some(e) = &error {
                eprintln!("client {id} stopped: {e}");
            }
            if let Err(e) = mgr.send_exiting() {
                eprintln!("client {id}: cannot tell the broker it exits: {e}");
            }
        }
        ClientEnd::Restart(mut state) => {
            // A planned restart: the respawner starts a new process with
            // this state.
            println!("client {id}: restarting with its state");
            if let Err(e) = mgr.on_restart(&mut state) {
                eprintln!("client {id}: cannot save its state for the restart: {e}");
            }
        }
    }
}

enum ClientEnd<I> {
    /// The client is done (with the reason when it was an error).
    Finished(Option<String>),
    /// The client panicked; its state goes to the next process.
    Restart(Box<FuzzState<I>>),
}

fn client_body<T: FuzzTarget>(
    opts: &LlmpOptions<T>,
    main_pid: u32,
    id: usize,
    own_dir: PathBuf,
    restored: Option<FuzzState<T::Input>>,
    start: Start,
    mgr: &mut Manager<T::Input>,
) -> ClientEnd<T::Input> {
    let work_root = client_work_root(opts, main_pid, id);
    // Anything already there is a workspace of this client's predecessor,
    // killed mid-test (a client that stops normally leaves none).
    if work_root.exists() {
        if let Err(e) = std::fs::remove_dir_all(&work_root) {
            eprintln!(
                "client {id}: cannot remove its predecessor's workspaces in {}: {e}",
                work_root.display()
            );
        }
    }
    if let Err(e) = std::fs::create_dir_all(&work_root) {
        return ClientEnd::Finished(Some(format!(
            "cannot create work dir {}: {e}",
            work_root.display()
        )));
    }
    let mut fuzz_opts = opts.base.clone();
    fuzz_opts.seed = opts.base.seed.wrapping_add(id as u64);
    fuzz_opts.corpus_dir = own_dir;
    fuzz_opts.instance = opts.instance(id);
    fuzz_opts.budget.max_tests = opts
        .base
        .budget
        .max_tests
        .map(|n| share(n, opts.cores.ids.len(), id));
    fuzz_opts.budget.stop_file = Some(opts.stop_file(main_pid));
    fuzz_opts.budget.launcher = Some(main_pid);
    let count_file = count_file(&work_root);
    fuzz_opts.budget.count_file = Some(count_file.clone());
    // One client runs the seeds; the others receive what it keeps.
    if id > 1 {
        fuzz_opts.seeds.clear();
    }
    let target = opts
        .target
        .for_process(&fuzz_opts.instance, work_root.clone());
    let client = Client::new(fuzz_opts, restored, target);
    let mut client = match client {
        Ok(c) => c,
        Err(e) => return ClientEnd::Finished(Some(format!("{e:#}"))),
    };
    let live_file = live_file(&work_root);
    client.status = StatusOut::Live(live_file.clone());
    // A first event, so that the respawner holds this client's LLMP
    // description even if it is killed before it finds anything.
    let _ = mgr.log(
        &mut client.state,
        LogSeverity::Info,
        format!("client {id} up"),
    );
    let mut mgr = Sharing(mgr);
    let mgr = &mut mgr;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let report = client.fill_corpus(start, mgr).or_else(|e| match e {
            Error::ShuttingDown => Ok(Default::default()),
            e => Err(client.stopped(e)),
        })?;
        if report.loaded + report.skipped > 0 {
            println!(
                "client {id}: {} corpus entries read back, {} skipped",
                report.loaded, report.skipped
            );
        }
        client.fuzz(mgr)
    }));
    match run {
        Ok(result) => {
            let error = result.err().map(|e| format!("{e:#}"));
            if let Err(e) = client.write_stats(true, error.clone()) {
                eprintln!("client {id}: {e}");
            }
            // Left empty by the pipeline, which removes every workspace,
            // unless a killed predecessor's stage wrote into it after this
            // process had removed the predecessor's workspaces.
            let _ = std::fs::remove_dir_all(&work_root);
            // Done for good: no successor continues this count, and the
            // broker has its last line in stats.jsonl.
            let _ = std::fs::remove_file(&count_file);
            // The launcher has the last line in stats.jsonl.
            let _ = std::fs::remove_file(&live_file);
            ClientEnd::Finished(error)
        }
        Err(_) => {
            let _ = client.write_stats(false, None);
            ClientEnd::Restart(Box::new(client.into_state()))
        }
    }
}

/// Where the client with work dir `work_root` keeps its test count: beside
/// the work dir, which a restarted client empties first.
/// Client `id`'s work dir in the campaign of launcher `main_pid`: made at
/// the client's start and removed at its normal end, so finding it at a
/// start means a predecessor of this client was killed.
fn client_work_root<T: FuzzTarget>(opts: &LlmpOptions<T>, main_pid: u32, id: usize) -> PathBuf {
    opts.target
        .work_root()
        .join(format!("leanfuzz-{main_pid}-client-{id}"))
}

fn count_file(work_root: &Path) -> PathBuf {
    work_root.with_extension("tests")
}

/// Where the client with work dir `work_root` keeps its live statistics
/// for the broker's board.
fn live_file(work_root: &Path) -> PathBuf {
    work_root.with_extension("status")
}

/// The clients' live files of launcher `main_pid`.
fn live_files<T: FuzzTarget>(opts: &LlmpOptions<T>, main_pid: u32) -> Vec<PathBuf> {
    let prefix = format!("leanfuzz-{main_pid}-client-");
    let Ok(dir) = std::fs::read_dir(opts.target.work_root()) else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix)
                && (name.ends_with(".status") || name.ends_with(".status.tmp"))
        })
        .map(|e| e.path())
        .collect()
}

/// Hands the board every client's live statistics.
fn read_clients<T: FuzzTarget>(opts: &LlmpOptions<T>, main_pid: u32, board: &mut StatusBoard) {
    for path in live_files(opts, main_pid) {
        if let Some(line) = read_live(&path) {
            board.update(line);
        }
    }
}

/// Removes the clients' live files once every client has stopped.
fn remove_live_files<T: FuzzTarget>(opts: &LlmpOptions<T>, main_pid: u32) {
    for path in live_files(opts, main_pid) {
        let _ = std::fs::remove_file(path);
    }
}

/// Gives a client that comes back without its state (its predecessor was
/// killed) an LLMP client of its own. LibAFL 0.16 would reattach the
/// predecessor's page at the position its respawner saw before the first
/// process ran: the first message then either panics ("BUG: The current
/// message never got committed using send!", and the respawner gives the
/// client up) or overwrites the page from its start with ids the broker has
/// seen (so it drops them). A new client has a new page and id; the old
/// page stays mapped by the broker and goes with it.
fn fresh_llmp_client<I: Input>(mgr: &mut Manager<I>, port: u16) -> Result<(), Error> {
    let client = LlmpClient::create_attach_to_tcp(SelfRemovingShMemProvider::new()?, port)?;
    let old = std::mem::replace(&mut mgr.inner.llmp, client);
    // Its page is the predecessor's, which the broker may still read: not
    // torn down from here (this process unmaps it when it exits).
    std::mem::forget(old);
    Ok(())
}

/// LibAFL's errors carry a backtrace in their text; the first line says it.
fn first_line(e: &Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// Client `id`'s share (1-based) of a total spread over `clients`.
fn share(total: u64, clients: usize, id: usize) -> u64 {
    let clients = clients.max(1) as u64;
    let id = (id.max(1) - 1) as u64;
    total / clients + u64::from(id < total % clients)
}

/// Sends `signal` to this process when its parent dies (Linux).
fn die_with_parent(signal: libc::c_int) {
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a plain signal number.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong);
    }
}

/// Points this process's stdout and stderr at `path` (appending).
fn redirect_output(path: &Path) -> anyhow::Result<()> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot open log {}: {e}", path.display()))?;
    for fd in [libc::STDOUT_FILENO, libc::STDERR_FILENO] {
        // SAFETY: both descriptors are open; dup2 replaces `fd` atomically.
        if unsafe { libc::dup2(file.as_raw_fd(), fd) } < 0 {
            anyhow::bail!(
                "cannot redirect output to {}: {}",
                path.display(),
                std::io::Error::last_os_error()
            );
        }
    }
    Ok(())
}

/// Children of this process that have not exited (zombies count as
/// exited: the launcher reaps them afterwards). Read from /proc, by each
/// process's parent id, which every Linux kernel shows.
fn live_children() -> usize {
    let me = std::process::id().to_string();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    procs
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| {
            // After the parenthesised command name: state, then parent id.
            let mut fields = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace())
                .into_iter()
                .flatten();
            let state = fields.next();
            let ppid = fields.next();
            ppid == Some(me.as_str()) && !matches!(state, Some("Z" | "X"))
        })
        .count()
}
