//! The scene: `desc` mirrors the file (serde types), `load` reads and checks
//! it with errors that name the file, key path and line, `build` turns a
//! checked description into the runtime `World` that rendering uses (and
//! the observers); `room` checks that a node's ranks have the memory to
//! build it.
//!
//! ```
//! # use rsrender::scene::{build, load};
//! # fn usage(path: &std::path::Path, threads: usize) -> anyhow::Result<()> {
//! let loaded = load::load(path)?;
//! let (width, height) = (loaded.checked.width, loaded.checked.height);
//! let (world, observers) = build::build(loaded, (width, height), threads)?;
//! # Ok(()) }
//! ```

pub mod build;
pub mod desc;
pub mod load;
mod locate;
mod observers;
pub mod room;
pub mod runtime;
mod spectrum_desc;
pub mod validate;

pub use runtime::{Interaction, Scene, SceneMemory, SpectralScene, World};
