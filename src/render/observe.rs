//! Running one observer task: its samples in order, each from its own keyed
//! random stream (keyed apart from the image's pixels), traced like a
//! camera's and weighted by the detector's étendue. The tasks join the
//! image's tiles in the engine's static partition; `observer::tally` sums
//! them.

use super::control::Control;
use super::tile::trace;
use crate::integrator::Primary;
use crate::observer::tally::{Task, TaskSums};
use crate::observer::Observer;
use crate::sampler::SampleStream;
use crate::scene::World;
use crate::settings::Settings;

/// Random streams of observers are keyed apart from the image's pixels.
const OBSERVER_KEY: u64 = 1 << 63;

/// Every sample of task number `index`, summed in sample order; `None`
/// once `control` says stop (checked between samples).
pub fn run_task(
    world: &World,
    settings: &Settings,
    observers: &[Observer],
    (index, t): (u32, Task),
    control: &Control,
) -> Option<TaskSums> {
    let started = std::time::Instant::now();
    let detector = &observers[t.observer as usize].detectors[t.detector as usize];
    let channels = if world.bins() > 0 { world.bins() } else { 3 };
    let (mut sum, mut sum_sq) = (vec![0.0f64; channels], vec![0.0f64; channels]);
    let mut spectrum = vec![0.0f32; world.bins()];
    let key = OBSERVER_KEY | (t.observer as u64) << 32 | t.detector as u64;
    // Counted ahead, as a tile counts each pixel's (one shared atomic add
    // per task, not per sample).
    control.count_samples(t.count as u64);
    for s in t.first..t.first + t.count {
        if control.stopped() {
            return None;
        }
        let mut stream = SampleStream::new(settings.seed, key, s as u64);
        let (u_point, u_dir, u_choice) = (stream.next_2d(), stream.next_2d(), stream.next_1d());
        let Some((ray, weight)) = detector.sample(u_point, u_dir, u_choice) else {
            continue;
        };
        let rgb = trace(world, settings, &Primary { ray, hit: world.intersect(&ray) }, stream, &mut spectrum);
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
    Some(TaskSums { task: index, sum, sum_sq, seconds: started.elapsed().as_secs_f64() })
}
