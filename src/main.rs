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
    if let Some(problem) = cpu_lacks_what_this_build_uses() {
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

/// This build's instructions (x86-64-v3, set in `.cargo/config.toml`) that
/// the CPU lacks, as an error to print, checked before any of them runs.
fn cpu_lacks_what_this_build_uses() -> Option<String> {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        use std::arch::is_x86_feature_detected as has;
        let needed = [
            ("avx2", has!("avx2")),
            ("fma", has!("fma")),
            ("bmi1", has!("bmi1")),
            ("bmi2", has!("bmi2")),
            ("lzcnt", has!("lzcnt")),
            ("movbe", has!("movbe")),
        ];
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
