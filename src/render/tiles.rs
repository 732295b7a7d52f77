//! The tile grid: the image cut into squares of `tile_size` pixels (smaller at
//! the right and bottom edges), numbered row by row.

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
}
