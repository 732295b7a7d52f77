//! Hashing for identity, not security: the ranks' scene hash, mesh and
//! checkpoint checksums, and the mixer under the keyed random streams.

/// A strong 64-bit finaliser (Stafford's variant 13 of MurmurHash3's fmix).
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 64-bit hash of a byte string (FNV-1a, finished by a strong mixer).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h ^ bytes.len() as u64)
}
