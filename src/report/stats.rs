//! Where the time went: named phases per rank (read, agree, build, render,
//! send, receive, write), each tile's render time, and what follows from them
//! (imbalance, communication share, samples/s). Ranks above 0 send their
//! figures to rank 0 with their last message; rank 0 prints a short report
//! and, with `--stats FILE`, writes everything as JSON.

use crate::scene::SceneMemory;
use bincode::{Decode, Encode};
use serde_json::{json, Value};

/// Named intervals of one rank, in the order first seen.
#[derive(Clone, Debug, Default, PartialEq, Encode, Decode)]
pub struct Phases(Vec<(String, f64)>);

impl Phases {
    pub fn add(&mut self, name: &str, seconds: f64) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, s)) => *s += seconds,
            None => self.0.push((name.to_string(), seconds)),
        }
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|&(_, s)| s)
    }

    /// Runs `f`, adding its duration to phase `name`.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let value = f();
        self.add(name, start.elapsed().as_secs_f64());
        value
    }
}

/// One rank's figures.
#[derive(Clone, Debug, Default, PartialEq, Encode, Decode)]
pub struct RankReport {
    pub rank: u32,
    pub host: String,
    pub threads: u32,
    /// CPU time of all its threads while rendering.
    pub cpu_seconds: f64,
    pub phases: Phases,
    /// The most resident memory the rank had, at the end of rendering.
    pub peak_rss_bytes: u64,
    pub scene: SceneMemory,
}

/// How long one tile (all its passes) or observer task took, and who did it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileTime {
    pub id: u32,
    pub rank: u32,
    pub seconds: f64,
}

pub struct Stats {
    pub reports: Vec<RankReport>,
    pub tiles: Vec<TileTime>,
    pub tasks: Vec<TileTime>,
    pub wall_seconds: f64,
    /// Samples this run took.
    pub samples: u64,
    /// The tile grid: columns, rows, tile edge (for tools that replay the
    /// partition, such as scripts/predict_scaling.py).
    pub grid: (u32, u32, u32),
}

/// The phases of the report, in order; `receive` and `write` are rank 0's.
const PHASES: [&str; 7] = ["read", "agree", "build", "render", "send", "receive", "write"];

impl Stats {
    fn phase(&self, name: &str) -> Vec<f64> {
        self.reports.iter().filter_map(|r| r.phases.get(name)).collect()
    }

    pub fn render_seconds(&self) -> f64 {
        self.phase("render").into_iter().fold(0.0, f64::max)
    }

    /// The slowest rank's render time over the mean.
    pub fn imbalance(&self) -> f64 {
        imbalance(&self.phase("render"))
    }

    /// The same from CPU time: meaningful when ranks share cores.
    pub fn cpu_imbalance(&self) -> f64 {
        imbalance(&self.reports.iter().map(|r| r.cpu_seconds).collect::<Vec<_>>())
    }

    /// Share of rank 0's wall time spent communicating (agreeing on the
    /// scene, receiving and placing other ranks' tiles).
    pub fn comm_share(&self) -> f64 {
        let rank0 = &self.reports[0].phases;
        (rank0.get("agree").unwrap_or(0.0) + rank0.get("receive").unwrap_or(0.0)) / self.wall_seconds.max(1e-9)
    }

    pub fn samples_per_second(&self) -> f64 {
        self.samples as f64 / self.render_seconds().max(1e-9)
    }

    /// A few lines: each phase's min / mean / max over ranks, then the ratios.
    pub fn short_report(&self) -> String {
        let mut out = format!(
            "rsrender: {:<8} {:>9} {:>9} {:>9}  seconds over {} ranks\n",
            "phase",
            "min",
            "mean",
            "max",
            self.reports.len()
        );
        for name in PHASES {
            let v = self.phase(name);
            if v.is_empty() {
                continue;
            }
            let (min, max) = (v.iter().cloned().fold(f64::INFINITY, f64::min), v.iter().cloned().fold(0.0, f64::max));
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            out += &format!("rsrender: {name:<8} {min:>9.3} {mean:>9.3} {max:>9.3}\n");
        }
        let ranks = self.reports.len() as f64;
        out += &format!(
            "rsrender: imbalance {:.3} (CPU time {:.3}), communication {:.2}% of rank 0's wall time, \
             {:.3} M samples/s per rank, {:.3} M samples/s in all",
            self.imbalance(),
            self.cpu_imbalance(),
            self.comm_share() * 100.0,
            self.samples_per_second() / ranks / 1e6,
            self.samples_per_second() / 1e6
        );
        let peak = self.reports.iter().map(|r| r.peak_rss_bytes).max().unwrap_or(0);
        let total: u64 = self.reports.iter().map(|r| r.peak_rss_bytes).sum();
        let m = self.reports[0].scene;
        out += &format!(
            "\nrsrender: memory: peak resident {} per rank at most, {} over all ranks; scene {} triangles \
             ({} placed): geometry {} + BVH {}, {:.1} bytes per triangle; textures {}",
            mib(peak),
            mib(total),
            m.triangles,
            m.instanced_triangles,
            mib(m.geometry_bytes),
            mib(m.accel_bytes),
            m.bytes_per_triangle(),
            mib(m.texture_bytes)
        );
        out
    }

    pub fn to_json(&self) -> Value {
        let ranks: Vec<Value> = self
            .reports
            .iter()
            .map(|r| {
                let phases: serde_json::Map<String, Value> =
                    r.phases.0.iter().map(|(n, s)| (n.clone(), json!(s))).collect();
                let of_rank = |times: &[TileTime]| -> Vec<Value> {
                    let mine = times.iter().filter(|t| t.rank == r.rank);
                    mine.map(|t| json!({ "id": t.id, "seconds": t.seconds })).collect()
                };
                json!({
                    "rank": r.rank,
                    "host": r.host,
                    "threads": r.threads,
                    "cpu_seconds": r.cpu_seconds,
                    "peak_rss_bytes": r.peak_rss_bytes,
                    "scene": {
                        "triangles": r.scene.triangles,
                        "instanced_triangles": r.scene.instanced_triangles,
                        "geometry_bytes": r.scene.geometry_bytes,
                        "accel_bytes": r.scene.accel_bytes,
                        "texture_bytes": r.scene.texture_bytes,
                        "bytes_per_triangle": r.scene.bytes_per_triangle(),
                    },
                    "phases": phases,
                    "tiles": of_rank(&self.tiles),
                    "tasks": of_rank(&self.tasks),
                })
            })
            .collect();
        json!({
            "wall_seconds": self.wall_seconds,
            "render_seconds": self.render_seconds(),
            "samples": self.samples,
            "samples_per_second": self.samples_per_second(),
            "imbalance": self.imbalance(),
            "cpu_imbalance": self.cpu_imbalance(),
            "comm_share": self.comm_share(),
            "grid": { "cols": self.grid.0, "rows": self.grid.1, "tile_size": self.grid.2 },
            "ranks": ranks,
        })
    }
}

/// The slowest over the mean (1 is perfect balance).
pub fn imbalance(seconds: &[f64]) -> f64 {
    let mean = seconds.iter().sum::<f64>() / seconds.len().max(1) as f64;
    let max = seconds.iter().cloned().fold(0.0, f64::max);
    if mean > 0.0 {
        max / mean
    } else {
        1.0
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// This machine's name, for the report.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(rank: u32, phases: &[(&str, f64)]) -> RankReport {
        let mut p = Phases::default();
        for (n, s) in phases {
            p.add(n, *s);
        }
        RankReport { rank, host: "h".into(), threads: 1, cpu_seconds: 1.0, phases: p, ..Default::default() }
    }

    #[test]
    fn ratios_and_json_fields() {
        let stats = Stats {
            reports: vec![rank(0, &[("render", 3.0), ("receive", 0.1), ("agree", 0.1)]), rank(1, &[("render", 1.0)])],
            tiles: vec![TileTime { id: 0, rank: 1, seconds: 0.5 }],
            tasks: vec![TileTime { id: 3, rank: 0, seconds: 0.25 }],
            wall_seconds: 4.0,
            samples: 600,
            grid: (1, 1, 32),
        };
        assert_eq!(stats.imbalance(), 1.5);
        assert!((stats.comm_share() - 0.05).abs() < 1e-12);
        assert_eq!(stats.samples_per_second(), 200.0);
        let j = stats.to_json();
        for key in ["wall_seconds", "samples_per_second", "imbalance", "comm_share"] {
            assert!(j[key].is_number(), "{key}");
        }
        assert_eq!(j["ranks"][1]["tiles"][0]["id"], 0);
        assert_eq!(j["ranks"][0]["tasks"][0]["id"], 3);
        assert_eq!(j["ranks"][1]["tasks"].as_array().map(Vec::len), Some(0));
        assert_eq!(j["ranks"][0]["phases"]["render"], 3.0);
        assert!(stats.short_report().contains("render"));
    }
}
