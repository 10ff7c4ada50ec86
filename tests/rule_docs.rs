//! The rule pages (`rules/<id>.md`) are the rules' documentation and their first tests.
//!
//! For every registered rule the page must have the fixed headings, in order; the single ```yaml block
//! under `## Example` is linted with that rule alone and its findings must start exactly on the lines
//! marked `# error: [<id>]`; the single ```yaml block under `## Use instead` must yield nothing at all.
//! Every problem of every page is collected and reported in one failure.
//!
//! The registry tests at the bottom keep `rules::ALL` honest: ids unique, kebab-case and sorted,
//! aliases never colliding, one page per rule and no page without a rule.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rampart::LintRequest;
use rampart::engine::{Rule, RuleMeta, builtin};
use rampart::rules::ALL;

const WHAT: &str = "## What it does";
const WHY: &str = "## Why is this bad?";
const EXAMPLE: &str = "## Example";
const USE_INSTEAD: &str = "## Use instead";
const KNOWN_PROBLEMS: &str = "## Known problems";
const REFERENCES: &str = "## References";

/// The marker that says "a finding of this rule starts on this line".
const MARKER: &str = "# error: [";

/// A Markdown page split into what the harness needs.
struct Page<'a> {
    /// `(heading line as written, 1-based page line)` for `#` and `##` headings outside code blocks.
    headings: Vec<(&'a str, usize)>,
    /// Fenced code blocks.
    blocks: Vec<Block<'a>>,
    /// `(section heading, text)` for each `##` section.
    sections: Vec<(&'a str, String)>,
    problems: Vec<String>,
}

struct Block<'a> {
    /// The `##` heading the block is under.
    section: &'a str,
    /// The info string after the opening fence (`yaml`).
    lang: &'a str,
    /// 1-based page line of the opening fence.
    fence_line: usize,
    text: String,
}

impl Block<'_> {
    /// The page line of a 1-based line of the block.
    fn page_line(&self, line: usize) -> usize {
        self.fence_line + line
    }
}

fn parse(page: &str) -> Page<'_> {
    let mut out = Page {
        headings: Vec::new(),
        blocks: Vec::new(),
        sections: Vec::new(),
        problems: Vec::new(),
    };
    let mut section = "";
    let mut open: Option<Block<'_>> = None;
    for (i, line) in page.lines().enumerate() {
        let number = i + 1;
        if let Some(block) = open.as_mut() {
            if line.trim_start().starts_with("```") {
                out.blocks.extend(open.take());
            } else {
                block.text.push_str(line);
                block.text.push('\n');
            }
            continue;
        }
        if let Some(info) = line.trim_start().strip_prefix("```") {
            open = Some(Block {
                section,
                lang: info.trim(),
                fence_line: number,
                text: String::new(),
            });
            continue;
        }
        if line.starts_with("# ") || line.starts_with("## ") {
            out.headings.push((line.trim_end(), number));
            if line.starts_with("## ") {
                section = line.trim_end();
                out.sections.push((section, String::new()));
            }
            continue;
        }
        if let Some((_, text)) = out.sections.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some(block) = open {
        out.problems.push(format!(
            "the code block opened on line {} is never closed",
            block.fence_line
        ));
    }
    out
}

/// Checks the headings: `# <id>`, then the fixed `##` sections in order (`Known problems` optional).
fn check_headings(id: &str, page: &Page<'_>, problems: &mut Vec<String>) {
    let title = format!("# {id}");
    let mut expected = vec![title.as_str(), WHAT, WHY, EXAMPLE, USE_INSTEAD];
    if page.headings.iter().any(|(h, _)| *h == KNOWN_PROBLEMS) {
        expected.push(KNOWN_PROBLEMS);
    }
    expected.push(REFERENCES);
    let found: Vec<&str> = page.headings.iter().map(|(h, _)| *h).collect();
    if found != expected {
        problems.push(format!(
            "the headings must be, in this order:\n        {}\n      found:\n        {}",
            expected.join("\n        "),
            page.headings
                .iter()
                .map(|(h, n)| format!("{h}  (line {n})"))
                .collect::<Vec<_>>()
                .join("\n        ")
        ));
    }
    if page.headings.first().is_none_or(|(_, n)| *n != 1) {
        problems.push(format!("the page must start with `{title}` on line 1"));
    }
}

/// The single ```yaml block of a section.
/// A built-in check's page may show a ```text block instead where the problem cannot be written
/// as one YAML file (an unreadable file, a size limit); it is not executed.
fn single_yaml_block<'p, 'a>(
    page: &'p Page<'a>,
    section: &str,
    text_allowed: bool,
    problems: &mut Vec<String>,
) -> Option<&'p Block<'a>> {
    let blocks: Vec<&Block<'_>> = page
        .blocks
        .iter()
        .filter(|b| b.section == section)
        .collect();
    match blocks.as_slice() {
        [block] if block.lang == "yaml" => Some(block),
        [block] if text_allowed && block.lang == "text" => None,
        [block] => {
            problems.push(format!(
                "`{section}`: the code block on line {} must be ```yaml, found ```{}",
                block.fence_line, block.lang
            ));
            None
        }
        _ => {
            problems.push(format!(
                "`{section}` must hold exactly one ```yaml block, found {}",
                blocks.len()
            ));
            None
        }
    }
}

/// Lines (1-based, in the block) marked `# error: [<id>]`. A marker naming another rule, or one that
/// cannot be read, is a problem.
fn marked_lines(id: &str, block: &Block<'_>, problems: &mut Vec<String>) -> BTreeSet<u32> {
    let mut lines = BTreeSet::new();
    for (i, line) in block.text.lines().enumerate() {
        let n = i + 1;
        let Some(at) = line.find("# error:") else {
            continue;
        };
        let marker = &line[at..];
        let ids = marker
            .strip_prefix(MARKER)
            .and_then(|rest| rest.split_once(']'))
            .map(|(ids, _)| ids);
        let Some(ids) = ids else {
            problems.push(format!(
                "`{EXAMPLE}`, page line {}: cannot read the marker `{}` (write `# error: [{id}]`)",
                block.page_line(n),
                marker.trim_end()
            ));
            continue;
        };
        for other in ids.split(',').map(str::trim) {
            if other == id {
                lines.insert(n as u32);
            } else {
                problems.push(format!(
                    "`{EXAMPLE}`, page line {}: the marker names `{other}`, but only `{id}` runs on this page",
                    block.page_line(n)
                ));
            }
        }
    }
    lines
}

/// Lints `text` as a file of its own with only `rule` enabled (no rule for a built-in check):
/// `(rule id, line, message)` of each finding.
fn lint_one(
    id: &str,
    rules: &[&'static dyn Rule],
    text: &str,
    section: &str,
    problems: &mut Vec<String>,
) -> Vec<(&'static str, u32, String)> {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            problems.push(format!(
                "`{section}`: cannot create a temporary folder: {e}"
            ));
            return Vec::new();
        }
    };
    let path: PathBuf = dir.path().join(format!("{id}.yaml"));
    if let Err(e) = std::fs::write(&path, text) {
        problems.push(format!("`{section}`: cannot write {}: {e}", path.display()));
        return Vec::new();
    }
    // The rule runs whatever its preset: rules that are off by default are documented too.
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            policy: rampart::engine::Policy {
                preset: rampart::engine::Preset::All,
                ..Default::default()
            },
            ..Default::default()
        },
        rules,
    );
    // A built-in check's example may be a file that is not a document at all (a syntax error).
    if report.documents() != 1 && !rules.is_empty() {
        problems.push(format!(
            "`{section}`: the block must be one OpenAPI document, {} were linted",
            report.documents()
        ));
    }
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.location.start.line, d.message.clone()))
        .collect()
}

/// Every problem with one page: a rule's, or a built-in check's (`rule` is `None`).
fn check_page(meta: &'static RuleMeta, rule: Option<&'static dyn Rule>) -> Vec<String> {
    let id = meta.id;
    let rules: Vec<&'static dyn Rule> = rule.into_iter().collect();
    let builtin = rule.is_none();
    let page = parse(meta.docs);
    let mut problems = page.problems.clone();
    check_headings(id, &page, &mut problems);

    if let Some(owasp) = meta.owasp {
        let category = owasp.to_string();
        let why = page.sections.iter().find(|(h, _)| *h == WHY);
        if why.is_some_and(|(_, text)| !text.contains(&category)) {
            problems.push(format!("`{WHY}` must name the OWASP category `{category}`"));
        }
    }

    if let Some(block) = single_yaml_block(&page, EXAMPLE, builtin, &mut problems) {
        let marked = marked_lines(id, block, &mut problems);
        if marked.is_empty() {
            problems.push(format!(
                "`{EXAMPLE}` marks no line with `# error: [{id}]`: it must show at least one finding"
            ));
        }
        let found = lint_one(id, &rules, &block.text, EXAMPLE, &mut problems);
        let mut reported = BTreeSet::new();
        for (rule_id, line, message) in &found {
            if *rule_id == id {
                reported.insert(*line);
                if !marked.contains(line) {
                    problems.push(format!(
                        "`{EXAMPLE}`, page line {}: unexpected finding (mark the line or change the example): {message}",
                        block.page_line(*line as usize)
                    ));
                }
            } else {
                problems.push(format!(
                    "`{EXAMPLE}`, page line {}: the example must yield only `{id}` findings, got [{rule_id}] {message}",
                    block.page_line(*line as usize)
                ));
            }
        }
        for line in marked.difference(&reported) {
            problems.push(format!(
                "`{EXAMPLE}`, page line {}: marked `# error: [{id}]`, but no finding starts on this line",
                block.page_line(*line as usize)
            ));
        }
    }

    if let Some(block) = single_yaml_block(&page, USE_INSTEAD, builtin, &mut problems) {
        if block.text.contains("# error:") {
            problems.push(format!(
                "`{USE_INSTEAD}` must not carry `# error:` markers: it is the passing example"
            ));
        }
        for (rule_id, line, message) in
            lint_one(id, &rules, &block.text, USE_INSTEAD, &mut problems)
        {
            problems.push(format!(
                "`{USE_INSTEAD}`, page line {}: the passing example must yield nothing, got [{rule_id}] {message}",
                block.page_line(line as usize)
            ));
        }
    }
    problems
}

/// Collects the problems of every rule and fails once, listing them all.
fn report(what: &str, problems: Vec<(String, Vec<String>)>) {
    let mut text = String::new();
    let mut count = 0;
    for (subject, list) in &problems {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(text, "{subject}:");
        for p in list {
            count += 1;
            let _ = writeln!(text, "  - {p}");
        }
    }
    assert!(count == 0, "{count} {what} problem(s):\n{text}");
}

#[test]
fn rule_pages_have_the_fixed_shape_and_their_examples_hold() {
    let problems = ALL
        .iter()
        .map(|&rule| (rule.meta(), Some(rule)))
        .chain(builtin::ALL.iter().map(|&meta| (meta, None)))
        .map(|(meta, rule)| (format!("rules/{}.md", meta.id), check_page(meta, rule)))
        .collect();
    report("rule page", problems);
}

/// Every rule's metadata, then every built-in check's.
fn all_metas() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter()
        .map(|r| r.meta())
        .chain(builtin::ALL.iter().copied())
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

#[test]
fn every_rule_has_its_page_and_every_page_a_rule() {
    let mut problems = Vec::new();
    let ids: BTreeSet<&str> = all_metas().map(|m| m.id).collect();
    for meta in all_metas() {
        let path = rules_dir().join(format!("{}.md", meta.id));
        match std::fs::read_to_string(&path) {
            Ok(text) if text == meta.docs => {}
            Ok(_) => problems.push(format!(
                "`{}`: `meta().docs` is not the text of rules/{}.md (check the `include_str!` path)",
                meta.id, meta.id
            )),
            Err(e) => problems.push(format!("`{}`: cannot read rules/{}.md: {e}", meta.id, meta.id)),
        }
    }
    match std::fs::read_dir(rules_dir()) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                if !ids.contains(stem) {
                    problems.push(format!(
                        "rules/{stem}.md is an orphan: no rule or built-in check has the id `{stem}`"
                    ));
                }
            }
        }
        Err(e) => problems.push(format!("cannot list {}: {e}", rules_dir().display())),
    }
    report("page", vec![("rules/".to_string(), problems)]);
}

fn is_kebab_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn rule_ids_are_unique_kebab_case_and_sorted() {
    let mut problems = Vec::new();
    let ids: Vec<&str> = ALL.iter().map(|r| r.meta().id).collect();
    let builtin_ids: Vec<&str> = builtin::ALL.iter().map(|m| m.id).collect();
    for pair in builtin_ids.windows(2) {
        if pair[0] >= pair[1] {
            problems.push(format!(
                "`builtin::ALL` must be sorted by id: `{}` comes before `{}`",
                pair[0], pair[1]
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for id in &builtin_ids {
        if !seen.insert(*id) || !is_kebab_case(id) {
            problems.push(format!("built-in `{id}` is repeated or not kebab-case"));
        }
    }
    for id in &ids {
        if !seen.insert(*id) {
            problems.push(format!("`{id}` is registered more than once"));
        }
        if !is_kebab_case(id) {
            problems.push(format!(
                "`{id}` is not kebab-case (lower-case words of a-z and 0-9 joined by single `-`)"
            ));
        }
    }
    for pair in ids.windows(2) {
        if pair[0] >= pair[1] {
            problems.push(format!(
                "`rules::ALL` must be sorted by id: `{}` comes before `{}`",
                pair[0], pair[1]
            ));
        }
    }
    report("registry", vec![("rules::ALL".to_string(), problems)]);
}

#[test]
fn aliases_never_collide_with_ids_or_each_other() {
    let mut problems = Vec::new();
    let ids: BTreeSet<&str> = all_metas().map(|m| m.id).collect();
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for rule in ALL {
        let meta = rule.meta();
        for &alias in meta.aliases {
            if alias.trim().is_empty() || alias.trim() != alias {
                problems.push(format!(
                    "`{}` has an empty or padded alias `{alias}`",
                    meta.id
                ));
            }
            if ids.contains(alias) {
                problems.push(format!(
                    "alias `{alias}` of `{}` is the id of a rule",
                    meta.id
                ));
            }
            match owner.insert(alias, meta.id) {
                Some(other) if other == meta.id => {
                    problems.push(format!("`{}` lists the alias `{alias}` twice", meta.id))
                }
                Some(other) => problems.push(format!(
                    "alias `{alias}` belongs to both `{other}` and `{}`",
                    meta.id
                )),
                None => {}
            }
        }
    }
    report("alias", vec![("aliases".to_string(), problems)]);
}

/// The harness itself: markers are read as written, and a page that breaks the rules is caught.
mod harness {
    use super::*;

    #[test]
    fn markers_are_read_per_line() {
        let page = "## Example\n```yaml\na: 1\nb: 2  # error: [x]\nc: 3 # error: [x, y]\n```\n";
        let parsed = parse(page);
        let mut problems = Vec::new();
        let lines = marked_lines("x", &parsed.blocks[0], &mut problems);
        assert_eq!(lines.into_iter().collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("`y`"), "{problems:?}");
    }

    #[test]
    fn wrong_headings_are_reported() {
        let page = "# x\n## What it does\n## Example\n## Why is this bad?\n## Use instead\n## References\n";
        let parsed = parse(page);
        let mut problems = Vec::new();
        check_headings("x", &parsed, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn headings_inside_code_blocks_are_not_headings() {
        let page = "# x\n## Example\n```yaml\n# a comment\n## another\n```\n";
        let parsed = parse(page);
        assert_eq!(parsed.headings.len(), 2);
        assert_eq!(parsed.blocks.len(), 1);
        assert_eq!(parsed.blocks[0].section, EXAMPLE);
        assert_eq!(parsed.blocks[0].page_line(1), 4);
    }

    #[test]
    fn kebab_case() {
        assert!(is_kebab_case("string-unbounded"));
        assert!(is_kebab_case("rate-limit-429-missing"));
        assert!(!is_kebab_case("String-unbounded"));
        assert!(!is_kebab_case("string_unbounded"));
        assert!(!is_kebab_case("string--unbounded"));
        assert!(!is_kebab_case("-string"));
        assert!(!is_kebab_case("string-"));
        assert!(!is_kebab_case("429-missing"));
    }
}

#[test]
fn the_readme_lists_every_rule_with_its_page() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let missing: Vec<&str> = ALL
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| !readme.contains(&format!("[`{id}`](rules/{id}.md)")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's rules table lacks: {missing:?}"
    );
}
