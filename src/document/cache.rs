//! Parsed files, kept by path and re-parsed only when their text changes.
//!
//! A run keeps the files that `$ref`s reach (fragments several documents share are parsed once);
//! the language server keeps one cache for its whole life, so a keystroke re-parses only the
//! buffer that changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::source::{self, LineIndex, LoadProblem, ParseError, Tree};

/// The outcome of parsing one text.
pub struct Parsed {
    pub text: Arc<str>,
    pub lines: Arc<LineIndex>,
    /// `None` when the text does not parse (or is over a limit).
    pub tree: Option<Arc<Tree>>,
    pub problems: Vec<LoadProblem>,
    pub error: Option<ParseError>,
}

impl Parsed {
    /// Parses `text` as the file named `name` (its extension picks the syntax).
    pub fn new(name: &str, text: Arc<str>, limits: &source::Limits) -> Parsed {
        let lines = Arc::new(LineIndex::new(&text));
        let (tree, problems, error) = match source::parse_file(name, text.clone(), limits) {
            Ok((tree, problems)) => (Some(Arc::new(tree)), problems, None),
            Err(e) => (None, Vec::new(), Some(e)),
        };
        Parsed {
            text,
            lines,
            tree,
            problems,
            error,
        }
    }
}

/// Parsed files by canonical path.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<PathBuf, Arc<Parsed>>>,
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParseCache({} files)", self.len())
    }
}

impl ParseCache {
    /// The parse of `text` for the file at `abs`: the cached one when the file's text is unchanged.
    pub fn parse(
        &self,
        abs: &Path,
        name: &str,
        text: Arc<str>,
        limits: &source::Limits,
    ) -> Arc<Parsed> {
        if let Some(hit) = self.get(abs, &text) {
            return hit;
        }
        // Parsed outside the lock: other threads go on with other files.
        let parsed = Arc::new(Parsed::new(name, text, limits));
        self.lock().insert(abs.to_path_buf(), parsed.clone());
        parsed
    }

    fn get(&self, abs: &Path, text: &Arc<str>) -> Option<Arc<Parsed>> {
        let entries = self.lock();
        let hit = entries.get(abs)?;
        (Arc::ptr_eq(&hit.text, text) || *hit.text == **text).then(|| hit.clone())
    }

    /// Forgets every file for which `keep` says no (closed buffers, deleted files).
    pub fn retain(&self, mut keep: impl FnMut(&Path) -> bool) {
        self.lock().retain(|path, _| keep(path));
    }

    /// How many files are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Parsed>>> {
        // A panic while the lock was held left the map whole (inserts are single calls).
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_parsed_once_and_a_changed_text_again() {
        let cache = ParseCache::default();
        let limits = source::Limits::default();
        let path = Path::new("/p/a.yaml");
        let first = cache.parse(path, "a.yaml", Arc::from("a: 1\n"), &limits);
        let again = cache.parse(path, "a.yaml", Arc::from("a: 1\n"), &limits);
        assert!(Arc::ptr_eq(&first, &again));
        let changed = cache.parse(path, "a.yaml", Arc::from("a: 2\n"), &limits);
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!(cache.len(), 1);
        cache.retain(|_| false);
        assert!(cache.is_empty());
    }
}
