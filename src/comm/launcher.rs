//! What the launcher (mpirun, srun, mpiexec) says about this process through
//! the environment, readable before MPI starts. Used to print usage errors on
//! one rank only, and to catch a binary launched by a foreign MPI, which then
//! runs as N independent one-rank jobs.

const SIZE_VARS: [&str; 4] = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"];
const RANK_VARS: [&str; 3] = ["OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"];

/// The job size the launcher announced, if any.
pub fn launcher_size() -> Option<usize> {
    first_number(&SIZE_VARS)
}

/// This process's rank as the launcher announced it, if any.
pub fn launcher_rank() -> Option<usize> {
    first_number(&RANK_VARS)
}

fn first_number(vars: &[&str]) -> Option<usize> {
    vars.iter().find_map(|v| std::env::var(v).ok()?.trim().parse().ok())
}

/// The error for a launcher that started more ranks than MPI reports.
pub fn foreign_launcher_error(announced: usize, mpi_size: usize) -> anyhow::Error {
    anyhow::anyhow!(
        "the launcher started {announced} ranks but MPI reports a job of {mpi_size}: this rsrender was built \
         against another MPI implementation than the mpirun that started it (Open MPI vs MPICH?). \
         Launch it with the mpirun of the MPI it was built with, or rebuild it"
    )
}

pub fn check_size(mpi_size: usize) -> anyhow::Result<()> {
    match launcher_size() {
        Some(n) if n > 1 && mpi_size == 1 => Err(foreign_launcher_error(n, mpi_size)),
        _ => Ok(()),
    }
}
