//! The configuration file: `.rampart.yaml` (or `rampart.yaml`), found by walking up from each linted
//! document to the project root; the nearest applies to the documents below it.
//!
//! ```yaml
//! extends: recommended              # or strict / all
//! rules:
//!   string-unbounded: error         # off | hint | info | warning | error
//!   owasp:api4:2023-rate-limit: off # Spectral and vacuum ids are accepted as aliases
//!   rate-limit-headers-missing:
//!     severity: warning
//!     headers: [X-Org-Quota]        # rule options
//! overrides:
//!   - files: ["internal/**/*.yaml"]
//!     rules: { security-scheme-missing: off }
//! exclude: ["**/generated/**"]
//! fail-on: warning
//! ```
//!
//! Every mistake (unknown key, unknown rule with a suggestion, wrong severity, wrong option type) is
//! an error at the file's own line and column.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostic::Severity;
use crate::engine::{OptionKind, Policy, Preset, RuleMeta};
use crate::source::{Kind, LineIndex, NodeId, Syntax, Tree};

/// The names a configuration file may have, in the order they are looked for in a folder.
pub const FILE_NAMES: &[&str] = &[".rampart.yaml", "rampart.yaml"];

/// A mistake in a configuration file, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// Where a setting came from, for `rampart config`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    Preset,
    File(u32),
    Override(u32),
}

/// A rule's settings in one place of the file.
#[derive(Clone, Debug, Default)]
pub struct RuleSettings {
    /// `Some(None)` is `off`.
    pub severity: Option<Option<Severity>>,
    pub options: HashMap<String, serde_json::Value>,
    /// The line the rule is configured on.
    pub line: u32,
}

#[derive(Clone, Debug)]
pub struct Override {
    pub patterns: Vec<String>,
    files: GlobSet,
    pub rules: HashMap<&'static str, RuleSettings>,
    pub line: u32,
}

/// A configuration file, read and checked.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file (absolute), `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    pub preset: Option<Preset>,
    pub rules: HashMap<&'static str, RuleSettings>,
    pub overrides: Vec<Override>,
    /// Globs, relative to the file's folder.
    pub exclude: Vec<String>,
    /// `never` is `Some(None)`.
    pub fail_on: Option<Option<Severity>>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn read(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![ConfigError {
                path: shown.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read the configuration: {e}"),
            }]
        })?;
        let mut config = Config::parse(&shown, &text)?;
        config.path = Some(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
        Ok(config)
    }

    /// Checks the text of a configuration file named `shown`.
    pub fn parse(shown: &str, text: &str) -> Result<Config, Vec<ConfigError>> {
        let text: Arc<str> = Arc::from(text);
        let lines = LineIndex::new(&text);
        let at = |offset: u32, message: String| {
            let lc = lines.line_col(&text, offset);
            ConfigError {
                path: shown.to_string(),
                line: lc.line,
                column: lc.column,
                message,
            }
        };
        let tree = match crate::source::parse(text.clone(), Syntax::Yaml, &Default::default()) {
            Ok((tree, _)) => tree,
            Err(e) => {
                return Err(vec![at(
                    e.offset as u32,
                    format!("syntax error: {}", e.message),
                )]);
            }
        };
        let mut r = Reader {
            tree: &tree,
            errors: Vec::new(),
            at: &at,
        };
        let config = r.config();
        if r.errors.is_empty() {
            Ok(config)
        } else {
            Err(r.errors)
        }
    }

    /// The nearest configuration file above `file`, up to (and including) `root`.
    pub fn find(file: &Path, root: &Path) -> Option<PathBuf> {
        let abs = std::path::absolute(file).ok()?;
        let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
        let dir = if abs.is_dir() {
            abs.as_path()
        } else {
            abs.parent()?
        };
        Config::find_from(dir, root)
    }

    /// The nearest configuration file in `dir` (a canonical folder) or above it, up to (and
    /// including) `root`.
    pub fn find_from(dir: &Path, root: &Path) -> Option<PathBuf> {
        let mut dir = Some(dir);
        while let Some(d) = dir {
            for name in FILE_NAMES {
                let candidate = d.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
            if d == root || !d.starts_with(root) {
                break;
            }
            dir = d.parent();
        }
        None
    }

    /// The policy for a document at `relative` (its path relative to the configuration's folder,
    /// with `/`), with the preset the command line chose, if any.
    pub fn policy_for(&self, relative: &str, preset: Option<Preset>) -> Policy {
        let mut policy = Policy {
            preset: preset.or(self.preset).unwrap_or_default(),
            ..Policy::default()
        };
        let mut apply = |rules: &HashMap<&'static str, RuleSettings>| {
            for (id, settings) in rules {
                if let Some(severity) = settings.severity {
                    policy.severities.insert(id, severity);
                }
                if !settings.options.is_empty() {
                    let options = policy.options.entry(id).or_default();
                    for (k, v) in &settings.options {
                        options.insert(k.clone(), v.clone());
                    }
                }
            }
        };
        apply(&self.rules);
        for o in &self.overrides {
            if o.files.is_match(relative) {
                apply(&o.rules);
            }
        }
        policy
    }

    /// Where the severity of `meta` comes from for a document at `relative`, and what it is.
    pub fn explain(
        &self,
        meta: &RuleMeta,
        relative: &str,
        preset: Option<Preset>,
    ) -> (Option<Severity>, Source) {
        let policy = self.policy_for(relative, preset);
        let severity = policy.decide(meta, meta.severity);
        let mut source = if policy.preset == Preset::Recommended && meta.default_enabled {
            Source::Default
        } else {
            Source::Preset
        };
        if let Some(s) = self.rules.get(meta.id).filter(|s| s.severity.is_some()) {
            source = Source::File(s.line);
        }
        for o in &self.overrides {
            if o.files.is_match(relative)
                && let Some(s) = o.rules.get(meta.id).filter(|s| s.severity.is_some())
            {
                source = Source::Override(s.line);
            }
        }
        (severity, source)
    }
}

/// Walks the file's tree, collecting every mistake.
struct Reader<'t, 'f> {
    tree: &'t Tree,
    errors: Vec<ConfigError>,
    at: &'f dyn Fn(u32, String) -> ConfigError,
}

const TOP_KEYS: &[&str] = &["extends", "rules", "overrides", "exclude", "fail-on"];

impl Reader<'_, '_> {
    fn error(&mut self, node: NodeId, message: String) {
        let e = (self.at)(self.tree.span(node).start, message);
        self.errors.push(e);
    }

    fn line(&self, node: NodeId) -> u32 {
        (self.at)(self.tree.span(node).start, String::new()).line
    }

    fn config(&mut self) -> Config {
        let mut config = Config::default();
        let Some(root) = self.tree.root() else {
            return config;
        };
        if self.tree.kind(root) == Kind::Null {
            return config;
        }
        if self.tree.kind(root) != Kind::Mapping {
            self.error(
                root,
                "the configuration must be a mapping of settings".into(),
            );
            return config;
        }
        let entries: Vec<(NodeId, NodeId)> = self.tree.entries(root).collect();
        for (k, v) in entries {
            let key = self.tree.text(k).unwrap_or("").to_string();
            // A key left empty (its examples commented out) sets nothing.
            if self.tree.kind(v) == Kind::Null && TOP_KEYS.contains(&key.as_str()) {
                continue;
            }
            match key.as_str() {
                "extends" => {
                    config.preset = match self.tree.str(v) {
                        Some("recommended") => Some(Preset::Recommended),
                        Some("strict") => Some(Preset::Strict),
                        Some("all") => Some(Preset::All),
                        _ => {
                            self.error(
                                v,
                                "`extends` must be `recommended`, `strict` or `all`".into(),
                            );
                            None
                        }
                    }
                }
                "rules" => config.rules = self.rules(v),
                "overrides" => config.overrides = self.overrides(v),
                "exclude" => config.exclude = self.strings(v, "`exclude`").unwrap_or_default(),
                "fail-on" => {
                    config.fail_on = match self.tree.str(v) {
                        Some("never") => Some(None),
                        Some(s) => match s.parse::<Severity>() {
                            Ok(sev) => Some(Some(sev)),
                            Err(_) => {
                                self.error(v, format!("`fail-on` must be `error`, `warning`, `info`, `hint` or `never`, not `{s}`"));
                                None
                            }
                        },
                        None => {
                            self.error(v, "`fail-on` must be a severity or `never`".into());
                            None
                        }
                    }
                }
                other => {
                    let hint = crate::cli::suggest(other, TOP_KEYS.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| format!(" (known: {})", TOP_KEYS.join(", ")));
                    self.error(k, format!("unknown setting `{other}`{hint}"));
                }
            }
        }
        config
    }

    fn strings(&mut self, v: NodeId, what: &str) -> Option<Vec<String>> {
        if self.tree.kind(v) != Kind::Sequence {
            self.error(v, format!("{what} must be a list of strings"));
            return None;
        }
        let mut out = Vec::new();
        for &item in self.tree.items(v) {
            match self.tree.str(item) {
                Some(s) => out.push(s.to_string()),
                None => self.error(item, format!("{what} must be a list of strings")),
            }
        }
        Some(out)
    }

    fn rules(&mut self, v: NodeId) -> HashMap<&'static str, RuleSettings> {
        let mut out = HashMap::new();
        if self.tree.kind(v) != Kind::Mapping {
            self.error(
                v,
                "`rules` must be a mapping of rule ids to settings".into(),
            );
            return out;
        }
        let entries: Vec<(NodeId, NodeId)> = self.tree.entries(v).collect();
        for (k, value) in entries {
            let id = self.tree.text(k).unwrap_or("");
            let Some(meta) = crate::rules::find_meta(id) else {
                let names = crate::rules::ALL
                    .iter()
                    .map(|r| r.meta())
                    .chain(crate::engine::builtin::ALL.iter().copied())
                    .flat_map(|m| std::iter::once(m.id).chain(m.aliases.iter().copied()));
                let hint = crate::cli::suggest(id, names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| "; `rampart rules` lists them".to_string());
                let message = format!("unknown rule `{id}`{hint}");
                self.error(k, message);
                continue;
            };
            let settings = self.rule(meta, value, self.line(k));
            out.insert(meta.id, settings);
        }
        out
    }

    fn severity(&mut self, v: NodeId) -> Option<Option<Severity>> {
        match self.tree.str(v) {
            Some("off") => Some(None),
            Some(s) => match s.parse::<Severity>() {
                Ok(sev) => Some(Some(sev)),
                Err(_) => {
                    self.error(
                        v,
                        format!("unknown severity `{s}`: use off, hint, info, warning or error"),
                    );
                    None
                }
            },
            None => {
                self.error(
                    v,
                    "a severity must be off, hint, info, warning or error".into(),
                );
                None
            }
        }
    }

    fn rule(&mut self, meta: &'static RuleMeta, v: NodeId, line: u32) -> RuleSettings {
        let mut settings = RuleSettings {
            line,
            ..RuleSettings::default()
        };
        match self.tree.kind(v) {
            Kind::Str => settings.severity = self.severity(v),
            Kind::Mapping => {
                let entries: Vec<(NodeId, NodeId)> = self.tree.entries(v).collect();
                let specs = crate::rules::options_of(meta.id);
                for (k, value) in entries {
                    let key = self.tree.text(k).unwrap_or("").to_string();
                    if key == "severity" {
                        settings.severity = self.severity(value);
                        continue;
                    }
                    let Some(spec) = specs.iter().find(|s| s.name == key) else {
                        let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                        let hint = if known.is_empty() {
                            format!("`{}` takes only `severity`", meta.id)
                        } else {
                            format!("`{}` takes `severity`, `{}`", meta.id, known.join("`, `"))
                        };
                        self.error(k, format!("unknown option `{key}`: {hint}"));
                        continue;
                    };
                    let value = match spec.kind {
                        OptionKind::Strings => self
                            .strings(value, &format!("`{key}`"))
                            .map(|list| serde_json::json!(list)),
                    };
                    if let Some(value) = value {
                        settings.options.insert(key, value);
                    }
                }
            }
            _ => self.error(
                v,
                format!(
                    "`{}` must be a severity or a mapping with `severity` and options",
                    meta.id
                ),
            ),
        }
        settings
    }

    fn overrides(&mut self, v: NodeId) -> Vec<Override> {
        let mut out = Vec::new();
        if self.tree.kind(v) != Kind::Sequence {
            self.error(v, "`overrides` must be a list of `{files, rules}`".into());
            return out;
        }
        for &item in self.tree.items(v).to_vec().iter() {
            if self.tree.kind(item) != Kind::Mapping {
                self.error(
                    item,
                    "an override must be a mapping with `files` and `rules`".into(),
                );
                continue;
            }
            let mut patterns = Vec::new();
            let mut rules = HashMap::new();
            let mut builder = GlobSetBuilder::new();
            let entries: Vec<(NodeId, NodeId)> = self.tree.entries(item).collect();
            for (k, value) in entries {
                match self.tree.text(k).unwrap_or("") {
                    "files" => {
                        for p in self.strings(value, "`files`").unwrap_or_default() {
                            match GlobBuilder::new(&p).literal_separator(true).build() {
                                Ok(g) => {
                                    builder.add(g);
                                    patterns.push(p);
                                }
                                Err(e) => {
                                    self.error(value, format!("invalid glob `{p}`: {}", e.kind()))
                                }
                            }
                        }
                    }
                    "rules" => rules = self.rules(value),
                    other => self.error(
                        k,
                        format!(
                            "unknown setting `{other}` in an override (use `files` and `rules`)"
                        ),
                    ),
                }
            }
            let files = builder.build().unwrap_or_else(|_| GlobSet::empty());
            out.push(Override {
                patterns,
                files,
                rules,
                line: self.line(item),
            });
        }
        out
    }
}

/// A commented configuration file for `rampart init`.
pub fn starter() -> String {
    let mut out = String::from(
        "# rampart configuration (README.md, \"Configuration\", documents every key).\n\
         # The nearest .rampart.yaml above a document applies to it.\n\
         \n\
         # recommended (every rule not marked off), strict (one step more severe) or all\n\
         extends: recommended\n\
         \n\
         # Severity per rule: off, hint, info, warning or error; some rules take options.\n\
         rules:\n",
    );
    for rule in crate::rules::ALL {
        let m = rule.meta();
        out.push_str(&format!(
            "  # {}: {}    # {}\n",
            m.id, m.severity, m.summary
        ));
        for spec in rule.options() {
            out.push_str(&format!("  #   {}: [...]    # {}\n", spec.name, spec.doc));
        }
    }
    out.push_str(
        "\n# Settings for some files only (globs relative to this file's folder).\n\
         # overrides:\n\
         #   - files: [\"internal/**/*.yaml\"]\n\
         #     rules: { security-scheme-missing: off }\n\
         \n\
         # Files and folders never linted.\n\
         # exclude: [\"**/generated/**\"]\n\
         \n\
         # The severity that makes `rampart lint` exit with 1: error, warning, info or never.\n\
         # fail-on: error\n",
    );
    out
}

/// A path relative to a folder, with `/`, for matching override globs.
pub fn relative_to_dir(dir: &Path, file: &Path) -> String {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    crate::document::relative_path(dir, &abs).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match Config::parse("c.yaml", text) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_full_file_reads() {
        let c = Config::parse(
            "c.yaml",
            "extends: strict\nrules:\n  string-unbounded: error\n  owasp:api4:2023-rate-limit: off\n  rate-limit-headers-missing:\n    severity: warning\n    headers: [X-Org-Quota]\noverrides:\n  - files: [\"internal/**/*.yaml\"]\n    rules: { security-scheme-missing: off }\nexclude: [\"**/generated/**\"]\nfail-on: warning\n",
        )
        .unwrap();
        assert_eq!(c.preset, Some(Preset::Strict));
        assert_eq!(
            c.rules["string-unbounded"].severity,
            Some(Some(Severity::Error))
        );
        assert_eq!(
            c.rules["rate-limit-headers-missing"].severity,
            Some(Some(Severity::Warning))
        );
        assert_eq!(
            c.rules["rate-limit-headers-missing"].options["headers"],
            serde_json::json!(["X-Org-Quota"])
        );
        assert_eq!(c.exclude, ["**/generated/**"]);
        assert_eq!(c.fail_on, Some(Some(Severity::Warning)));
        let p = c.policy_for("internal/a.yaml", None);
        assert_eq!(p.severities.get("security-scheme-missing"), Some(&None));
        let p = c.policy_for("public/a.yaml", None);
        assert_eq!(p.severities.get("security-scheme-missing"), None);
        assert_eq!(
            p.severities.get("string-unbounded"),
            Some(&Some(Severity::Error))
        );
    }

    #[test]
    fn mistakes_are_reported_at_their_line_and_column() {
        assert_eq!(
            errors("extend: all\n"),
            ["c.yaml:1:1: unknown setting `extend`; did you mean `extends`?"]
        );
        assert_eq!(
            errors("rules:\n  strng-unbounded: error\n"),
            ["c.yaml:2:3: unknown rule `strng-unbounded`; did you mean `string-unbounded`?"]
        );
        assert_eq!(
            errors("rules:\n  string-unbounded: loud\n"),
            ["c.yaml:2:21: unknown severity `loud`: use off, hint, info, warning or error"]
        );
        assert_eq!(
            errors("rules:\n  rate-limit-headers-missing:\n    headers: X-Quota\n"),
            ["c.yaml:3:14: `headers` must be a list of strings"]
        );
        assert!(
            errors("rules:\n  string-unbounded:\n    colour: red\n")[0]
                .starts_with("c.yaml:3:5: unknown option `colour`")
        );
        assert_eq!(errors("fail-on: loud\n").len(), 1);
        assert_eq!(
            errors("rules: [a]\n"),
            ["c.yaml:1:8: `rules` must be a mapping of rule ids to settings"]
        );
    }
}
