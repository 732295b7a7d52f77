//! The tile grid: the image cut into squares of `tile_size` pixels (smaller at
//! the right and bottom edges), numbered row by row; and the tile edge chosen
//! for a job when the user gives none.

/// Smallest and largest edge the automatic choice uses: below 8 px the
/// per-tile overhead shows, above 32 px no job gains.
pub const MIN_AUTO_TILE: u32 = 8;
pub const MAX_AUTO_TILE: u32 = 32;
/// Tiles every rank should get at least (docs/scaling.md: the static
/// partition's efficiency is 87–90% at 64 tiles per rank and 94% at 256).
/// Mitsuba's box, 128² on 2 ranks at 512 spp: 64 per rank (11 px) left the
/// ranks' times 1.017–1.026 apart, 128 (8 px) 1.002–1.016 ...
pub const TILES_PER_RANK: u64 = 128;
/// ... and at least this many per rendering thread, so that a rank's
/// threads finish together: the last tile a thread takes leaves the others
/// idle for up to a tile. On one rank × 2 threads, 128² at 512 spp, 64
/// tiles of 18 px rendered in 2.21–2.22 s and 144 of 11 px in 2.18–2.19 s
/// (one thread: 4.29–4.34 s), with no cost on one thread (2.18–2.19 s at
/// 256 spp with either edge).
pub const TILES_PER_THREAD: u64 = 64;

/// The ranks and threads a job renders with (threads: the most any rank has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workers {
    pub ranks: usize,
    pub threads: usize,
}

/// Where the tile edge came from, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileChoice {
    /// `--tile-size` or `render.tile_size`.
    Given,
    /// The interrupted run's, from its checkpoint.
    Checkpoint,
    /// Chosen for the job's workers (`auto_tile_size`).
    Auto,
}

/// The largest edge in 8..=32 px that gives every rank at least
/// `TILES_PER_RANK` tiles and every thread `TILES_PER_THREAD`; 8 px when the
/// image is too small for that. Adaptive sampling always takes 8 px: once
/// converged regions drop out, small tiles share what is left evenly
/// (measured on 4 ranks: imbalance 1.10 with 32 px, 1.01 with 8 px).
pub fn auto_tile_size(width: u32, height: u32, workers: Workers, adaptive: bool) -> u32 {
    if adaptive {
        return MIN_AUTO_TILE;
    }
    let ranks = workers.ranks.max(1) as u64;
    let wanted = ranks * TILES_PER_RANK.max(TILES_PER_THREAD * workers.threads.max(1) as u64);
    (MIN_AUTO_TILE..=MAX_AUTO_TILE)
        .rev()
        .find(|&s| TileGrid::new(width, height, s).count() as u64 >= wanted)
        .unwrap_or(MIN_AUTO_TILE)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    pub id: u32,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl Tile {
    pub fn pixel_count(&self) -> usize {
        (self.x1 - self.x0) as usize * (self.y1 - self.y0) as usize
    }
}

#[derive(Clone, Copy, Debug)]
pub struct TileGrid {
    pub width: u32,
    pub height: u32,
    pub size: u32,
    pub cols: u32,
    pub rows: u32,
}

impl TileGrid {
    pub fn new(width: u32, height: u32, size: u32) -> TileGrid {
        let size = size.max(1);
        TileGrid { width, height, size, cols: width.div_ceil(size), rows: height.div_ceil(size) }
    }

    pub fn count(&self) -> u32 {
        self.cols * self.rows
    }

    pub fn tile(&self, id: u32) -> Tile {
        let (tx, ty) = (id % self.cols, id / self.cols);
        let (x0, y0) = (tx * self.size, ty * self.size);
        Tile { id, x0, y0, x1: (x0 + self.size).min(self.width), y1: (y0 + self.size).min(self.height) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_every_pixel_once() {
        let g = TileGrid::new(70, 33, 16);
        let mut seen = vec![0u8; 70 * 33];
        for id in 0..g.count() {
            let t = g.tile(id);
            for y in t.y0..t.y1 {
                for x in t.x0..t.x1 {
                    seen[(y * 70 + x) as usize] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
    }

    #[test]
    fn auto_size_gives_every_rank_128_tiles_where_the_image_allows() {
        let job = |ranks, threads| Workers { ranks, threads };
        // 256² on 3 ranks wants 384 tiles: 13 px gives 20² = 400, and
        // 14 px only 19² = 361.
        assert_eq!(auto_tile_size(256, 256, job(3, 1), false), 13);
        // 128² on 3 ranks (issue 9's example) cannot have 384: 8 px, 256.
        assert_eq!(auto_tile_size(128, 128, job(3, 1), false), MIN_AUTO_TILE);
        // 1024² on one rank with 2 threads: 32 px already gives 1024 tiles.
        assert_eq!(auto_tile_size(1024, 1024, job(1, 2), false), 32);
        for (w, h, ranks, threads) in [(640, 480, 4, 2), (1920, 1080, 16, 8), (300, 200, 2, 16)] {
            let s = auto_tile_size(w, h, job(ranks, threads), false);
            let tiles = TileGrid::new(w, h, s).count() as u64;
            let wanted = ranks as u64 * TILES_PER_RANK.max(TILES_PER_THREAD * threads as u64);
            assert!(tiles >= wanted || s == MIN_AUTO_TILE, "{w}x{h} on {ranks}x{threads}: {s} px, {tiles} tiles");
            assert!(s == MAX_AUTO_TILE || (TileGrid::new(w, h, s + 1).count() as u64) < wanted, "not the largest");
        }
        // A tiny image: never below 8 px.
        assert_eq!(auto_tile_size(16, 16, job(64, 4), false), MIN_AUTO_TILE);
        assert_eq!(auto_tile_size(4096, 4096, job(1, 1), true), MIN_AUTO_TILE);
    }
}
