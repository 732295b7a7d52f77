//! The film: rank 0's picture of every pixel — mean radiance, sample count,
//! relative error and, on request, first-hit albedo and normal — updated as
//! tile results arrive, pass after pass. A `TileResult` is what travels
//! between threads and ranks.
//!
//! ```
//! # use rsrender::film::{tiles::TileGrid, Film, TileResult};
//! # fn usage(film: &mut Film, grid: &TileGrid, result: &TileResult) -> anyhow::Result<()> {
//! film.add(grid, result)?;
//! if film.is_complete() { /* write the image */ }
//! # Ok(()) }
//! ```

mod layers;
mod pixel;
pub mod tiles;

pub use layers::Layers;
pub use pixel::{is_converged, PixelAccum};

use anyhow::{ensure, Result};
use bincode::{Decode, Encode};
use std::ops::Range;
use tiles::TileGrid;

/// The state of every pixel of one tile after one pass, row by row.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub struct TileResult {
    pub tile: u32,
    /// 1 for the first pass.
    pub pass: u32,
    /// No pass will follow for this tile.
    pub done: bool,
    /// Time this pass took on its thread (for the timing report).
    pub seconds: f64,
    pub layers: Layers,
}

/// Full-image layers, rows top to bottom.
pub struct Film {
    pub width: u32,
    pub height: u32,
    pub layers: Layers,
    /// Per tile: the last pass received (0: none yet) and whether it is done.
    last_pass: Vec<u32>,
    done: Vec<bool>,
    tiles_done: usize,
}

impl Film {
    /// `bins`: spectral bins per pixel (0 in RGB mode).
    pub fn new(grid: &TileGrid, with_guides: bool, bins: usize) -> Film {
        let pixels = grid.width as usize * grid.height as usize;
        Film {
            width: grid.width,
            height: grid.height,
            layers: Layers::zeroed(pixels, with_guides, bins),
            last_pass: vec![0; grid.count() as usize],
            done: vec![false; grid.count() as usize],
            tiles_done: 0,
        }
    }

    /// Places a tile's newest pass; refuses tiles that do not fit, passes that
    /// go backwards, and anything after a tile's last pass.
    pub fn add(&mut self, grid: &TileGrid, r: &TileResult) -> Result<()> {
        ensure!(r.tile < grid.count(), "tile {} does not exist (the image has {} tiles)", r.tile, grid.count());
        let t = r.tile as usize;
        ensure!(!self.done[t], "tile {} sent pass {} after its last pass", r.tile, r.pass);
        ensure!(r.pass > self.last_pass[t], "tile {} sent pass {} after pass {}", r.tile, r.pass, self.last_pass[t]);
        let n = grid.tile(r.tile).pixel_count();
        ensure!(
            r.layers.holds(n, self.layers.has_guides(), self.layers.bins()),
            "tile {} has the wrong number of values for its {n} pixels",
            r.tile
        );
        for (film, tile) in row_spans(grid, r.tile, self.width) {
            self.layers.copy(film.start, &r.layers, tile);
        }
        self.last_pass[t] = r.pass;
        if r.done {
            self.done[t] = true;
            self.tiles_done += 1;
        }
        Ok(())
    }

    /// Every finished tile as the result that made it, for a checkpoint.
    pub fn finished_tiles(&self, grid: &TileGrid) -> Vec<TileResult> {
        let finished = (0..grid.count()).filter(|&t| self.done[t as usize]);
        finished
            .map(|t| {
                let mut layers = Layers::default();
                for (film, _) in row_spans(grid, t, self.width) {
                    layers.extend(&self.layers, film);
                }
                TileResult { tile: t, pass: self.last_pass[t as usize], done: true, seconds: 0.0, layers }
            })
            .collect()
    }

    pub fn tiles_done(&self) -> usize {
        self.tiles_done
    }

    /// Every tile has sent its last pass.
    pub fn is_complete(&self) -> bool {
        self.tiles_done == self.done.len()
    }

    /// The number of passes every tile has finished (a tile that stopped
    /// early has finished them all).
    pub fn completed_passes(&self) -> u32 {
        let open = self.last_pass.iter().zip(&self.done).filter(|(_, &d)| !d).map(|(&p, _)| p).min();
        open.unwrap_or_else(|| self.last_pass.iter().copied().max().unwrap_or(0))
    }

    pub fn total_samples(&self) -> u64 {
        self.layers.samples.iter().map(|&n| n as u64).sum()
    }
}

/// For each row of a tile: the pixel range in the film and in the tile.
fn row_spans(grid: &TileGrid, tile: u32, width: u32) -> impl Iterator<Item = (Range<usize>, Range<usize>)> {
    let tile = grid.tile(tile);
    let row = (tile.x1 - tile.x0) as usize;
    (tile.y0..tile.y1).enumerate().map(move |(k, y)| {
        let start = y as usize * width as usize + tile.x0 as usize;
        (start..start + row, k * row..(k + 1) * row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(tile: u32, pass: u32, done: bool, n: usize) -> TileResult {
        TileResult {
            tile,
            pass,
            done,
            seconds: 0.0,
            layers: Layers {
                rgb: vec![pass as f32; n * 3],
                samples: vec![pass * 4; n],
                relative_error: vec![0.5; n],
                ..Layers::default()
            },
        }
    }

    #[test]
    fn passes_replace_tiles_and_completion_is_tracked() {
        let grid = TileGrid::new(4, 2, 2); // two 2×2 tiles
        let mut film = Film::new(&grid, false, 0);
        film.add(&grid, &result(0, 1, false, 4)).unwrap();
        assert_eq!(film.completed_passes(), 0);
        film.add(&grid, &result(1, 1, true, 4)).unwrap();
        assert_eq!(film.completed_passes(), 1);
        film.add(&grid, &result(0, 2, false, 4)).unwrap();
        film.add(&grid, &result(0, 3, true, 4)).unwrap();
        assert!(film.is_complete());
        assert_eq!(film.completed_passes(), 3);
        assert_eq!(film.total_samples(), 4 * 12 + 4 * 4);
        assert_eq!(&film.layers.rgb[..6], &[3.0, 3.0, 3.0, 3.0, 3.0, 3.0]);
        assert!(film.add(&grid, &result(0, 4, true, 4)).is_err(), "nothing after the last pass");
        // What a checkpoint stores refills a fresh film identically.
        let mut again = Film::new(&grid, false, 0);
        for r in film.finished_tiles(&grid) {
            again.add(&grid, &r).unwrap();
        }
        assert_eq!(again.layers, film.layers);
        let mut film = Film::new(&grid, false, 0);
        film.add(&grid, &result(0, 2, false, 4)).unwrap();
        assert!(film.add(&grid, &result(0, 1, false, 4)).is_err(), "passes only go forward");
        assert!(film.add(&grid, &result(1, 1, false, 3)).is_err(), "wrong size");
    }
}
