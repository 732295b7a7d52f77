//! The scene: `desc` mirrors the file (serde types), `load` reads and checks
//! it with errors that name the file, key path and line, `build` turns a
//! checked description into the runtime `Scene` that rendering uses;
//! `room` checks that a node's ranks have the memory to build it.
//!
//! ```
//! # use rsrender::scene::{build, load};
//! # fn usage(path: &std::path::Path, threads: usize) -> anyhow::Result<()> {
//! let loaded = load::load(path)?;
//! let (width, height) = (loaded.desc.film.width as u32, loaded.desc.film.height as u32);
//! let scene = build::build(loaded, (width, height), threads)?;
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
