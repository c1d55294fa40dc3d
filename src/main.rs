//! The `tfgen` binary: parse arguments, run, map the outcome to an exit code.
//! Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;

/// Small blocks from size-class pools: see `tfgen::allocator`.
#[global_allocator]
static ALLOCATOR: tfgen::allocator::Pools = tfgen::allocator::Pools::new();

fn main() -> ExitCode {
    let cli = tfgen::cli::Cli::parse();
    match tfgen::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "tfgen: {}",
                tfgen::terminal::escape_controls(&error.to_string())
            );
            ExitCode::from(2)
        }
    }
}
