//! Runs a command to its end and reads what the kernel counted for it: wall time, CPU time and
//! peak resident memory (`wait4`).
//!
//! A process's peak memory as the kernel counts it includes the memory of the process it was
//! spawned from, up to the moment it started a new program: a child of the benchmark, which holds
//! the largest specs in memory, would be charged for them. So each command is started from a
//! small helper process (this same executable, run with [`HELPER`]), which prints what `wait4`
//! said about its child.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The first argument that makes this executable the helper: `HELPER PROGRAM ARGS...`.
pub const HELPER: &str = "--run-and-measure";

/// What one run of a process cost.
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    pub wall: Duration,
    /// User plus system CPU time.
    pub cpu: Duration,
    /// Peak resident set size, in bytes.
    pub peak_rss: u64,
    /// The exit code, or `None` when a signal ended it.
    pub code: Option<i32>,
}

/// Runs `program args` (standard input, output and error on `/dev/null`) through the helper, and
/// waits for it.
pub fn run(program: &Path, args: &[&str]) -> std::io::Result<Usage> {
    let output = Command::new(std::env::current_exe()?)
        .arg(HELPER)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<i64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    match fields[..] {
        [wall, cpu, rss, code] => Ok(Usage {
            wall: Duration::from_nanos(wall as u64),
            cpu: Duration::from_nanos(cpu as u64),
            peak_rss: rss as u64,
            code: (code >= 0).then_some(code as i32),
        }),
        _ => Err(std::io::Error::other(format!(
            "the measuring helper said `{}`",
            text.trim()
        ))),
    }
}

/// The helper: runs `args[0] args[1..]` and prints `wall_ns cpu_ns peak_rss_bytes exit_code`
/// (exit code -1 for a signal).
pub fn helper(args: &[String]) -> std::process::ExitCode {
    match measure(args) {
        Ok(u) => {
            println!(
                "{} {} {} {}",
                u.wall.as_nanos(),
                u.cpu.as_nanos(),
                u.peak_rss,
                u.code.unwrap_or(-1)
            );
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("cannot run {:?}: {err}", args.first());
            std::process::ExitCode::FAILURE
        }
    }
}

fn measure(args: &[String]) -> std::io::Result<Usage> {
    let (program, rest) = args
        .split_first()
        .ok_or_else(|| std::io::Error::other("no program"))?;
    let started = Instant::now();
    let child = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data that `wait4` fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (`Child` never waits unless asked),
        // and both pointers are to live locals.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let wall = started.elapsed();
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Ok(Usage {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux counts `ru_maxrss` in kilobytes.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
    })
}
