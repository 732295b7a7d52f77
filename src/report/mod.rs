//! What rank 0 tells the user: progress while rendering, adaptive passes,
//! and one summary line at the end.

mod progress;

pub use progress::Progress;

use crate::film::{is_converged, Film};
use crate::settings::{Adaptive, Settings};
use std::time::Duration;

/// How long a rank rendered: wall-clock and CPU time (all its threads).
#[derive(Clone, Copy, Debug, Default, PartialEq, bincode::Encode, bincode::Decode)]
pub struct RankTimes {
    pub render_seconds: f64,
    pub cpu_seconds: f64,
}

/// CPU time this process has used so far, all threads.
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write into.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

pub struct Summary<'a> {
    pub settings: &'a Settings,
    /// Samples in the image (fewer than width·height·spp when adaptive).
    pub samples: u64,
    /// Of those, the samples this run took (the rest came from a checkpoint).
    pub new_samples: u64,
    pub threads: usize,
    pub wall: Duration,
    /// Each rank's times, by rank.
    pub rank_times: &'a [RankTimes],
}

impl std::fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.settings;
        let ranks = self.rank_times.len();
        let wall: Vec<f64> = self.rank_times.iter().map(|t| t.render_seconds).collect();
        let cpu: Vec<f64> = self.rank_times.iter().map(|t| t.cpu_seconds).collect();
        let render = wall.iter().cloned().fold(0.0, f64::max);
        let rate = self.new_samples as f64 / render.max(1e-9);
        write!(
            f,
            "rsrender: wrote {}: {}×{}, {} spp{}, {} samples, {} rank{} × {} thread{}, {:.2} s wall \
             (render {:.2} s), {:.3} M samples/s",
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
            self.wall.as_secs_f64(),
            render,
            rate / 1e6
        )?;
        if ranks > 1 {
            write!(f, ", imbalance {:.3} (CPU time {:.3})", imbalance(&wall), imbalance(&cpu))?;
        }
        Ok(())
    }
}

/// The slowest rank's time over the mean (1 is perfect balance).
pub fn imbalance(rank_seconds: &[f64]) -> f64 {
    let mean = rank_seconds.iter().sum::<f64>() / rank_seconds.len().max(1) as f64;
    let max = rank_seconds.iter().cloned().fold(0.0, f64::max);
    if mean > 0.0 {
        max / mean
    } else {
        1.0
    }
}

/// The share of pixels that will take more samples.
pub fn active_share(film: &Film, settings: &Settings, adaptive: &Adaptive) -> f64 {
    let active = film
        .samples
        .iter()
        .zip(&film.relative_error)
        .filter(|&(&n, &e)| n < settings.spp && !is_converged(n, e, adaptive))
        .count();
    active as f64 / film.samples.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imbalance_is_slowest_over_mean() {
        assert_eq!(imbalance(&[2.0, 2.0]), 1.0);
        assert!((imbalance(&[1.0, 3.0]) - 1.5).abs() < 1e-12);
    }
}
