//! Who renders what: the static partition of tiles and observer tasks over
//! ranks, the one function that computes pixels (`render_tile`) and the one
//! that runs an observer task (`observe`), what threads share while they
//! render (`control`), and the per-rank engine that runs both on a thread
//! pool and moves results to rank 0. `rsrender::run` assembles its options;
//! a test or a caller without MPI runs it on `comm::Serial`.
//!
//! ```
//! # use rsrender::{comm::Transport, render::engine, scene::World, settings::Settings};
//! # fn usage(world: &World, settings: &Settings, transport: &dyn Transport, options: engine::Options) -> anyhow::Result<()> {
//! let rendered = engine::render(world, settings, transport, options)?;
//! if let Some(collected) = rendered.collected { /* rank 0: the image and the observers' tasks */ }
//! # Ok(()) }
//! ```

pub mod control;
pub mod engine;
pub mod observe;
pub mod partition;
pub mod threads;
pub mod tile;
mod wire;
