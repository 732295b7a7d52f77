//! Stop requests from the scheduler or the user: SIGTERM (srun, the batch
//! system at the time limit), SIGUSR1 (`sbatch --signal=B:USR1@120`, which
//! Open MPI's mpirun forwards to every rank) and SIGINT (Ctrl-C). The handler
//! only records the signal; rendering threads stop at their next pixel, rank 0 writes
//! a checkpoint and the job exits with `EXIT_INTERRUPTED`.

use std::sync::atomic::{AtomicI32, Ordering};

/// Exit code of a job that stopped on a signal after writing its checkpoint
/// (EX_TEMPFAIL: try again, with `--resume`).
pub const EXIT_INTERRUPTED: u8 = 75;

static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn record(signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNAL.store(signal, Ordering::SeqCst);
}

/// Installs the handlers (after MPI is up, so that they are ours).
pub fn install() {
    for signal in [libc::SIGTERM, libc::SIGUSR1, libc::SIGINT] {
        // SAFETY: a plain sigaction with a handler that only stores an atomic.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = record as *const () as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The signal that asked us to stop, if any.
pub fn requested() -> Option<&'static str> {
    match SIGNAL.load(Ordering::Relaxed) {
        0 => None,
        libc::SIGTERM => Some("SIGTERM"),
        libc::SIGUSR1 => Some("SIGUSR1"),
        libc::SIGINT => Some("SIGINT"),
        _ => Some("a signal"),
    }
}
