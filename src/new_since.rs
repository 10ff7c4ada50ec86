//! `--new-since REF`: only the findings the working tree adds compared to a git revision.
//!
//! The same paths are linted a second time with every file the run read replaced, in memory, by its
//! text at the revision (`git show REF:./file`); the working tree is never touched. A current finding
//! is new when the revision's run has no finding with its fingerprint (rule, root-relative file, JSON
//! pointer, narrow content key): code that moved or was reformatted is not new.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::{LintRequest, Report};

/// How many rounds may add files that only the revision's documents read (through `$ref`s).
const ROUNDS: usize = 4;

/// Removes from `report` the findings that `request` also gives at the revision `rev`; returns how
/// many it removed.
pub fn apply(request: &LintRequest, report: &mut Report, rev: &str) -> Result<usize, String> {
    let commit = resolve(rev)?;
    let mut overlays: HashMap<PathBuf, Arc<str>> = HashMap::new();
    let mut then = None;
    let mut pending: Vec<PathBuf> = read_by(report);
    for _ in 0..ROUNDS {
        pending.retain(|p| !overlays.contains_key(p));
        if pending.is_empty() && then.is_some() {
            break;
        }
        for path in pending.drain(..) {
            let text = show(&commit, &path)?;
            overlays.insert(path, text);
        }
        let mut old = request.clone();
        old.overlays.extend(overlays.clone());
        let run = crate::lint(&old);
        pending = read_by(&run);
        then = Some(run);
    }
    let Some(then) = then else { return Ok(0) };
    let known: HashSet<&str> = then
        .diagnostics
        .iter()
        .map(|d| d.fingerprint.as_str())
        .collect();
    let before = report.diagnostics.len();
    report
        .diagnostics
        .retain(|d| !known.contains(d.fingerprint.as_str()));
    Ok(before - report.diagnostics.len())
}

/// The canonical paths of the files a run read from disk.
fn read_by(report: &Report) -> Vec<PathBuf> {
    report
        .files
        .iter()
        .filter_map(|f| std::fs::canonicalize(&*f.path).ok())
        .collect()
}

/// The commit a revision names, or why it names none.
fn resolve(rev: &str) -> Result<String, String> {
    let out = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| format!("--new-since needs git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "--new-since: `{rev}` names no commit of this repository"
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The text of a file at a commit; empty when the file is not there (everything in it is new).
fn show(commit: &str, path: &Path) -> Result<Arc<str>, String> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(Arc::from(""));
    };
    let mut spec = std::ffi::OsString::from(format!("{commit}:./"));
    spec.push(name);
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", "--no-textconv"])
        .arg(spec)
        .output()
        .map_err(|e| format!("--new-since needs git: {e}"))?;
    if !out.status.success() {
        let cause = String::from_utf8_lossy(&out.stderr);
        if cause.contains("not a git repository") {
            return Err(format!(
                "--new-since: `{}` is not in a git repository",
                path.display()
            ));
        }
        return Ok(Arc::from(""));
    }
    Ok(Arc::from(String::from_utf8_lossy(&out.stdout).as_ref()))
}
