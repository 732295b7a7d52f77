//! Who renders what: the tile grid, the static partition of tiles over ranks,
//! the one function that computes pixels (`render_tile`), and the per-rank
//! engine that runs tiles on a thread pool and moves results to rank 0.
//!
//! Usage: `let film = render::engine::render(&scene, &settings, transport, threads)?;`

pub mod control;
pub mod engine;
pub mod partition;
pub mod threads;
pub mod tile;
mod wire;
