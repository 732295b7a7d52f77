//! Progress on rank 0, from the results as they arrive: on a terminal a bar
//! redrawn in place with samples/s and ETA; in a job log (stderr is not a
//! terminal) one line every `--progress-interval` seconds.

use crate::film::Film;
use std::io::Write;
use std::time::Duration;

/// How often the terminal bar is redrawn.
const BAR_REFRESH: Duration = Duration::from_millis(250);

pub struct Progress {
    terminal: bool,
    interval: Duration,
    next: Duration,
    total_tiles: usize,
    /// Tiles and samples already done when this run started (resume).
    start_tiles: usize,
    start_samples: u64,
    drawn: bool,
}

impl Progress {
    pub fn new(film: &Film, total_tiles: usize, interval: Duration) -> Progress {
        // SAFETY: isatty only inspects the descriptor.
        let terminal = unsafe { libc::isatty(libc::STDERR_FILENO) } == 1;
        let interval = if terminal { BAR_REFRESH } else { interval };
        Progress {
            terminal,
            interval,
            next: interval,
            total_tiles,
            start_tiles: film.tiles_done(),
            start_samples: film.total_samples(),
            drawn: false,
        }
    }

    pub fn update(&mut self, film: &Film, elapsed: Duration) {
        if elapsed < self.next {
            return;
        }
        self.next = elapsed + self.interval.max(Duration::from_millis(1));
        let line = self.describe(film, elapsed);
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

    fn describe(&self, film: &Film, elapsed: Duration) -> String {
        let done = film.tiles_done();
        let fraction = done as f64 / self.total_tiles.max(1) as f64;
        let secs = elapsed.as_secs_f64().max(1e-9);
        let rate = (film.total_samples() - self.start_samples) as f64 / secs;
        let new = (done - self.start_tiles) as f64;
        let eta = if new > 0.0 {
            format!("ETA {:.0} s", secs * (self.total_tiles - done) as f64 / new)
        } else {
            "ETA unknown".into()
        };
        let bar = if self.terminal {
            let filled = (fraction * 30.0).round() as usize;
            format!("[{}{}] ", "#".repeat(filled), "-".repeat(30 - filled))
        } else {
            String::new()
        };
        format!(
            "{bar}{:.1}% ({done}/{} tiles), {:.3} M samples/s, {eta}",
            fraction * 100.0,
            self.total_tiles,
            rate / 1e6
        )
    }
}
