//! The film: per-pixel results of finished tiles, assembled on rank 0. A
//! `TileResult` is what travels between threads and ranks.
//!
//! Usage: `film.add(&grid, &result)?; let rgb = film.pixels();`

use crate::render::tiles::TileGrid;
use anyhow::{ensure, Result};
use bincode::{Decode, Encode};

/// The mean radiance of every pixel of one tile, row by row, RGB interleaved.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub struct TileResult {
    pub tile: u32,
    pub rgb: Vec<f32>,
}

pub struct Film {
    pub width: u32,
    pub height: u32,
    rgb: Vec<f32>,
    received: Vec<bool>,
    missing: usize,
}

impl Film {
    pub fn new(grid: &TileGrid) -> Film {
        Film {
            width: grid.width,
            height: grid.height,
            rgb: vec![0.0; grid.width as usize * grid.height as usize * 3],
            received: vec![false; grid.count() as usize],
            missing: grid.count() as usize,
        }
    }

    /// Places a finished tile; refuses tiles that do not fit or came twice.
    pub fn add(&mut self, grid: &TileGrid, r: &TileResult) -> Result<()> {
        ensure!(r.tile < grid.count(), "tile {} does not exist (the image has {} tiles)", r.tile, grid.count());
        let tile = grid.tile(r.tile);
        ensure!(
            r.rgb.len() == tile.pixel_count() * 3,
            "tile {} has {} values, expected {}",
            r.tile,
            r.rgb.len(),
            tile.pixel_count() * 3
        );
        ensure!(!self.received[r.tile as usize], "tile {} arrived twice", r.tile);
        self.received[r.tile as usize] = true;
        self.missing -= 1;
        let row_len = (tile.x1 - tile.x0) as usize * 3;
        for (k, y) in (tile.y0..tile.y1).enumerate() {
            let start = (y as usize * self.width as usize + tile.x0 as usize) * 3;
            self.rgb[start..start + row_len].copy_from_slice(&r.rgb[k * row_len..(k + 1) * row_len]);
        }
        Ok(())
    }

    pub fn is_complete(&self) -> bool {
        self.missing == 0
    }

    /// Linear RGB, rows top to bottom.
    pub fn pixels(&self) -> &[f32] {
        &self.rgb
    }
}
