//! What rank 0 tells the user at the end: one summary line.

use crate::settings::Settings;
use std::time::Duration;

pub struct Summary<'a> {
    pub settings: &'a Settings,
    pub ranks: usize,
    pub threads: usize,
    pub wall: Duration,
    pub render_seconds: f64,
}

impl std::fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.settings;
        let samples = s.total_samples();
        let rate = samples as f64 / self.render_seconds.max(1e-9);
        write!(
            f,
            "rsrender: wrote {}: {}×{}, {} spp ({:.2} M samples), {} rank{} × {} thread{}, {:.2} s wall \
             (render {:.2} s), {:.3} M samples/s",
            s.output.display(),
            s.width,
            s.height,
            s.spp,
            samples as f64 / 1e6,
            self.ranks,
            if self.ranks == 1 { "" } else { "s" },
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.wall.as_secs_f64(),
            self.render_seconds,
            rate / 1e6
        )
    }
}
