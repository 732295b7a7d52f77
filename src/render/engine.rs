//! The per-rank engine. Every rank does its own work on a rayon pool (its
//! tiles, each running all its passes, then its observer tasks), and its
//! threads stop at the next pixel or sample once a stop signal arrived or
//! rank 0 met an error. On ranks above 0 the
//! main thread gathers results into batches and sends them to rank 0
//! without waiting for rank 0 to take them (a heartbeat with its sample
//! count when it has nothing else to say), then a last message with its
//! figures. On rank 0 a
//! `Collector` places its own results and polls for remote ones
//! (non-blocking probe, short sleep: it never spins a core) until every rank
//! has reported. Only the main thread touches the transport.

use super::control::Control;
use super::observe::run_task;
use super::partition::{work_for_rank, Work};
use super::tile::render_tile;
use super::wire::{self, Message, Piece};
use crate::checkpoint::{self, Resumed};
use crate::comm::Transport;
use crate::film::tiles::TileGrid;
use crate::film::Film;
use crate::observer::tally::{Task, TaskBook};
use crate::observer::Observer;
use crate::report::{cpu_seconds, peak_rss_bytes, RankReport, TileTime};
use crate::scene::World;
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long rank 0's main thread waits for local work between polls for
/// the other ranks' messages, and how often a rank with sends under way
/// moves them along. Each wake takes a turn from a renderer on the same
/// core: on 2 ranks 10 ms rendered 1.01x faster than 2 ms (4.02 against
/// 3.98 M samples/s, means of 8 alternated runs), and the other ranks'
/// sends do not wait for it (`comm::Transport::send_to_root`).
const POLL_INTERVAL: Duration = Duration::from_millis(10);
/// A rank sends a batch at least this often while it has results, so that
/// rank 0 hears from it regularly.
const MAX_BATCH_AGE: Duration = Duration::from_secs(2);
/// A rank with nothing to send tells rank 0 its sample count this often (and
/// at least four times per stall timeout: every rank knows the timeout).
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How often a rank's main thread looks for a failed rendering thread at most.
const FAILURE_CHECK: Duration = Duration::from_millis(200);
/// Batches are otherwise sized so that each rank sends about this many per pass.
const BATCHES_PER_RANK: usize = 16;

/// Environment variable naming a rank that must fail mid-render (tests use it
/// to check that one rank's failure ends the whole job).
pub const FAIL_RANK_ENV: &str = "RSRENDER_FAIL_RANK";
/// Environment variable with milliseconds every tile and task waits before it
/// runs (tests use it to make small jobs last long enough to be signalled).
pub const TILE_DELAY_ENV: &str = "RSRENDER_TEST_TILE_DELAY_MS";

/// Called on rank 0 each time every tile has finished one more pass.
pub type OnPass<'a> = dyn FnMut(&Film, u32) -> Result<()> + 'a;
/// Called on rank 0 whenever it has heard something (it rate-limits itself),
/// with the samples every rank has taken in this run.
pub type OnProgress<'a> = dyn FnMut(&Collected, u64, Duration) + 'a;

/// What rank 0 has collected: the image's film and the observers' tasks.
pub struct Collected {
    pub film: Film,
    pub book: TaskBook,
}

impl Collected {
    /// Every tile and every task is done.
    pub fn is_complete(&self) -> bool {
        self.film.is_complete() && self.book.is_complete()
    }

    /// Finished tiles and tasks.
    pub fn pieces_done(&self) -> usize {
        self.film.tiles_done() + self.book.done()
    }
}

/// Where and how often rank 0 saves finished tiles and tasks.
pub struct CheckpointPlan {
    pub path: PathBuf,
    pub key: checkpoint::Key,
    /// `None`: only when the job is told to stop or stalls.
    pub interval: Option<Duration>,
}

pub struct Options<'a> {
    pub threads: usize,
    /// The image's tiles (none when the scene has no camera).
    pub grid: TileGrid,
    pub observers: &'a [Observer],
    /// The observers' tasks (`observer::tally::tasks`).
    pub tasks: &'a [Task],
    /// This rank's figures so far (read, build, ...); rendering adds its own.
    pub report: RankReport,
    /// Tiles and tasks an interrupted run already finished.
    pub resumed: Resumed,
    pub checkpoint: CheckpointPlan,
    pub stall_timeout: Duration,
    pub on_pass: &'a mut OnPass<'a>,
    pub on_progress: &'a mut OnProgress<'a>,
}

/// What this rank did, for the report.
pub struct RankRender {
    /// The assembled image and observer tasks (complete unless the job was
    /// told to stop), on rank 0 only.
    pub collected: Option<Collected>,
    /// On rank 0: every rank's figures, by rank, and every tile's and
    /// task's time.
    pub reports: Vec<RankReport>,
    pub tiles: Vec<TileTime>,
    pub tasks: Vec<TileTime>,
}

pub fn render(world: &World, settings: &Settings, transport: &dyn Transport, o: Options) -> Result<RankRender> {
    let grid = o.grid;
    let tasks = o.tasks;
    let mut tile_done = vec![false; grid.count() as usize];
    for r in &o.resumed.tiles {
        if let Some(f) = tile_done.get_mut(r.tile as usize) {
            *f = true;
        }
    }
    let mut task_done = vec![false; tasks.len()];
    for t in &o.resumed.tasks {
        if let Some(f) = task_done.get_mut(t.task as usize) {
            *f = true;
        }
    }
    let rank = transport.rank();
    let mine = work_for_rank(
        &grid,
        tasks.len() as u32,
        (rank, transport.size()),
        |t| !tile_done[t as usize],
        |t| !task_done[t as usize],
    );
    let env_number = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<u64>().ok());
    let fail_here = env_number(FAIL_RANK_ENV) == Some(rank as u64);
    let tile_delay = Duration::from_millis(env_number(TILE_DELAY_ENV).unwrap_or(0));
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
    let control = Control::default();
    let (tx, rx) = channel::<Piece>();
    let observers = o.observers;
    std::thread::scope(|scope| {
        let (pool, mine, control) = (&pool, &mine, &control);
        scope.spawn(move || {
            pool.install(|| {
                // One piece of work per job: rayon otherwise hands each
                // thread runs of many tiles that no idle thread can steal
                // from (one of two threads rendered the last 30% alone).
                mine.par_iter().with_max_len(1).for_each_with(tx, |tx, &work| {
                    if fail_here {
                        panic!("injected failure ({FAIL_RANK_ENV}={rank})");
                    }
                    wait(tile_delay, control);
                    // The receiver outlives the senders unless the main thread failed.
                    match work {
                        Work::Tile(id) => {
                            render_tile(world, settings, &grid.tile(id), control, |r| drop(tx.send(Piece::Tile(r))))
                        }
                        Work::Task(i) => {
                            if let Some(sums) = run_task(world, settings, observers, (i, tasks[i as usize]), control) {
                                drop(tx.send(Piece::Task(sums)));
                            }
                        }
                    }
                })
            })
        });
        if rank == 0 {
            let layout = (settings.wants_guides(), settings.bins());
            let book = TaskBook::new(tasks.to_vec());
            let result = Collector::new(grid, layout, book, transport, control, o).and_then(|c| c.run(&rx, &finished));
            if result.is_err() {
                // Stop this rank's threads now: the scope waits for them before
                // the error can reach MPI_Abort.
                control.stop();
            }
            result
        } else {
            let sending = forward(&rx, mine.len(), transport, control, HEARTBEAT.min(o.stall_timeout / 4));
            transport.send_to_root(&wire::encode(&Message::Done(finished(("send", sending)))));
            Ok(RankRender { collected: None, reports: Vec::new(), tiles: Vec::new(), tasks: Vec::new() })
        }
    })
}

/// Sleeps `delay` in short steps, returning early once told to stop.
fn wait(delay: Duration, control: &Control) {
    let until = Instant::now() + delay;
    while !control.stopped() && Instant::now() < until {
        std::thread::sleep(POLL_INTERVAL.min(until.saturating_duration_since(Instant::now())));
    }
}

/// Rank > 0: batches of finished pieces to rank 0, until this rank is done.
/// Returns the seconds spent in sends (starting them: they complete while
/// this rank renders on).
fn forward(
    rx: &Receiver<Piece>,
    work_count: usize,
    transport: &dyn Transport,
    control: &Control,
    heartbeat: Duration,
) -> f64 {
    let mut sending = 0.0;
    let mut send = |m: &Message| {
        let t = Instant::now();
        transport.send_to_root(&wire::encode(m));
        sending += t.elapsed().as_secs_f64();
    };
    let batch_size = work_count.div_ceil(BATCHES_PER_RANK).max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let mut oldest = Instant::now();
    let mut last_sent = Instant::now();
    loop {
        crate::comm::abort_if_a_thread_failed();
        // Wake often enough to see a failed thread, and to move sends under
        // way along (some MPI libraries copy a large message only while both
        // ranks call MPI); batch age and heartbeat are judged by the clock below.
        let wake = if transport.progress_sends() { POLL_INTERVAL } else { FAILURE_CHECK };
        let received = rx.recv_timeout(wake);
        let done = matches!(received, Err(RecvTimeoutError::Disconnected));
        if let Ok(result) = received {
            if batch.is_empty() {
                oldest = Instant::now();
            }
            batch.push(result);
        }
        let due = batch.len() >= batch_size || (!batch.is_empty() && oldest.elapsed() >= MAX_BATCH_AGE);
        if (due || done) && !batch.is_empty() {
            send(&Message::Pieces(std::mem::take(&mut batch), control.samples()));
            last_sent = Instant::now();
        } else if !done && last_sent.elapsed() >= heartbeat {
            send(&Message::Alive(control.samples()));
            last_sent = Instant::now();
        }
        if done {
            return sending;
        }
    }
}

/// Rank 0's main thread while the job renders: one method per duty.
struct Collector<'a, 'o> {
    grid: TileGrid,
    collected: Collected,
    transport: &'a dyn Transport,
    /// Rank 0's own threads.
    control: &'a Control,
    o: Options<'o>,
    start: Instant,
    /// Each rank's closing figures, once it sent them.
    reported: Vec<Option<RankReport>>,
    /// Each rank's samples so far, from its last message (rank 0: unused).
    samples: Vec<u64>,
    last_heard: Vec<Instant>,
    tile_times: Vec<Option<TileTime>>,
    task_times: Vec<TileTime>,
    last_checkpoint: Instant,
    passes_seen: u32,
    /// Seconds spent receiving.
    receiving: f64,
}

impl<'a, 'o> Collector<'a, 'o> {
    fn new(
        grid: TileGrid,
        (guides, bins): (bool, usize),
        mut book: TaskBook,
        transport: &'a dyn Transport,
        control: &'a Control,
        mut o: Options<'o>,
    ) -> Result<Self> {
        let mut film = Film::new(&grid, guides, bins);
        for r in &o.resumed.tiles {
            film.add(&grid, r).context("the checkpoint holds a bad tile")?;
        }
        for t in std::mem::take(&mut o.resumed.tasks) {
            book.place(t).context("the checkpoint holds a bad observer task")?;
        }
        let ranks = transport.size();
        Ok(Collector {
            grid,
            collected: Collected { film, book },
            transport,
            control,
            start: Instant::now(),
            reported: vec![None; ranks],
            samples: vec![0; ranks],
            last_heard: vec![Instant::now(); ranks],
            tile_times: vec![None; grid.count() as usize],
            task_times: Vec::new(),
            last_checkpoint: Instant::now(),
            passes_seen: 0,
            receiving: 0.0,
            o,
        })
    }

    /// Until every rank (rank 0 included) has reported its end.
    fn run(mut self, rx: &Receiver<Piece>, finished: &dyn Fn((&str, f64)) -> RankReport) -> Result<RankRender> {
        while self.reported.iter().any(Option::is_none) {
            crate::comm::abort_if_a_thread_failed();
            let own = self.place_own(rx, finished)?;
            let remote = self.receive()?;
            self.after_pass()?;
            if own || remote {
                let samples = self.control.samples() + self.samples.iter().sum::<u64>();
                (self.o.on_progress)(&self.collected, samples, self.start.elapsed());
            }
            self.checkpoint_if_due()?;
            self.watch_for_stalls()?;
            if self.reported[0].is_some() && !remote {
                std::thread::sleep(POLL_INTERVAL);
            }
        }
        let mut reports: Vec<RankReport> = self.reported.into_iter().map(Option::unwrap_or_default).collect();
        reports[0].phases.add("receive", self.receiving);
        let tiles = self.tile_times.into_iter().flatten().collect();
        Ok(RankRender { collected: Some(self.collected), reports, tiles, tasks: self.task_times })
    }

    /// Rank 0's own next result, waiting up to a poll interval; notes rank
    /// 0's end when its threads are done. True if a result was placed.
    fn place_own(&mut self, rx: &Receiver<Piece>, finished: &dyn Fn((&str, f64)) -> RankReport) -> Result<bool> {
        if self.reported[0].is_some() {
            return Ok(false);
        }
        // Alone, this rank has only its own results to wait for, and each
        // one wakes it: waking more often would take turns from the renderers.
        let wait = if self.transport.size() == 1 { FAILURE_CHECK } else { POLL_INTERVAL };
        match rx.recv_timeout(wait) {
            Ok(piece) => {
                self.place(piece, 0).context("rank 0 produced a bad result")?;
                Ok(true)
            }
            Err(RecvTimeoutError::Timeout) => Ok(false),
            Err(RecvTimeoutError::Disconnected) => {
                self.reported[0] = Some(finished(("receive", 0.0)));
                Ok(false)
            }
        }
    }

    /// Every message waiting from the other ranks. True if there was any.
    fn receive(&mut self) -> Result<bool> {
        let started = Instant::now();
        let mut any = false;
        while let Some((source, bytes)) = self.transport.poll() {
            any = true;
            self.last_heard[source] = Instant::now();
            match wire::decode(&bytes).with_context(|| format!("from rank {source}"))? {
                Message::Pieces(batch, samples) => {
                    for piece in batch {
                        self.place(piece, source).with_context(|| format!("rank {source} sent a bad result"))?;
                    }
                    self.samples[source] = samples;
                }
                Message::Alive(samples) => self.samples[source] = samples,
                Message::Done(t) => {
                    if source == 0 || self.reported[source].replace(t).is_some() {
                        bail!("rank {source} reported its end twice");
                    }
                }
            }
        }
        self.receiving += started.elapsed().as_secs_f64();
        Ok(any)
    }

    fn place(&mut self, piece: Piece, rank: usize) -> Result<()> {
        match piece {
            Piece::Tile(tile) => {
                self.collected.film.add(&self.grid, &tile)?;
                let id = tile.tile;
                let time = self.tile_times[id as usize].get_or_insert(TileTime { id, rank: rank as u32, seconds: 0.0 });
                time.seconds += tile.seconds;
            }
            Piece::Task(sums) => {
                let time = TileTime { id: sums.task, rank: rank as u32, seconds: sums.seconds };
                self.collected.book.place(sums)?;
                self.task_times.push(time);
            }
        }
        Ok(())
    }

    /// The pass callback, once per pass that every tile has finished.
    fn after_pass(&mut self) -> Result<()> {
        let passes = self.collected.film.completed_passes();
        if passes > self.passes_seen {
            self.passes_seen = passes;
            (self.o.on_pass)(&self.collected.film, passes)?;
        }
        Ok(())
    }

    /// A periodic checkpoint (`--checkpoint-interval`).
    fn checkpoint_if_due(&mut self) -> Result<()> {
        let plan = &self.o.checkpoint;
        if plan.interval.is_some_and(|i| self.last_checkpoint.elapsed() >= i) && !self.collected.is_complete() {
            self.write_checkpoint()?;
            self.last_checkpoint = Instant::now();
        }
        Ok(())
    }

    /// A rank that owes work and has been silent for the stall timeout ends
    /// the job, after a checkpoint of what was finished.
    fn watch_for_stalls(&self) -> Result<()> {
        let timeout = self.o.stall_timeout;
        let silent =
            (1..self.reported.len()).find(|&r| self.reported[r].is_none() && self.last_heard[r].elapsed() > timeout);
        if let Some(r) = silent {
            self.write_checkpoint()?;
            bail!(
                "rank {r} has sent nothing for {:.0} s while it still owes work (hung, or its node died); \
                 checkpoint of {} finished tiles and {} observer tasks written to {}",
                timeout.as_secs_f64(),
                self.collected.film.tiles_done(),
                self.collected.book.done(),
                self.o.checkpoint.path.display()
            );
        }
        Ok(())
    }

    fn write_checkpoint(&self) -> Result<()> {
        let (plan, c) = (&self.o.checkpoint, &self.collected);
        checkpoint::write(&plan.path, &plan.key, (&c.film, &self.grid), &c.book)
    }
}
