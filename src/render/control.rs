//! What a rank's rendering threads share with its main thread while they
//! render: a stop request, checked before every pixel, so that a failure on
//! rank 0 or a stop signal ends rendering within a pixel's samples rather
//! than after the rank's whole share; and the count of samples taken so far,
//! which heartbeats carry to rank 0's progress line.

use crate::interrupt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Control {
    stop: AtomicBool,
    samples: AtomicU64,
}

impl Control {
    /// Asks every thread to stop at its next pixel (it emits nothing more).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// True once `stop` was called or the job was told to stop by a signal.
    #[inline]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || interrupt::requested().is_some()
    }

    #[inline]
    pub fn count_samples(&self, n: u64) {
        self.samples.fetch_add(n, Ordering::Relaxed);
    }

    /// Samples this rank has taken so far in this run, finished tiles or not.
    pub fn samples(&self) -> u64 {
        self.samples.load(Ordering::Relaxed)
    }
}
