use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
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
