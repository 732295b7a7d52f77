//! How many rendering threads a rank runs, chosen so that ranks sharing a
//! node do not oversubscribe it: `--threads`, else `SLURM_CPUS_PER_TASK`, else
//! `OMP_NUM_THREADS`, else the CPU affinity mask when the launcher narrowed
//! it, else the node's cores divided by the ranks on the node.

/// Where the thread count came from, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadSource {
    Flag,
    Slurm,
    OpenMp,
    Affinity,
    NodeShare,
}

impl ThreadSource {
    /// Where the count came from, as the report says it ("from SLURM_CPUS_PER_TASK").
    pub fn describe(self) -> &'static str {
        match self {
            ThreadSource::Flag => "from --threads",
            ThreadSource::Slurm => "from SLURM_CPUS_PER_TASK",
            ThreadSource::OpenMp => "from OMP_NUM_THREADS",
            ThreadSource::Affinity => "from the CPU affinity mask",
            ThreadSource::NodeShare => "from the node's cores shared by its ranks",
        }
    }
}

/// What the machine tells us, gathered apart from the decision so that the
/// decision can be tested.
pub struct Machine {
    pub online_cores: usize,
    pub affinity_cores: Option<usize>,
    pub env: fn(&str) -> Option<String>,
}

impl Machine {
    pub fn current() -> Machine {
        Machine { online_cores: online_cores(), affinity_cores: affinity_cores(), env: |k| std::env::var(k).ok() }
    }
}

pub fn threads_per_rank(flag: Option<u32>, ranks_on_node: usize, m: &Machine) -> (usize, ThreadSource) {
    if let Some(n) = flag {
        return (n as usize, ThreadSource::Flag);
    }
    let positive = |key: &str| (m.env)(key).and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n > 0);
    if let Some(n) = positive("SLURM_CPUS_PER_TASK") {
        return (n, ThreadSource::Slurm);
    }
    if let Some(n) = positive("OMP_NUM_THREADS") {
        return (n, ThreadSource::OpenMp);
    }
    if let Some(n) = m.affinity_cores.filter(|&n| n > 0 && n < m.online_cores) {
        return (n, ThreadSource::Affinity);
    }
    ((m.online_cores / ranks_on_node.max(1)).max(1), ThreadSource::NodeShare)
}

fn online_cores() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n > 0 {
        n as usize
    } else {
        1
    }
}

fn affinity_cores() -> Option<usize> {
    // SAFETY: the set is zero-initialised and its size passed; pid 0 is this thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        (libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0)
            .then(|| libc::CPU_COUNT(&set) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(cores: usize, affinity: usize, env: fn(&str) -> Option<String>) -> Machine {
        Machine { online_cores: cores, affinity_cores: Some(affinity), env }
    }

    #[test]
    fn precedence_is_flag_slurm_omp_affinity_share() {
        let slurm_and_omp = |k: &str| match k {
            "SLURM_CPUS_PER_TASK" => Some("6".into()),
            "OMP_NUM_THREADS" => Some("3".into()),
            _ => None,
        };
        let omp = |k: &str| (k == "OMP_NUM_THREADS").then(|| "3".into());
        let none = |_: &str| None;
        assert_eq!(threads_per_rank(Some(2), 4, &machine(16, 16, slurm_and_omp)), (2, ThreadSource::Flag));
        assert_eq!(threads_per_rank(None, 4, &machine(16, 16, slurm_and_omp)), (6, ThreadSource::Slurm));
        assert_eq!(threads_per_rank(None, 4, &machine(16, 16, omp)), (3, ThreadSource::OpenMp));
        assert_eq!(threads_per_rank(None, 4, &machine(16, 1, none)), (1, ThreadSource::Affinity));
        assert_eq!(threads_per_rank(None, 4, &machine(16, 16, none)), (4, ThreadSource::NodeShare));
        // More ranks than cores still gives every rank one thread.
        assert_eq!(threads_per_rank(None, 4, &machine(2, 2, none)), (1, ThreadSource::NodeShare));
    }
}
