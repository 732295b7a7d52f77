//! Progress on rank 0, from the results and heartbeats as they arrive: on a
//! terminal a bar redrawn in place with samples/s and ETA; in a job log
//! (stderr is not a terminal) one line every `--progress-interval` seconds.
//! Without adaptive sampling the share done is in samples, which every
//! rank reports every few seconds, so the line moves inside long tiles; with
//! it the number of samples is not known ahead, and the share is in pieces
//! of work (tiles, and the observers' tasks).

use std::io::Write;
use std::time::Duration;

/// How often the terminal bar is redrawn.
const BAR_REFRESH: Duration = Duration::from_millis(250);

pub struct Progress {
    terminal: bool,
    interval: Duration,
    next: Duration,
    /// What the pieces are called ("tiles", "tasks" or both).
    pieces: &'static str,
    total: usize,
    /// Samples this run will take, when known (not adaptive).
    planned_samples: Option<u64>,
    /// Pieces already done when this run started (resume).
    start: usize,
    drawn: bool,
}

impl Progress {
    /// `(done, total)`: pieces of work done before this run, and in all.
    pub fn new(
        pieces: &'static str,
        (done, total): (usize, usize),
        planned_samples: Option<u64>,
        interval: Duration,
    ) -> Progress {
        // SAFETY: isatty only inspects the descriptor.
        let terminal = unsafe { libc::isatty(libc::STDERR_FILENO) } == 1;
        let interval = if terminal { BAR_REFRESH } else { interval };
        Progress { terminal, interval, next: interval, pieces, total, planned_samples, start: done, drawn: false }
    }

    /// `done`: pieces done; `samples`: taken in this run so far, by every rank.
    pub fn update(&mut self, done: usize, samples: u64, elapsed: Duration) {
        if elapsed < self.next {
            return;
        }
        self.next = elapsed + self.interval.max(Duration::from_millis(1));
        let line = self.describe(done, samples, elapsed);
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal { write!(err, "\r{line}\x1b[K") } else { writeln!(err, "rsrender: progress {line}") };
        let _ = err.flush();
        self.drawn = true;
    }

    /// Ends the terminal bar's line.
    pub fn finish(&mut self) {
        if self.terminal && self.drawn {
            eprintln!();
        }
    }

    fn describe(&self, done: usize, samples: u64, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let rate = samples as f64 / secs;
        let (fraction, count) = match self.planned_samples {
            Some(planned) => {
                let fraction = samples as f64 / planned.max(1) as f64;
                (fraction, format!("{samples}/{planned} samples, {done}/{} {}", self.total, self.pieces))
            }
            None => {
                let fraction = (done - self.start) as f64 / (self.total - self.start).max(1) as f64;
                (fraction, format!("{done}/{} {}", self.total, self.pieces))
            }
        };
        let eta = if fraction > 0.0 {
            format!("ETA {:.0} s", secs * (1.0 - fraction).max(0.0) / fraction)
        } else {
            "ETA unknown".into()
        };
        let bar = if self.terminal {
            let filled = (fraction.min(1.0) * 30.0).round() as usize;
            format!("[{}{}] ", "#".repeat(filled), "-".repeat(30 - filled))
        } else {
            String::new()
        };
        format!("{bar}{:.1}% ({count}), {:.3} M samples/s, {eta}", fraction * 100.0, rate / 1e6)
    }
}
