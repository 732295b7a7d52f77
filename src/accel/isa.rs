//! Which vector instruction set Embree traces with. Embree picks the widest
//! the CPU has, and some of them round differently in the last bit (AVX2 and
//! wider fuse multiply-adds), so ranks on different CPU models could render
//! a few pixels differently. `RSRENDER_EMBREE_ISA` pins one for every rank;
//! ranks compare what they use, and rank 0 warns when they differ. Also
//! whether the CPU runs what rsrender itself is built for (x86-64-v3).

use anyhow::{bail, Result};

pub const VARIABLE: &str = "RSRENDER_EMBREE_ISA";
/// The instruction sets Embree 3 accepts, narrowest first.
pub const NAMES: [&str; 5] = ["sse2", "sse4.2", "avx", "avx2", "avx512"];

/// The instruction set `RSRENDER_EMBREE_ISA` pins, if it is set and not empty.
pub fn pinned() -> Result<Option<&'static str>> {
    let Ok(value) = std::env::var(VARIABLE) else {
        return Ok(None);
    };
    if value.is_empty() {
        return Ok(None);
    }
    match NAMES.iter().find(|&&n| n == value) {
        Some(&name) => Ok(Some(name)),
        None => bail!("{VARIABLE}={value}: use one of {}", NAMES.join(", ")),
    }
}

/// The instruction set this rank traces with: the pinned one, else the
/// widest this CPU has, as Embree chooses it.
pub fn in_use() -> Result<&'static str> {
    Ok(pinned()?.unwrap_or_else(widest))
}

/// `in_use` as one byte for ranks to compare: its index in `NAMES`, or
/// `u8::MAX` for another (or a badly pinned) set.
pub fn code() -> u8 {
    let index = in_use().ok().and_then(|n| NAMES.iter().position(|&k| k == n));
    index.map_or(u8::MAX, |i| i as u8)
}

/// Ranks on different CPU models may trace with different vector widths,
/// whose last bits differ: the image is then not bit-identical to a run on
/// other nodes. Given every rank's `code`, the warning to print, if any.
pub fn mismatch_warning(code_of_rank: &[u8]) -> Option<String> {
    let name = |code: u8| NAMES.get(code as usize).copied().unwrap_or("another");
    let first = *code_of_rank.first()?;
    let other = code_of_rank.iter().position(|&c| c != first)?;
    let narrowest = code_of_rank.iter().copied().min().map_or("sse2", name);
    Some(format!(
        "rsrender: warning: ranks trace rays with different vector instruction sets (rank 0: {}, rank {other}: {}), \
         so some pixels may differ in their last bits from a run on other nodes; for images bit-identical \
         anywhere, set {VARIABLE}={narrowest} for every rank",
        name(first),
        name(code_of_rank[other]),
    ))
}

/// The build's instruction set (x86-64-v3, set in `.cargo/config.toml`)
/// that this CPU lacks, as an error to print before any of it runs.
pub fn build_target_missing() -> Option<String> {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        let mut needed = avx2_set().to_vec();
        needed.push(("movbe", std::arch::is_x86_feature_detected!("movbe")));
        let missing: Vec<&str> = needed.iter().filter(|(_, present)| !present).map(|(name, _)| *name).collect();
        if !missing.is_empty() {
            return Some(format!(
                "this build of rsrender uses x86-64-v3 instructions that this CPU lacks ({}); \
                 rebuild it with RUSTFLAGS=\"-C target-cpu=native\" cargo build --release",
                missing.join(", ")
            ));
        }
    }
    None
}

/// What Embree's AVX2 kernels need beyond SSE, and whether this CPU has it.
#[cfg(target_arch = "x86_64")]
fn avx2_set() -> [(&'static str, bool); 5] {
    use std::arch::is_x86_feature_detected as has;
    [
        ("avx2", has!("avx2")),
        ("fma", has!("fma")),
        ("bmi1", has!("bmi1")),
        ("bmi2", has!("bmi2")),
        ("lzcnt", has!("lzcnt")),
    ]
}

/// Whether this CPU has AVX-512 as x86-64-v4 has it (F, CD, BW, DQ, VL):
/// what Embree's AVX-512 kernels need, and the lanes' AVX-512 version.
pub fn has_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        has!("avx512f") && has!("avx512cd") && has!("avx512dq") && has!("avx512bw") && has!("avx512vl")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn widest() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has_avx512() {
            return "avx512";
        }
        if avx2_set().iter().all(|&(_, present)| present) {
            return "avx2";
        }
        if has!("avx") {
            return "avx";
        }
        if has!("sse4.2") {
            return "sse4.2";
        }
        "sse2"
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        std::env::consts::ARCH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differing_ranks_are_warned_about_with_the_narrowest_set() {
        assert_eq!(mismatch_warning(&[3, 3, 3]), None);
        let w = mismatch_warning(&[4, 4, 3, 4]).unwrap();
        assert!(w.contains("rank 0: avx512, rank 2: avx2") && w.contains("RSRENDER_EMBREE_ISA=avx2"), "{w}");
    }
}
