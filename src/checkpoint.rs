//! Checkpoints: the finished tiles and observer tasks of an interrupted
//! render, written by rank 0 to `Settings::checkpoint` (`<output>.ckpt`, or
//! `<observers output>.ckpt` without a camera), atomically, every
//! `--checkpoint-interval` seconds and when the job is told to stop.
//! `--resume` reads it on every rank; the work left is dealt over however
//! many ranks the new job has, and since every tile and task is a pure
//! function of the scene, the final image and measurements are those an
//! uninterrupted run gives. A checkpoint of another scene, other settings,
//! another version of rsrender, or with damaged bytes is refused.
//!
//! The tile grid is not part of the key: the checkpoint records its tile
//! edge, and a resumed job takes it (an image does not depend on the tile
//! size, but the finished tiles must keep their shape).
//!
//! File: magic, then bincode of (key, tile edge, tiles, tasks), then a 64-bit
//! hash of all that.

use crate::film::tiles::TileGrid;
use crate::film::{Film, TileResult};
use crate::hash::hash_bytes;
use crate::observer::tally::{TaskBook, TaskSums};
use crate::settings::Settings;
use anyhow::{bail, ensure, Context, Result};
use bincode::{Decode, Encode};
use std::path::Path;

const MAGIC: &[u8; 8] = b"RSRCKPT4";

/// What a checkpoint must match to be resumed.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Key {
    pub version: String,
    pub scene_hash: u64,
    /// Hash of every setting that changes pixels.
    pub settings_hash: u64,
}

impl Key {
    pub fn new(scene_hash: u64, settings: &Settings) -> Key {
        let s = settings;
        let pixels = format!(
            "{}x{} spp{} seed{} depth{} rr{} {:?} {:?} {:?} guides{} bins{}",
            s.width,
            s.height,
            s.spp,
            s.seed,
            s.max_depth,
            s.rr_depth,
            s.integrator,
            s.strategy,
            s.adaptive,
            s.wants_guides(),
            s.bins()
        );
        Key { version: env!("CARGO_PKG_VERSION").into(), scene_hash, settings_hash: hash_bytes(pixels.as_bytes()) }
    }
}

/// What a matching checkpoint holds.
#[derive(Default)]
pub struct Resumed {
    /// The tile edge of the interrupted run.
    pub tile_size: u32,
    pub tiles: Vec<TileResult>,
    pub tasks: Vec<TaskSums>,
}

/// Saves the finished tiles of `film` and the finished tasks of `book`.
pub fn write(path: &Path, key: &Key, (film, grid): (&Film, &TileGrid), book: &TaskBook) -> Result<()> {
    let tiles = film.finished_tiles(grid);
    let mut bytes = MAGIC.to_vec();
    let body = (key, grid.size, tiles, book.finished());
    bincode::encode_into_std_write(body, &mut bytes, bincode::config::standard())?;
    let sum = hash_bytes(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    crate::output::write_atomically(path, |tmp| Ok(std::fs::write(tmp, &bytes)?))
        .with_context(|| format!("cannot write checkpoint {}", path.display()))
}

/// The finished tiles and tasks of a checkpoint that matches `key`.
pub fn read(path: &Path, key: &Key) -> Result<Resumed> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read checkpoint {}", path.display()))?;
    let refuse = |why: &str| anyhow::anyhow!("checkpoint {} refused: {why}", path.display());
    if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(refuse("not an rsrender checkpoint"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if hash_bytes(body).to_le_bytes() != sum {
        return Err(refuse("it is damaged (checksum mismatch: truncated or altered)"));
    }
    type Body = (Key, u32, Vec<TileResult>, Vec<TaskSums>);
    let ((found, tile_size, tiles, tasks), used): (Body, usize) =
        bincode::decode_from_slice(&body[MAGIC.len()..], bincode::config::standard())
            .map_err(|e| refuse(&format!("undecodable ({e})")))?;
    ensure!(used == body.len() - MAGIC.len(), refuse("trailing bytes"));
    if found.version != key.version {
        bail!(refuse(&format!("written by rsrender {}, this is {}", found.version, key.version)));
    }
    if found.scene_hash != key.scene_hash {
        bail!(refuse("it belongs to another scene (the scene file changed)"));
    }
    if found.settings_hash != key.settings_hash {
        bail!(refuse("it was made with other settings (size, spp, seed, depth, integrator, adaptive or guide layers)"));
    }
    Ok(Resumed { tile_size, tiles, tasks })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::film::{tiles::TileGrid, Layers};
    use crate::math::Vec3;

    #[test]
    fn a_spectral_films_tiles_and_finished_tasks_come_back_bin_for_bin() {
        let grid = TileGrid::new(4, 2, 2);
        let mut film = Film::new(&grid, false, 3);
        let mut layers = Layers::zeroed(4, false, 3);
        layers.spectrum = (0..12).map(|i| i as f32 * 0.5).collect();
        layers.samples = vec![7; 4];
        let tile = TileResult { tile: 1, pass: 1, done: true, seconds: 0.0, layers };
        film.add(&grid, &tile).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.ckpt");
        let key = Key { version: "v".into(), scene_hash: 1, settings_hash: 2 };
        let observers = [crate::observer::Observer {
            name: "line".into(),
            kind: "sight_line",
            power: false,
            samples: 3 * crate::observer::tally::TASK_SAMPLES,
            grid: None,
            detectors: vec![crate::observer::Detector::SightLine { origin: Vec3::ZERO, direction: Vec3::Z }],
        }];
        let mut book = TaskBook::new(crate::observer::tally::tasks(&observers));
        let task = TaskSums { task: 1, sum: vec![0.5, 2.0, 3.0], sum_sq: vec![1.0; 3], seconds: 0.1 };
        book.place(task.clone()).unwrap();
        write(&path, &key, (&film, &grid), &book).unwrap();
        let resumed = read(&path, &key).unwrap();
        assert_eq!(resumed.tiles.len(), 1);
        assert_eq!(resumed.tiles[0].layers.spectrum, tile.layers.spectrum);
        assert_eq!(resumed.tasks, [task]);
    }
}
