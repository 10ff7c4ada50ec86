use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must not print the build machine's paths: say what failed, not where in the source.
    // A panic while linting one document also becomes an `internal-error` finding on it.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown failure");
        let _ = writeln!(
            io::stderr(),
            "rampart: internal error: {}; please report it with the input",
            rampart::output::escape(what)
        );
    }));
    match rampart::cli::run() {
        Ok(exit) => exit.into(),
        // Output cut short by a closed pipe (`rampart lint | head`) is not a failure.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "rampart: {err}");
            ExitCode::from(2)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
