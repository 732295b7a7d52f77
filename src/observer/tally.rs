//! What the observers measure, task by task: every detector's samples cut
//! into tasks of at most `TASK_SAMPLES` (the unit of work that joins the
//! image's tiles in the static partition), each task's sums of estimates and
//! their squares, and the `TaskBook` in which rank 0 keeps finished tasks
//! (also across a checkpoint) until it merges them, in task order, into
//! each detector's mean and standard error.

use super::{Measured, Observer};
use anyhow::{ensure, Result};
use bincode::{Decode, Encode};

/// Samples per task: small enough to balance thousands of ranks' work,
/// large enough that a task's bookkeeping is noise.
pub const TASK_SAMPLES: u32 = 4096;

/// Samples `first..first + count` of one detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task {
    pub observer: u32,
    pub detector: u32,
    pub first: u32,
    pub count: u32,
}

/// One task's sums, per channel, of the power estimates and their squares.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub struct TaskSums {
    pub task: u32,
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
    /// Time the task took (for `--stats`).
    pub seconds: f64,
}

/// Every observer's tasks, in order: by observer, detector, first sample.
pub fn tasks(observers: &[Observer]) -> Vec<Task> {
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

/// Rank 0's record of the observers' finished tasks.
pub struct TaskBook {
    tasks: Vec<Task>,
    placed: Vec<Option<TaskSums>>,
    done: usize,
}

impl TaskBook {
    pub fn new(tasks: Vec<Task>) -> TaskBook {
        TaskBook { placed: vec![None; tasks.len()], tasks, done: 0 }
    }

    /// Places a finished task; refuses one that does not exist or came twice.
    pub fn place(&mut self, sums: TaskSums) -> Result<()> {
        let count = self.tasks.len();
        let slot = self.placed.get_mut(sums.task as usize);
        ensure!(slot.is_some(), "observer task {} does not exist (there are {count})", sums.task);
        let slot = slot.expect("checked above");
        ensure!(slot.is_none(), "observer task {} arrived twice", sums.task);
        *slot = Some(sums);
        self.done += 1;
        Ok(())
    }

    pub fn done(&self) -> usize {
        self.done
    }

    pub fn is_complete(&self) -> bool {
        self.done == self.tasks.len()
    }

    /// The samples of the finished tasks.
    pub fn samples(&self) -> u64 {
        self.tasks.iter().zip(&self.placed).filter(|(_, p)| p.is_some()).map(|(t, _)| t.count as u64).sum()
    }

    /// Every finished task, in task order (for a checkpoint).
    pub fn finished(&self) -> Vec<TaskSums> {
        self.placed.iter().flatten().cloned().collect()
    }

    /// Each detector's measurement, by observer and detector: its tasks
    /// summed in task order (the book must be complete).
    pub fn measure(&self, observers: &[Observer]) -> Vec<Vec<Measured>> {
        let mut totals: Vec<Vec<(Vec<f64>, Vec<f64>)>> =
            observers.iter().map(|o| vec![(Vec::new(), Vec::new()); o.detectors.len()]).collect();
        for (t, s) in self.tasks.iter().zip(self.placed.iter().flatten()) {
            let (sum, sum_sq) = &mut totals[t.observer as usize][t.detector as usize];
            if sum.is_empty() {
                (*sum, *sum_sq) = (vec![0.0; s.sum.len()], vec![0.0; s.sum.len()]);
            }
            for c in 0..s.sum.len() {
                sum[c] += s.sum[c];
                sum_sq[c] += s.sum_sq[c];
            }
        }
        observers.iter().zip(totals).map(|(o, detectors)| measure_observer(o, detectors)).collect()
    }
}

/// Mean and standard error of the mean per detector and channel, from the
/// sums of its samples' estimates and their squares.
fn measure_observer(o: &Observer, detectors: Vec<(Vec<f64>, Vec<f64>)>) -> Vec<Measured> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Vec3;
    use crate::observer::Detector;

    fn observer(samples: u32) -> Observer {
        let line = Detector::SightLine { origin: Vec3::ZERO, direction: Vec3::Z };
        Observer {
            name: "a".into(),
            kind: "sight_line",
            power: false,
            samples,
            grid: None,
            detectors: vec![line.clone(), line],
        }
    }

    #[test]
    fn samples_are_cut_into_tasks_in_order() {
        let t = tasks(&[observer(10_000), observer(5)]);
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

    #[test]
    fn the_book_refuses_strays_and_repeats_and_merges_in_task_order() {
        let observers = [observer(8192)];
        let mut book = TaskBook::new(tasks(&observers));
        let sums = |task, v: f64| TaskSums { task, sum: vec![v; 3], sum_sq: vec![v * v; 3], seconds: 0.0 };
        assert!(book.place(sums(4, 1.0)).is_err());
        for (task, v) in [(3, 4.0), (0, 1.0), (2, 3.0)] {
            book.place(sums(task, v)).unwrap();
        }
        assert!(book.place(sums(2, 3.0)).is_err());
        assert!(!book.is_complete());
        assert_eq!(book.finished().iter().map(|s| s.task).collect::<Vec<_>>(), [0, 2, 3]);
        assert_eq!(book.samples(), 3 * 4096);
        book.place(sums(1, 2.0)).unwrap();
        let m = book.measure(&observers);
        assert_eq!(m[0][0].value, vec![3.0 / 8192.0; 3]);
        assert_eq!(m[0][1].value, vec![7.0 / 8192.0; 3]);
    }
}
