//! The bytes of a batch of tile results between ranks (bincode, standard
//! configuration), checked on arrival.

use crate::film::TileResult;
use anyhow::{Context, Result};

pub fn encode(batch: &[TileResult]) -> Vec<u8> {
    bincode::encode_to_vec(batch, bincode::config::standard()).expect("encoding to memory cannot fail")
}

pub fn decode(bytes: &[u8]) -> Result<Vec<TileResult>> {
    let (batch, used): (Vec<TileResult>, usize) =
        bincode::decode_from_slice(bytes, bincode::config::standard()).context("undecodable batch of tiles")?;
    anyhow::ensure!(used == bytes.len(), "batch of tiles has {} trailing bytes", bytes.len() - used);
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusal_of_garbage() {
        let batch = vec![TileResult { tile: 3, rgb: vec![0.5, 1.0, f32::MAX] }, TileResult { tile: 9, rgb: vec![] }];
        assert_eq!(decode(&encode(&batch)).unwrap(), batch);
        let mut bytes = encode(&batch);
        bytes.truncate(bytes.len() - 2);
        assert!(decode(&bytes).is_err());
    }
}
