//! The static partition of tiles over ranks: a pure function of (tile grid,
//! rank, size). Tiles are put in Morton (Z-curve) order, so that neighbours
//! are close in the sequence, then dealt round-robin: every run of `size`
//! consecutive tiles, which cover one small patch of the image, is shared by
//! all ranks. Expensive regions are therefore split evenly. (Rotating the
//! deal per group by a hash was tried: with few tiles its randomness costs
//! more balance than the regular lattice does. So were regular variants,
//! replayed on Mitsuba's box's 256 measured tile times: reversing every
//! other group, or rotating group g by g, balanced 2 ranks better, 1.001
//! against 1.006–1.009, but 4 ranks worse, 1.02–1.03 and 1.08 against
//! 1.008–1.014.) The observers' tasks follow the tiles, dealt round-robin
//! in task order.

use crate::film::tiles::TileGrid;

/// The tiles rank `rank` of `size` renders, in the order it renders them,
/// out of those for which `is_left` holds (all, unless resuming).
pub fn tiles_for_rank(grid: &TileGrid, rank: usize, size: usize, is_left: impl Fn(u32) -> bool) -> Vec<u32> {
    morton_order(grid).into_iter().filter(|&t| is_left(t)).skip(rank).step_by(size.max(1)).collect()
}

/// One unit of work: an image tile, or an observer task (by number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    Tile(u32),
    Task(u32),
}

/// The work rank `rank` of `size` does, in order: its tiles, then its
/// tasks, out of the `tasks` tasks; only what is left (all, unless resuming).
pub fn work_for_rank(
    grid: &TileGrid,
    tasks: u32,
    (rank, size): (usize, usize),
    tile_left: impl Fn(u32) -> bool,
    task_left: impl Fn(u32) -> bool,
) -> Vec<Work> {
    let tiles = tiles_for_rank(grid, rank, size, tile_left).into_iter().map(Work::Tile);
    let left_tasks = (0..tasks).filter(|&t| task_left(t)).skip(rank).step_by(size.max(1));
    tiles.chain(left_tasks.map(Work::Task)).collect()
}

/// Every tile id, sorted along the Z-order curve over tile coordinates.
fn morton_order(grid: &TileGrid) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..grid.count()).collect();
    ids.sort_by_key(|&id| interleave(id % grid.cols) | (interleave(id / grid.cols) << 1));
    ids
}

/// Spreads the bits of `v` to the even positions of a u64.
fn interleave(v: u32) -> u64 {
    let mut x = v as u64;
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    x = (x | (x << 1)) & 0x5555_5555_5555_5555;
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tile_goes_to_exactly_one_rank() {
        for (w, h, s) in [(256, 256, 32), (100, 37, 8), (1, 1, 32), (1000, 10, 7)] {
            let grid = TileGrid::new(w, h, s);
            for size in 1..=7 {
                let mut owner = vec![usize::MAX; grid.count() as usize];
                for rank in 0..size {
                    for id in tiles_for_rank(&grid, rank, size, |_| true) {
                        assert_eq!(owner[id as usize], usize::MAX, "tile {id} given twice");
                        owner[id as usize] = rank;
                    }
                }
                assert!(owner.iter().all(|&o| o != usize::MAX));
            }
        }
    }

    #[test]
    fn a_resumed_job_deals_only_the_tiles_left() {
        let grid = TileGrid::new(100, 100, 10);
        let left = |t: u32| t % 3 != 0;
        let mut all: Vec<u32> = (0..3).flat_map(|r| tiles_for_rank(&grid, r, 3, left)).collect();
        all.sort();
        assert_eq!(all, (0..100).filter(|&t| left(t)).collect::<Vec<_>>());
    }

    #[test]
    fn tasks_follow_the_tiles_and_each_is_dealt_once() {
        let grid = TileGrid::new(20, 10, 10);
        let mut seen = vec![0; 7];
        for rank in 0..3 {
            let work = work_for_rank(&grid, 9, (rank, 3), |_| true, |t| t != 4 && t != 8);
            let first_task = work.iter().position(|w| matches!(w, Work::Task(_))).unwrap_or(work.len());
            assert!(work[..first_task].iter().all(|w| matches!(w, Work::Tile(_))));
            for w in &work[first_task..] {
                let Work::Task(t) = *w else { panic!("a tile after a task: {work:?}") };
                seen[[0, 1, 2, 3, 5, 6, 7].iter().position(|&x| x == t).unwrap()] += 1;
            }
        }
        assert_eq!(seen, [1; 7]);
    }

    #[test]
    fn counts_differ_by_at_most_one() {
        let grid = TileGrid::new(300, 200, 16);
        for size in 1..=9 {
            let counts: Vec<usize> = (0..size).map(|r| tiles_for_rank(&grid, r, size, |_| true).len()).collect();
            assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1, "{counts:?}");
        }
    }

    #[test]
    fn a_costly_region_is_shared_evenly() {
        // Only the top-left quarter of the image costs anything (a bright lamp,
        // say): contiguous blocks would give it all to rank 0.
        let grid = TileGrid::new(512, 512, 16);
        let cost = |id: u32| {
            if id % grid.cols < grid.cols / 2 && id / grid.cols < grid.rows / 2 {
                1.0
            } else {
                0.0
            }
        };
        for size in [2, 3, 4, 8] {
            let per_rank: Vec<f64> =
                (0..size).map(|r| tiles_for_rank(&grid, r, size, |_| true).into_iter().map(cost).sum()).collect();
            let mean = per_rank.iter().sum::<f64>() / size as f64;
            let max = per_rank.iter().cloned().fold(0.0, f64::max);
            assert!(max / mean < 1.05, "size {size}: {per_rank:?}");
        }
    }
}
