//! Baselines: today's findings recorded by fingerprint, so that a change fails only on what it adds.
//!
//! The file is pretty JSON, one entry per line, sorted by file, rule and pointer, so that reviewers
//! can read its diffs:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"fingerprint": "0f3c…", "rule": "string-unbounded", "path": "api/openapi.yaml", "pointer": "/components/schemas/Pet/properties/name"}
//!   ]
//! }
//! ```
//!
//! Entries match by fingerprint (rule, root-relative file, JSON pointer, a narrow key of the
//! offending content): inserting lines, reformatting, reordering paths or running from another
//! folder keeps them; changing the offending node does not. `rule`, `path` and `pointer` are there
//! for people.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Report;

pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub pointer: String,
    pub fingerprint: String,
}

/// What applying a baseline did to a report.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Findings left out because the baseline records them.
    pub baselined: usize,
    /// Entries that match no finding any more (fixed, or changed): they can be dropped.
    pub stale: Vec<Entry>,
}

impl Baseline {
    /// The findings of a report, as a baseline.
    pub fn of(report: &Report) -> Baseline {
        let mut findings: Vec<Entry> = report
            .diagnostics
            .iter()
            .map(|d| Entry {
                path: crate::document::relative_path(&report.root, &d.location.abs).to_string(),
                rule: d.rule.to_string(),
                pointer: d.location.pointer.to_string(),
                fingerprint: d.fingerprint.clone(),
            })
            .collect();
        findings.sort();
        findings.dedup();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline `{}`: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "`{}` is not a rampart baseline (line {}, column {}: {e})",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version != VERSION {
            return Err(format!(
                "`{}` is a baseline of version {}; this rampart reads version {VERSION}",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The baseline as its file holds it: one entry per line, sorted.
    pub fn to_text(&self) -> String {
        let mut out = format!("{{\n  \"version\": {},\n  \"findings\": [", self.version);
        for (i, e) in self.findings.iter().enumerate() {
            let line = serde_json::to_string(e).unwrap_or_default();
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&line);
        }
        if !self.findings.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.to_text())
            .map_err(|e| format!("cannot write the baseline `{}`: {e}", path.display()))
    }

    /// Removes the findings the baseline records from the report; says how many, and which
    /// entries matched nothing.
    pub fn apply(&self, report: &mut Report) -> Applied {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let found: HashSet<String> = report
            .diagnostics
            .iter()
            .map(|d| d.fingerprint.clone())
            .collect();
        let before = report.diagnostics.len();
        report
            .diagnostics
            .retain(|d| !known.contains(d.fingerprint.as_str()));
        Applied {
            baselined: before - report.diagnostics.len(),
            stale: self
                .findings
                .iter()
                .filter(|e| !found.contains(&e.fingerprint))
                .cloned()
                .collect(),
        }
    }

    /// The baseline without the entries that matched nothing.
    pub fn pruned(&self, stale: &[Entry]) -> Baseline {
        Baseline {
            version: self.version,
            findings: self
                .findings
                .iter()
                .filter(|e| !stale.contains(e))
                .cloned()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_has_one_sorted_entry_per_line_and_reads_back() {
        let b = Baseline {
            version: VERSION,
            findings: vec![
                Entry {
                    path: "a.yaml".into(),
                    rule: "string-unbounded".into(),
                    pointer: "/x".into(),
                    fingerprint: "01".into(),
                },
                Entry {
                    path: "b.yaml".into(),
                    rule: "rate-limit-429-missing".into(),
                    pointer: "/paths".into(),
                    fingerprint: "02".into(),
                },
            ],
        };
        let text = b.to_text();
        assert_eq!(text.lines().count(), 7, "{text}");
        assert!(text.contains("\n    {\"path\":\"a.yaml\""), "{text}");
        let back: Baseline = serde_json::from_str(&text).unwrap();
        assert_eq!(back, b);
        let empty = Baseline {
            version: VERSION,
            findings: vec![],
        };
        assert_eq!(
            serde_json::from_str::<Baseline>(&empty.to_text()).unwrap(),
            empty
        );
    }
}
