//! Ctrl-C: stop cleanly, leaving no child process behind.
//!
//! Each check runs in a process group of its own, so the terminal's Ctrl-C
//! does not reach it. Instead the checker notes the signal, the supervisor
//! kills the running check's group, and the run ends with a message.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Starts noting Ctrl-C (SIGINT) and SIGTERM instead of dying at once.
pub fn install() {
    let flag = REQUESTED.get_or_init(|| Arc::new(AtomicBool::new(false)));
    imp::register(flag.clone());
}

/// Whether an interrupt arrived.
pub fn requested() -> bool {
    REQUESTED.get().is_some_and(|f| f.load(Ordering::SeqCst))
}

#[cfg(unix)]
mod imp {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    pub fn register(flag: Arc<AtomicBool>) {
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let _ = signal_hook::flag::register(signal, flag.clone());
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    /// Without process groups a child dies with the console's Ctrl-C anyway.
    pub fn register(_flag: Arc<AtomicBool>) {}
}
