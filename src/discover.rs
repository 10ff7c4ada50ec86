//! Which files to lint: explicit files, folders walked for `*.yaml`/`*.yml`/`*.json`, glob patterns.
//!
//! - A path to an existing file is linted whatever its extension (`explicit`).
//! - A folder is walked (following symlinks, skipping symlink loops) for `*.yaml`, `*.yml` and `*.json`,
//!   leaving out folders named `.git`, `node_modules` and `target` and whatever an exclude glob matches.
//! - An argument that names no existing path but contains `*`, `?`, `[` or `{` is a glob: it is walked from
//!   its literal prefix folder and keeps the spec files it matches.
//!
//! Exclude globs are matched against the path relative to the walked folder, the path as shown (relative to
//! the working directory when the argument was relative) and the bare file or folder name, so both
//! `fixtures/**` and `*.generated.yaml` work. `*` does not cross `/`; `**` does.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use walkdir::{DirEntry, WalkDir};

/// Folder names never walked into (a walk's own root is always walked).
pub const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target"];

/// Extensions of files a folder walk or a glob picks up.
pub const SPEC_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The path as the user would expect to see it: relative arguments stay relative, `./` is dropped.
    pub path: PathBuf,
    /// Named on the command line, rather than found by walking a folder or matching a glob.
    pub explicit: bool,
}

/// The outcome of [`discover`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Sorted by path; each file once.
    pub files: Vec<Found>,
    /// What the user typed (or the path that failed during a walk) and why it gave nothing.
    pub errors: Vec<(String, String)>,
}

/// Finds the files that `paths` name (`.` when empty), leaving out what `exclude` matches.
///
/// An invalid exclude glob is an error and nothing is discovered: linting more than was asked for would be
/// worse than linting nothing.
pub fn discover(paths: &[String], exclude: &[String]) -> Discovery {
    let mut discovery = Discovery::default();
    let excludes = match build_excludes(exclude) {
        Ok(set) => set,
        Err(errors) => {
            discovery.errors = errors;
            return discovery;
        }
    };

    let default_paths = [".".to_string()];
    let paths = if paths.is_empty() {
        &default_paths[..]
    } else {
        paths
    };

    let mut found = Vec::new();
    for arg in paths {
        let path = normalize(Path::new(arg));
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                walk_dir(&path, &excludes, &mut found, &mut discovery.errors)
            }
            Ok(_) => found.push(Found {
                path,
                explicit: true,
            }),
            Err(err) if err.kind() == io::ErrorKind::NotFound && is_glob(arg) => {
                match walk_glob(arg, &excludes, &mut found, &mut discovery.errors) {
                    Ok(0) => discovery
                        .errors
                        .push((arg.clone(), "pattern matched no files".to_string())),
                    Ok(_) => {}
                    Err(cause) => discovery.errors.push((arg.clone(), cause)),
                }
            }
            Err(err) => discovery.errors.push((arg.clone(), io_cause(&err))),
        }
    }

    discovery.files = dedup(found);
    discovery
}

/// True when `arg` contains glob metacharacters.
pub fn is_glob(arg: &str) -> bool {
    arg.contains(['*', '?', '[', '{'])
}

/// Drops `.` components (`./x` → `x`, `a/./b` → `a/b`) and trailing separators; `..` is kept.
fn normalize(path: &Path) -> PathBuf {
    let out: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// A short, lowercase cause for an I/O error.
fn io_cause(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = err.to_string();
            let text = match text.find(" (os error") {
                Some(i) => &text[..i],
                None => &text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "i/o error".to_string(),
            }
        }
    }
}

fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid glob: {}", e.kind()))
}

fn build_excludes(exclude: &[String]) -> Result<GlobSet, Vec<(String, String)>> {
    let mut builder = GlobSetBuilder::new();
    let mut errors = Vec::new();
    for pattern in exclude {
        match GlobBuilder::new(pattern).literal_separator(true).build() {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => errors.push((pattern.clone(), format!("invalid glob: {}", e.kind()))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    builder
        .build()
        .map_err(|e| vec![(exclude.join(" "), format!("invalid glob: {}", e.kind()))])
}

fn has_spec_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SPEC_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// True when a walk below `root` should leave this entry (and, for a folder, all below it) out.
fn excluded(entry: &DirEntry, root: &Path, excludes: &GlobSet) -> bool {
    if entry.depth() == 0 {
        return false;
    }
    let name = entry.file_name();
    if entry.file_type().is_dir() && name.to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n)) {
        return true;
    }
    if excludes.is_empty() {
        return false;
    }
    let shown = normalize(entry.path());
    let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
    excludes.is_match(Path::new(name)) || excludes.is_match(relative) || excludes.is_match(&shown)
}

/// Records a walk error unless it is a symlink loop (skipped) or a dangling link that is not a spec file.
fn walk_error(err: walkdir::Error, errors: &mut Vec<(String, String)>) {
    if err.loop_ancestor().is_some() {
        return;
    }
    let path = err.path().map(normalize);
    let dangling = path.as_deref().is_some_and(|p| {
        fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) && !p.exists()
    });
    if dangling && !path.as_deref().is_some_and(has_spec_extension) {
        return;
    }
    let cause = match err.io_error() {
        Some(io) => io_cause(io),
        None => err.to_string(),
    };
    let shown = path.map_or_else(String::new, |p| p.display().to_string());
    errors.push((shown, cause));
}

fn walk_dir(
    root: &Path,
    excludes: &GlobSet,
    found: &mut Vec<Found>,
    errors: &mut Vec<(String, String)>,
) {
    let walk = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !excluded(e, root, excludes));
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() && has_spec_extension(e.path()) => found.push(Found {
                path: normalize(e.path()),
                explicit: false,
            }),
            Ok(_) => {}
            Err(err) => walk_error(err, errors),
        }
    }
}

/// Walks from the literal prefix of `pattern`; returns how many files matched.
fn walk_glob(
    pattern: &str,
    excludes: &GlobSet,
    found: &mut Vec<Found>,
    errors: &mut Vec<(String, String)>,
) -> Result<usize, String> {
    let normalized = normalize(Path::new(pattern));
    let Some(normalized_str) = normalized.to_str() else {
        return Err("pattern is not valid unicode".to_string());
    };
    let matcher = glob(normalized_str)?;

    let mut base = PathBuf::new();
    let mut rest = Vec::new();
    for component in normalized.components() {
        let text = component.as_os_str().to_string_lossy();
        if rest.is_empty() && !is_glob(&text) {
            base.push(component);
        } else {
            rest.push(text.into_owned());
        }
    }
    let root = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    if !root.is_dir() {
        return Ok(0);
    }

    let mut walker = WalkDir::new(&root).follow_links(true).sort_by_file_name();
    if !rest.iter().any(|c| c.contains("**")) {
        walker = walker.max_depth(rest.len());
    }
    let before = found.len();
    for entry in walker
        .into_iter()
        .filter_entry(|e| !excluded(e, &root, excludes))
    {
        match entry {
            Ok(e) if e.file_type().is_file() && has_spec_extension(e.path()) => {
                let path = normalize(e.path());
                if matcher.is_match(&path) {
                    found.push(Found {
                        path,
                        explicit: false,
                    });
                }
            }
            Ok(_) => {}
            // A dangling link the pattern does not match is none of its business; a folder that
            // cannot be read may hold matches.
            Err(err)
                if err
                    .path()
                    .map(normalize)
                    .is_some_and(|p| !matcher.is_match(&p) && !p.is_dir()) => {}
            Err(err) => walk_error(err, errors),
        }
    }
    Ok(found.len() - before)
}

/// The nearest folder at or above `dir` (an absolute path) that holds a `.git` folder or file.
pub fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Sorts by path and keeps each file once (by canonical path); a file named explicitly stays explicit.
fn dedup(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for f in found {
        let key = fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
        match seen.get(&key) {
            Some(&i) => out[i].explicit |= f.explicit,
            None => {
                seen.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Creates the files (and their folders) under `root`.
    fn tree(root: &Path, files: &[&str]) {
        for f in files {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "openapi: 3.0.3\n").unwrap();
        }
    }

    /// Runs discovery with `root` as the working directory's stand-in: arguments are joined onto it and
    /// results are shown relative to it.
    type Outcome = (Vec<(String, bool)>, Vec<(String, String)>);

    fn run(root: &Path, paths: &[&str], exclude: &[&str]) -> Outcome {
        let prefix = format!("{}/", root.display());
        let paths: Vec<String> = paths.iter().map(|p| format!("{prefix}{p}")).collect();
        let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
        let d = discover(&paths, &exclude);
        let files = d
            .files
            .iter()
            .map(|f| {
                let p = f.path.strip_prefix(root).unwrap_or(&f.path);
                (p.display().to_string(), f.explicit)
            })
            .collect();
        let errors = d
            .errors
            .into_iter()
            .map(|(w, c)| (w.strip_prefix(&prefix).unwrap_or(&w).to_string(), c))
            .collect();
        (files, errors)
    }

    fn names(files: &[(String, bool)]) -> Vec<&str> {
        files.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn walks_folders_for_spec_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tree(
            root,
            &[
                "b.yaml",
                "a.json",
                "c.yml",
                "notes.txt",
                "sub/d.YAML",
                ".git/e.yaml",
                "node_modules/f.json",
                "sub/target/g.yaml",
            ],
        );
        let (files, errors) = run(root, &["."], &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names(&files), ["a.json", "b.yaml", "c.yml", "sub/d.YAML"]);
        assert!(files.iter().all(|(_, explicit)| !explicit));
    }

    #[test]
    fn explicit_files_are_kept_whatever_their_extension() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["spec.txt", "target/x.yaml"]);
        let (files, errors) = run(dir.path(), &["spec.txt", "target/x.yaml"], &["*.txt"]);
        assert!(errors.is_empty());
        assert_eq!(
            files,
            [
                ("spec.txt".to_string(), true),
                ("target/x.yaml".to_string(), true)
            ]
        );
    }

    #[test]
    fn a_named_folder_is_walked_even_when_its_name_is_skipped_below() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["target/a.yaml", "target/target/b.yaml"]);
        let (files, _) = run(dir.path(), &["target"], &[]);
        assert_eq!(names(&files), ["target/a.yaml"]);
    }

    #[test]
    fn excludes_match_relative_paths_and_names() {
        let dir = tempfile::tempdir().unwrap();
        tree(
            dir.path(),
            &[
                "api.yaml",
                "api.generated.yaml",
                "fixtures/x.yaml",
                "fixtures/deep/y.yaml",
                "sub/fixtures/z.yaml",
                "sub/w.generated.yaml",
            ],
        );
        let (files, errors) = run(dir.path(), &[""], &["fixtures/**", "*.generated.yaml"]);
        assert!(errors.is_empty());
        assert_eq!(names(&files), ["api.yaml", "sub/fixtures/z.yaml"]);

        let (files, _) = run(dir.path(), &[""], &["fixtures"]);
        assert_eq!(
            names(&files),
            ["api.generated.yaml", "api.yaml", "sub/w.generated.yaml"]
        );
    }

    #[test]
    fn a_bad_exclude_glob_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["a.yaml"]);
        let (files, errors) = run(dir.path(), &[""], &["[oops"]);
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "[oops");
        assert!(errors[0].1.starts_with("invalid glob: "), "{}", errors[0].1);
    }

    #[test]
    fn globs_match_from_their_literal_prefix() {
        let dir = tempfile::tempdir().unwrap();
        tree(
            dir.path(),
            &[
                "specs/a.yaml",
                "specs/b.json",
                "specs/n.txt",
                "specs/v1/c.yaml",
                "other/d.yaml",
            ],
        );
        let (files, errors) = run(dir.path(), &["specs/*"], &[]);
        assert!(errors.is_empty());
        assert_eq!(names(&files), ["specs/a.yaml", "specs/b.json"]);
        assert!(files.iter().all(|(_, explicit)| !explicit));

        let (files, _) = run(dir.path(), &["specs/**/*.yaml"], &[]);
        assert_eq!(names(&files), ["specs/a.yaml", "specs/v1/c.yaml"]);

        let (files, _) = run(dir.path(), &["**/*.{yaml,json}"], &["other/**"]);
        assert_eq!(
            names(&files),
            ["specs/a.yaml", "specs/b.json", "specs/v1/c.yaml"]
        );
    }

    #[test]
    fn missing_paths_and_empty_globs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["a.yaml"]);
        let (files, errors) = run(
            dir.path(),
            &["nope.yaml", "*.json", "missing/*.yaml", "a.yaml"],
            &[],
        );
        assert_eq!(names(&files), ["a.yaml"]);
        assert_eq!(
            errors,
            [
                (
                    "nope.yaml".to_string(),
                    "no such file or directory".to_string()
                ),
                ("*.json".to_string(), "pattern matched no files".to_string()),
                (
                    "missing/*.yaml".to_string(),
                    "pattern matched no files".to_string()
                ),
            ]
        );
    }

    #[test]
    fn results_are_sorted_and_each_file_appears_once() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["b.yaml", "a.yaml", "sub/c.yaml"]);
        let (files, errors) = run(
            dir.path(),
            &["sub", "b.yaml", "", "*.yaml", "./a.yaml"],
            &[],
        );
        assert!(errors.is_empty());
        assert_eq!(
            files,
            [
                ("a.yaml".to_string(), true),
                ("b.yaml".to_string(), true),
                ("sub/c.yaml".to_string(), false),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_do_not_hang_and_links_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), &["real/a.yaml"]);
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("real/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("gone.yaml"),
            dir.path().join("dangling.yaml"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling-dir"))
            .unwrap();
        let (files, errors) = run(dir.path(), &[""], &[]);
        // `link/a.yaml` and `real/a.yaml` are the same file: shown once, under the first name.
        assert_eq!(names(&files), ["link/a.yaml"]);
        assert_eq!(
            errors,
            [(
                "dangling.yaml".to_string(),
                "no such file or directory".to_string()
            )]
        );
    }

    #[test]
    fn relative_arguments_stay_relative() {
        assert_eq!(normalize(Path::new("./x")), PathBuf::from("x"));
        assert_eq!(normalize(Path::new("./a/./b/")), PathBuf::from("a/b"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("/abs/x")), PathBuf::from("/abs/x"));
    }

    #[test]
    fn empty_paths_mean_the_current_folder() {
        // Only checks that `.` is walked and paths come out without a `./` prefix.
        let d = discover(&[], &["**".to_string()]);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert!(d.files.is_empty());
        let d = discover(&[], &[]);
        assert!(d.files.iter().all(|f| !f.path.starts_with(".")));
    }

    #[test]
    fn io_causes_are_lowercase_without_os_codes() {
        let err = io::Error::from_raw_os_error(21);
        let cause = io_cause(&err);
        assert!(!cause.contains("os error"), "{cause}");
        assert!(
            cause.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{cause}"
        );
    }
}
