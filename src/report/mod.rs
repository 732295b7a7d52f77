//! What rank 0 tells the user: progress while rendering, adaptive passes,
//! and one summary line at the end.

mod progress;
mod stats;

pub use progress::Progress;
pub use stats::{host_name, Phases, RankReport, Stats, TileTime};

use crate::film::tiles::{TileChoice, TileGrid};
use crate::film::{is_converged, Film};
use crate::settings::{Adaptive, Settings};

/// CPU time this process has used so far, all threads.
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write into.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The most resident memory this process has had, in bytes.
pub fn peak_rss_bytes() -> u64 {
    // SAFETY: an all-zero rusage is valid, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage to write into.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    usage.ru_maxrss.max(0) as u64 * 1024
}

pub struct Summary<'a> {
    pub settings: &'a Settings,
    /// Samples in the image (fewer than width·height·spp when adaptive).
    pub samples: u64,
    pub threads: usize,
    /// Where the thread count came from ("from SLURM_CPUS_PER_TASK").
    pub threads_from: &'static str,
    pub stats: &'a Stats,
    pub grid: TileGrid,
    pub tile_choice: TileChoice,
}

impl std::fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.settings;
        let ranks = self.stats.reports.len();
        write!(
            f,
            "rsrender: wrote {}: {}×{}, {} spp{}, {} samples, {} rank{} × {} thread{} ({}), {} tiles of {} px ({}), \
             {:.2} s wall (render {:.2} s), {:.3} M samples/s",
            s.output.display(),
            s.width,
            s.height,
            s.spp,
            if s.adaptive.is_some() { " max (adaptive)" } else { "" },
            self.samples,
            ranks,
            if ranks == 1 { "" } else { "s" },
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.threads_from,
            self.grid.count(),
            self.grid.size,
            match self.tile_choice {
                TileChoice::Given => "as given",
                TileChoice::Checkpoint => "the checkpoint's",
                TileChoice::Auto => "chosen for the job",
            },
            self.stats.wall_seconds,
            self.stats.render_seconds(),
            self.stats.samples_per_second() / 1e6
        )?;
        if ranks > 1 {
            write!(f, ", imbalance {:.3} (CPU time {:.3})", self.stats.imbalance(), self.stats.cpu_imbalance())?;
        }
        Ok(())
    }
}

/// The share of pixels that will take more samples.
pub fn active_share(film: &Film, settings: &Settings, adaptive: &Adaptive) -> f64 {
    let active = film
        .layers
        .samples
        .iter()
        .zip(&film.layers.relative_error)
        .filter(|&(&n, &e)| n < settings.spp && !is_converged(n, e, adaptive))
        .count();
    active as f64 / film.layers.samples.len().max(1) as f64
}
