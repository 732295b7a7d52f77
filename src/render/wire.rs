//! The messages from ranks above 0 to rank 0 (bincode, standard
//! configuration), checked on arrival: batches of results (tile passes and
//! observer tasks) and heartbeats, each with the sender's sample count, then
//! one last message with the rank's own figures.

use crate::film::TileResult;
use crate::observer::tally::TaskSums;
use crate::report::RankReport;
use anyhow::{Context, Result};
use bincode::{Decode, Encode};

/// One finished piece of work.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub enum Piece {
    /// A tile's pass.
    Tile(TileResult),
    /// An observer task.
    Task(TaskSums),
}

#[derive(Clone, Debug, PartialEq, Encode, Decode)]
pub enum Message {
    /// Finished pieces, and the samples the sender has taken so far.
    Pieces(Vec<Piece>, u64),
    /// Nothing finished lately, but the sender is alive (for the watchdog)
    /// and has taken this many samples (for the progress line).
    Alive(u64),
    /// The sender has rendered and sent everything.
    Done(RankReport),
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
    use crate::film::Layers;

    #[test]
    fn round_trip_and_refusal_of_garbage() {
        let tile = TileResult {
            tile: 3,
            pass: 2,
            done: true,
            seconds: 0.25,
            layers: Layers {
                rgb: vec![0.5, 1.0, f32::MAX],
                samples: vec![7],
                relative_error: vec![0.1],
                ..Layers::default()
            },
        };
        for m in [
            Message::Pieces(
                vec![
                    Piece::Tile(tile.clone()),
                    Piece::Task(TaskSums { task: 9, sum: vec![1.5; 3], sum_sq: vec![2.25; 3], seconds: 0.5 }),
                    Piece::Tile(tile),
                ],
                12_345,
            ),
            Message::Alive(7),
            Message::Done(RankReport { rank: 1, host: "node7".into(), threads: 4, ..RankReport::default() }),
        ] {
            assert_eq!(decode(&encode(&m)).unwrap(), m);
            let mut bytes = encode(&m);
            bytes.truncate(bytes.len() - 2);
            assert!(decode(&bytes).is_err());
        }
    }
}
