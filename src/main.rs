//! The `rsrender` binary: parse flags, start the transport, install the
//! abort-on-panic hook, run, and turn any error into one line and an exit
//! code that ends every rank.

use clap::Parser;
use rsrender::cli::Cli;
use rsrender::comm;
use rsrender::interrupt::EXIT_INTERRUPTED;
use rsrender::Outcome;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(problem) = rsrender::accel::isa::build_target_missing() {
        if comm::launcher_rank().unwrap_or(0) == 0 {
            eprintln!("rsrender: error: {problem}");
        }
        return ExitCode::from(1);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help, version and usage errors: printed by one rank of a job only.
            if comm::launcher_rank().unwrap_or(0) == 0 {
                let _ = e.print();
            }
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let transport = match comm::init() {
        Ok(t) => t,
        Err(e) => {
            if comm::launcher_rank().unwrap_or(0) == 0 {
                eprintln!("rsrender: rank 0: error: {e:#}");
            }
            return ExitCode::from(1);
        }
    };
    comm::install_panic_hook(transport.rank());
    rsrender::interrupt::install();
    match rsrender::run(&cli, &*transport) {
        // Only rank 0 reports the stop in its exit code: a rank above 0 that
        // exits non-zero early would make mpirun kill rank 0 mid-checkpoint.
        Ok(Outcome::Interrupted) if transport.rank() == 0 => ExitCode::from(EXIT_INTERRUPTED),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rsrender: rank {}: error: {e:#}", transport.rank());
            if transport.size() > 1 {
                comm::let_the_launcher_forward_output();
                transport.abort(1);
            }
            ExitCode::from(1)
        }
    }
}
