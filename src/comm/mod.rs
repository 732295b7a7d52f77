//! The transport between ranks, kept thin and behind one trait: rank and
//! size, send a batch to rank 0, poll for a batch, gather a few bytes from
//! everyone, abort. `serial` is the one-rank case (no MPI compiled in, or
//! not launched by mpirun); `mpi` uses rsmpi. Only the main thread calls it.
//!
//! ```
//! # use rsrender::comm;
//! # fn usage() -> anyhow::Result<()> {
//! let t = comm::init()?;
//! if t.rank() == 0 { /* rank 0 writes the image */ }
//! # Ok(()) }
//! ```

mod launcher;
#[cfg(feature = "mpi")]
mod mpi;
mod serial;

pub use launcher::launcher_rank;
pub use serial::Serial;

use anyhow::Result;

pub trait Transport {
    fn rank(&self) -> usize;
    fn size(&self) -> usize;
    /// Ranks of this job on this node, this one included.
    fn ranks_on_node(&self) -> usize;
    /// Starts sending one message to rank 0 and returns (ranks > 0 only).
    /// Messages arrive in the order sent, all of them before the transport
    /// is dropped.
    fn send_to_root(&self, bytes: &[u8]);
    /// Moves the sends under way along (MPI progresses a send only while
    /// the sender calls it): whether any is still incomplete.
    fn progress_sends(&self) -> bool;
    /// A message that has arrived at rank 0, with its sender; never blocks.
    fn poll(&self) -> Option<(usize, Vec<u8>)>;
    /// Every rank's `bytes` (all the same length), indexed by rank.
    fn all_gather(&self, bytes: &[u8]) -> Vec<Vec<u8>>;
    /// Blocks until every rank has called it.
    fn barrier(&self);
    /// Ends every rank of the job with `code`.
    fn abort(&self, code: i32) -> !;
}

/// The transport for this process: MPI when compiled in, else one rank.
pub fn init() -> Result<Box<dyn Transport>> {
    #[cfg(feature = "mpi")]
    {
        Ok(Box::new(mpi::Mpi::init()?))
    }
    #[cfg(not(feature = "mpi"))]
    {
        Ok(Box::new(Serial::init()?))
    }
}

/// How a panic anywhere ends the job: `MPI_Abort` once MPI is up, else exit.
static ABORT: std::sync::OnceLock<fn(i32) -> !> = std::sync::OnceLock::new();
static RANK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg_attr(not(feature = "mpi"), allow(dead_code))]
fn set_abort(f: fn(i32) -> !) {
    let _ = ABORT.set(f);
}

/// The thread that owns MPI (`Threading::Funneled`): only it may abort.
static MAIN_THREAD: std::sync::OnceLock<std::thread::ThreadId> = std::sync::OnceLock::new();
/// Set when a thread other than the main one panicked.
static THREAD_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes any panic print one line naming the rank and end the whole job at
/// once: a panicking rank would otherwise leave the others waiting forever.
/// On the main thread the hook aborts the job itself; another thread (a
/// renderer) only flags the failure and stops, and the main thread aborts
/// at its next look (`abort_if_a_thread_failed`), because MPI may only be
/// called from the main thread: an abort from a renderer while the main
/// thread sends was seen to hang the job.
pub fn install_panic_hook(rank: usize) {
    RANK.store(rank, std::sync::atomic::Ordering::Relaxed);
    let _ = MAIN_THREAD.set(std::thread::current().id());
    std::panic::set_hook(Box::new(|info| {
        let rank = RANK.load(std::sync::atomic::Ordering::Relaxed);
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("rsrender: rank {rank}: error: internal error: {message}{at}");
        if MAIN_THREAD.get() == Some(&std::thread::current().id()) {
            abort_now();
        }
        THREAD_FAILED.store(true, std::sync::atomic::Ordering::SeqCst);
        loop {
            std::thread::park();
        }
    }));
}

/// Called by the main thread while rendering threads work: ends the job if
/// one of them panicked.
pub fn abort_if_a_thread_failed() {
    if THREAD_FAILED.load(std::sync::atomic::Ordering::SeqCst) {
        abort_now();
    }
}

fn abort_now() -> ! {
    let_the_launcher_forward_output();
    match ABORT.get() {
        Some(abort) => abort(101),
        None => std::process::exit(101),
    }
}

/// Gives the launcher a moment to forward what this rank printed before an
/// abort tears the job down: MPICH's hydra otherwise loses the last lines.
pub fn let_the_launcher_forward_output() {
    use std::io::Write;
    let _ = std::io::stderr().flush();
    std::thread::sleep(std::time::Duration::from_millis(300));
}
