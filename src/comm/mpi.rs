//! The MPI transport (rsmpi), initialised with `Threading::Funneled`: only
//! the main thread calls MPI. Aborting goes through `MPI_Abort`, which ends
//! every rank; the panic hook uses `abort_world` for the same reason.
//!
//! Sends to rank 0 are immediate (`MPI_Isend`): a blocking send busy-waits
//! until rank 0 takes the message, on the core this rank's renderers use
//! (rank 0 looks every 10 ms). Measured on Mitsuba's box on 2
//! ranks: rank 1 spent 5% of its render time spinning in sends.

use super::{launcher, Transport};
use anyhow::{anyhow, Result};
use mpi::request::{Request, StaticScope};
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::traits::*;
use mpi::Threading;
use std::cell::RefCell;

const TILE_TAG: i32 = 17;

pub struct Mpi {
    world: SimpleCommunicator,
    ranks_on_node: usize,
    /// Sends started and not yet known to be complete.
    in_flight: RefCell<Vec<InFlight>>,
    // Dropped after `drop` has completed every send: finalises MPI.
    _universe: mpi::environment::Universe,
}

/// A send under way and the bytes it reads, which live until it completes.
struct InFlight {
    request: Request<'static, [u8], StaticScope>,
    bytes: *mut [u8],
}

impl InFlight {
    fn start(world: &SimpleCommunicator, bytes: &[u8]) -> InFlight {
        let bytes: &'static mut [u8] = Box::leak(bytes.into());
        let ptr: *mut [u8] = bytes;
        let request = world.process_at_rank(0).immediate_send_with_tag(StaticScope, &*bytes, TILE_TAG);
        InFlight { request, bytes: ptr }
    }

    /// Frees the bytes if the send is complete, else gives it back.
    fn test(self) -> Result<(), InFlight> {
        match self.request.test() {
            Ok(_) => {
                free(self.bytes);
                Ok(())
            }
            Err(request) => Err(InFlight { request, bytes: self.bytes }),
        }
    }

    /// Waits for the send to complete and frees the bytes.
    fn wait(self) {
        self.request.wait();
        free(self.bytes);
    }
}

/// The bytes of a completed send.
fn free(bytes: *mut [u8]) {
    // SAFETY: `bytes` came from `Box::leak` in `InFlight::start`, and its
    // only reader, the send, is complete.
    drop(unsafe { Box::from_raw(bytes) });
}

impl Mpi {
    pub fn init() -> Result<Mpi> {
        let (universe, _level) = mpi::initialize_with_threading(Threading::Funneled)
            .ok_or_else(|| anyhow!("MPI was already initialised"))?;
        let world = universe.world();
        let ranks_on_node = world.split_shared(0).size() as usize;
        super::set_abort(abort_world);
        launcher::check_size(world.size() as usize)?;
        Ok(Mpi { world, ranks_on_node, in_flight: RefCell::new(Vec::new()), _universe: universe })
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
        self.progress_sends();
        self.in_flight.borrow_mut().push(InFlight::start(&self.world, bytes));
    }
    fn progress_sends(&self) -> bool {
        let mut in_flight = self.in_flight.borrow_mut();
        *in_flight = in_flight.drain(..).filter_map(|send| send.test().err()).collect();
        !in_flight.is_empty()
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

impl Drop for Mpi {
    /// Completes every send before MPI is finalised.
    fn drop(&mut self) {
        self.in_flight.get_mut().drain(..).for_each(InFlight::wait);
    }
}
