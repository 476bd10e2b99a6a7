//! `--mode simple`: one in-process fuzzer with LibAFL's simple event
//! manager (no broker, no restarts), for debugging, small runs and the
//! independent instances of `run_parallel.sh`.

use libafl::events::SimpleEventManager;
use libafl::monitors::NopMonitor;

use super::client::{Client, FuzzOptions, Start, StatusOut, Summary};
use super::status::StatusBoard;
use super::target::FuzzTarget;

/// Fuzzes `target` in this process until the budget is spent or the user
/// stops it.
pub fn run_simple<T: FuzzTarget>(
    opts: FuzzOptions,
    start: Start,
    target: T,
) -> anyhow::Result<Summary> {
    // Our board, not LibAFL's monitor (a line per corpus event).
    let mut mgr = SimpleEventManager::new(NopMonitor::new());
    // The store's own line names every finding on this terminal.
    let board = StatusBoard::new(&opts.instance, &opts.corpus_dir, opts.stats_interval)
        .without_announcements();
    let target = target.for_process(&opts.instance, target.work_root().to_path_buf());
    let mut client = Client::new(opts, None, target)?;
    client.status = StatusOut::Board(Box::new(board));
    let filled = client.fill_corpus(start, &mut mgr);
    let fuzzed = match filled {
        Ok(report) => {
            if report.loaded + report.skipped > 0 {
                println!(
                    "resumed: {} corpus entries read, {} skipped",
                    report.loaded, report.skipped
                );
            }
            client.fuzz(&mut mgr)
        }
        Err(libafl::Error::ShuttingDown) => Ok(()),
        Err(e) => Err(client.stopped(e)),
    };
    client.write_stats(true, fuzzed.as_ref().err().map(|e| format!("{e:#}")))?;
    fuzzed?;
    Ok(client.summary())
}
