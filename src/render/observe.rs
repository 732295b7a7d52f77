//! The observers' work: every detector's samples cut into tasks of at most
//! `TASK_SAMPLES`, dealt round-robin over the ranks (a pure function of the
//! task list, like the tiles), run on each rank's threads, and summed on
//! rank 0 in task order. Each sample's random numbers come from its own
//! key, and every sum runs in sample order within a task and in task order
//! across tasks, so results are bit-identical for any rank or thread count.

use super::tile::trace;
use super::wire::{self, Message};
use crate::comm::Transport;
use crate::observer::{Measured, Observer};
use crate::sampler::SampleStream;
use crate::scene::World;
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use bincode::{Decode, Encode};
use rayon::prelude::*;
use std::time::Duration;

/// Samples per task: small enough to balance thousands of ranks' work,
/// large enough that a task's bookkeeping is noise.
pub const TASK_SAMPLES: u32 = 4096;

/// Random streams of observers are keyed apart from the image's pixels.
const OBSERVER_KEY: u64 = 1 << 63;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Task {
    observer: u32,
    detector: u32,
    first: u32,
    count: u32,
}

/// One task's sums, per channel, of the power estimates and their squares.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub struct TaskSums {
    pub task: u32,
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
}

fn tasks(observers: &[Observer]) -> Vec<Task> {
    let mut out = Vec::new();
    for (o, obs) in observers.iter().enumerate() {
        for d in 0..obs.detectors.len() as u32 {
            for first in (0..obs.samples).step_by(TASK_SAMPLES as usize) {
                let count = TASK_SAMPLES.min(obs.samples - first);
                out.push(Task { observer: o as u32, detector: d, first, count });
            }
        }
    }
    out
}

/// Runs this rank's share of the observers' tasks; rank 0 returns every
/// detector's measurement, by observer and detector, the others `None`.
pub fn observe(
    world: &World,
    settings: &Settings,
    observers: &[Observer],
    transport: &dyn Transport,
    threads: usize,
) -> Result<Option<Vec<Vec<Measured>>>> {
    let all = tasks(observers);
    let (rank, size) = (transport.rank(), transport.size());
    let mine: Vec<(u32, Task)> = all.iter().enumerate().skip(rank).step_by(size).map(|(i, t)| (i as u32, *t)).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start the threads")?;
    let sums: Vec<TaskSums> = pool.install(|| {
        mine.par_iter().map(|&(i, t)| run_task(world, settings, &observers[t.observer as usize], i, t)).collect()
    });
    crate::comm::abort_if_a_thread_failed();
    if rank != 0 {
        transport.send_to_root(&wire::encode(&Message::Observed(sums)));
        return Ok(None);
    }
    let mut placed: Vec<Option<TaskSums>> = vec![None; all.len()];
    let mut place = |s: TaskSums| -> Result<()> {
        match placed.get_mut(s.task as usize) {
            Some(slot @ None) => *slot = Some(s),
            _ => bail!("an observer task arrived twice or does not exist ({})", s.task),
        }
        Ok(())
    };
    for s in sums {
        place(s)?;
    }
    let mut waiting = size - 1;
    while waiting > 0 {
        crate::comm::abort_if_a_thread_failed();
        match transport.poll() {
            Some((from, bytes)) => match wire::decode(&bytes).with_context(|| format!("from rank {from}"))? {
                Message::Observed(sums) => {
                    for s in sums {
                        place(s)?;
                    }
                    waiting -= 1;
                }
                _ => bail!("rank {from} sent an image message while observers were being collected"),
            },
            None => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    Ok(Some(merge(observers, &all, placed)))
}

/// Every sample of one task, summed in sample order.
fn run_task(world: &World, settings: &Settings, observer: &Observer, index: u32, t: Task) -> TaskSums {
    let detector = &observer.detectors[t.detector as usize];
    let channels = if world.bins() > 0 { world.bins() } else { 3 };
    let (mut sum, mut sum_sq) = (vec![0.0f64; channels], vec![0.0f64; channels]);
    let mut spectrum = vec![0.0f32; world.bins()];
    let key = OBSERVER_KEY | (t.observer as u64) << 32 | t.detector as u64;
    for s in t.first..t.first + t.count {
        let mut stream = SampleStream::new(settings.seed, key, s as u64);
        let (u_point, u_dir, u_choice) = (stream.next_2d(), stream.next_2d(), stream.next_1d());
        let Some((ray, weight)) = detector.sample(u_point, u_dir, u_choice) else {
            continue;
        };
        let rgb = trace(world, settings, ray, stream, &mut spectrum);
        let values: &[f32] = if spectrum.is_empty() { &rgb.to_array() } else { &spectrum };
        // A sample gone numerically wrong counts as black, as in the image.
        if values.iter().all(|v| v.is_finite()) {
            for (c, &v) in values.iter().enumerate() {
                let p = weight as f64 * v as f64;
                sum[c] += p;
                sum_sq[c] += p * p;
            }
        }
    }
    TaskSums { task: index, sum, sum_sq }
}

/// Sums each detector's tasks in task order into its measurement.
fn merge(observers: &[Observer], all: &[Task], placed: Vec<Option<TaskSums>>) -> Vec<Vec<Measured>> {
    let mut totals: Vec<Vec<(Vec<f64>, Vec<f64>)>> =
        observers.iter().map(|o| vec![(Vec::new(), Vec::new()); o.detectors.len()]).collect();
    for (t, s) in all.iter().zip(placed.into_iter().flatten()) {
        let (sum, sum_sq) = &mut totals[t.observer as usize][t.detector as usize];
        if sum.is_empty() {
            (*sum, *sum_sq) = (vec![0.0; s.sum.len()], vec![0.0; s.sum.len()]);
        }
        for c in 0..s.sum.len() {
            sum[c] += s.sum[c];
            sum_sq[c] += s.sum_sq[c];
        }
    }
    observers
        .iter()
        .zip(totals)
        .map(|(o, detectors)| {
            let n = o.samples as f64;
            detectors
                .into_iter()
                .zip(&o.detectors)
                .map(|((sum, sum_sq), d)| {
                    // Radiance: power over étendue (a sight line's weight is 1).
                    let scale = if o.power { 1.0 } else { 1.0 / d.etendue().unwrap_or(1.0) };
                    let value = sum.iter().map(|s| s / n * scale).collect();
                    let stderr = sum
                        .iter()
                        .zip(&sum_sq)
                        .map(|(s, q)| {
                            let variance = if n > 1.0 { ((q - s * s / n) / (n - 1.0)).max(0.0) } else { 0.0 };
                            (variance / n).sqrt() * scale
                        })
                        .collect();
                    Measured { value, stderr }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Vec3;
    use crate::observer::Detector;

    #[test]
    fn samples_are_cut_into_tasks_in_order() {
        let line = Detector::SightLine { origin: Vec3::ZERO, direction: Vec3::Z };
        let o = |samples| Observer {
            name: "a".into(),
            kind: "sight_line",
            power: false,
            samples,
            grid: None,
            detectors: vec![line.clone(), line.clone()],
        };
        let t = tasks(&[o(10_000), o(5)]);
        let counts: Vec<(u32, u32, u32, u32)> = t.iter().map(|t| (t.observer, t.detector, t.first, t.count)).collect();
        assert_eq!(
            counts,
            [
                (0, 0, 0, 4096),
                (0, 0, 4096, 4096),
                (0, 0, 8192, 1808),
                (0, 1, 0, 4096),
                (0, 1, 4096, 4096),
                (0, 1, 8192, 1808),
                (1, 0, 0, 5),
                (1, 1, 0, 5)
            ]
        );
    }
}
