//! A record of every ray an accelerator traces, in order, for the ray
//! benchmark (`benches/rays.rs`): rays per sample, and Embree's own speed on
//! the very rays a render traced. Compiled in only with the `ray-log`
//! feature (even an untaken test per query cost the box 4%, measured), and
//! off unless `Accel::record` turns it on.

use super::Accel;
use crate::math::Ray;

impl Accel {
    /// Notes nearest-hit queries, when recording.
    #[inline(always)]
    pub(super) fn note_nearest(&self, _rays: &[Ray]) {
        #[cfg(feature = "ray-log")]
        if let Some(r) = &self.recorder {
            r.nearest(_rays);
        }
    }

    /// Notes shadow-ray queries, when recording.
    #[inline(always)]
    pub(super) fn note_shadow(&self, _rays: &[Ray]) {
        #[cfg(feature = "ray-log")]
        if let Some(r) = &self.recorder {
            r.shadow(_rays);
        }
    }
}

#[cfg(feature = "ray-log")]
pub use recording::{RayLog, Recorder};

#[cfg(feature = "ray-log")]
mod recording {
    use super::Accel;
    use crate::math::Ray;
    use std::sync::{Mutex, MutexGuard};

    /// The rays traced since recording began.
    #[derive(Default)]
    pub struct RayLog {
        /// Nearest-hit queries (camera rays and path segments).
        pub nearest: Vec<Ray>,
        /// Any-hit queries (shadow rays).
        pub shadow: Vec<Ray>,
    }

    #[derive(Default)]
    pub struct Recorder(Mutex<RayLog>);

    impl Recorder {
        pub(in crate::accel) fn nearest(&self, rays: &[Ray]) {
            self.lock().nearest.extend_from_slice(rays);
        }

        pub(in crate::accel) fn shadow(&self, rays: &[Ray]) {
            self.lock().shadow.extend_from_slice(rays);
        }

        fn lock(&self) -> MutexGuard<'_, RayLog> {
            // A panic elsewhere while holding the lock leaves a usable log.
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }
    }

    impl Accel {
        /// From now on, keeps every ray traced (see `RayLog`).
        pub fn record(&mut self) {
            self.recorder = Some(Recorder::default());
        }

        /// The rays traced since `record` (none if it was not called); the
        /// recording stops.
        pub fn take_log(&mut self) -> RayLog {
            let recorder = self.recorder.take().unwrap_or_default();
            recorder.0.into_inner().unwrap_or_else(|e| e.into_inner())
        }
    }
}
