//! Which vector instruction set Embree traces with. Embree picks the widest
//! the CPU has, and some of them round differently in the last bit (AVX2 and
//! wider fuse multiply-adds), so ranks on different CPU models could render
//! a few pixels differently. `RSRENDER_EMBREE_ISA` pins one for every rank;
//! ranks compare what they use, and rank 0 warns when they differ.

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

fn widest() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx512f") && has!("avx512cd") && has!("avx512dq") && has!("avx512bw") && has!("avx512vl") {
            return "avx512";
        }
        if has!("avx2") && has!("fma") && has!("bmi1") && has!("bmi2") && has!("lzcnt") {
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
