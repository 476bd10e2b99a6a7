//! Ctrl-C and SIGTERM handling: a flag that every wait loop polls, so that a
//! running stage is killed with its whole process group and the workspace is
//! removed by the normal drop path, instead of the process dying mid-test and
//! leaking temp directories and orphans.
//!
//! The handler is a plain `sigaction` handler (no helper thread), so it can
//! be installed again in a forked process — a multi-core client must put it
//! back after LibAFL installed its own, which exits on the spot.

use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

static REQUESTED: AtomicBool = AtomicBool::new(false);

const FIRST: &[u8] = b"leanfuzz: interrupted, stopping the running stage and cleaning up\n";
const SECOND: &[u8] = b"leanfuzz: second interrupt, exiting now\n";

extern "C" fn on_signal(_signal: libc::c_int) {
    // Only async-signal-safe calls here: an atomic, write(2) and _exit(2).
    let again = REQUESTED.swap(true, Ordering::SeqCst);
    let msg = if again { SECOND } else { FIRST };
    // SAFETY: writing a static buffer to stderr; the result does not matter.
    unsafe {
        libc::write(libc::STDERR_FILENO, msg.as_ptr().cast(), msg.len());
        if again {
            libc::_exit(130);
        }
    }
}

/// Installs the handler for SIGINT and SIGTERM in this process (again, if
/// something replaced it). A second signal while the first is being
/// honoured exits at once with status 130.
pub fn install_handler() {
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        // SAFETY: the handler only touches an atomic and calls write/_exit.
        if let Err(e) = unsafe { sigaction(signal, &action) } {
            eprintln!("leanfuzz: warning: cannot install the {signal} handler: {e}");
        }
    }
}

/// Whether the user asked us to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
