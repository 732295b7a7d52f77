//! The per-rank engine. Every rank renders its own tiles on a rayon pool,
//! each tile running all its passes, and stops starting tiles once a stop
//! signal arrived. On ranks above 0 the main thread gathers results into
//! batches and sends them to rank 0 with blocking sends (a heartbeat when it
//! has nothing to say for a while), then a last message with its figures. On
//! rank 0 it places its own results and polls for remote ones (non-blocking
//! probe, short sleep: it never spins a core) until every rank has reported;
//! meanwhile it reports progress, writes periodic checkpoints, and stops the
//! job if a rank that still owes work falls silent. Only the main thread
//! touches the transport.

use super::partition::tiles_for_rank;
use super::tile::render_tile;
use super::tiles::TileGrid;
use super::wire::{self, Message};
use crate::checkpoint;
use crate::comm::Transport;
use crate::film::{Film, TileResult};
use crate::interrupt;
use crate::report::{cpu_seconds, peak_rss_bytes, RankReport, TileTime};
use crate::scene::Scene;
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long rank 0's main thread waits for local work between polls.
const POLL_INTERVAL: Duration = Duration::from_millis(2);
/// A rank sends a batch at least this often while it has results, so that
/// rank 0 hears from it regularly.
const MAX_BATCH_AGE: Duration = Duration::from_secs(2);
/// A rank with nothing to send says it is alive this often, and at least
/// four times per stall timeout (every rank knows the timeout).
const HEARTBEAT: Duration = Duration::from_secs(10);
/// Batches are otherwise sized so that each rank sends about this many per pass.
const BATCHES_PER_RANK: usize = 16;

/// Environment variable naming a rank that must fail mid-render (tests use it
/// to check that one rank's failure ends the whole job).
pub const FAIL_RANK_ENV: &str = "RSRENDER_FAIL_RANK";

/// Called on rank 0 each time every tile has finished one more pass.
pub type OnPass<'a> = dyn FnMut(&Film, u32) -> Result<()> + 'a;
/// Called on rank 0 whenever it has heard something (it rate-limits itself).
pub type OnProgress<'a> = dyn FnMut(&Film, Duration) + 'a;

/// Where and how often rank 0 saves finished tiles.
pub struct CheckpointPlan {
    pub path: PathBuf,
    pub key: checkpoint::Key,
    /// `None`: only when the job is told to stop or stalls.
    pub interval: Option<Duration>,
}

pub struct Options<'a> {
    pub threads: usize,
    /// This rank's figures so far (read, build, ...); rendering adds its own.
    pub report: RankReport,
    /// Tiles an interrupted run already finished.
    pub resumed: Vec<TileResult>,
    pub checkpoint: CheckpointPlan,
    pub stall_timeout: Duration,
    pub on_pass: &'a mut OnPass<'a>,
    pub on_progress: &'a mut OnProgress<'a>,
}

/// What this rank did, for the report.
pub struct RankRender {
    /// The assembled image (complete unless the job was told to stop), on
    /// rank 0 only.
    pub film: Option<Film>,
    /// On rank 0: every rank's figures, by rank, and every tile's time.
    pub reports: Vec<RankReport>,
    pub tiles: Vec<TileTime>,
}

pub fn render(scene: &Scene, settings: &Settings, transport: &dyn Transport, o: Options) -> Result<RankRender> {
    let grid = TileGrid::new(settings.width, settings.height, settings.tile_size);
    let mut finished = vec![false; grid.count() as usize];
    for r in &o.resumed {
        if let Some(f) = finished.get_mut(r.tile as usize) {
            *f = true;
        }
    }
    let mine = tiles_for_rank(&grid, transport.rank(), transport.size(), |t| !finished[t as usize]);
    let rank = transport.rank();
    let fail_here = std::env::var(FAIL_RANK_ENV).ok().and_then(|v| v.parse::<usize>().ok()) == Some(rank);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads)
        .thread_name(|i| format!("render-{i}"))
        .build()
        .context("cannot start the rendering threads")?;
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let base = o.report.clone();
    // This rank's figures once its rendering is over.
    let finished = move |communication: (&str, f64)| {
        let mut r = base.clone();
        r.phases.add("render", start.elapsed().as_secs_f64());
        r.phases.add(communication.0, communication.1);
        r.cpu_seconds = cpu_seconds() - cpu_start;
        r.peak_rss_bytes = peak_rss_bytes();
        r
    };
    let (tx, rx) = channel::<TileResult>();
    std::thread::scope(|scope| {
        let (pool, mine) = (&pool, &mine);
        scope.spawn(move || {
            pool.install(|| {
                mine.par_iter().for_each_with(tx, |tx, &id| {
                    if interrupt::requested().is_some() {
                        return;
                    }
                    if fail_here {
                        panic!("injected failure ({FAIL_RANK_ENV}={rank})");
                    }
                    // The receiver outlives the senders unless the main thread failed.
                    render_tile(scene, settings, &grid.tile(id), |r| drop(tx.send(r)));
                })
            })
        });
        if rank == 0 {
            let mut film = Film::new(&grid, settings.wants_guides());
            for r in &o.resumed {
                film.add(&grid, r).context("the checkpoint holds a bad tile")?;
            }
            collect(&grid, film, &rx, transport, &finished, o)
        } else {
            let sending = forward(&rx, mine.len(), transport, HEARTBEAT.min(o.stall_timeout / 4));
            transport.send_to_root(&wire::encode(&Message::Done(finished(("send", sending)))));
            Ok(RankRender { film: None, reports: Vec::new(), tiles: Vec::new() })
        }
    })
}

/// Rank > 0: batches of finished passes to rank 0, until this rank is done.
/// Returns the seconds spent blocked in sends.
fn forward(rx: &Receiver<TileResult>, tile_count: usize, transport: &dyn Transport, heartbeat: Duration) -> f64 {
    let mut sending = 0.0;
    let mut send = |m: &Message| {
        let t = Instant::now();
        transport.send_to_root(&wire::encode(m));
        sending += t.elapsed().as_secs_f64();
    };
    let batch_size = tile_count.div_ceil(BATCHES_PER_RANK).max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let mut oldest = Instant::now();
    let mut last_sent = Instant::now();
    loop {
        let received = rx.recv_timeout(MAX_BATCH_AGE.min(heartbeat));
        let done = matches!(received, Err(RecvTimeoutError::Disconnected));
        if let Ok(result) = received {
            if batch.is_empty() {
                oldest = Instant::now();
            }
            batch.push(result);
        }
        let due = batch.len() >= batch_size || (!batch.is_empty() && oldest.elapsed() >= MAX_BATCH_AGE);
        if (due || done) && !batch.is_empty() {
            send(&Message::Tiles(std::mem::take(&mut batch)));
            last_sent = Instant::now();
        } else if !done && last_sent.elapsed() >= heartbeat {
            send(&Message::Alive);
            last_sent = Instant::now();
        }
        if done {
            return sending;
        }
    }
}

/// Rank 0: its own results and every other rank's, into the film.
fn collect(
    grid: &TileGrid,
    mut film: Film,
    rx: &Receiver<TileResult>,
    transport: &dyn Transport,
    finished: &dyn Fn((&str, f64)) -> RankReport,
    o: Options,
) -> Result<RankRender> {
    let start = Instant::now();
    let mut reported: Vec<Option<RankReport>> = vec![None; transport.size()];
    let mut tile_times: Vec<Option<TileTime>> = vec![None; grid.count() as usize];
    let mut timing = |tile: &TileResult, rank: usize| {
        let t =
            tile_times[tile.tile as usize].get_or_insert(TileTime { id: tile.tile, rank: rank as u32, seconds: 0.0 });
        t.seconds += tile.seconds;
    };
    let mut receiving = 0.0;
    let mut last_heard = vec![Instant::now(); transport.size()];
    let mut last_checkpoint = Instant::now();
    let mut passes_seen = 0;
    while reported.iter().any(Option::is_none) {
        let mut progressed = false;
        if reported[0].is_none() {
            match rx.recv_timeout(POLL_INTERVAL) {
                Ok(result) => {
                    film.add(grid, &result).context("rank 0 produced a bad tile")?;
                    timing(&result, 0);
                    progressed = true;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => reported[0] = Some(finished(("receive", 0.0))),
            }
        }
        let receive_start = Instant::now();
        while let Some((source, bytes)) = transport.poll() {
            last_heard[source] = Instant::now();
            match wire::decode(&bytes).with_context(|| format!("from rank {source}"))? {
                Message::Tiles(batch) => {
                    for result in &batch {
                        film.add(grid, result).with_context(|| format!("rank {source} sent a bad tile"))?;
                        timing(result, source);
                    }
                }
                Message::Alive => {}
                Message::Done(t) => {
                    if source == 0 || reported[source].replace(t).is_some() {
                        bail!("rank {source} reported its end twice");
                    }
                }
            }
            progressed = true;
        }
        receiving += receive_start.elapsed().as_secs_f64();
        let passes = film.completed_passes();
        if passes > passes_seen {
            passes_seen = passes;
            (o.on_pass)(&film, passes)?;
        }
        if progressed {
            (o.on_progress)(&film, start.elapsed());
        }
        let plan = &o.checkpoint;
        if plan.interval.is_some_and(|i| last_checkpoint.elapsed() >= i) && !film.is_complete() {
            checkpoint::write(&plan.path, &plan.key, &film, grid)?;
            last_checkpoint = Instant::now();
        }
        let silent = (1..reported.len()).find(|&r| reported[r].is_none() && last_heard[r].elapsed() > o.stall_timeout);
        if let Some(r) = silent {
            checkpoint::write(&plan.path, &plan.key, &film, grid)?;
            bail!(
                "rank {r} has sent nothing for {:.0} s while it still owes work (hung, or its node died); \
                 checkpoint of {} finished tiles written to {}",
                o.stall_timeout.as_secs_f64(),
                film.tiles_done(),
                plan.path.display()
            );
        }
        if reported[0].is_some() && !progressed {
            std::thread::sleep(POLL_INTERVAL);
        }
    }
    let mut reports: Vec<RankReport> = reported.into_iter().map(Option::unwrap_or_default).collect();
    reports[0].phases.add("receive", receiving);
    let tiles = tile_times.into_iter().flatten().collect();
    Ok(RankRender { film: Some(film), reports, tiles })
}
