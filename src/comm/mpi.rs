//! The MPI transport (rsmpi), initialised with `Threading::Funneled`: only
//! the main thread calls MPI. Aborting goes through `MPI_Abort`, which ends
//! every rank; the panic hook uses `abort_world` for the same reason.

use super::{launcher, Transport};
use anyhow::{anyhow, Result};
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::traits::*;
use mpi::Threading;

const TILE_TAG: i32 = 17;

pub struct Mpi {
    // Dropped last: finalises MPI.
    _universe: mpi::environment::Universe,
    world: SimpleCommunicator,
    ranks_on_node: usize,
}

impl Mpi {
    pub fn init() -> Result<Mpi> {
        let (universe, _level) = mpi::initialize_with_threading(Threading::Funneled)
            .ok_or_else(|| anyhow!("MPI was already initialised"))?;
        let world = universe.world();
        let ranks_on_node = world.split_shared(0).size() as usize;
        super::set_abort(abort_world);
        launcher::check_size(world.size() as usize)?;
        Ok(Mpi { _universe: universe, world, ranks_on_node })
    }
}

/// `MPI_Abort` on the world communicator, callable from any thread.
fn abort_world(code: i32) -> ! {
    SimpleCommunicator::world().abort(code)
}

impl Transport for Mpi {
    fn rank(&self) -> usize {
        self.world.rank() as usize
    }
    fn size(&self) -> usize {
        self.world.size() as usize
    }
    fn ranks_on_node(&self) -> usize {
        self.ranks_on_node
    }
    fn send_to_root(&self, bytes: &[u8]) {
        self.world.process_at_rank(0).send_with_tag(bytes, TILE_TAG);
    }
    fn poll(&self) -> Option<(usize, Vec<u8>)> {
        let probed = self.world.any_process().immediate_matched_probe_with_tag(TILE_TAG)?;
        let (bytes, status) = probed.matched_receive_vec::<u8>();
        Some((status.source_rank() as usize, bytes))
    }
    fn all_gather(&self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut all = vec![0u8; bytes.len() * self.size()];
        self.world.all_gather_into(bytes, &mut all[..]);
        all.chunks(bytes.len().max(1)).map(<[u8]>::to_vec).collect()
    }
    fn barrier(&self) {
        self.world.barrier();
    }
    fn abort(&self, code: i32) -> ! {
        self.world.abort(code)
    }
}
