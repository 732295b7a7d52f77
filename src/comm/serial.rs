//! The one-rank transport: no messages, abort is exit.

use super::{launcher, Transport};
use anyhow::Result;

pub struct Serial;

impl Serial {
    /// Fails when a launcher started several copies of a binary without MPI.
    pub fn init() -> Result<Serial> {
        launcher::check_size(1)?;
        Ok(Serial)
    }
}

impl Transport for Serial {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn ranks_on_node(&self) -> usize {
        1
    }
    fn send_to_root(&self, _bytes: &[u8]) {
        unreachable!("rank 0 never sends to itself")
    }
    fn progress_sends(&self) -> bool {
        false
    }
    fn poll(&self) -> Option<(usize, Vec<u8>)> {
        None
    }
    fn all_gather(&self, bytes: &[u8]) -> Vec<Vec<u8>> {
        vec![bytes.to_vec()]
    }
    fn barrier(&self) {}
    fn abort(&self, code: i32) -> ! {
        std::process::exit(code)
    }
}
