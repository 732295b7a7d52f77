//! The messages from ranks above 0 to rank 0 (bincode, standard
//! configuration), checked on arrival: batches of tile results, then one
//! last message with the rank's own figures.

use crate::film::TileResult;
use crate::report::RankTimes;
use anyhow::{Context, Result};
use bincode::{Decode, Encode};

#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub enum Message {
    Tiles(Vec<TileResult>),
    /// Nothing finished lately, but the sender is alive (for the watchdog).
    Alive,
    /// The sender has rendered and sent everything.
    Done(RankTimes),
}

pub fn encode(message: &Message) -> Vec<u8> {
    bincode::encode_to_vec(message, bincode::config::standard()).expect("encoding to memory cannot fail")
}

pub fn decode(bytes: &[u8]) -> Result<Message> {
    let (message, used): (Message, usize) =
        bincode::decode_from_slice(bytes, bincode::config::standard()).context("undecodable message")?;
    anyhow::ensure!(used == bytes.len(), "message has {} trailing bytes", bytes.len() - used);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusal_of_garbage() {
        let tile = TileResult {
            tile: 3,
            pass: 2,
            done: true,
            rgb: vec![0.5, 1.0, f32::MAX],
            samples: vec![7],
            relative_error: vec![0.1],
            albedo: vec![],
            normal: vec![],
        };
        for m in [
            Message::Tiles(vec![tile.clone(), tile]),
            Message::Done(RankTimes { render_seconds: 1.5, cpu_seconds: 2.5 }),
        ] {
            assert_eq!(decode(&encode(&m)).unwrap(), m);
            let mut bytes = encode(&m);
            bytes.truncate(bytes.len() - 2);
            assert!(decode(&bytes).is_err());
        }
    }
}
