//! Who renders what: the static partition of tiles over ranks, the one
//! function that computes pixels (`render_tile`), what threads share while
//! they render (`control`), and the per-rank engine that runs tiles on a
//! thread pool and moves results to rank 0; after the image, the observers'
//! tasks (`observe`), dealt out and summed the same way. `rsrender::run` assembles its
//! options; a test or a caller without MPI runs it on `comm::Serial`.
//!
//! ```
//! # use rsrender::{comm::Transport, render::engine, scene::World, settings::Settings};
//! # fn usage(world: &World, settings: &Settings, transport: &dyn Transport, options: engine::Options) -> anyhow::Result<()> {
//! let rendered = engine::render(world, settings, transport, options)?;
//! if let Some(film) = rendered.film { /* rank 0: the whole image */ }
//! # Ok(()) }
//! ```

pub mod control;
pub mod engine;
pub mod observe;
pub mod partition;
pub mod threads;
pub mod tile;
mod wire;
