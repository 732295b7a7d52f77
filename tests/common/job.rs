//! An mpirun job that is meant to fail, run to its end: whether every rank
//! ended, told apart from whether the launcher did. Open MPI 4.1's mpirun
//! (Debian 12's, with PMIx 3) sometimes deadlocks in its own teardown
//! after an abort, when every rank is already gone: its main thread, in
//! `PMIx_server_finalize`, joins PMIx's progress thread, which waits on a
//! lock (seen with gdb, about one run in ten under load). What rsrender
//! must do, end every rank, is what the tests check; a launcher stuck after
//! that is stopped here.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The environment variable that marks a job's processes.
const MARKER: &str = "RSRENDER_TEST_JOB";

/// How long the launcher may outlive every rank before it counts as stuck.
const LAUNCHER_GRACE: Duration = Duration::from_secs(15);

pub struct JobEnd {
    pub output: Output,
    /// Every rank had ended and the launcher had not, for `LAUNCHER_GRACE`:
    /// it was stopped (its exit status is then the stop's).
    pub launcher_stuck: bool,
}

impl JobEnd {
    /// Whether the job ended by itself, as a failure: every rank ended, and
    /// the launcher with a failure (not the timeout) unless it was stuck.
    pub fn failed_by_itself(&self) -> bool {
        let status = self.output.status;
        self.launcher_stuck || (!status.success() && status.code() != Some(super::TIMEOUT_EXIT))
    }
}

/// `mpirun -n N rsrender ARGS...`, run to its end.
pub fn mpi_job(n: usize, args: &[&str], cwd: &Path) -> JobEnd {
    let mut c = super::mpirun();
    c.arg("-n").arg(n.to_string()).arg(super::BIN).args(args).current_dir(cwd);
    run_job(c)
}

/// Runs `c`, an `mpirun()` command, to its end.
pub fn run_job(mut c: Command) -> JobEnd {
    static JOBS: AtomicU32 = AtomicU32::new(0);
    let marker = format!("{}-{}", std::process::id(), JOBS.fetch_add(1, Ordering::Relaxed));
    c.env(MARKER, &marker).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().expect("start mpirun");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).expect("read the job's output");
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("piped")));
    let stderr = read(Box::new(child.stderr.take().expect("piped")));
    let (mut ranks_seen, mut ranks_gone_at, mut launcher_stuck) = (false, None, false);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for mpirun") {
            break status;
        }
        let ranks = ranks_of(&marker);
        ranks_seen |= ranks > 0;
        ranks_gone_at = if ranks_seen && ranks == 0 { ranks_gone_at.or(Some(Instant::now())) } else { None };
        if ranks_gone_at.is_some_and(|at| at.elapsed() > LAUNCHER_GRACE) {
            launcher_stuck = true;
            // SAFETY: a signal to our own child (`timeout`, which passes it on
            // to mpirun and kills it 10 s later if need be).
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
            break child.wait().expect("wait for mpirun");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (stdout, stderr) = (stdout.join().expect("stdout"), stderr.join().expect("stderr"));
    JobEnd { output: Output { status, stdout, stderr }, launcher_stuck }
}

/// The number of live rsrender processes that carry `marker`.
fn ranks_of(marker: &str) -> usize {
    let wanted = format!("{MARKER}={marker}");
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .filter(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "rsrender"))
        .filter(|e| {
            let state = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // A zombie (Z) has ended; only its parent has not collected it.
            !state.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'))
        })
        .filter(|e| {
            std::fs::read(e.path().join("environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == wanted.as_bytes()))
        })
        .count()
}
