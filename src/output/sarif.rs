//! SARIF 2.1.0, the format code scanning reads (GitHub, Azure DevOps, SARIF viewers in editors).
//! The page `docs/sarif-output.md` says what goes where.
//!
//! One run. `tool.driver.rules` lists every rule and built-in check (whether it ran or not), each with
//! its page as help; results point at it by id and index. Paths are relative to `%SRCROOT%`, the project
//! root, so the file is the same whichever directory rampart runs from; columns are UTF-16 code units
//! (the SARIF default). Files that could not be read or parsed are also tool execution notifications,
//! and make `executionSuccessful` false.
//!
//! GitHub's upload limits are kept: at most [`MAX_RESULTS`] results per run (the most severe are kept,
//! and a notification says how many were left out) and [`MAX_LOCATIONS`] related locations per result.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif;

use super::{RenderOptions, all_checks, file_uri, page_paragraph, root_relative, rule_url};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::engine::RuleMeta;
use crate::{INPUT_ERRORS, Report};

/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub code scanning keeps at most this many locations (related ones included) per result.
pub const MAX_LOCATIONS: usize = 1_000;
/// GitHub code scanning keeps at most this many tags per rule.
pub const MAX_TAGS: usize = 20;
/// The id under which partial fingerprints are given (the sink's fingerprint).
pub const FINGERPRINT_KEY: &str = "rampart/v1";
/// The base id of URIs relative to the project root.
pub const SRCROOT: &str = "%SRCROOT%";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// GitHub's `security-severity` (0.0 to 10.0) for a default severity: above 7.0 is high, 4.0 to 6.9
/// medium, below 4.0 low.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "7.5",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
        Severity::Hint => "1.0",
    }
}

/// Writes the report as one SARIF log and a newline. `opts` is not used: SARIF is never coloured.
///
/// The log is written as `serde_json` writes [`log`], but its results are made and written a window
/// at a time on every core, so that a large log is never held whole.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    let (skeleton, items) = parts(report, MAX_RESULTS);
    let text = serde_json::to_string_pretty(&skeleton)?;
    // No string holds a raw line break, so this can only be the run's own (empty) results.
    const EMPTY: &str = "\n      \"results\": []";
    match text.find(EMPTY) {
        Some(at) if !items.is_empty() => {
            let index = rule_index();
            out.write_all(&text.as_bytes()[..at + EMPTY.len() - 1])?;
            super::write_in_windows(out, &items, &|i, item: &Item<'_>, buf| {
                buf.extend_from_slice(if i == 0 {
                    b"\n        "
                } else {
                    b",\n        "
                });
                // Writing to memory does not fail, and a result always serialises.
                let _ = super::json::pretty(&mut *buf, &item.result(report, &index), 4);
            })?;
            out.write_all(b"\n      ]")?;
            out.write_all(&text.as_bytes()[at + EMPTY.len()..])?;
        }
        _ => out.write_all(text.as_bytes())?,
    }
    writeln!(out)
}

/// The report as a SARIF log.
pub fn log(report: &Report) -> sarif::Sarif {
    log_capped(report, MAX_RESULTS)
}

/// [`log`] with at most `cap` results.
pub fn log_capped(report: &Report, cap: usize) -> sarif::Sarif {
    let (mut log, items) = parts(report, cap);
    let index = rule_index();
    log.runs[0].results = Some(items.iter().map(|i| i.result(report, &index)).collect());
    log
}

/// A result of the log, made when it is written.
enum Item<'a> {
    Finding(&'a Diagnostic),
    /// A finding that `x-rampart-ignore` silences.
    Suppressed(&'a Diagnostic),
}

impl Item<'_> {
    fn result(&self, report: &Report, index: &dyn Fn(&str) -> Option<usize>) -> sarif::Result {
        match *self {
            Item::Finding(d) => result(report, d, index(d.rule)),
            // Marked as suppressed in source with the reason written next to it (code scanning
            // shows it as dismissed).
            Item::Suppressed(d) => {
                let mut r = result(report, d, index(d.rule));
                let mut suppression = sarif::Suppression::builder()
                    .kind(json!("inSource"))
                    .build();
                suppression.justification = d.suppressed.clone().filter(|j| !j.is_empty());
                r.suppressions = Some(vec![suppression]);
                r
            }
        }
    }
}

/// The position of each rule and built-in check in `tool.driver.rules`.
fn rule_index() -> impl Fn(&str) -> Option<usize> {
    let checks: Vec<&'static str> = all_checks().map(|m| m.id).collect();
    move |id| checks.iter().position(|&c| c == id)
}

/// The log with its results left empty, and the results it holds, in order.
fn parts(report: &Report, cap: usize) -> (sarif::Sarif, Vec<Item<'_>>) {
    let checks: Vec<&'static RuleMeta> = all_checks().collect();
    let index = rule_index();

    // Results: every finding on a file that has text, the most severe first past the cap.
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !super::unreadable(report, d))
        .collect();
    let kept: Vec<&Diagnostic> = if shown.len() > cap {
        let mut order: Vec<usize> = (0..shown.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(shown[i].severity));
        let mut keep: Vec<usize> = order.into_iter().take(cap).collect();
        keep.sort_unstable();
        keep.into_iter().map(|i| shown[i]).collect()
    } else {
        shown.clone()
    };
    let mut items: Vec<Item<'_>> = kept.iter().map(|&d| Item::Finding(d)).collect();
    // Findings that `x-rampart-ignore` silences are results too.
    items.extend(
        report
            .suppressed
            .iter()
            .take(cap.saturating_sub(kept.len()))
            .map(Item::Suppressed),
    );

    let mut notifications: Vec<sarif::Notification> = report
        .diagnostics
        .iter()
        .filter(|d| INPUT_ERRORS.contains(&d.rule))
        .map(|d| {
            let mut rule = sarif::ReportingDescriptorReference::builder()
                .id(d.rule)
                .build();
            rule.index = index(d.rule).map(|i| i as i64);
            sarif::Notification::builder()
                .level(json!("error"))
                .message(message(&d.message))
                .locations(vec![location(report, &d.location, None)])
                .associated_rule(rule)
                .build()
        })
        .collect();
    if kept.len() < shown.len() {
        let left = shown.len() - kept.len();
        notifications.push(
            sarif::Notification::builder()
                .level(json!("warning"))
                .message(message(&format!(
                    "{left} of {} results were left out: code scanning keeps at most {cap} per run, \
                     so the most severe were kept; run rampart with another format to see them all",
                    shown.len()
                )))
                .build(),
        );
    }

    let invocation = if notifications.is_empty() {
        sarif::Invocation::builder()
            .execution_successful(!report.has_input_errors())
            .build()
    } else {
        sarif::Invocation::builder()
            .execution_successful(!report.has_input_errors())
            .tool_execution_notifications(notifications)
            .build()
    };

    let mut bases = BTreeMap::new();
    bases.insert(
        SRCROOT.to_string(),
        sarif::ArtifactLocation::builder()
            .uri(directory_uri(&report.root))
            .description(message("the project root"))
            .build(),
    );

    let driver = sarif::ToolComponent::builder()
        .name("rampart")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(super::REPOSITORY)
        .rules(checks.iter().map(|m| descriptor(m)).collect::<Vec<_>>())
        .build();

    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::from(driver))
        .invocations(vec![invocation])
        .original_uri_base_ids(bases)
        .column_kind(json!("utf16CodeUnits"))
        .results(Vec::new())
        .build();
    // The security score of each document (see README), for dashboards that gate on it.
    if !report.scores.is_empty() {
        let mut properties = BTreeMap::new();
        properties.insert("rampart/scores".to_string(), json!(report.scores));
        run.properties = Some(
            sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    }
    let log = sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    (log, items)
}

fn message(text: &str) -> sarif::Message {
    sarif::Message::builder().text(text).build()
}

/// The `file://` URI of the project root, ending with `/` as a base URI must.
fn directory_uri(root: &std::path::Path) -> String {
    let mut uri = file_uri(root);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// A rule or built-in check, described from its metadata and page.
fn descriptor(meta: &RuleMeta) -> sarif::ReportingDescriptor {
    let mut tags = vec!["security".to_string()];
    if let Some(owasp) = meta.owasp {
        tags.push(owasp.code().to_string());
    }
    tags.truncate(MAX_TAGS);
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(security_severity(meta.severity)),
    );
    if let Some(owasp) = meta.owasp {
        properties.insert("owasp".to_string(), json!(owasp.to_string()));
    }
    let mut configuration = sarif::ReportingConfiguration::builder()
        .level(json!(level(meta.severity)))
        .build();
    if !meta.default_enabled {
        configuration.enabled = Some(false);
    }
    let full =
        page_paragraph(meta.docs, "What it does").unwrap_or_else(|| meta.summary.to_string());
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(meta.id)
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(meta.summary)
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(full)
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(meta.docs)
                .markdown(meta.docs)
                .build(),
        )
        .help_uri(rule_url(meta.id))
        .default_configuration(configuration)
        .properties(
            sarif::PropertyBag::builder()
                .tags(tags)
                .additional_properties(properties)
                .build(),
        )
        .build();
    // A name that only differs from the id in case is no name (SARIF validators warn about it).
    let name = pascal_case(meta.id);
    if !name.eq_ignore_ascii_case(meta.id) {
        descriptor.name = Some(name);
    }
    descriptor
}

/// `string-unbounded` → `StringUnbounded`: SARIF's `name` is an identifier-like form of the id.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

fn result(report: &Report, d: &Diagnostic, index: Option<usize>) -> sarif::Result {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related: Vec<sarif::Location> = d
        .related
        .iter()
        .take(MAX_LOCATIONS - 1)
        .enumerate()
        .map(|(i, r)| {
            let mut l = location(report, &r.location, Some(&r.message));
            l.id = Some(i as i64 + 1);
            l
        })
        .collect();
    let more = d.related_more + d.related.len() - related.len();
    if more > 0 {
        text.push_str(&format!("\n(and {more} more related locations)"));
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_string(), d.fingerprint.clone());
    let mut result = sarif::Result::builder()
        .rule_id(d.rule)
        .level(match d.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
        })
        .message(message(&text))
        .locations(vec![location(report, &d.location, None)])
        .partial_fingerprints(fingerprints)
        .build();
    result.rule_index = index.map(|i| i as i64);
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(owasp) = d.owasp {
        let mut properties = BTreeMap::new();
        properties.insert("owasp".to_string(), json!(owasp.code()));
        result.properties = Some(
            sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    }
    result
}

/// A place in a file: its URI (relative to `%SRCROOT%` when inside the project root), its region
/// (1-based lines and UTF-16 columns, the end exclusive) and its JSON pointer as a logical location.
fn location(report: &Report, l: &Location, text: Option<&str>) -> sarif::Location {
    let artifact = match root_relative(&report.root, &l.abs) {
        Some(rel) => sarif::ArtifactLocation::builder()
            .uri(super::encode_uri_path(&rel))
            .uri_base_id(SRCROOT)
            .build(),
        None => sarif::ArtifactLocation::builder()
            .uri(file_uri(&l.abs))
            .build(),
    };
    let start_line = l.start.line.max(1);
    let end_line = l.end.line.max(start_line);
    let start_column = l.start.utf16_column + 1;
    let end_column = if end_line == start_line {
        (l.end.utf16_column + 1).max(start_column)
    } else {
        l.end.utf16_column + 1
    };
    let region = sarif::Region::builder()
        .start_line(i64::from(start_line))
        .start_column(i64::from(start_column))
        .end_line(i64::from(end_line))
        .end_column(i64::from(end_column))
        .build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    let mut location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    if !l.pointer.is_empty() {
        location.logical_locations = Some(vec![
            sarif::LogicalLocation::builder()
                .fully_qualified_name(&*l.pointer)
                .kind("member")
                .build(),
        ]);
    }
    if let Some(text) = text {
        location.message = Some(message(text));
    }
    location
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    fn rendered(report: &Report) -> serde_json::Value {
        serde_json::to_value(log(report)).unwrap()
    }

    #[test]
    fn one_run_with_every_check_and_the_results() {
        let v = rendered(&report());
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), all_checks().count());
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "string-unbounded");
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], "string-unbounded");
        assert_eq!(rules[i]["name"], "StringUnbounded");
        assert_eq!(
            rules[i]["properties"]["tags"],
            json!(["security", "API4:2023"])
        );
        assert_eq!(r["level"], "warning");
        let physical = &r["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "api.yaml");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            physical["region"],
            json!({"startLine": 6, "startColumn": 9, "endLine": 6, "endColumn": 13})
        );
        assert_eq!(
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "/components/schemas/Pet/properties/name"
        );
        assert_eq!(
            r["relatedLocations"][1]["message"]["text"],
            "referenced here"
        );
        assert_eq!(r["partialFingerprints"]["rampart/v1"], "0123456789abcdef");
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///project/"
        );
        // An id that is no check (the test report's `info-contact`) has no index.
        assert_eq!(run["results"][1]["ruleIndex"], serde_json::Value::Null);
        assert_eq!(run["results"][1]["level"], "note");
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal_case("rate-limit-429-missing"), "RateLimit429Missing");
        assert_eq!(pascal_case("io-error"), "IoError");
        let structure = descriptor(&crate::engine::builtin::STRUCTURE);
        assert_eq!(structure.name, None);
    }
}
