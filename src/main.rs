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

/// Turns transparent huge pages off for the process. mimalloc asks for them on its arenas, and
/// then every first touch of memory zeroes 2 MiB: measured on the corpus and on single specs, with
/// them the kernel's page zeroing is the top item of the profile and peak memory is higher (a small
/// spec 15 MB against 7 MB, Stripe 50 MB against 36 MB, the whole corpus 910 MB against 880 MB).
///
/// It runs as an ELF constructor, before the Rust runtime starts: the runtime's first allocation
/// (the main thread's name) already touches mimalloc's first arena, and done from `main` the
/// switch came one huge page late (2 MiB zeroed and kept in every run).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NO_TRANSPARENT_HUGE_PAGES: extern "C" fn() = no_transparent_huge_pages;

#[cfg(target_os = "linux")]
extern "C" fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; a failure (an
    // old kernel) leaves the process as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
