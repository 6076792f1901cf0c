use std::process::ExitCode;

use clap::Parser;

// `ampx dev` serves requests that allocate a lot (GraphQL values, QuickJS
// objects); mimalloc is markedly cheaper than the system allocator at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = ampx::cli::Cli::parse();
    let verbose = cli.global.verbose;
    // One thread is plenty: the work is waiting on AWS, and uploads overlap as tasks.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(ampx::commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            match e.detail() {
                Some(detail) if verbose => eprintln!("detail: {detail}"),
                _ => {}
            }
            ExitCode::FAILURE
        }
    }
}
