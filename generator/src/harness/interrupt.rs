//! Ctrl-C and SIGTERM handling: a flag that every wait loop polls, so that a
//! running stage is killed with its whole process group and the workspace is
//! removed by the normal drop path, instead of the process dying mid-test and
//! leaking temp directories and orphans.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Installs the handler once per process. A second Ctrl-C while the first is
/// being honoured exits at once with status 130.
pub fn install_handler() {
    INSTALL.call_once(|| {
        let result = ctrlc::set_handler(|| {
            if REQUESTED.swap(true, Ordering::SeqCst) {
                eprintln!("leanfuzz: second interrupt, exiting now");
                std::process::exit(130);
            }
            eprintln!("leanfuzz: interrupted, stopping the running stage and cleaning up");
        });
        if let Err(e) = result {
            eprintln!("leanfuzz: warning: cannot install the Ctrl-C handler: {e}");
        }
    });
}

/// Whether the user asked us to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
